package migrate

import (
	"testing"

	"github.com/cprready/cprready/internal/golden"

	"github.com/cprready/cprready/platform"
)

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
	if pub != 7 || priv != 3 {
		t.Fatalf("want 7 public (the seed's 6 and CprAuthorities) and 3 private, got %d and %d", pub, priv)
	}
	if _, ok := Lookup("cprpersonfullcomplete"); !ok {
		t.Error("lookup must ignore case")
	}
}

// Every starting query passes the platform's rules against the reference
// schema of every version of its service.
func TestStartingQueriesValidate(t *testing.T) {
	for _, s := range Services() {
		for _, v := range s.Target.Versions() {
			if r := s.Check(v); len(r.Problems) > 0 {
				t.Errorf("%s %s: %v\n%s", s.Name, v, r.Problems, s.StartingQuery(v))
			}
		}
	}
	// v1 public queries rest on confirmed fields only.
	for _, name := range []string{"CprPersonSmallSimple", "CprPersonFullComplete"} {
		s, _ := Lookup(name)
		if w := s.Check("v1").Warnings; len(w) > 0 {
			t.Errorf("%s v1 rests on inference: %v", name, w)
		}
	}
	s, ok := Lookup("CprAuthorities")
	if !ok || s.Target != platform.Events {
		t.Fatal("CprAuthorities must map to the entity-based service")
	}
}

func TestDocs(t *testing.T) {
	const path = "../docs/migration.md"
	golden.File(t, path, []byte(Markdown()))
}
