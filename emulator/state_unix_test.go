//go:build unix

package emulator_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cprready/cprready/emulator"
)

// A state folder prepared by another user, or holding a file (a planted
// public.yaml link) of another user, is refused: nothing is written
// through it.
func TestStateFolderOfAnotherUserRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files to another user")
	}
	// A folder the emulator made, then another user's link in it.
	dir := filepath.Join(t.TempDir(), "emu")
	srv, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	_ = srv.Close()
	victim := filepath.Join(t.TempDir(), "victim.txt")
	if err := os.WriteFile(victim, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "public.yaml")
	_ = os.Remove(link)
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(link, 4242, 4242); err != nil {
		t.Fatal(err)
	}
	if _, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: dir}); !errors.Is(err, emulator.ErrStateDirInUse) {
		t.Fatalf("a planted link was accepted: %v", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "mine" {
		t.Fatalf("written through the link: %q", b)
	}
	// A folder another user owns.
	other := filepath.Join(t.TempDir(), "theirs")
	if err := os.Mkdir(other, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(other, 4242, 4242); err != nil {
		t.Fatal(err)
	}
	if _, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: other}); !errors.Is(err, emulator.ErrStateDirInUse) {
		t.Fatalf("another user's folder was accepted: %v", err)
	}
}
