// Package hostile is a kit of hostile HTTPS servers for tests: loopback
// only, each with its own CA (httptest), every answer bounded. They
// redirect in every way, echo the request back with a secret at any offset,
// answer slowly or never end, so that tests can prove the client and every
// output survive them without leaking a secret.
package hostile

import (
	"encoding/base32"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/cprready/cprready/internal/testdir"
)

// MaxRecorded bounds what a server keeps of each request body.
const MaxRecorded = 64 << 10

// Request is what a server saw.
type Request struct {
	Method, URL, Body string
	Header            http.Header
}

// Server is a hostile HTTPS server on 127.0.0.1.
type Server struct {
	*httptest.Server
	// CAFile is the PEM of the server's certificate, for endpoints.ca_file.
	CAFile string
	mu     sync.Mutex
	seen   []Request
}

// New starts h on loopback over TLS; it stops when the test ends.
func New(t testing.TB, h http.Handler) *Server {
	t.Helper()
	s := &Server{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(io.LimitReader(r.Body, MaxRecorded))
		s.mu.Lock()
		s.seen = append(s.seen, Request{Method: r.Method, URL: r.URL.String(), Body: string(b), Header: r.Header.Clone()})
		s.mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		h.ServeHTTP(w, r)
	}))
	s.Config.ErrorLog = nil
	s.StartTLS()
	t.Cleanup(s.Close)
	s.CAFile = filepath.Join(testdir.New(t), "hostile-ca.pem")
	cert := s.Certificate()
	if err := os.WriteFile(s.CAFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return s
}

// Requests is everything the server received.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.seen...)
}

// Saw reports whether any request (URL, headers or body) held v.
func (s *Server) Saw(v string) bool {
	for _, r := range s.Requests() {
		if strings.Contains(r.URL, v) || strings.Contains(r.Body, v) {
			return true
		}
		for _, vs := range r.Header {
			for _, x := range vs {
				if strings.Contains(x, v) {
					return true
				}
			}
		}
	}
	return false
}

// Redirect answers every request with status and Location.
func Redirect(status int, location string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", location)
		w.WriteHeader(status)
	})
}

// Loop redirects every request to itself (a redirect loop).
func Loop(status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", r.URL.Path+"?n="+fmt.Sprint(len(r.URL.RawQuery)))
		w.WriteHeader(status)
	})
}

// Shape is how an echo wraps what it echoes.
type Shape int

// The shapes an echo can take.
const (
	ProblemJSON Shape = iota // {"errorCode":"DAF-AUTH-0005","detail":"…"}
	Keycloak                 // {"error":"invalid_client","error_description":"…"}
	GraphQLErr               // {"errors":[{"message":"…"}]} with 200
	PlainText                // text/plain 400
	HTML                     // an HTML page with the echo HTML-escaped
	Header                   // WWW-Authenticate: Bearer error_description="…"
)

// Echo answers with the request (query and body) echoed after pad filler
// characters, in the given shape: a server that quotes the credentials it
// was sent, with the secret at any offset around any cap.
func Echo(shape Shape, pad int) http.Handler { return EchoEncoded(shape, pad, nil) }

// Encodings a hostile server echoes in: the request upper-cased, in hex,
// base32, every byte percent-encoded, every character \u-escaped.
var Encodings = map[string]func(string) string{
	"upper":  strings.ToUpper,
	"hex":    func(s string) string { return hex.EncodeToString([]byte(s)) },
	"HEX":    func(s string) string { return strings.ToUpper(hex.EncodeToString([]byte(s))) },
	"base32": func(s string) string { return base32.StdEncoding.EncodeToString([]byte(s)) },
	"percent": func(s string) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			fmt.Fprintf(&b, "%%%02X", s[i])
		}
		return b.String()
	},
	"u-escaped": func(s string) string {
		var b strings.Builder
		for _, r := range s {
			for _, c := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, `\u%04x`, c)
			}
		}
		return b.String()
	},
}

// EchoEncoded is Echo with the echo passed through enc (nil: as sent).
func EchoEncoded(shape Shape, pad int, enc func(string) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(io.LimitReader(r.Body, MaxRecorded))
		echo := strings.Repeat("x", pad) + r.URL.RawQuery + " " + string(b) + " " + r.Header.Get("Authorization")
		if enc != nil {
			echo = enc(echo)
		}
		switch shape {
		case ProblemJSON:
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"errorCode":"DAF-AUTH-0005","detail":%q}`, echo)
		case Keycloak:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":"invalid_client","error_description":%q}`, echo)
		case GraphQLErr:
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"errors":[{"message":%q}]}`, echo)
		case PlainText:
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, echo)
		case HTML:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, "<html><body><p>"+htmlEscape(echo)+"</p></body></html>")
		case Header:
			w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer error="invalid_token", error_description=%q`, echo))
			w.WriteHeader(http.StatusUnauthorized)
		}
	})
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// Slow waits d (or until the client gives up) before answering 200.
func Slow(d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(d):
			w.WriteHeader(http.StatusOK)
		case <-r.Context().Done():
		}
	})
}

// Endless answers 200 with a body that never ends (until the client
// leaves), in the given content type.
func Endless(contentType string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(http.StatusOK)
		chunk := []byte(strings.Repeat("A", 32<<10))
		if contentType == "text/event-stream" {
			chunk = []byte("data: {\"data\":{}}\n\n")
		}
		fl, _ := w.(http.Flusher)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			if fl != nil {
				fl.Flush()
			}
		}
	})
}

// Pieces lists every n-character piece of s (for canary scans).
func Pieces(s string, n int) []string {
	var out []string
	for i := 0; i+n <= len(s); i++ {
		out = append(out, s[i:i+n])
	}
	return out
}

// Leak returns the first n-character piece of secret found in text, or "".
func Leak(text, secret string, n int) string {
	for _, p := range Pieces(secret, n) {
		if strings.Contains(text, p) {
			return p
		}
	}
	return ""
}

// EchoInAnswers answers as a platform would, with what it was sent echoed
// where nothing is expected to quote it: the token answer's token_type
// and the Date header hold the client secret upper-cased and in hex, and
// the schema is SDL whose only type is named after the API key, in upper
// case. A run succeeds far enough for each to be kept as evidence.
func EchoInAnswers() http.Handler {
	var mu sync.Mutex
	seen := ""
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		if s := r.PostForm.Get("client_secret"); s != "" {
			seen = s
		}
		key := r.URL.Query().Get("apiKey")
		echo := strings.ToUpper(seen) + " " + hex.EncodeToString([]byte(seen))
		had := seen != ""
		mu.Unlock()
		if had {
			w.Header().Set("Date", echo)
		}
		switch {
		case strings.Contains(r.URL.Path, "token"):
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":"tok-0123456789abcdef","token_type":%q,"expires_in":300}`, echo)
		case strings.HasSuffix(r.URL.Path, "/schema"):
			fmt.Fprintf(w, "type Query { CPRCustom_PublicSectorPerson: %s }\n", strings.ToUpper(key))
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"data":{}}`)
		}
	})
}
