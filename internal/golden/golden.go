// Package golden compares a test's output with a file in testdata, and
// rewrites the file with -update (go test ./pkg -run Golden -update).
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// Update rewrites golden files instead of comparing with them.
var Update = flag.Bool("update-golden", false, "rewrite golden files")

// Check compares got with testdata/name, or rewrites it with -update-golden.
func Check(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path) // #nosec G304 -- a test's own golden file
	if err != nil {
		t.Fatalf("%v (write it with: go test -run %s -update-golden)", err, t.Name())
	}
	if string(want) != string(got) {
		t.Fatalf("%s differs from the output (after a deliberate change: go test -run %s -update-golden)\n--- got:\n%s", path, t.Name(), got)
	}
}
