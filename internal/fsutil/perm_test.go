package fsutil

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// What cprready writes is private on every OS (mode 0600 on Unix, an
// owner-only ACL on Windows); the same file opened to other users is
// not, and the finding names who can read it and the command that stops
// it.
func TestCheckPrivate(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "profile.yaml")
	if err := WriteFileAtomic(p, []byte("version: 1\n")); err != nil {
		t.Fatal(err)
	}
	pv, err := CheckPrivate(p)
	if err != nil || !pv.Private || pv.Readers != "" || pv.Fix != "" {
		t.Fatalf("a file cprready wrote: %+v, %v", pv, err)
	}
	shareWithOthers(t, p)
	pv, err = CheckPrivate(p)
	if err != nil || pv.Private {
		t.Fatalf("a shared file: %+v, %v", pv, err)
	}
	if pv.Readers == "" || !strings.HasPrefix(pv.Fix, "Run") || !strings.Contains(pv.Fix, p) || len(pv.Evidence) == 0 {
		t.Fatalf("the finding lacks who, the command or evidence: %+v", pv)
	}
	wantSharedFinding(t, pv)
	// Writing it again makes it private again.
	if err := WriteFileAtomic(p, []byte("version: 1\n")); err != nil {
		t.Fatal(err)
	}
	if pv, err := CheckPrivate(p); err != nil || !pv.Private {
		t.Fatalf("rewritten: %+v, %v", pv, err)
	}
	if _, err := CheckPrivate(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("a missing file: want an error")
	}
}

// RestrictToOwner on a file someone else made readable.
func TestRestrictToOwner(t *testing.T) {
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	shareWithOthers(t, p)
	f, err := os.OpenFile(p, os.O_RDWR, 0) // #nosec G304 -- the test's own file
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := RestrictToOwner(f); err != nil {
		t.Fatal(err)
	}
	if pv, err := CheckPrivate(p); err != nil || !pv.Private {
		t.Fatalf("after RestrictToOwner: %+v, %v", pv, err)
	}
	if b, err := os.ReadFile(p); err != nil || string(b) != "s3cret\n" { // #nosec G304 -- the test's own file
		t.Fatalf("the owner cannot read it any more: %q %v", b, err)
	}
}
