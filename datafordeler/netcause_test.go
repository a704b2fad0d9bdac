package datafordeler

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/url"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/cprready/cprready/internal/redact"
)

// dialErr is a failed dial as net returns it: OpError → SyscallError → errno.
func dialErr(call string, errno syscall.Errno) error {
	return &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 443}, Err: &os.SyscallError{Syscall: call, Err: errno}}
}

// readErr is a failed read or write on an open connection.
func readErr(op, call string, errno syscall.Errno) error {
	return &net.OpError{Op: op, Net: "tcp", Err: &os.SyscallError{Syscall: call, Err: errno}}
}

// viaHTTP wraps err as an http.Client returns it.
func viaHTTP(err error) error {
	return &url.Error{Op: "Get", URL: "https://api.datafordeler.dk/x?apiKey=SECRET-KEY-1234", Err: err}
}

// netCase is one transport failure and what it means.
type netCase struct {
	name      string
	err       error
	cause     Cause
	phase     string // "" = whatever the caller said
	retryable bool
}

// Network failures as Windows and Linux report them (Winsock's numbers,
// errno values): the same meaning gives the same cause, phase and retry
// on every OS, whichever OS runs the test.
func netCases() []netCase {
	// ERROR_NETNAME_DELETED (64) is a reset from a Winsock call, and on
	// Windows from any call; on Linux errno 64 is ENONET, not a reset.
	plain64 := CauseNetwork
	if runtime.GOOS == "windows" {
		plain64 = CauseReset
	}
	certErr := &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}
	return []netCase{
		{"linux refused", dialErr("connect", syscall.ECONNREFUSED), CauseRefused, "connect", false},
		{"windows refused (WSAECONNREFUSED)", dialErr("connectex", syscall.Errno(10061)), CauseRefused, "connect", false},
		{"windows refused (ERROR_CONNECTION_REFUSED)", dialErr("connectex", syscall.Errno(1225)), CauseRefused, "connect", false},
		{"windows refused via http", viaHTTP(dialErr("connectex", syscall.Errno(10061))), CauseRefused, "connect", false},
		{"linux reset", readErr("read", "read", syscall.ECONNRESET), CauseReset, "", true},
		{"linux broken pipe", readErr("write", "write", syscall.EPIPE), CauseReset, "", true},
		{"windows reset (WSAECONNRESET)", readErr("read", "wsarecv", syscall.Errno(10054)), CauseReset, "", true},
		{"windows reset via http", viaHTTP(readErr("read", "wsarecv", syscall.Errno(10054))), CauseReset, "", true},
		{"windows aborted (WSAECONNABORTED)", readErr("write", "wsasend", syscall.Errno(10053)), CauseReset, "", true},
		{"windows network reset (WSAENETRESET)", readErr("read", "wsarecv", syscall.Errno(10052)), CauseReset, "", true},
		{"windows aborted (ERROR_CONNECTION_ABORTED)", readErr("read", "wsarecv", syscall.Errno(1236)), CauseReset, "", true},
		{"windows netname deleted from wsarecv", readErr("read", "wsarecv", syscall.Errno(64)), CauseReset, "", true},
		{"errno 64 from read", readErr("read", "read", syscall.Errno(64)), plain64, "", plain64 == CauseReset},
		{"server closed mid-answer", viaHTTP(io.ErrUnexpectedEOF), CauseReset, "", true},
		{"linux timed out", dialErr("connect", syscall.ETIMEDOUT), CauseTimeout, "", false},
		{"windows timed out (WSAETIMEDOUT)", dialErr("connectex", syscall.Errno(10060)), CauseTimeout, "", false},
		{"windows timed out (ERROR_SEM_TIMEOUT)", dialErr("connectex", syscall.Errno(121)), CauseTimeout, "", false},
		{"deadline", viaHTTP(context.DeadlineExceeded), CauseTimeout, "", false},
		{"linux host unreachable", dialErr("connect", syscall.EHOSTUNREACH), CauseUnreachable, "connect", false},
		{"linux network unreachable", dialErr("connect", syscall.ENETUNREACH), CauseUnreachable, "connect", false},
		{"windows host unreachable (WSAEHOSTUNREACH)", dialErr("connectex", syscall.Errno(10065)), CauseUnreachable, "connect", false},
		{"windows network unreachable (WSAENETUNREACH)", dialErr("connectex", syscall.Errno(10051)), CauseUnreachable, "connect", false},
		{"windows network down (WSAENETDOWN)", dialErr("connectex", syscall.Errno(10050)), CauseUnreachable, "connect", false},
		{"windows host down (WSAEHOSTDOWN)", dialErr("connectex", syscall.Errno(10064)), CauseUnreachable, "connect", false},
		{"windows host unreachable (ERROR_HOST_UNREACHABLE)", dialErr("connectex", syscall.Errno(1232)), CauseUnreachable, "connect", false},
		{"windows network unreachable (ERROR_NETWORK_UNREACHABLE)", dialErr("connectex", syscall.Errno(1231)), CauseUnreachable, "connect", false},
		{"dns", viaHTTP(&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "api.datafordeler.dk", IsNotFound: true}}), CauseDNS, "dns", false},
		{"windows dns (WSAHOST_NOT_FOUND)", viaHTTP(&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "getaddrinfow: No such host is known.", Name: "api.datafordeler.dk", UnwrapErr: syscall.Errno(11001)}}), CauseDNS, "dns", false},
		{"tls unknown authority", viaHTTP(certErr), CauseTLSUnknownAuthority, "tls", false},
		{"proxy refused", viaHTTP(&net.OpError{Op: "proxyconnect", Net: "tcp", Err: dialErr("connect", syscall.ECONNREFUSED)}), CauseProxy, "connect", false},
		{"windows proxy refused", viaHTTP(&net.OpError{Op: "proxyconnect", Net: "tcp", Err: dialErr("connectex", syscall.Errno(10061))}), CauseProxy, "connect", false},
		{"proxy answered 407", viaHTTP(&ProxyError{Status: 407, Proxy: "http://proxy:3128"}), CauseProxy, "connect", false},
		{"cancelled", viaHTTP(context.Canceled), CauseCancelled, "", false},
		{"unknown errno", dialErr("connect", syscall.Errno(4242)), CauseNetwork, "", false},
	}
}

func TestClassifyTransportByMeaning(t *testing.T) {
	r := redact.New()
	for _, c := range netCases() {
		e := classifyTransport(c.err, "", Meta{}, r)
		if e.Cause != c.cause {
			t.Errorf("%s: cause %s, want %s (%v)", c.name, e.Cause, c.cause, c.err)
		}
		if c.phase != "" && e.Phase != c.phase {
			t.Errorf("%s: phase %q, want %q", c.name, e.Phase, c.phase)
		}
		if _, ok := retryable(e); ok != c.retryable {
			t.Errorf("%s: retryable %v, want %v", c.name, ok, c.retryable)
		}
		if e.Detail == "" {
			t.Errorf("%s: no detail kept", c.name)
		}
	}
}

// The URL in an error's text (with its apiKey) never reaches the detail.
func TestClassifyTransportDetailHasNoURL(t *testing.T) {
	e := classifyTransport(viaHTTP(dialErr("connectex", syscall.Errno(10061))), "", Meta{}, redact.New())
	if want := "dial tcp 127.0.0.1:443: connectex: " + syscall.Errno(10061).Error(); e.Detail != want {
		t.Fatalf("detail %q, want %q", e.Detail, want)
	}
}

// A reset is retried the same number of times whether Windows or Linux
// reported it; a refusal is not retried, on either.
func TestRetriesAreTheSameOnEveryOS(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 3, MaxWait: time.Second, MaxTotal: 2 * time.Second}
	for _, c := range []struct {
		shapes   []error
		attempts int
	}{
		{[]error{readErr("read", "read", syscall.ECONNRESET), readErr("read", "wsarecv", syscall.Errno(10054)), readErr("write", "wsasend", syscall.Errno(10053))}, 3},
		{[]error{dialErr("connect", syscall.ECONNREFUSED), dialErr("connectex", syscall.Errno(10061))}, 1},
	} {
		for _, err := range c.shapes {
			calls := 0
			_, n, e := withRetry(context.Background(), p, func() (int, *Error) {
				calls++
				return 0, classifyTransport(err, "", Meta{}, redact.New())
			})
			if e == nil || n != c.attempts || calls != c.attempts || e.Meta.Attempts != c.attempts {
				t.Errorf("%v: %d attempts (%d calls, error %v), want %d", err, n, calls, e, c.attempts)
			}
		}
	}
}
