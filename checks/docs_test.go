package checks

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/checks.md from the registry")

// docs/checks.md lists exactly the registered checks.
func TestDocs(t *testing.T) {
	const path = "../docs/checks.md"
	want := DocsMarkdown()
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
		t.Fatal("docs/checks.md is out of date: run go test ./checks -run TestDocs -update")
	}
	for _, id := range IDs() {
		if !strings.Contains(string(got), "### "+id+"\n") {
			t.Errorf("%s has no section", id)
		}
	}
}
