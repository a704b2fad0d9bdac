package emulator

import (
	"io"
	"net/http"
	"strings"

	"github.com/cprready/cprready/platform/errcode"

	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
)

// The token hosts, shaped like Keycloak's (platform.md: Authentication),
// and the check every data call makes: Bearer token, egress address.

const (
	noAuthDetail = "Access denied. No authentication method found. Please verify your use of API key or OAuth."
	ipDetail     = "Access denied: ip address is not verified."
)

// tokenFaults applies the token faults; true when it answered.
func (s *Server) tokenFaults(w http.ResponseWriter, r *http.Request) bool {
	switch {
	case s.fault(FaultTokenSlow):
		select {
		case <-r.Context().Done():
		case <-s.shutdown:
		}
		return true
	case s.fault(FaultTokenUnavailable):
		w.Header().Set("Retry-After", "1")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "<html><body><h1>503 Service Unavailable</h1></body></html>")
		return true
	case s.fault(FaultTokenInvalidClient):
		keycloakError(w, http.StatusUnauthorized, "invalid_client", "Invalid client or Invalid client credentials")
		return true
	}
	return false
}

func (s *Server) issue(w http.ResponseWriter, c *client) {
	tok := "emu-at-" + randomHex(24)
	now := s.cfg.Now()
	s.mu.Lock()
	// Expired tokens go: a long-running emulator (watch, demos) must not
	// grow without bound.
	for t, info := range s.tokens {
		if now.After(info.expires) {
			delete(s.tokens, t)
		}
	}
	s.tokens[tok] = tokenInfo{client: c, expires: now.Add(TokenLifetime)}
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
	case secret == "" || secret != c.secret:
		// Keycloak (ClientIdAndSecretAuthenticator.reportFailedAuth): a
		// known client with a wrong or missing secret gets
		// unauthorized_client; an unknown one, invalid_client.
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

// authorize checks a data call's Bearer token and the pretended egress
// address; it answers and returns nil when the call may not proceed.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) *client {
	if _, has := apiKeyOf(r); has && r.Header.Get("Authorization") != "" {
		problem(w, http.StatusBadRequest, errcode.AuthBothCredentials, "Both API key and Authorization header were supplied; use one authentication method")
		return nil
	}
	auth := r.Header.Get("Authorization")
	if s.fault(FaultTokenExpired) && auth != "" {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="The access token expired"`)
		w.WriteHeader(http.StatusUnauthorized)
		return nil
	}
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		detail := noAuthDetail
		if key, has := apiKeyOf(r); has && s.apiKeys[key] == nil {
			// A key the gateway does not know (platform.ConvNewKey's words).
			detail = platform.UnrecognisedKeyDetail
		}
		problem(w, http.StatusUnauthorized, errcode.AuthNoCredential, detail)
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
		allowed = allowed || p.Contains(s.egress())
	}
	if !allowed {
		problem(w, http.StatusUnauthorized, errcode.AuthNoCredential, ipDetail)
		return nil
	}
	return info.client
}
