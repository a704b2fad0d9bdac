//go:build unix

package main

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/emutest"
	"github.com/cprready/cprready/internal/redact"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// watch serves while it runs and stops cleanly on SIGTERM (exit 0),
// its JSON log naming the verdict of each profile and then "stopped".
func TestWatchStopsOnSIGTERM(t *testing.T) {
	srv := emutest.Start(t, emulator.Config{})
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	var out, errb lockedBuffer
	std := &stdio{in: strings.NewReader(""), out: &out, err: &errb, getenv: func(string) string { return "" }, gate: redact.New()}
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"watch", "--profile", srv.PublicProfile(), "--listen", "127.0.0.1:0", "--interval", "1s", "--log-format", "json"}, std)
	}()
	addr := regexp.MustCompile(`status page (http://[0-9.:]+)/`)
	deadline := time.Now().Add(30 * time.Second)
	var base string
	for base == "" || !strings.Contains(errb.String(), `"verdict":"READY"`) {
		if time.Now().After(deadline) {
			t.Fatalf("watch did not come up:\n%s", errb.String())
		}
		if m := addr.FindStringSubmatch(errb.String()); m != nil {
			base = m[1]
		}
		time.Sleep(50 * time.Millisecond)
	}
	resp, err := http.Get(base + "/metrics") // #nosec G107 -- loopback
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after SIGTERM, want 0:\n%s", code, errb.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("SIGTERM did not stop watch")
	}
	if !strings.Contains(errb.String(), `"msg":"stopped"`) {
		t.Fatalf("no stop line:\n%s", errb.String())
	}
}
