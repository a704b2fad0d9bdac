//go:build unix

package schema

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO where the cached schema lives (or its entry) is refused at once:
// a check or a watcher never waits on it.
func TestCacheRefusesAFIFO(t *testing.T) {
	c := &Cache{Dir: t.TempDir(), Now: time.Now}
	dir := c.folder("https://graphql.example")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "public.graphql"), 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan error, 1)
	go func() { _, _, err := c.Load("https://graphql.example", "public"); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "FIFO") {
			t.Fatalf("got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Load waited on the FIFO")
	}
}
