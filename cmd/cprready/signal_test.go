//go:build unix

package main

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/cprready/cprready/internal/cmdutil"
)

// Ctrl-C cancels everything in flight and exits 130; the demo's
// temporary folder is removed all the same.
func TestInterruptExits130(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	std, _, errb := testIO(nil)
	done := make(chan int, 1)
	go func() { done <- run([]string{"demo", "--no-tui", "--fault", "token-slow", "--timeout", "60s"}, std) }()
	time.Sleep(1500 * time.Millisecond)
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != cmdutil.ExitInterrupted {
			t.Fatalf("exit %d, want 130; stderr %s", code, errb.String())
		}
		if left, _ := filepath.Glob(filepath.Join(tmp, "cprready-demo-*")); len(left) > 0 {
			t.Fatalf("the demo left %v behind", left)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Ctrl-C did not end the run")
	}
}
