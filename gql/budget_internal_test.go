package gql

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// A fan-out through nested fields repeats no name in any one selection,
// yet selects 2^24 fields: the visits cap stops it, counted in linear
// time.
func TestVisitsCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("query Q { ...F24 }\nfragment F0 on T { leaf }\n")
	for i := 1; i <= 24; i++ {
		fmt.Fprintf(&b, "fragment F%d on T { x { ...F%d } y { ...F%d } }\n", i, i-1, i-1)
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: b.String()})
	if err != nil {
		t.Fatal(err)
	}
	p := overBudget(doc)
	if p == nil || !strings.Contains(p.Message, "more than 10000 fields") || p.Line != 1 {
		t.Fatalf("got %+v", p)
	}
	small, _ := parser.ParseQuery(&ast.Source{Input: strings.Replace(b.String(), "...F24", "...F10", 1)})
	if p := overBudget(small); p != nil {
		t.Fatalf("2^10 fields were refused: %+v", p)
	}
}
