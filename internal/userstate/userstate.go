// Package userstate keeps what cprready remembers for a user between runs:
// the profiles opened lately (the home screen's list) and the latest check
// results of each profile (redacted JSON, for `cprready report`). Nothing
// here is needed: every failure to remember is ignored.
package userstate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/fsutil"
)

// MaxRecent is how many profiles the home screen remembers.
const MaxRecent = 8

// recentFile remembers the profiles opened or written here.
func recentFile() string {
	d, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "cprready", "recent.json")
}

// MaxRecentFile bounds recent.json (MaxRecent paths).
const MaxRecentFile = 256 << 10

// Recent lists the profiles opened lately that still exist, newest first.
func Recent() []string {
	b, err := fsutil.ReadRegular(recentFile(), MaxRecentFile) // bounded, never a FIFO's wait
	if err != nil {
		return nil
	}
	var list []string
	_ = json.Unmarshal(b, &list)
	var out []string
	for _, p := range list {
		if _, err := os.Stat(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// Remember puts a profile first in the recent list.
func Remember(path string) {
	f := recentFile()
	if f == "" {
		return
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return
	}
	list := []string{abs}
	for _, p := range Recent() {
		if p != abs && len(list) < MaxRecent {
			list = append(list, p)
		}
	}
	if err := os.MkdirAll(filepath.Dir(f), 0o700); err != nil {
		return
	}
	b, _ := json.Marshal(list)
	_ = fsutil.WriteFileAtomic(f, b)
}

// lastReportPath is where the latest check results of a profile are kept
// (redacted, owner-only: mode 0600, an ACL on Windows).
func lastReportPath(profilePath string) string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	abs, err := filepath.Abs(profilePath)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(d, "cprready", "last", hex.EncodeToString(sum[:8])+".json")
}

// SaveLastReport keeps js, a report's JSON already rendered and redacted,
// as the latest results of the profile at profilePath.
func SaveLastReport(profilePath string, js []byte) {
	path := lastReportPath(profilePath)
	if path == "" || os.MkdirAll(filepath.Dir(path), 0o700) != nil {
		return
	}
	_ = fsutil.WriteFileAtomic(path, js)
}

// LoadLastReport reads the latest results of a profile, and when they
// were saved.
func LoadLastReport(profilePath string) (*checks.Report, time.Time, error) {
	path := lastReportPath(profilePath)
	fi, err := os.Stat(path)
	if err != nil {
		return nil, time.Time{}, err
	}
	b, err := fsutil.ReadRegular(path, 64<<20)
	if err != nil {
		return nil, time.Time{}, err
	}
	var rep checks.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, time.Time{}, err
	}
	return &rep, fi.ModTime(), nil
}
