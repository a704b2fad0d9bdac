package emulator_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/cprready/cprready/emulator"
)

var update = flag.Bool("update", false, "rewrite docs/emulator.md")

// docs/emulator.md says what the emulator does, from the conventions and
// the faults themselves.
func TestEmulatorDocs(t *testing.T) {
	const path = "../docs/emulator.md"
	want := emulator.Markdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil { // #nosec G306 -- documentation
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("docs/emulator.md is out of date: run go test ./emulator -run TestEmulatorDocs -update")
	}
	for _, f := range emulator.FaultNames() {
		if !strings.Contains(emulator.FaultHelp(), f) {
			t.Errorf("emulator --help lacks %s", f)
		}
	}
}
