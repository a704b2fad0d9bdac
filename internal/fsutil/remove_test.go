package fsutil

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// tree makes dir/a/b/key and dir/secret, as the demo's folder holds.
func tree(t *testing.T) (dir, key string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "cprready-demo-1")
	key = filepath.Join(dir, "a", "b", "ca.key")
	if err := os.MkdirAll(filepath.Dir(key), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{key, filepath.Join(dir, "secret")} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, key
}

func TestRemoveAll(t *testing.T) {
	dir, _ := tree(t)
	outside := filepath.Join(filepath.Dir(dir), "keep.txt")
	if err := os.WriteFile(outside, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A link to a file outside is removed, never followed (where links
	// can be made).
	_ = os.Symlink(outside, filepath.Join(dir, "a", "link"))
	left, err := RemoveAll(dir)
	if err != nil || left != nil {
		t.Fatalf("left %v, %v", left, err)
	}
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Fatalf("%s is still there: %v", dir, err)
	}
	if b, err := os.ReadFile(outside); err != nil || string(b) != "mine" { // #nosec G304 -- the test's own file
		t.Fatalf("a link's target was touched: %q %v", b, err)
	}
	if left, err := RemoveAll(dir); err != nil || left != nil {
		t.Fatalf("a folder that is gone: %v, %v", left, err)
	}
}

// What cannot be removed is listed, with the error (the OS's own way of
// holding a file is in remove_*_test.go).
func TestRemoveAllReportsWhatIsLeft(t *testing.T) {
	dir, key := tree(t)
	release := holdFile(t, key)
	left, err := RemoveAll(dir)
	if err == nil || !slices.Contains(left, key) || !slices.Contains(left, dir) {
		t.Fatalf("left %v, %v; want %s and %s with an error", left, err, key, dir)
	}
	if slices.Contains(left, filepath.Join(dir, "secret")) {
		t.Fatalf("what could go is listed as left: %v", left)
	}
	release()
	if left, err := RemoveAll(dir); err != nil || left != nil {
		t.Fatalf("once released: %v, %v", left, err)
	}
}
