package datafordeler_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/cprready/cprready/checks/diagnose"
	"github.com/cprready/cprready/datafordeler"
)

// A loopback port where nothing listens is diagnosed as a refused
// connection, on Windows (Winsock's WSAECONNREFUSED) as on Linux, and is
// not retried. CI runs this test under wine.
func TestRefusedLoopbackIsDiagnosed(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	c, err := datafordeler.New(datafordeler.Options{RequestTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Probe(ctx(t), "https://"+addr)
	ce := mustCause(t, err, datafordeler.CauseRefused)
	if ce.Phase != "connect" || ce.Meta.Attempts > 1 {
		t.Fatalf("phase %q, %d attempts: %+v", ce.Phase, ce.Meta.Attempts, ce)
	}
	dg := diagnose.Diagnose(ce, diagnose.Context{Check: "net.reach"})
	if !strings.HasPrefix(dg.Message, "The connection was refused") || !strings.Contains(dg.Remedy, "443") {
		t.Fatalf("diagnosis: %+v", dg)
	}
}
