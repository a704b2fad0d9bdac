//go:build unix

package profile

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// zeroDevice is a device that never ends.
const zeroDevice = "/dev/zero"

// A FIFO with no writer, as the profile or as a file: secret, fails at
// once instead of blocking (FIFOs are Unix's; Windows has none in the
// file system).
func TestNoHangOnFIFOs(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := Load(fifo); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "FIFO") {
			t.Fatalf("want a FIFO error, got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Load blocked on a FIFO")
	}
	s := NewSecret("file:" + fifo)
	go func() { done <- s.Resolve(context.Background(), Resolver{BaseDir: dir}) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "FIFO") {
			t.Fatalf("file:%s: want a FIFO error, got %v", fifo, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a file: secret blocked on a FIFO")
	}
}
