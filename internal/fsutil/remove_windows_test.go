package fsutil

import (
	"os"
	"testing"
)

// holdFile keeps path open, as a virus scanner does: Go opens files
// without FILE_SHARE_DELETE, so Windows refuses to remove it until closed.
func holdFile(t *testing.T, path string) (release func()) {
	t.Helper()
	f, err := os.Open(path) // #nosec G304 -- the test's own file
	if err != nil {
		t.Fatal(err)
	}
	release = func() { _ = f.Close() }
	t.Cleanup(release)
	return release
}
