package emulator

import (
	"testing"

	"github.com/cprready/cprready/internal/golden"
)

// The examples are the emulator's ready profiles rendered with fixed
// values: one source, so a field added to the ready profile reaches both.
// -update rewrites them.
func TestExamplesAreTheTemplate(t *testing.T) {
	for _, name := range []string{"public", "private"} {
		got, err := RenderProfile(name, ExampleData())
		if err != nil {
			t.Fatal(err)
		}
		golden.File(t, "../examples/"+name+".yaml", got)
	}
}
