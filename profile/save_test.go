package profile

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// Saving and loading back gives the same profile; the file is 0600.
func TestSaveRoundTrip(t *testing.T) {
	p, err := Load("../examples/public.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.yaml")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}
	q, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p.Path, q.Path = "", ""
	p.lines, q.lines = nil, nil
	if !reflect.DeepEqual(p, q) {
		a, _ := p.Marshal()
		b, _ := q.Marshal()
		t.Fatalf("round trip differs:\n%s\n---\n%s", a, b)
	}
	if q.ITSystems[0].Credentials.OAuthCertificates[0].Password.Reference() != "file:secrets/p12-password" {
		t.Fatal("the certificate password reference was lost")
	}
}
