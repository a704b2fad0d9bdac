// Package emutest starts the emulator for a test: on a loopback port,
// with a fresh state folder (internal/testdir) unless the config names
// one, stopped when the test ends. The emulator's Close ends idle client
// connections at once (an idle HTTP/2 client would otherwise hold a
// graceful shutdown for a second), so no test has to close its clients
// first; Client registers one to be closed anyway, before the server.
package emutest

import (
	"testing"

	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/testdir"
)

// Start starts an emulator with cfg (Addr 127.0.0.1:0 and a new state
// folder by default) and stops it when the test ends.
func Start(t testing.TB, cfg emulator.Config) *emulator.Server {
	t.Helper()
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.StateDir == "" {
		cfg.StateDir = testdir.New(t)
	}
	srv, err := emulator.Start(cfg)
	if err != nil {
		t.Fatalf("start the emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// Client closes c's idle connections when the test ends, before the
// server stops (cleanups run last registered first).
func Client(t testing.TB, c interface{ Close() }) { t.Cleanup(c.Close) }
