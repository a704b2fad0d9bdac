// Package testdir gives a test a temporary folder, removed when the test
// ends, like t.TempDir, but removed with fsutil.RemoveAll: entry by entry
// where os.RemoveAll cannot, as under wine 8 (it lacks the call Go's
// RemoveAll makes on Windows: "unlinkat … Invalid function", which fails
// every test that uses t.TempDir) or on Windows while a virus scanner
// holds a file. CI runs the datafordeler tests under wine with it.
package testdir

import (
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/cprready/cprready/internal/fsutil"
)

// New makes a new empty folder and removes it when t ends; a folder that
// cannot be removed fails the test with what is left.
func New(t testing.TB) string {
	t.Helper()
	name := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, t.Name())
	dir, err := os.MkdirTemp("", name+"-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if left, err := fsutil.RemoveAll(dir); err != nil {
			t.Errorf("the temporary folder %s is left (%v): %v", dir, err, left)
		}
	})
	return dir
}
