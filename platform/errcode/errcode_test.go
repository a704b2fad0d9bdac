package errcode

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var codeRe = regexp.MustCompile(`^(DAF-[A-Z]+-\d{4}|HC\d{4})$`)

// No Go file outside this package writes a code out as a string of its
// own: a code is named from here, so the list above is the whole
// vocabulary. Prose that quotes a code inside a sentence is prose.
func TestNoCodeWrittenOut(t *testing.T) {
	root := "../.."
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != root) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.Contains(path, filepath.Join("platform", "errcode")) {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		n++
		ast.Inspect(f, func(x ast.Node) bool {
			if lit, ok := x.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && codeRe.MatchString(s) {
					t.Errorf("%s: %s written out; name it from errcode", fset.Position(lit.Pos()), s)
					if !slices.Contains(All(), s) {
						t.Errorf("%s: %s is not in errcode's list", fset.Position(lit.Pos()), s)
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("only %d Go files read", n)
	}
}
