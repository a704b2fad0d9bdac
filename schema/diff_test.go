package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cprready/cprready/gql"
)

func load(t *testing.T, sdl string) *ast.Schema {
	t.Helper()
	s, err := gql.LoadSchema("t.graphql", []byte(sdl))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDiffCategories(t *testing.T) {
	old := load(t, `
type Query { person(id: String, first: Int): Person  gone: String }
type Person { id: String! navn: String alder: Int status: Status }
input F { a: String b: String! }
enum Status { AKTUEL HISTORISK }
union U = Person
type Other { x: Int }
`)
	cur := load(t, `
type Query { person(id: String, first: Int, extra: Int, req: Int!): Person  added: Int }
type Person { id: String navn: String @deprecated(reason: "x") alder: String status: Status ny: Int }
input F { a: String! b: String c: Int d: Int! }
enum Status { AKTUEL UKENDT }
union U = Person | Other
type Other { x: Int }
type New { y: Int }
`)
	got := map[string]Criticality{}
	for _, c := range Diff(old, cur) {
		got[c.Path+" "+c.Message] = c.Criticality
	}
	want := map[string]Criticality{
		"Query.gone field was removed":                                             Breaking,
		"Person.id type changed from String! to String":                            Breaking,
		"Person.alder type changed from Int to String":                             Breaking,
		"Query.person(req) required argument req: Int! was added":                  Breaking,
		"F.a input field type changed from String to String!":                      Breaking,
		"F.d required input field d: Int! was added":                               Breaking,
		"Status.HISTORISK enum value was removed":                                  Breaking,
		"Query.person(extra) optional argument extra: Int was added":               Dangerous,
		"F.c optional input field c: Int was added":                                Dangerous,
		"Status.UKENDT enum value was added (clients that switch on it may break)": Dangerous,
		"U member Other was added to the union":                                    Dangerous,
		"Person.navn was deprecated":                                               Dangerous,
		"F.b input field type changed from String! to String (still compatible)":   Safe,
		"Query.added field was added":                                              Safe,
		"Person.ny field was added":                                                Safe,
		"New type New was added":                                                   Safe,
	}
	for k, c := range want {
		if got[k] != c {
			t.Errorf("%q: got %q want %q", k, got[k], c)
		}
	}
	if len(got) != len(want) {
		for k, c := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("unexpected %s %q", c, k)
			}
		}
	}
}

func realSDL(t *testing.T, name string) []byte {
	b, err := os.ReadFile(filepath.Join("..", "gql", "testdata", "platform", "sdl", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A real SDL against itself has no change; with a field removed, that is breaking.
func TestDiffRealSDL(t *testing.T) {
	for _, name := range []string{"BBR.graphql", "CVR.graphql", "DAGI.graphql", "DAR.graphql", "DS.graphql", "MAT.graphql"} {
		b := realSDL(t, name)
		s := load(t, string(b))
		if cs := Diff(s, load(t, string(b))); len(cs) != 0 {
			t.Errorf("%s against itself: %v", name, cs)
		}
	}
	b := string(realSDL(t, "DAR.graphql"))
	const field = "  adressebetegnelse: String @cost(weight: \"1\")\n"
	if !strings.Contains(b, field) {
		t.Fatal("fixture changed")
	}
	cut := strings.Replace(b, field, "", 1)
	cs := Diff(load(t, b), load(t, cut))
	if !HasBreaking(cs) || cs[0].Path != "DAR_Adresse.adressebetegnelse" || cs[0].Message != "field was removed" {
		t.Fatalf("got %v", cs)
	}
}

func TestCache(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	c := &Cache{Dir: t.TempDir(), Now: func() time.Time { return now }}
	base := "https://graphql.datafordeler.dk"
	if _, _, err := c.Load(base, "public"); err == nil {
		t.Fatal("empty cache loaded")
	}
	sdl := []byte("type Query { a: Int }")
	e, err := c.Store(base, "public", sdl, `"v1"`, base+"/schema?apiKey=%5BREDACTED%5D")
	if err != nil || e.SHA256 != Hash(sdl) || e.ETag != `"v1"` {
		t.Fatalf("%+v %v", e, err)
	}
	got, e2, err := c.Load(base, "public")
	if err != nil || string(got) != string(sdl) || e2.ETag != `"v1"` {
		t.Fatalf("%s %+v %v", got, e2, err)
	}
	now = now.Add(3 * time.Hour)
	ev := Bound{C: c, Base: base}.Compare("public", []byte("type Query { a: Int b: Int }"))
	if ev["differs"] != true || ev["cached_age"] != "3 hours" {
		t.Fatalf("%v", ev)
	}
	if ch := ev["changes"].(map[string]int); ch["safe"] != 1 {
		t.Fatalf("%v", ch)
	}
	if ev := (Bound{C: c, Base: "https://other"}).Compare("public", sdl); ev["cached"] != false {
		t.Fatalf("%v", ev)
	}
}
