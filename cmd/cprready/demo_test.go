package main

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// When the demo's folder cannot be removed, stderr says so with the
// folder, the error and every path left (at most maxLeftovers of them).
func TestDemoReportsLeftovers(t *testing.T) {
	dir := filepath.Join("tmp", "cprready-demo-123")
	var b bytes.Buffer
	reportLeftovers(&b, dir, nil, nil)
	if b.Len() != 0 {
		t.Fatalf("nothing left, yet: %q", b.String())
	}
	left := []string{dir, filepath.Join(dir, "ca.key")}
	for i := range maxLeftovers + 3 {
		left = append(left, filepath.Join(dir, "secrets", fmt.Sprintf("s%d", i)))
	}
	reportLeftovers(&b, dir, left, errors.New("the file is in use"))
	out := b.String()
	for _, want := range []string{"could not remove the temporary folder " + dir + " (the file is in use)", "ca.key", "  " + filepath.Join(dir, "ca.key") + "\n", "… and 5 more"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n  "); n != maxLeftovers+1 {
		t.Errorf("%d lines listed, want %d:\n%s", n, maxLeftovers+1, out)
	}
}
