//go:build !windows

package fsutil

import (
	"fmt"
	"os"
	"strings"
	"unicode"
)

// PrivateNote says, for messages and help, how the files cprready writes
// are protected.
const PrivateNote = "mode 0600"

// RestrictToOwner makes f readable and writable by its owner only.
func RestrictToOwner(f *os.File) error {
	return f.Chmod(PrivateMode)
}

// CheckPrivate reads the file's mode: readable by its group or by others
// is not private.
func CheckPrivate(path string) (Privacy, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return Privacy{}, err
	}
	perm := fi.Mode().Perm()
	if perm&0o077 == 0 {
		return Privacy{Private: true}, nil
	}
	return Privacy{
		Readers:  fmt.Sprintf("other users (mode %04o)", perm),
		Fix:      "Run: chmod 600 " + shellQuote(path),
		Evidence: map[string]any{"mode": fmt.Sprintf("%04o", perm)},
	}, nil
}

// shellQuote quotes a path for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return r != '/' && r != '.' && r != '-' && r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
