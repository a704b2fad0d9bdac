package emulator_test

import (
	"strings"
	"testing"

	"github.com/cprready/cprready/internal/golden"

	"github.com/cprready/cprready/emulator"
)

// docs/emulator.md says what the emulator does, from the conventions and
// the faults themselves.
func TestEmulatorDocs(t *testing.T) {
	const path = "../docs/emulator.md"
	want := emulator.Markdown()
	golden.File(t, path, []byte(want))
	for _, f := range emulator.FaultNames() {
		if !strings.Contains(emulator.FaultHelp(), f) {
			t.Errorf("emulator --help lacks %s", f)
		}
	}
}
