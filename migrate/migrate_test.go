package migrate

import (
	"flag"
	"os"
	"testing"

	"github.com/cprready/cprready/emulator/schemas"
	"github.com/cprready/cprready/gql"
)

var update = flag.Bool("update", false, "rewrite docs/migration.md")

func TestNineServices(t *testing.T) {
	var pub, priv int
	for _, s := range Services() {
		if s.Kind == "public" {
			pub++
		} else {
			priv++
		}
		if _, ok := Lookup(s.Name); !ok {
			t.Errorf("%s not found", s.Name)
		}
	}
	if pub != 6 || priv != 3 {
		t.Fatalf("want 6 public and 3 private, got %d and %d", pub, priv)
	}
	if _, ok := Lookup("cprpersonfullcomplete"); !ok {
		t.Error("lookup must ignore case")
	}
}

// Every starting query passes the platform's rules against the emulator's
// schema of its service.
func TestStartingQueriesValidate(t *testing.T) {
	for _, s := range Services() {
		sdl, err := schemas.SDL(s.Kind)
		if err != nil {
			t.Fatal(err)
		}
		sch, err := gql.LoadSchema(s.Kind, []byte(sdl))
		if err != nil {
			t.Fatal(err)
		}
		if _, probs := gql.ValidateQuery(sch, s.StartingQuery(), nil); len(probs) > 0 {
			t.Errorf("%s: %v\n%s", s.Name, probs, s.StartingQuery())
		}
	}
}

func TestDocs(t *testing.T) {
	const path = "../docs/migration.md"
	if *update {
		if err := os.WriteFile(path, []byte(Markdown()), 0o644); err != nil { // #nosec G306 -- documentation
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != Markdown() {
		t.Fatal("docs/migration.md is out of date: go test ./migrate -run TestDocs -update")
	}
}
