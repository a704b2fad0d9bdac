//go:build unix

package fsutil

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// linkAllowed refuses to write through a symbolic link that another user
// owns, or that lies in a folder everyone may write to with the sticky bit
// (/tmp, a shared drop folder): there anyone can plant a link that turns
// the write onto another of the user's files. A link root owns outside
// such a folder is the system's (macOS's /tmp → /private/tmp) and is
// followed.
func linkAllowed(path string, fi os.FileInfo) error {
	if shared, dir := sharedFolder(path); shared {
		return fmt.Errorf("%s is a symbolic link in %s, a folder everyone may write to: refusing to write through it (anyone could have put it there); name a file in a folder of your own", path, dir)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != 0 && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("%s is a symbolic link owned by another user (uid %d): refusing to write through it; remove it, or name another file", path, st.Uid)
	}
	return nil
}

// sharedFolder reports whether path's folder is world-writable and
// sticky.
func sharedFolder(path string) (bool, string) {
	dir := filepath.Dir(path)
	d, err := os.Stat(dir)
	return err == nil && d.Mode()&os.ModeSticky != 0 && d.Mode().Perm()&0o002 != 0, dir
}

// OwnedByOther reports a file owned by another user than the one running
// cprready, and that user's id.
func OwnedByOther(fi os.FileInfo) (string, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) == os.Geteuid() {
		return "", false
	}
	return fmt.Sprintf("uid %d", st.Uid), true
}
