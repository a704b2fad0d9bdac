package gql_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cprready/cprready/platform/errcode"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/platform"
)

// load is the reference schema of a service: public v1 (the evidenced
// production tree), private v2, events v1.
func load(t testing.TB, service string) *ast.Schema {
	t.Helper()
	svc := platform.Service(service)
	v := svc.DefaultVersion()
	if svc == platform.Public {
		v = "v1"
	}
	s, err := platform.Schema(svc, v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The seed's public example query (v2) passes verbatim.
func TestSeedQueryPasses(t *testing.T) {
	q, err := os.ReadFile("testdata/seed-public.graphql")
	if err != nil {
		t.Fatal(err)
	}
	s, err := platform.Schema(platform.Public, "v2")
	if err != nil {
		t.Fatal(err)
	}
	if _, probs := gql.ValidateQuery(context.Background(), s, string(q), nil); len(probs) > 0 {
		t.Fatalf("seed query rejected: %v", probs)
	}
}

// Every real query passes against its register's real SDL: no false
// positives on real traffic.
func TestRealQueriesPass(t *testing.T) {
	const dir = "testdata/platform"
	queries, _ := filepath.Glob(filepath.Join(dir, "queries", "*.graphql"))
	cache := map[string]*ast.Schema{}
	for _, qf := range queries {
		reg := strings.ToUpper(strings.SplitN(filepath.Base(qf), "-", 2)[0])
		s, ok := cache[reg]
		if !ok {
			sdl, err := os.ReadFile(filepath.Join(dir, "sdl", reg+".graphql"))
			if err != nil {
				t.Fatal(err)
			}
			if s, err = gql.LoadSchema(reg+".graphql", sdl); err != nil {
				t.Fatalf("%s: %v", reg, err)
			}
			cache[reg] = s
		}
		q, _ := os.ReadFile(qf)
		if _, probs := gql.ValidateQuery(context.Background(), s, string(q), nil); len(probs) > 0 {
			t.Errorf("%s: %v", filepath.Base(qf), probs)
		}
	}
	if len(queries) != 22 {
		t.Errorf("expected the 22 real queries, found %d", len(queries))
	}
}

func TestPlatformRules(t *testing.T) {
	pub := load(t, "public")
	ev := load(t, "events")
	in101 := make([]string, 101)
	for i := range in101 {
		in101[i] = `"x"`
	}
	cases := []struct {
		name   string
		schema *ast.Schema
		query  string
		code   string
		msg    string
		line   int
	}{
		{"no beskyttelser", pub, "{\n CPRCustom_PublicSectorPerson(input: {}) {\n  nodes { navne { fornavne } }\n }\n}", "", "Required fields are missing in query selection: beskyttelser", 3},
		{"nested person without beskyttelser", pub, `{ CPRCustom_PublicSectorPerson(input: {}) { nodes { beskyttelser { status } boern { barn { navn { fornavne } } } } } }`, "", "beskyttelser (on barn)", 1},
		{"a person field on the relation", pub, `{ CPRCustom_PublicSectorPerson(input: {}) { nodes { beskyttelser { status } boern { personnummer } } } }`, "", "Cannot query field \"personnummer\"", 1},
		{"edges without beskyttelser", pub, `{ CPRCustom_PublicSectorPerson(input: {}) { edges { node { id } } } }`, "", "beskyttelser (on node)", 1},
		{"alias", pub, "{\n  p: CPRCustom_PublicSectorPerson(input: {}) { nodes { beskyttelser { status } } }\n}", errcode.Alias, "aliases are not allowed", 2},
		{"nested alias", pub, `{ CPRCustom_PublicSectorPerson(input: {}) { nodes { b: beskyttelser { status } beskyttelser { status } } } }`, errcode.Alias, "alias", 1},
		{"two root fields", ev, `{ CPR_Events(first: 1) { nodes { eventid } } DAF_RegisterImportStatus { lastSequenceNumber } }`, errcode.OneRootField, "more than one root field", 1},
		{"first over 1000", ev, `{ CPR_Events(first: 1001) { nodes { eventid } } }`, "", "at most 1000", 1},
		{"in over 100", pub, `{ CPRCustom_PublicSectorPerson(input: {personnummer: {personnummer: {in: [` + strings.Join(in101, ",") + `]}}}) { nodes { beskyttelser { status } } } }`, errcode.InListTooLong, "at most 100", 1},
		{"missing input", pub, `{ CPRCustom_PublicSectorPerson { nodes { beskyttelser { status } } } }`, "", "input", 1},
		{"unknown field", pub, `{ CPRCustom_PublicSectorPerson(input: {}) { nodes { beskyttelser { status } cpr } } }`, "", "Cannot query field", 1},
		{"introspection", pub, `{ __schema { types { name } } }`, "", "", 1},
		{"syntax", pub, `{ CPRCustom_PublicSectorPerson(`, errcode.Syntax, "Expected", 1},
	}
	for _, c := range cases {
		_, probs := gql.ValidateQuery(context.Background(), c.schema, c.query, nil)
		if c.name == "introspection" {
			continue // gqlparser accepts it; the platform answers HC0046 at run time
		}
		if len(probs) == 0 {
			t.Errorf("%s: no problem found", c.name)
			continue
		}
		p := probs[0]
		if p.Code != c.code || !strings.Contains(p.Message, c.msg) || p.Line != c.line {
			t.Errorf("%s: got %+v", c.name, probs)
		}
	}
	// A variable list over 100 is caught with the variables at hand.
	vals := make([]any, 150)
	_, probs := gql.ValidateQuery(context.Background(), pub, `query($c: [String!]) { CPRCustom_PublicSectorPerson(input: {personnummer: {personnummer: {in: $c}}}) { nodes { beskyttelser { status } } } }`, map[string]any{"c": vals})
	if len(probs) != 1 || probs[0].Code != errcode.InListTooLong {
		t.Errorf("variables: %v", probs)
	}
	// Fragments carry the mandatory field.
	_, probs = gql.ValidateQuery(context.Background(), pub, `{ CPRCustom_PublicSectorPerson(input: {}) { nodes { ...P } } } fragment P on CPRCustom_PublicSectorPerson { beskyttelser { status } id }`, nil)
	if len(probs) != 0 {
		t.Errorf("fragment: %v", probs)
	}
}

func TestUndeclaredDirectivesAccepted(t *testing.T) {
	sdl := `type Query { a: String @cost(weight: "1") @somethingNew(x: 1) }
directive @cost(weight: String!) on FIELD_DEFINITION
directive @specifiedBy(url: String!) on SCALAR
scalar DafDateTime @specifiedBy(url: "https://datafordeler.dk/")`
	if _, err := gql.LoadSchema("x.graphql", []byte(sdl)); err != nil {
		t.Fatal(err)
	}
	if _, err := gql.LoadSchema("bad.graphql", []byte("type Query {")); err == nil || !strings.Contains(err.Error(), "bad.graphql:1:") {
		t.Fatalf("syntax error must name file:line: %v", err)
	}
}

func FuzzValidateQuery(f *testing.F) {
	s := loadForFuzz(f)
	for _, q := range []string{"{ CPRCustom_PublicSectorPerson(input: {}) { nodes { beskyttelser { status } } } }", "{", "query($a: Int) { x }", "fragment F on X { ...F }"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		_, _ = gql.ValidateQuery(context.Background(), s, q, nil)
	})
}

func FuzzLoadSchema(f *testing.F) {
	for _, svc := range platform.Services() {
		sdl, _ := platform.SDL(svc, svc.DefaultVersion())
		f.Add([]byte(sdl[:min(len(sdl), 400)]))
	}
	f.Add([]byte("type Query { a: String @x }"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = gql.LoadSchema("fuzz.graphql", b)
	})
}

func loadForFuzz(f *testing.F) *ast.Schema { return load(f, "public") }
