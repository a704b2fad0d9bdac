// Package emulator is Datafordeleren's twin: token hosts shaped like
// Keycloak's, the CPR schemas and custom services, events (query and SSE
// subscription), file downloads, an echo of the caller's pretended public
// address, and every fault of the contract, over HTTPS with its own CA.
// `cprready emulator`, `cprready demo` and the tests all use it.
package emulator

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/platform"
)

// Config starts an emulator.
type Config struct {
	Addr     string        // listen address, e.g. 127.0.0.1:8443 (":0" picks a port)
	StateDir string        // created if missing: ca.pem, public.yaml, private.yaml, secrets
	Latency  time.Duration // added to every response, server-side
	Faults   []string      // fault names (NAME or NAME,NAME)
	EgressIP string        // the caller's pretended public address (default 80.62.117.23)
	Log      io.Writer     // one line per request; nil for none
	Now      func() time.Time
	// EqFold makes string eq filters compare case-insensitively. The
	// platform compares exactly on DAR and CVR; for CPR it is not known
	// (platform.ConvEqExact), so exact is the default; the seed's example
	// filters "Aktuel" where the data writes "aktuel".
	EqFold bool
}

// Server is a running emulator.
type Server struct {
	cfg     Config
	faultMu sync.RWMutex
	faults  map[string]bool
	st      *state
	ln      net.Listener
	srv     *http.Server
	base    string
	// whitelisted is the address the IT-systems whitelist; the caller is
	// pretended to be it unless ip-not-whitelisted is on.
	whitelisted netip.Addr
	clients     map[string]*client // by client ID
	apiKeys     map[string]*itSystem
	mu          sync.Mutex
	tokens      map[string]tokenInfo
	logMu       sync.Mutex
	// listen is the address it listens on, as the OS reports it.
	listen string
	// logGate masks the emulator's own credentials in its request log (a
	// client that puts its key in the path).
	logGate  *redact.Redactor
	shutdown chan struct{}
	conns    idleConns
	keyCalls atomic.Uint64 // API-key calls under apikey-propagating
}

type itSystem struct {
	name      string
	kind      string // public or private
	whitelist []netip.Prefix
	entities  []string
}

type client struct {
	id          string
	sys         *itSystem
	secret      string // shared-secret clients
	fingerprint string // certificate clients
}

type tokenInfo struct {
	client  *client
	expires time.Time
}

// TokenLifetime is expires_in of the emulator's tokens.
const TokenLifetime = 300 * time.Second

// Start creates the state, writes the profiles and serves. It returns
// once the listener is up.
func Start(cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8443"
	}
	if cfg.EgressIP == "" {
		cfg.EgressIP = DefaultEgressIP
	}
	whitelisted, err := netip.ParseAddr(cfg.EgressIP)
	if err != nil || !whitelisted.Is4() {
		return nil, fmt.Errorf("--egress-ip %q is not an IPv4 address", cfg.EgressIP)
	}
	faults, err := ParseFaults(cfg.Faults)
	if err != nil {
		return nil, err
	}
	if cfg.StateDir == "" {
		return nil, errors.New("the emulator needs a state folder (--state DIR)")
	}
	now := cfg.Now()
	st, err := loadState(cfg.StateDir, now)
	if err != nil {
		return nil, err
	}
	c := st.creds
	s := &Server{cfg: cfg, faults: faults, st: st, whitelisted: whitelisted, tokens: map[string]tokenInfo{}, shutdown: make(chan struct{}),
		logGate: redact.New(c.Public.APIKey, c.Public.GraphQLSecret, c.Public.P12Password, c.Public.FilesSecret, c.Private.APIKey, c.Private.Secret)}
	s.register(whitelisted)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: cannot listen on %s: %w", cfg.Addr, err)
	}
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	s.listen = ln.Addr().String()
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	pair, err := st.serverCert(host, now)
	if err != nil {
		ln.Close()
		return nil, err
	}
	cert, err := tls.X509KeyPair(pair.certPEM, pair.keyPEM)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s.base = "https://" + net.JoinHostPort(host, port)
	if err := st.writeProfiles(s.base, whitelisted.String(), now, faults[FaultAPIKeyNew] || faults[FaultAPIKeyPropagating]); err != nil {
		ln.Close()
		return nil, err
	}
	tcfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		// HTTP/2 by ALPN, as a modern front door offers it: concurrent
		// requests share one connection.
		NextProtos: []string{"h2", "http/1.1"},
		// The certificate token host asks for a client certificate; the
		// other paths never need one.
		ClientAuth: tls.RequestClientCert,
		// VerifyConnection also runs on resumed sessions.
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) > 0 && s.fault(FaultMTLSUnknownCert) {
				return errors.New("client certificate not accepted")
			}
			return nil
		},
	}
	s.ln = tls.NewListener(ln, tcfg)
	s.srv = &http.Server{
		Handler:           s.middleware(s.routes()),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          nil,
	}
	s.srv.ErrorLog = quietLog()
	s.srv.ConnState = s.conns.track
	go func() { _ = s.srv.Serve(s.ln) }()
	return s, nil
}

// URL is the emulator's base URL.
func (s *Server) URL() string { return s.base }

// StateDir is where the CA, profiles and secrets are.
func (s *Server) StateDir() string { return s.st.dir }

// PublicProfile is the path of the public authority's profile.
func (s *Server) PublicProfile() string { return filepath.Join(s.st.dir, "public.yaml") }

// PrivateProfile is the path of the private user's profile.
func (s *Server) PrivateProfile() string { return filepath.Join(s.st.dir, "private.yaml") }

// CAFile is the emulator's CA certificate.
func (s *Server) CAFile() string { return filepath.Join(s.st.dir, "ca.pem") }

// Credentials are the accepted credentials (for tests).
func (s *Server) Credentials() Credentials { return s.st.creds }

// Close stops the server; requests in flight (and token-slow ones) end.
func (s *Server) Close() error {
	select {
	case <-s.shutdown:
	default:
		close(s.shutdown)
	}
	s.conns.closeIdle()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return s.srv.Close()
	}
	return err
}

// register builds Administration's view of the profiles' IT-systems.
func (s *Server) register(whitelisted netip.Addr) {
	c := s.st.creds
	one := netip.PrefixFrom(whitelisted, 32)
	net24 := netip.PrefixFrom(whitelisted, 24).Masked()
	gqlSys := &itSystem{name: "Borgerservice GraphQL", kind: "public", whitelist: []netip.Prefix{one}, entities: []string{"CustomPublicSectorPerson"}}
	fileSys := &itSystem{name: "Borgerservice Fildownload", kind: "public", whitelist: []netip.Prefix{net24}, entities: []string{"Person", "CprAdresse", "Beskyttelse", "Forældremyndighed"}}
	privSys := &itSystem{name: "Kundeopslag", kind: "private", whitelist: []netip.Prefix{one}, entities: []string{"CustomPrivateSectorPerson"}}
	s.clients = map[string]*client{
		c.Public.GraphQLClientID: {id: c.Public.GraphQLClientID, sys: gqlSys, secret: c.Public.GraphQLSecret},
		c.Public.CertClientID:    {id: c.Public.CertClientID, sys: gqlSys, fingerprint: c.Public.CertFingerprint},
		c.Public.FilesClientID:   {id: c.Public.FilesClientID, sys: fileSys, secret: c.Public.FilesSecret},
		c.Private.ClientID:       {id: c.Private.ClientID, sys: privSys, secret: c.Private.Secret},
	}
	s.apiKeys = map[string]*itSystem{c.Public.APIKey: gqlSys, c.Private.APIKey: privSys}
}

// statusRecorder keeps the status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// middleware adds latency and the Date header, and logs each request:
// method, path (never the query, which holds API keys), status, latency.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if s.cfg.Latency > 0 {
			t := time.NewTimer(s.cfg.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		now := s.cfg.Now()
		if s.fault(FaultClockSkew) {
			now = now.Add(5 * time.Minute)
		}
		w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if s.cfg.Log != nil {
			s.logMu.Lock()
			// The path as sent (escaped: no decoded control or escape
			// reaches the terminal), the emulator's credentials masked.
			path := textsafe.Line(s.logGate.Server(r.URL.EscapedPath()))
			fmt.Fprintf(s.cfg.Log, "%s %-4s %-70s %3d %6dms\n", time.Now().Format("15:04:05.000"), textsafe.Line(r.Method), path, rec.status, time.Since(start).Milliseconds())
			s.logMu.Unlock()
		}
	})
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/realms/distribution/protocol/openid-connect/token", s.tokenShared)
	mux.HandleFunc("POST /auth-oces/realms/distribution/protocol/openid-connect/token", s.tokenMTLS)
	mux.HandleFunc("GET /CPR/custom/PublicSector/{version}/schema", s.schema(platform.Public))
	mux.HandleFunc("GET /CPR/custom/PrivateSector/{version}/schema", s.schema(platform.Private))
	mux.HandleFunc("GET /CPR/v1/schema", s.schema(platform.Events))
	// Queries by POST or GET (ConvGET).
	for _, m := range []string{"POST", "GET"} {
		mux.HandleFunc(m+" /CPR/custom/PublicSector/{version}", s.graphql(platform.Public))
		mux.HandleFunc(m+" /CPR/custom/PrivateSector/{version}", s.graphql(platform.Private))
		mux.HandleFunc(m+" /CPR/v1", s.graphql(platform.Events))
	}
	// The list at v2.0 and unversioned (ConvListUnversioned), one file at
	// v1.0/GetFile and GetFile; v1.0 of the list is retired (platform.md).
	for _, p := range platform.FileListPaths() {
		mux.HandleFunc("GET "+p, s.fileList)
	}
	for _, p := range platform.GetFilePaths() {
		mux.HandleFunc("GET "+p, s.getFile)
	}
	// Every other FileDownloads path checks the key first: 401 to a bad
	// one, never 404 (ConvFiles401).
	mux.HandleFunc("/FileDownloads/", s.fileOther)
	mux.HandleFunc("GET /egress", s.echo)
	mux.HandleFunc("HEAD /{$}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("GET /{$}", s.index)
	// Any other path: a bare 404 (ConvUnservedVersion).
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { notFound(w) })
	return mux
}

func (s *Server) index(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	faults := strings.Join(s.ActiveFaults(), ", ")
	if faults == "" {
		faults = "none"
	}
	fmt.Fprintf(w, "cprready emulator of Datafordeleren's CPR services\nprofiles: %s, %s\nfaults: %s\n", s.PublicProfile(), s.PrivateProfile(), faults)
}

func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// problem writes the platform's problem+json.
func problem(w http.ResponseWriter, status int, code, detail string) {
	writeJSON(w, status, "application/problem+json", map[string]any{
		"type": "about:blank", "title": http.StatusText(status), "status": status, "errorCode": code, "detail": detail,
	})
}

// keycloakError writes Keycloak's token error shape.
func keycloakError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, "application/json", map[string]any{"error": code, "error_description": desc})
}

func (s *Server) echo(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, "application/json", map[string]any{"ip": s.egress().String()})
}

// Exposure says, when the emulator listens beyond loopback, who can reach
// it: "" on a loopback address.
func (s *Server) Exposure() string {
	host, port, _ := net.SplitHostPort(s.listen)
	ip := net.ParseIP(host)
	switch {
	case ip != nil && ip.IsLoopback():
		return ""
	case ip != nil && ip.IsUnspecified():
		return fmt.Sprintf("it listens on EVERY interface (port %s): anyone who can reach this machine can use its test credentials; profiles point at 127.0.0.1. Use --addr 127.0.0.1:%s unless the network needs it", port, port)
	}
	return fmt.Sprintf("it listens on %s, which the network can reach: anyone there can use its test credentials", s.listen)
}
