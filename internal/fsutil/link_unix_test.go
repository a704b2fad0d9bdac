//go:build unix

package fsutil

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plant makes a shared folder (/tmp-like: everyone may write, sticky) with
// a file of the user's own and a link to it named as an output would be.
func plant(t *testing.T) (victim, link string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o1777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	victim = filepath.Join(t.TempDir(), "important.txt")
	if err := os.WriteFile(victim, []byte("the user's own"), 0o644); err != nil {
		t.Fatal(err)
	}
	link = filepath.Join(dir, "report.json")
	if err := os.Symlink(victim, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	return victim, link
}

func unchanged(t *testing.T, victim string) {
	t.Helper()
	b, _ := os.ReadFile(victim)
	fi, _ := os.Stat(victim)
	if string(b) != "the user's own" || fi.Mode().Perm() != 0o644 {
		t.Fatalf("the link's target was changed: %q %v", b, fi.Mode().Perm())
	}
}

// A link in a folder everyone may write to is refused: it may be planted.
func TestPlantedLinkInSharedFolderRefused(t *testing.T) {
	victim, link := plant(t)
	err := WriteFileAtomic(link, []byte("report"))
	if err == nil || !strings.Contains(err.Error(), "folder everyone may write to") {
		t.Fatalf("got %v", err)
	}
	unchanged(t, victim)
	if err := (Output{Path: link, Kind: "JSON report", Force: true}).Write([]byte("{}")); err == nil {
		t.Fatal("--force wrote through a planted link")
	}
	unchanged(t, victim)
}

// A link owned by another user is refused wherever it is.
func TestLinkOwnedByAnotherUserRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give a link to another user")
	}
	dir := t.TempDir()
	victim := filepath.Join(dir, "important.txt")
	if err := os.WriteFile(victim, []byte("the user's own"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "bundle.tar.gz")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(link, 4242, 4242); err != nil {
		t.Fatal(err)
	}
	err := WriteFileAtomic(link, []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "owned by another user (uid 4242)") {
		t.Fatalf("got %v", err)
	}
	unchanged(t, victim)
}

// A default name is created, never replaced, and never written through a
// link of that name.
func TestCreateExclusive(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "cprready-report.json")
	if err := CreateExclusive(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := CreateExclusive(p, []byte("two")); !errors.Is(err, os.ErrExist) {
		t.Fatalf("replaced an existing file: %v", err)
	}
	name, err := CreateUnique(filepath.Join(dir, "cprready-report"), ".json", []byte("two"))
	if err != nil || filepath.Base(name) != "cprready-report-2.json" {
		t.Fatalf("got %s %v", name, err)
	}
	if b, _ := os.ReadFile(p); string(b) != "one" {
		t.Fatalf("the first file holds %q", b)
	}
	victim, link := plant(t)
	if err := CreateExclusive(link, []byte("x")); !errors.Is(err, os.ErrExist) {
		t.Fatalf("wrote through a link: %v", err)
	}
	unchanged(t, victim)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Fatalf("temporary file left: %s", e.Name())
		}
	}
}

// A planted link to a folder, on the way to the file, is refused too: in
// a shared folder, or owned by another user.
func TestPlantedFolderLinkRefused(t *testing.T) {
	victimDir := t.TempDir()
	shared := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(shared, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o1777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(shared, "reports")
	if err := os.Symlink(victimDir, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	for _, write := range []func(string) error{
		func(p string) error { return WriteFileAtomic(p, []byte("x")) },
		func(p string) error { return CreateExclusive(p, []byte("x")) },
		func(p string) error { return (Output{Path: p, Kind: "JSON report", Force: true}).Write([]byte("x")) },
	} {
		if err := write(filepath.Join(link, "report.json")); err == nil || !strings.Contains(err.Error(), "a folder everyone may write to") {
			t.Fatalf("got %v", err)
		}
	}
	if entries, _ := os.ReadDir(victimDir); len(entries) != 0 {
		t.Fatalf("written through the folder link: %v", entries)
	}
	if os.Geteuid() != 0 {
		return
	}
	own := filepath.Join(t.TempDir(), "theirs")
	if err := os.Symlink(victimDir, own); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(own, 4242, 4242); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(filepath.Join(own, "report.json"), []byte("x")); err == nil || !strings.Contains(err.Error(), "owned by another user") {
		t.Fatalf("got %v", err)
	}
}
