// Package fsutil writes files the way a tool that handles secrets must:
// atomically (temporary file, then rename) and readable by the owner only.
package fsutil

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// PrivateMode is the mode of every file cprready writes.
const PrivateMode os.FileMode = 0o600

// WriteFileAtomic writes data to path via a temporary file in the same
// folder and a rename, so a crash never leaves half a file, with mode 0600.
func WriteFileAtomic(path string, data []byte) error {
	// A symbolic link stays a link: its target is what gets replaced.
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		if target, err := filepath.EvalSymlinks(path); err == nil {
			path = target
		}
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			_ = tmp.Close()
			_ = os.Remove(name)
		}
	}()
	if err := tmp.Chmod(PrivateMode); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := RestrictToOwner(tmp); err != nil { // on Windows: an owner-only ACL (perm_windows.go)
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	ok = true
	return nil
}
