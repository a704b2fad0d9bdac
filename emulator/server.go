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
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cprready/cprready/emulator/schemas"
	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/profile"
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
}

// Server is a running emulator.
type Server struct {
	cfg      Config
	faults   map[string]bool
	st       *state
	ln       net.Listener
	srv      *http.Server
	base     string
	schemas  map[string]*ast.Schema
	sdl      map[string]string
	egress   netip.Addr
	clients  map[string]*client // by client ID
	apiKeys  map[string]*itSystem
	mu       sync.Mutex
	tokens   map[string]tokenInfo
	logMu    sync.Mutex
	shutdown chan struct{}
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
	s := &Server{cfg: cfg, faults: faults, st: st, egress: whitelisted, tokens: map[string]tokenInfo{}, shutdown: make(chan struct{})}
	if faults[FaultIPNotWhitelisted] {
		s.egress = netip.MustParseAddr(WrongEgressIP)
	}
	if err := s.loadSchemas(); err != nil {
		return nil, err
	}
	s.register(whitelisted)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: cannot listen on %s: %w", cfg.Addr, err)
	}
	host, port, _ := net.SplitHostPort(ln.Addr().String())
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
	if err := st.writeProfiles(s.base, whitelisted.String(), now, faults[FaultAPIKeyNew]); err != nil {
		ln.Close()
		return nil, err
	}
	tcfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		// The certificate token host asks for a client certificate; the
		// other paths never need one.
		ClientAuth: tls.RequestClientCert,
		// VerifyConnection also runs on resumed sessions.
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) > 0 && s.faults[FaultMTLSUnknownCert] {
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
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return s.srv.Close()
	}
	return err
}

func (s *Server) loadSchemas() error {
	s.schemas, s.sdl = map[string]*ast.Schema{}, map[string]string{}
	for _, svc := range schemas.Services {
		sdl, err := schemas.SDL(svc)
		if err != nil {
			return err
		}
		sch, err := gql.LoadSchema(svc+".graphql", []byte(sdl))
		if err != nil {
			return fmt.Errorf("emulator schema %s: %w", svc, err)
		}
		s.schemas[svc], s.sdl[svc] = sch, sdl
	}
	return nil
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
		if s.faults[FaultClockSkew] {
			now = now.Add(5 * time.Minute)
		}
		w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if s.cfg.Log != nil {
			s.logMu.Lock()
			fmt.Fprintf(s.cfg.Log, "%s %-4s %-70s %3d %6dms\n", time.Now().Format("15:04:05.000"), r.Method, r.URL.Path, rec.status, time.Since(start).Milliseconds())
			s.logMu.Unlock()
		}
	})
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/realms/distribution/protocol/openid-connect/token", s.tokenShared)
	mux.HandleFunc("POST /auth-oces/realms/distribution/protocol/openid-connect/token", s.tokenMTLS)
	mux.HandleFunc("GET /CPR/custom/PublicSector/{version}/schema", s.schema("public"))
	mux.HandleFunc("GET /CPR/custom/PrivateSector/{version}/schema", s.schema("private"))
	mux.HandleFunc("GET /CPR/v1/schema", s.schema("events"))
	mux.HandleFunc("POST /CPR/custom/PublicSector/{version}", s.graphql("public"))
	mux.HandleFunc("POST /CPR/custom/PrivateSector/{version}", s.graphql("private"))
	mux.HandleFunc("POST /CPR/v1", s.graphql("events"))
	mux.HandleFunc("GET /FileDownloads/GetAvailableFileDownloads", s.fileList)
	mux.HandleFunc("GET /FileDownloads/v1.0/GetFile", s.getFile)
	mux.HandleFunc("GET /egress", s.echo)
	mux.HandleFunc("HEAD /{$}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("GET /{$}", s.index)
	return mux
}

func (s *Server) index(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "cprready emulator of Datafordeleren's CPR services\nprofiles: %s, %s\nfaults: %s\n", s.PublicProfile(), s.PrivateProfile(), strings.Join(s.activeFaults(), ", "))
}

func (s *Server) activeFaults() []string {
	var out []string
	for _, f := range FaultNames() {
		if s.faults[f] {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
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

const (
	noAuthDetail = "Access denied. No authentication method found. Please verify your use of API key or OAuth."
	ipDetail     = "Access denied: ip address is not verified."
)

// tokenFaults applies the token faults; true when it answered.
func (s *Server) tokenFaults(w http.ResponseWriter, r *http.Request) bool {
	switch {
	case s.faults[FaultTokenSlow]:
		select {
		case <-r.Context().Done():
		case <-s.shutdown:
		}
		return true
	case s.faults[FaultTokenUnavailable]:
		w.Header().Set("Retry-After", "1")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "<html><body><h1>503 Service Unavailable</h1></body></html>")
		return true
	case s.faults[FaultTokenInvalidClient]:
		keycloakError(w, http.StatusUnauthorized, "invalid_client", "Invalid client or Invalid client credentials")
		return true
	}
	return false
}

func (s *Server) issue(w http.ResponseWriter, c *client) {
	tok := "emu-at-" + randomHex(24)
	s.mu.Lock()
	s.tokens[tok] = tokenInfo{client: c, expires: s.cfg.Now().Add(TokenLifetime)}
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, "application/json", map[string]any{
		"access_token": tok, "expires_in": int(TokenLifetime.Seconds()), "refresh_expires_in": 0,
		"token_type": "Bearer", "not-before-policy": 0, "scope": "profile email",
	})
}

func (s *Server) tokenForm(w http.ResponseWriter, r *http.Request) (clientID, secret string, ok bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		keycloakError(w, http.StatusBadRequest, "invalid_request", "Malformed request body")
		return "", "", false
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		keycloakError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant_type")
		return "", "", false
	}
	clientID, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, basic := r.BasicAuth(); basic && clientID == "" {
		clientID, secret = u, p
	}
	return clientID, secret, true
}

// tokenShared is the shared-secret token endpoint (Keycloak).
func (s *Server) tokenShared(w http.ResponseWriter, r *http.Request) {
	if s.tokenFaults(w, r) {
		return
	}
	id, secret, ok := s.tokenForm(w, r)
	if !ok {
		return
	}
	c := s.clients[id]
	switch {
	case c == nil:
		keycloakError(w, http.StatusUnauthorized, "invalid_client", "Invalid client or Invalid client credentials")
	case c.fingerprint != "":
		// A certificate client at the shared-secret host: Keycloak wants a secret.
		keycloakError(w, http.StatusUnauthorized, "unauthorized_client", "Client authentication with signed JWT or client certificate is required; use the certificate token host")
	case secret == "":
		keycloakError(w, http.StatusUnauthorized, "invalid_client", "Client secret not provided in request")
	case secret != c.secret:
		keycloakError(w, http.StatusUnauthorized, "unauthorized_client", "Invalid client or Invalid client credentials")
	default:
		s.issue(w, c)
	}
}

// tokenMTLS is the certificate token endpoint: it demands a client
// certificate and accepts only registered ones.
func (s *Server) tokenMTLS(w http.ResponseWriter, r *http.Request) {
	if s.tokenFaults(w, r) {
		return
	}
	id, _, ok := s.tokenForm(w, r)
	if !ok {
		return
	}
	c := s.clients[id]
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		keycloakError(w, http.StatusUnauthorized, "invalid_client", "Client certificate missing, or its certificate chain could not be verified")
		return
	}
	fp, _ := profile.Fingerprints(r.TLS.PeerCertificates[0].Raw)
	switch {
	case c == nil:
		keycloakError(w, http.StatusUnauthorized, "invalid_client", "Invalid client or Invalid client credentials")
	case c.fingerprint == "":
		// A shared-secret client at the certificate host.
		keycloakError(w, http.StatusUnauthorized, "unauthorized_client", "Client is not configured for certificate authentication; use the shared-secret token host")
	case fp != c.fingerprint:
		keycloakError(w, http.StatusUnauthorized, "unauthorized_client", "Certificate does not match the registered client certificate")
	default:
		s.issue(w, c)
	}
}

// apiKeyOf reads the apiKey query parameter, matched case-insensitively.
func apiKeyOf(r *http.Request) (string, bool) {
	for k, v := range r.URL.Query() {
		if strings.EqualFold(k, "apikey") && len(v) > 0 {
			return v[0], true
		}
	}
	return "", false
}

func (s *Server) schema(svc string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if v := r.PathValue("version"); v != "" && v != "v2" {
			problem(w, http.StatusNotFound, "DAF-GEN-0404", "Unknown service version "+v)
			return
		}
		key, has := apiKeyOf(r)
		if has && r.Header.Get("Authorization") != "" {
			problem(w, http.StatusBadRequest, "DAF-AUTH-0002", "Both API key and Authorization header were supplied; use one authentication method")
			return
		}
		if !has || s.apiKeys[key] == nil || s.faults[FaultAPIKeyInvalid] || s.faults[FaultAPIKeyNew] {
			problem(w, http.StatusUnauthorized, "DAF-AUTH-0005", noAuthDetail)
			return
		}
		etag := `"` + fmt.Sprintf("%x", len(s.sdl[svc])) + "-" + svc + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, s.sdl[svc])
	}
}

// authorize checks a data call's Bearer token and the pretended egress
// address; it answers and returns nil when the call may not proceed.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) *client {
	if _, has := apiKeyOf(r); has && r.Header.Get("Authorization") != "" {
		problem(w, http.StatusBadRequest, "DAF-AUTH-0002", "Both API key and Authorization header were supplied; use one authentication method")
		return nil
	}
	auth := r.Header.Get("Authorization")
	if s.faults[FaultTokenExpired] && auth != "" {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="The access token expired"`)
		w.WriteHeader(http.StatusUnauthorized)
		return nil
	}
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		if _, has := apiKeyOf(r); has {
			problem(w, http.StatusUnauthorized, "DAF-AUTH-0005", noAuthDetail)
			return nil
		}
		problem(w, http.StatusUnauthorized, "DAF-AUTH-0005", noAuthDetail)
		return nil
	}
	s.mu.Lock()
	info, found := s.tokens[tok]
	s.mu.Unlock()
	if !found || s.cfg.Now().After(info.expires) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="Token is not active"`)
		w.WriteHeader(http.StatusUnauthorized)
		return nil
	}
	allowed := false
	for _, p := range info.client.sys.whitelist {
		allowed = allowed || p.Contains(s.egress)
	}
	if !allowed {
		problem(w, http.StatusUnauthorized, "DAF-AUTH-0005", ipDetail)
		return nil
	}
	return info.client
}

type gqlError struct {
	Message    string         `json:"message"`
	Locations  []any          `json:"locations,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

func gqlErrors(w http.ResponseWriter, errs ...gqlError) {
	writeJSON(w, http.StatusOK, "application/graphql-response+json", map[string]any{"errors": errs})
}

func notAuthorized(w http.ResponseWriter, what string) {
	gqlErrors(w, gqlError{Message: "The current user is not authorized to access this resource (" + what + ").", Extensions: map[string]any{"code": "DAF-AUTH-0001"}})
}

func hasEntity(sys *itSystem, e string) bool {
	for _, x := range sys.entities {
		if x == e {
			return true
		}
	}
	return false
}

func (s *Server) graphql(svc string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if v := r.PathValue("version"); v != "" && v != "v2" {
			problem(w, http.StatusNotFound, "DAF-GEN-0404", "Unknown service version "+v)
			return
		}
		c := s.authorize(w, r)
		if c == nil {
			return
		}
		if s.faults[FaultMalformed] {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html><body>Upstream error \x1b[31m<b>502</b></body>")
			return
		}
		if s.faults[FaultNoAccess] {
			notAuthorized(w, "CPR")
			return
		}
		var req struct {
			Query         string         `json:"query"`
			Variables     map[string]any `json:"variables"`
			OperationName string         `json:"operationName"`
		}
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Query == "" {
			gqlErrors(w, gqlError{Message: "The request body is not a GraphQL request (expected {\"query\": …}).", Extensions: map[string]any{"code": "HC0009"}})
			return
		}
		if strings.Contains(req.Query, "__schema") || strings.Contains(req.Query, "__type(") {
			gqlErrors(w, gqlError{Message: "Introspection is not allowed for the current request; fetch the SDL from /schema.", Extensions: map[string]any{"code": gql.CodeIntrospection}})
			return
		}
		schema := s.schemas[svc]
		doc, probs := gql.ValidateQuery(schema, req.Query, req.Variables)
		if len(probs) > 0 {
			var errs []gqlError
			for _, p := range probs {
				e := gqlError{Message: p.Message, Locations: []any{map[string]int{"line": p.Line, "column": p.Column}}}
				if strings.HasPrefix(p.Message, gql.MandatoryMessage) {
					e.Message = gql.MandatoryMessage + gql.MandatoryField
				}
				if p.Code != "" {
					e.Extensions = map[string]any{"code": p.Code}
				}
				errs = append(errs, e)
			}
			gqlErrors(w, errs...)
			return
		}
		op := doc.Operations.ForName(req.OperationName)
		if op == nil && len(doc.Operations) > 0 {
			op = doc.Operations[0]
		}
		if op == nil {
			gqlErrors(w, gqlError{Message: "No operation to run."})
			return
		}
		s.execute(w, r, svc, c, doc, op, req.Variables)
	}
}

func (s *Server) execute(w http.ResponseWriter, r *http.Request, svc string, c *client, doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any) {
	data := map[string]any{}
	for _, f := range fields(doc, op.SelectionSet) {
		args := f.ArgumentMap(vars)
		var v any
		typeName := ""
		if f.Definition != nil {
			typeName = f.Definition.Type.Name()
		}
		switch f.Name {
		case "__typename":
			data[f.Name] = "Query"
			continue
		case "CPRCustom_PublicSectorPerson":
			if !hasEntity(c.sys, "CustomPublicSectorPerson") {
				notAuthorized(w, "CustomPublicSectorPerson")
				return
			}
			in, _ := args["input"].(map[string]any)
			v = connection(publicPersons(in), args)
		case "CPRCustom_PrivateSectorPerson":
			if !hasEntity(c.sys, "CustomPrivateSectorPerson") {
				notAuthorized(w, "CustomPrivateSectorPerson")
				return
			}
			in, _ := args["input"].(map[string]any)
			v = privatePersons(in)
		case "CPR_Events":
			if c.sys.kind != "public" || !hasEntity(c.sys, "CustomPublicSectorPerson") {
				notAuthorized(w, "CPR_Events needs CustomPublicSectorPerson")
				return
			}
			where, _ := args["where"].(map[string]any)
			if op.Operation == ast.Subscription {
				s.subscribe(w, r, doc, f, where)
				return
			}
			v = connection(eventItems(where), args)
		case "DAF_RegisterImportStatus":
			v = connection([]any{map[string]any{"register": "CPR", "lastSequenceNumber": 1025, "lastUpdated": "2026-11-25T06:00:00Z"}}, args)
		case "CPR_AdministrativEnhed":
			v = connection([]any{map[string]any{"id": "adm-0101", "kode": "0101", "navn": "København", "enhedstype": "Kommune"}}, args)
		}
		data[f.Name] = project(doc, f.SelectionSet, v, typeName)
	}
	writeJSON(w, http.StatusOK, "application/graphql-response+json", map[string]any{"data": data})
}

// subscribe streams events over Server-Sent Events: ten events 50 ms
// apart, then complete (or until the client leaves).
func (s *Server) subscribe(w http.ResponseWriter, r *http.Request, doc *ast.QueryDocument, f *ast.Field, where map[string]any) {
	if !strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		gqlErrors(w, gqlError{Message: "Subscriptions are served over Server-Sent Events: send Accept: text/event-stream."})
		return
	}
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	typeName := f.Definition.Type.Name()
	items := eventItems(where)
	for _, e := range items[:min(len(items), 10)] {
		payload, _ := json.Marshal(map[string]any{"data": map[string]any{f.Name: project(doc, f.SelectionSet, e, typeName)}})
		if _, err := fmt.Fprintf(w, "event: next\ndata: %s\n\n", payload); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
		t := time.NewTimer(50 * time.Millisecond)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.shutdown:
			t.Stop()
			return
		}
	}
	_, _ = io.WriteString(w, "event: complete\n\n")
}

func (s *Server) fileList(w http.ResponseWriter, r *http.Request) {
	c := s.authorize(w, r)
	if c == nil {
		return
	}
	if s.faults[FaultMalformed] {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html>Upstream error</html>")
		return
	}
	if reg := r.URL.Query().Get("Register"); !strings.EqualFold(reg, "CPR") {
		problem(w, http.StatusBadRequest, "DAF-FD-0001", "Register must be given, e.g. Register=CPR")
		return
	}
	var entities []string
	for _, e := range c.sys.entities {
		if e == "Person" || e == "CprAdresse" || e == "Beskyttelse" || e == "Forældremyndighed" {
			entities = append(entities, e)
		}
	}
	if len(entities) == 0 || s.faults[FaultNoAccess] {
		problem(w, http.StatusForbidden, "DAF-AUTH-0001", "The IT-system has no approved access to CPR file downloads")
		return
	}
	files := fileDownloads(entities)
	writeJSON(w, http.StatusOK, "application/json", map[string]any{
		"paginationMetadata":     map[string]any{"pageNumber": 1, "pageSize": 10000, "totalCount": len(files)},
		"availableFileDownloads": files,
	})
}

func (s *Server) getFile(w http.ResponseWriter, r *http.Request) {
	if c := s.authorize(w, r); c == nil {
		return
	}
	problem(w, http.StatusNotFound, "DAF-FD-0404", "The emulator lists files but does not serve their contents")
}

func (s *Server) echo(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, "application/json", map[string]any{"ip": s.egress.String()})
}
