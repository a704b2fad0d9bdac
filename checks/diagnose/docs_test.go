package diagnose

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/errors.md from the cause docs")

// docs/errors.md lists exactly the classified causes.
func TestErrorsDocs(t *testing.T) {
	const path = "../../docs/errors.md"
	want := ErrorsMarkdown()
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
		t.Fatal("docs/errors.md is out of date: run go test ./checks/diagnose -run TestErrorsDocs -update")
	}
}
