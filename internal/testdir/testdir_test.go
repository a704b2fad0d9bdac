package testdir

import (
	"os"
	"path/filepath"
	"testing"
)

// The folder is new and empty, named after the test, and gone once the
// test (here a subtest) has ended, with what it held.
func TestNew(t *testing.T) {
	var dir string
	t.Run("sub/test", func(t *testing.T) {
		dir = New(t)
		if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
			t.Fatalf("%s: %v %v", dir, entries, err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "a", "b"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "a", "b", "ca.key"), []byte("k"), 0o600); err != nil {
			t.Fatal(err)
		}
	})
	if base := filepath.Base(dir); len(base) < len("TestNew_sub_test-") || base[:len("TestNew_sub_test-")] != "TestNew_sub_test-" {
		t.Errorf("folder %s is not named after the test", dir)
	}
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Fatalf("%s is still there: %v", dir, err)
	}
}
