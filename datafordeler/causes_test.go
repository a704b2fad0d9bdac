package datafordeler

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"
)

// Causes lists every constant of type Cause declared in the package, and
// nothing twice.
func TestCausesListsEveryConstant(t *testing.T) {
	fset := token.NewFileSet()
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var declared []string
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "Cause" {
					for _, n := range vs.Names {
						declared = append(declared, n.Name)
					}
				}
			}
		}
	}
	listed := map[Cause]bool{}
	for _, c := range Causes() {
		if listed[c] {
			t.Errorf("%s listed twice", c)
		}
		listed[c] = true
	}
	if len(declared) != len(listed) {
		t.Errorf("%d Cause constants declared, %d listed by Causes(): %v", len(declared), len(listed), declared)
	}
	if !slices.Contains(declared, "CauseProxy") {
		t.Fatal("the declarations were not read")
	}
}
