//go:build !unix

package fsutil

import "os"

// linkAllowed: Windows has no sticky shared folders, and creating a
// symbolic link needs a privilege ordinary users lack; the link's target
// is written as on Unix.
func linkAllowed(string, os.FileInfo) error { return nil }

// OwnedByOther reports nothing on Windows: file ownership is not compared
// there (the ACL that cprready sets admits the current user only).
func OwnedByOther(os.FileInfo) (string, bool) { return "", false }
