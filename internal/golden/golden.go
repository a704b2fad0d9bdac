// Package golden compares a test's output with a file, and rewrites the
// file with the project's one golden flag, -update (go test ./pkg -run
// TestX -update). The flag is teatest's golden package's own, so the
// TUI's teatest goldens, the testdata goldens and the generated docs
// (docs/checks.md, docs/errors.md, docs/migration.md, docs/emulator.md)
// are all rewritten the same way.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	// Defines -update; importing it here means every test binary that uses
	// this package has the flag exactly once.
	_ "github.com/charmbracelet/x/exp/golden"
)

// Updating reports whether -update was given.
func Updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// Check compares got with testdata/name, or rewrites it with -update.
func Check(t *testing.T, name string, got []byte) {
	t.Helper()
	File(t, filepath.Join("testdata", name), got)
}

// File compares got with the file at path (relative to the test's
// package: ../docs/checks.md), or rewrites it with -update.
func File(t *testing.T, path string, got []byte) {
	t.Helper()
	if Updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil { // #nosec G306 -- a golden file or documentation, in the repository
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path) // #nosec G304 -- a test's own golden file
	if err != nil {
		t.Fatalf("%v (write it with: go test -run '^%s$' -update)", err, t.Name())
	}
	if string(want) != string(got) {
		t.Fatalf("%s differs from the output (after a deliberate change: go test -run '^%s$' -update)\n--- got:\n%s", path, t.Name(), got)
	}
}
