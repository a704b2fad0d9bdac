// Package fsutil writes files the way a tool that handles secrets must:
// atomically (temporary file, then rename) and readable by the owner only.
package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// PrivateMode is the mode of every file cprready writes.
const PrivateMode os.FileMode = 0o600

// WriteFileAtomic writes data to path via a temporary file in the same
// folder (created exclusively) and a rename, so a crash never leaves half
// a file, readable by the owner only. A symbolic link of the user's own,
// in a folder of the user's own, stays a link and its target is replaced;
// a link owned by another user, or in a folder everyone may write to
// (/tmp), is refused: someone else may have planted it to turn the write
// onto another of the user's files. The rename never follows a link.
func WriteFileAtomic(path string, data []byte) error {
	path, err := writeTarget(path)
	if err != nil {
		return err
	}
	tmp, err := createTemp(path)
	if err != nil {
		return err
	}
	if err := fill(tmp, path, data); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	return nil
}

// CreateExclusive writes data to path, which must not exist: never a
// replacement, never through a link (a default file name can collide with
// nothing, planted or not). The file appears whole or not at all where
// the OS can link files; elsewhere it is created exclusively and written.
func CreateExclusive(path string, data []byte) error {
	if err := CheckFolderLinks(filepath.Dir(path)); err != nil {
		return err
	}
	tmp, err := createTemp(path)
	if err != nil {
		return err
	}
	if err := fill(tmp, path, data); err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	lerr := os.Link(tmp.Name(), path)
	if lerr == nil {
		return nil
	}
	if errors.Is(lerr, fs.ErrExist) {
		return fmt.Errorf("cannot write %s: %w", path, fs.ErrExist)
	}
	// No hard links here (some file systems): exclusive create and write.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, PrivateMode) // #nosec G304 -- the user names the output
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	if err := fill(f, path, data); err != nil {
		_ = os.Remove(path)
		return err
	}
	return nil
}

// CreateUnique writes data to the first of name, name-2, name-3 … (before
// ext) that does not exist yet, exclusively, and returns the name used.
func CreateUnique(base, ext string, data []byte) (string, error) {
	for i := 1; i <= 100; i++ {
		path := base + ext
		if i > 1 {
			path = fmt.Sprintf("%s-%d%s", base, i, ext)
		}
		err := CreateExclusive(path, data)
		if !errors.Is(err, fs.ErrExist) {
			return path, err
		}
	}
	return "", fmt.Errorf("cannot write %s%s: 100 files of that name exist already", base, ext)
}

// createTemp makes the temporary file beside path (exclusive create).
func createTemp(path string) (*os.File, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	return tmp, nil
}

// fill makes f private, writes data, syncs and closes it; on failure f is
// removed.
func fill(tmp *os.File, path string, data []byte) (err error) {
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
			err = fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
		}
	}()
	if err := tmp.Chmod(PrivateMode); err != nil {
		return err
	}
	if err := RestrictToOwner(tmp); err != nil { // on Windows: an owner-only ACL (perm_windows.go)
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	return tmp.Close()
}

// writeTarget is where a write to path lands: path, or the target of the
// user's own symbolic link (each link on the way checked, in the folders
// above it too).
func writeTarget(path string) (string, error) {
	if err := CheckFolderLinks(filepath.Dir(path)); err != nil {
		return "", err
	}
	for range 40 {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			return path, nil
		}
		if err := linkAllowed(path, fi); err != nil {
			return "", err
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return "", fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		if err := CheckFolderLinks(filepath.Dir(dest)); err != nil {
			return "", err
		}
		path = dest
	}
	return "", fmt.Errorf("cannot write %s: too many symbolic links", path)
}

// CheckFolderLinks checks every folder on the way to dir: a symbolic link
// among them that another user owns, or that lies in a folder everyone
// may write to, is refused as a link to the file itself would be (a
// planted /tmp/shared → /home/you/important turns a write into
// /tmp/shared/report.json onto your folder).
func CheckFolderLinks(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil
	}
	vol := filepath.VolumeName(abs)
	cur := vol + string(filepath.Separator)
	for part := range strings.SplitSeq(strings.TrimPrefix(abs[len(vol):], string(filepath.Separator)), string(filepath.Separator)) {
		if part == "" {
			continue
		}
		cur = filepath.Join(cur, part)
		fi, err := os.Lstat(cur)
		if err != nil {
			return nil // not there yet: MkdirAll makes real folders
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			if err := linkAllowed(cur, fi); err != nil {
				return err
			}
		}
	}
	return nil
}
