// Package httpguard keeps cprready's own HTTP servers (the watcher's page
// and metrics, the emulator's control endpoint) to the clients they are
// for: a Host allow-list against DNS rebinding (a web page that rebinds
// its name to 127.0.0.1 still sends its name as Host), and a cap on
// concurrent connections.
package httpguard

import (
	"fmt"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/net/netutil"
)

// LoopbackHost reports a Host header (with or without a port) that names
// this machine by a loopback name or address.
func LoopbackHost(hostport string) bool {
	host := HostOnly(hostport)
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// HostOnly is a Host header without its port and brackets, lower case.
func HostOnly(hostport string) string {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	return strings.ToLower(strings.Trim(host, "[]"))
}

// Hosts is an allow-list of Host names: loopback names always, the
// address the server listens on, and the names given (--allow-host).
type Hosts struct {
	names map[string]bool
}

// NewHosts allows loopback names, listen's host (unless it is the
// unspecified address 0.0.0.0 or ::, which names no host) and extra.
func NewHosts(listen string, extra ...string) Hosts {
	h := Hosts{names: map[string]bool{}}
	if host := HostOnly(listen); host != "" {
		if ip := net.ParseIP(host); ip == nil || !ip.IsUnspecified() {
			h.names[host] = true
		}
	}
	for _, e := range extra {
		if e = HostOnly(strings.TrimSpace(e)); e != "" {
			h.names[e] = true
		}
	}
	return h
}

// Allows reports whether a request's Host may be served.
func (h Hosts) Allows(hostport string) bool {
	return LoopbackHost(hostport) || h.names[HostOnly(hostport)]
}

// Handler serves next only to requests whose Host is allowed; others get
// 421 Misdirected Request, which names what to do.
func (h Hosts) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !h.Allows(r.Host) {
			http.Error(w, "421 misdirected request: this server answers its own names only (add this one with --allow-host)", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Limit caps ln at n connections open at once: more wait to be accepted
// (descriptors stay for what the process itself needs).
func Limit(ln net.Listener, n int) net.Listener { return netutil.LimitListener(ln, n) }

// Names are the names allowed besides loopback ones.
func (h Hosts) Names() []string {
	var out []string
	for n := range h.names {
		out = append(out, n)
	}
	return out
}

// Exposure says, when a server listens beyond loopback, that others on the
// network can reach it and which Host names it answers: "" on loopback.
func (h Hosts) Exposure(listen string) string {
	if LoopbackHost(listen) {
		return ""
	}
	names := append([]string{"loopback names"}, slices.Sorted(maps.Keys(h.names))...)
	return fmt.Sprintf("listening on %s, beyond loopback: it answers requests for %s only (421 otherwise); give the name or address Prometheus or a proxy uses with --allow-host", listen, strings.Join(names, ", "))
}
