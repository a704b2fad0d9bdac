package datafordeler

import (
	"context"
	"crypto/tls"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"
)

// Timing is one request's phases in milliseconds: DNS, connect, TLS, wait
// for the first byte, total. It is kept as evidence and drawn as a bar.
type Timing struct {
	Label     string `json:"label"`
	DNSMS     int64  `json:"dns_ms"`
	ConnectMS int64  `json:"connect_ms"`
	TLSMS     int64  `json:"tls_ms"`
	WaitMS    int64  `json:"wait_ms"`
	TotalMS   int64  `json:"total_ms"`
	// StartUnixMS is when the request started, so a waterfall can place
	// requests of one check one after the other.
	StartUnixMS int64 `json:"start_unix_ms"`
	// NewConn is true when the request opened a new connection (DNS,
	// TCP, TLS) instead of reusing one.
	NewConn bool `json:"new_conn,omitempty"`
}

// tracer records httptrace callbacks; they may come from other goroutines.
type tracer struct {
	mu    sync.Mutex
	label string
	now   func() time.Time
	start time.Time

	dnsStart, dnsDone, connStart, connDone, tlsStart, tlsDone, wrote, firstByte time.Time
	cur                                                                         string
	newConn                                                                     bool
	conns                                                                       *atomic.Int64 // the client's count of new connections
	onConn                                                                      func()        // hears that the request has its connection
}

// newTracer traces one request of the client, counting new connections.
func (c *Client) newTracer(label string) *tracer {
	t := newTracer(label, c.opts.Now)
	t.conns = c.conns
	return t
}

func newTracer(label string, now func() time.Time) *tracer {
	return &tracer{label: label, now: now, start: now(), cur: "connect"}
}

func (t *tracer) set(f *time.Time, phase string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	*f = t.now()
	if phase != "" {
		t.cur = phase
	}
}

func (t *tracer) attach(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		DNSStart:          func(httptrace.DNSStartInfo) { t.set(&t.dnsStart, "dns") },
		DNSDone:           func(httptrace.DNSDoneInfo) { t.set(&t.dnsDone, "connect") },
		ConnectStart:      func(string, string) { t.set(&t.connStart, "connect") },
		ConnectDone:       func(string, string, error) { t.set(&t.connDone, "") },
		TLSHandshakeStart: func() { t.set(&t.tlsStart, "tls") },
		TLSHandshakeDone:  func(tls.ConnectionState, error) { t.set(&t.tlsDone, "request") },
		GotConn: func(info httptrace.GotConnInfo) {
			t.mu.Lock()
			t.cur = "request"
			t.newConn = !info.Reused
			t.mu.Unlock()
			if !info.Reused && t.conns != nil {
				t.conns.Add(1)
			}
			if t.onConn != nil {
				t.onConn()
			}
		},
		WroteRequest:         func(httptrace.WroteRequestInfo) { t.set(&t.wrote, "wait") },
		GotFirstResponseByte: func() { t.set(&t.firstByte, "body") },
	})
}

// phase is where the request was when it ended (for timeouts).
func (t *tracer) phase() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cur
}

func ms(a, b time.Time) int64 {
	if a.IsZero() || b.IsZero() || b.Before(a) {
		return 0
	}
	return b.Sub(a).Milliseconds()
}

func (t *tracer) finish() Timing {
	t.mu.Lock()
	defer t.mu.Unlock()
	end := t.now()
	// A phase that never ended (a timeout) lasted until the end.
	upTo := func(a, b time.Time) int64 {
		if !a.IsZero() && b.IsZero() {
			return ms(a, end)
		}
		return ms(a, b)
	}
	return Timing{
		Label:     t.label,
		DNSMS:     upTo(t.dnsStart, t.dnsDone),
		ConnectMS: upTo(t.connStart, t.connDone),
		TLSMS:     upTo(t.tlsStart, t.tlsDone),
		WaitMS:    upTo(t.wrote, t.firstByte),
		TotalMS:   end.Sub(t.start).Milliseconds(),
		NewConn:   t.newConn,

		StartUnixMS: t.start.UnixMilli(),
	}
}
