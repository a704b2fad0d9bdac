package platform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
)

// One corpus: no query is there twice (compared as parsed documents, so
// layout and comments do not hide a copy; a copy found elsewhere goes in
// the kept file's also: line), every query parses, and README.md names
// every response and every other register's query.
func TestCorpusHasNoDuplicatesAndIsListed(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(evidenceDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, glob := range []string{"queries/*.graphql", "queries/probes/*.graphql", "queries/reference/*.graphql"} {
		for _, e := range readEvidence(t, glob) {
			doc, err := parser.ParseQuery(&ast.Source{Input: e.content})
			if err != nil {
				t.Errorf("%s does not parse: %v", e.path, err)
				continue
			}
			var b strings.Builder
			formatter.NewFormatter(&b).FormatQueryDocument(doc)
			if first, dup := seen[b.String()]; dup {
				t.Errorf("%s is the same document as %s: keep one, name the other in its also: line", e.path, first)
			}
			seen[b.String()] = e.path
			if strings.HasPrefix(glob, "queries/reference/") && !strings.Contains(string(readme), strings.TrimSuffix(filepath.Base(e.path), ".graphql")) {
				t.Errorf("README.md does not list %s", e.path)
			}
		}
	}
	for _, e := range readEvidence(t, "responses/*.http") {
		if !strings.Contains(string(readme), filepath.Base(e.path)) {
			t.Errorf("README.md does not list %s", e.path)
		}
	}
	for _, gone := range []string{"README-b.md", "FIELDS-b.md"} {
		if _, err := os.Stat(filepath.Join(evidenceDir, gone)); err == nil {
			t.Errorf("%s: one README and one FIELDS list", gone)
		}
	}
}
