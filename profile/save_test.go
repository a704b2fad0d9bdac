package profile

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cprready/cprready/internal/fsutil"
)

// Saving and loading back gives the same profile; the file is the
// owner's only (mode 0600, an owner-only ACL on Windows).
func TestSaveRoundTrip(t *testing.T) {
	p, err := Load("../examples/public.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.yaml")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	if pv, err := fsutil.CheckPrivate(path); err != nil || !pv.Private {
		t.Fatalf("others can read it: %+v %v", pv, err)
	}
	q, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p.Path, q.Path = "", ""
	p.lines, q.lines = nil, nil
	p.SHA256, q.SHA256 = "", ""
	p.comments, q.comments = nil, nil
	if !reflect.DeepEqual(p, q) {
		a, _ := p.Marshal()
		b, _ := q.Marshal()
		t.Fatalf("round trip differs:\n%s\n---\n%s", a, b)
	}
	if q.ITSystems[0].Credentials.OAuthCertificates[0].Password.Reference() != "file:secrets/p12-password" {
		t.Fatal("the certificate password reference was lost")
	}
}

// Editing a profile keeps the comments its author wrote.
func TestSaveKeepsComments(t *testing.T) {
	y := "# our CPR profile, owned by team X\nversion: 1\nenvironment: prod # production only\norganisation:\n  # the legal name\n  name: Eksempel Kommune\n  cvr: \"29189846\"\n"
	p, err := Parse([]byte(y), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p.Organisation.Name = "Ny Kommune"
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# our CPR profile, owned by team X", "# production only", "# the legal name", "Ny Kommune"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("lost %q:\n%s", want, b)
		}
	}
}
