package checks

import (
	"strings"
	"testing"

	"github.com/cprready/cprready/internal/golden"
)

// docs/checks.md lists exactly the registered checks.
func TestDocs(t *testing.T) {
	const path = "../docs/checks.md"
	want := DocsMarkdown()
	golden.File(t, path, []byte(want))
	got := []byte(want)
	for _, id := range IDs() {
		if !strings.Contains(string(got), "### "+id+"\n") {
			t.Errorf("%s has no section", id)
		}
	}
}
