package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// When the folder cannot be removed, w says so with the folder, the error
// and every path left (at most maxLeftovers of them).
func TestRemoveStateReportsLeftovers(t *testing.T) {
	dir := filepath.Join("tmp", "cprready-demo-123")
	var b bytes.Buffer
	reportLeftovers(&b, "cprready demo", dir, nil, nil)
	if b.Len() != 0 {
		t.Fatalf("nothing left, yet: %q", b.String())
	}
	left := []string{dir, filepath.Join(dir, "ca.key")}
	for i := range maxLeftovers + 3 {
		left = append(left, filepath.Join(dir, "secrets", fmt.Sprintf("s%d", i)))
	}
	reportLeftovers(&b, "cprready demo", dir, left, errors.New("the file is in use"))
	out := b.String()
	for _, want := range []string{"cprready demo: could not remove the temporary folder " + dir + " (the file is in use)", "(ca.key)", "  " + filepath.Join(dir, "ca.key") + "\n", "… and 5 more"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n  "); n != maxLeftovers+1 {
		t.Errorf("%d lines listed, want %d:\n%s", n, maxLeftovers+1, out)
	}
}

// A state folder the emulator wrote is removed whole, silently.
func TestRemoveState(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	srv, err := Start(Config{Addr: "127.0.0.1:0", StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	RemoveState(&b, "cprready demo", dir)
	if _, err := os.Stat(dir); !os.IsNotExist(err) || b.Len() != 0 {
		t.Fatalf("stat %v, said %q", err, b.String())
	}
}
