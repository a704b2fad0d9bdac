//go:build !windows

package fsutil

import (
	"os"
	"path/filepath"
	"testing"
)

// holdFile keeps path from being removed: its folder is made read-only.
// Root removes from read-only folders, so the test needs another user.
func holdFile(t *testing.T, path string) (release func()) {
	t.Helper()
	if os.Geteuid() == 0 {
		t.Skip("root removes files from read-only folders; run as another user to hold one")
	}
	dir := filepath.Dir(path)
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	release = func() { _ = os.Chmod(dir, 0o700) }
	t.Cleanup(release)
	return release
}
