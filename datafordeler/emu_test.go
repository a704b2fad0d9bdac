package datafordeler_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/emutest"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/testdir"
	"github.com/cprready/cprready/profile"
)

type emu struct {
	srv   *emulator.Server
	c     *datafordeler.Client
	ep    datafordeler.Endpoints
	creds emulator.Credentials
	p     *profile.Profile
	cert  *profile.LoadedCert
	gate  *redact.Redactor
}

func start(t *testing.T, faults ...string) *emu {
	t.Helper()
	srv := emutest.Start(t, emulator.Config{Faults: faults})
	p, err := profile.Load(srv.PublicProfile())
	if err != nil {
		t.Fatal(err)
	}
	ep, err := datafordeler.ResolveEndpoints(p)
	if err != nil {
		t.Fatal(err)
	}
	gate := redact.New()
	c, err := datafordeler.New(datafordeler.Options{CAFile: ep.CAFile, Redactor: gate, RequestTimeout: 3 * time.Second,
		Retry: datafordeler.RetryPolicy{MaxAttempts: 3, MaxWait: 2 * time.Second, MaxTotal: 3 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	emutest.Client(t, c)
	creds := srv.Credentials()
	cc := p.ITSystems[0].Credentials.OAuthCertificates[0]
	lc, err := p.LoadCertificate(&cc, creds.Public.P12Password)
	if err != nil {
		t.Fatal(err)
	}
	return &emu{srv: srv, c: c, ep: ep, creds: creds, p: p, cert: lc, gate: gate}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// seedQuery is the seed's example with the status as the data writes it:
// the seed's "Aktuel" finds nobody under the exact eq the platform has on
// other registers (platform.ConvEqExact).
const seedQuery = `{ CPRCustom_PublicSectorPerson(input: { adresseoplysninger: { status: { eq: "aktuel" } } cprAdresse: { cprkommunekode: { eq: "101" } } cprvejkode: { eq: "111" } husnummer: { eq: "11" } }) { nodes { beskyttelser { beskyttelsestype virkningfra virkningtil status } navne { adresseringsnavn efternavn fornavn mellemnavn status } } } }`

// wantCause asserts the classified cause of err.
func wantCause(t *testing.T, err error, cause datafordeler.Cause) {
	t.Helper()
	_ = mustCause(t, err, cause)
}

// mustCause asserts the cause and returns the classified error.
func mustCause(t *testing.T, err error, cause datafordeler.Cause) *datafordeler.Error {
	t.Helper()
	e, ok := datafordeler.AsError(err)
	if !ok {
		t.Fatalf("want %s, got %T %v", cause, err, err)
	}
	if e.Cause != cause {
		t.Fatalf("want cause %s, got %s (%v)", cause, e.Cause, e)
	}
	return e
}

func (e *emu) token(t *testing.T) string {
	t.Helper()
	tok, err := e.c.TokenSharedSecret(ctx(t), e.ep.Token, e.creds.Public.GraphQLClientID, e.creds.Public.GraphQLSecret)
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

func TestHealthyEmulator(t *testing.T) {
	e := start(t)
	c := ctx(t)
	for _, u := range []string{e.ep.PublicSchema, e.ep.EventsSchema} {
		res, err := e.c.Schema(c, u, e.creds.Public.APIKey, "")
		if err != nil || !strings.Contains(string(res.SDL), "type Query") || res.ETag == "" {
			t.Fatalf("schema %s: %v", u, err)
		}
		again, err := e.c.Schema(c, u, e.creds.Public.APIKey, res.ETag)
		if err != nil || !again.NotModified {
			t.Fatalf("If-None-Match: %+v %v", again, err)
		}
	}
	tok, err := e.c.TokenSharedSecret(c, e.ep.Token, e.creds.Public.GraphQLClientID, e.creds.Public.GraphQLSecret)
	if err != nil || tok.AccessToken == "" || tok.TokenType != "Bearer" || tok.ExpiresIn <= 0 {
		t.Fatalf("shared secret token: %+v %v", tok, err)
	}
	if tok.Meta.Timing.TotalMS < 0 || tok.Meta.Status != 200 {
		t.Fatalf("meta %+v", tok.Meta)
	}
	mc, err := e.c.WithCertificate(e.cert.TLS)
	if err != nil {
		t.Fatal(err)
	}
	ctok, err := mc.TokenCertificate(c, e.ep.TokenMTLS, e.creds.Public.CertClientID)
	if err != nil || ctok.AccessToken == "" {
		t.Fatalf("certificate token: %v", err)
	}
	for _, token := range []string{tok.AccessToken, ctok.AccessToken} {
		res, err := e.c.GraphQL(c, e.ep.PublicQuery, token, datafordeler.GraphQLRequest{Query: seedQuery})
		if err != nil {
			t.Fatalf("seed query: %v", err)
		}
		var data struct {
			P struct {
				Nodes []map[string]any `json:"nodes"`
			} `json:"CPRCustom_PublicSectorPerson"`
		}
		if err := json.Unmarshal(res.Data, &data); err != nil || len(data.P.Nodes) != 2 {
			t.Fatalf("seed query data: %s", res.Data)
		}
		if _, ok := data.P.Nodes[0]["beskyttelser"]; !ok {
			t.Fatalf("projection lost beskyttelser: %v", data.P.Nodes[0])
		}
	}
	ev, err := e.c.GraphQL(c, e.ep.EventsQuery, tok.AccessToken, datafordeler.GraphQLRequest{Query: `{ CPR_Events(first: 3, where: {entityname: {eq: "Cprhaendelse"}}) { nodes { eventid object_id } pageInfo { hasNextPage endCursor } } }`})
	if err != nil || !strings.Contains(string(ev.Data), `"eventid":1`) {
		t.Fatalf("events: %v %s", err, ev.Data)
	}
	sub, err := e.c.Subscribe(c, e.ep.EventsQuery, tok.AccessToken, datafordeler.GraphQLRequest{Query: `subscription { CPR_Events(where: {entityname: {eq: "Cprhaendelse"}}) { eventid eventaction } }`}, 3, 5*time.Second)
	if err != nil || len(sub.Events) != 3 || sub.Ended != "count" {
		t.Fatalf("subscription: %+v %v", sub, err)
	}
	ftok, err := e.c.TokenSharedSecret(c, e.ep.Token, e.creds.Public.FilesClientID, e.creds.Public.FilesSecret)
	if err != nil {
		t.Fatal(err)
	}
	fl, err := e.c.FileList(c, e.ep.FileList, ftok.AccessToken)
	if err != nil || len(fl.Files) == 0 || fl.Files[0].Register != "CPR" {
		t.Fatalf("file list: %+v %v", fl, err)
	}
	unversioned := strings.Replace(e.ep.FileList, "/v2.0/", "/", 1)
	if fl, err := e.c.FileList(c, unversioned, ftok.AccessToken); err != nil || len(fl.Files) == 0 {
		t.Fatalf("the unversioned file list (filedownload_version: none): %+v %v", fl, err)
	}
	ip, _, err := e.c.EgressIP(c, e.ep.EgressEcho)
	if err != nil || ip.String() != emulator.DefaultEgressIP {
		t.Fatalf("egress: %v %v", ip, err)
	}
	for _, h := range e.ep.Hosts() {
		if _, err := e.c.Probe(c, h); err != nil {
			t.Fatalf("probe %s: %v", h, err)
		}
	}
	// The private service, with the private user's credentials.
	pt, err := e.c.TokenSharedSecret(c, e.ep.Token, e.creds.Private.ClientID, e.creds.Private.Secret)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := e.c.GraphQL(c, e.ep.PrivateQuery, pt.AccessToken, datafordeler.GraphQLRequest{Query: `{ CPRCustom_PrivateSectorPerson(input: {navn: {fornavn: "Anders", efternavn: "And"}, foedselsdato: "1934-06-09"}) { status beskyttelser { beskyttelsestype } navn { fornavn efternavn } } }`})
	if err != nil || !strings.Contains(string(pr.Data), `"Anders"`) {
		t.Fatalf("private: %v %s", err, pr.Data)
	}
}

func TestFaultsClassified(t *testing.T) {
	t.Run("ip-not-whitelisted", func(t *testing.T) {
		e := start(t, emulator.FaultIPNotWhitelisted)
		ip, _, err := e.c.EgressIP(ctx(t), e.ep.EgressEcho)
		if err != nil || ip.String() != emulator.WrongEgressIP {
			t.Fatalf("echo: %v %v", ip, err)
		}
		_, err = e.c.GraphQL(ctx(t), e.ep.PublicQuery, e.token(t), datafordeler.GraphQLRequest{Query: seedQuery})
		ce := mustCause(t, err, datafordeler.CauseIPNotVerified)
		if ce.Status != 401 || ce.Code != "DAF-AUTH-0005" {
			t.Fatalf("%+v", ce)
		}
	})
	t.Run("apikey-invalid and apikey-new", func(t *testing.T) {
		for _, f := range []string{emulator.FaultAPIKeyInvalid, emulator.FaultAPIKeyNew} {
			e := start(t, f)
			_, err := e.c.Schema(ctx(t), e.ep.PublicSchema, e.creds.Public.APIKey, "")
			ce := mustCause(t, err, datafordeler.CauseNoCredential)
			if ce.Code != "DAF-AUTH-0005" || strings.Contains(err.Error(), e.creds.Public.APIKey) {
				t.Fatalf("%s: %v", f, err)
			}
		}
	})
	t.Run("token-invalid-client", func(t *testing.T) {
		e := start(t, emulator.FaultTokenInvalidClient)
		_, err := e.c.TokenSharedSecret(ctx(t), e.ep.Token, e.creds.Public.GraphQLClientID, e.creds.Public.GraphQLSecret)
		wantCause(t, err, datafordeler.CauseInvalidClient)
		mc, err := e.c.WithCertificate(e.cert.TLS)
		if err != nil {
			t.Fatal(err)
		}
		_, err = mc.TokenCertificate(ctx(t), e.ep.TokenMTLS, e.creds.Public.CertClientID)
		wantCause(t, err, datafordeler.CauseInvalidClient)
	})
	t.Run("token-unavailable retries then fails", func(t *testing.T) {
		e := start(t, emulator.FaultTokenUnavailable)
		begin := time.Now()
		_, err := e.c.TokenSharedSecret(ctx(t), e.ep.Token, e.creds.Public.GraphQLClientID, e.creds.Public.GraphQLSecret)
		ce := mustCause(t, err, datafordeler.CauseTokenServer)
		if ce.Status != 503 || ce.Meta.Attempts < 2 || ce.RetryAfter != time.Second {
			t.Fatalf("%+v attempts=%d", ce, ce.Meta.Attempts)
		}
		if time.Since(begin) > 10*time.Second {
			t.Fatal("retry not bounded")
		}
	})
	t.Run("token-slow times out", func(t *testing.T) {
		e := start(t, emulator.FaultTokenSlow)
		c, err := datafordeler.New(datafordeler.Options{CAFile: e.ep.CAFile, RequestTimeout: 300 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.TokenSharedSecret(ctx(t), e.ep.Token, e.creds.Public.GraphQLClientID, e.creds.Public.GraphQLSecret)
		ce := mustCause(t, err, datafordeler.CauseTimeout)
		if ce.Phase != "wait" {
			t.Fatalf("phase %q", ce.Phase)
		}
	})
	t.Run("mtls-unknown-cert", func(t *testing.T) {
		e := start(t, emulator.FaultMTLSUnknownCert)
		mc, err := e.c.WithCertificate(e.cert.TLS)
		if err != nil {
			t.Fatal(err)
		}
		_, err = mc.TokenCertificate(ctx(t), e.ep.TokenMTLS, e.creds.Public.CertClientID)
		wantCause(t, err, datafordeler.CauseClientCertRejected)
		if _, err := e.c.TokenSharedSecret(ctx(t), e.ep.Token, e.creds.Public.GraphQLClientID, e.creds.Public.GraphQLSecret); err != nil {
			t.Fatalf("the shared secret must still work: %v", err)
		}
	})
	t.Run("token-expired", func(t *testing.T) {
		e := start(t, emulator.FaultTokenExpired)
		_, err := e.c.GraphQL(ctx(t), e.ep.PublicQuery, e.token(t), datafordeler.GraphQLRequest{Query: seedQuery})
		wantCause(t, err, datafordeler.CauseInvalidToken)
	})
	t.Run("no-access", func(t *testing.T) {
		e := start(t, emulator.FaultNoAccess)
		_, err := e.c.GraphQL(ctx(t), e.ep.PublicQuery, e.token(t), datafordeler.GraphQLRequest{Query: seedQuery})
		ce := mustCause(t, err, datafordeler.CauseNoAccess)
		if ce.Status != 200 || ce.Code != "DAF-AUTH-0001" {
			t.Fatalf("%+v", ce)
		}
	})
	t.Run("clock-skew", func(t *testing.T) {
		e := start(t, emulator.FaultClockSkew)
		_, meta, err := e.c.EgressIP(ctx(t), e.ep.EgressEcho)
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Until(meta.Date); d < 4*time.Minute || d > 6*time.Minute {
			t.Fatalf("Date header off by %s", d)
		}
	})
	t.Run("malformed", func(t *testing.T) {
		e := start(t, emulator.FaultMalformed)
		_, err := e.c.GraphQL(ctx(t), e.ep.PublicQuery, e.token(t), datafordeler.GraphQLRequest{Query: seedQuery})
		ce := mustCause(t, err, datafordeler.CauseMalformed)
		if strings.ContainsRune(ce.Detail, 0x1b) {
			t.Fatal("escape sequence kept in evidence")
		}
	})
}

func TestPlatformErrorsFromEmulator(t *testing.T) {
	e := start(t)
	c := ctx(t)
	tok := e.token(t)
	_, err := e.c.GraphQL(c, e.ep.PublicQuery, tok, datafordeler.GraphQLRequest{Query: `{ CPRCustom_PublicSectorPerson(input: {}) { nodes { navne { fornavn } } } }`})
	wantCause(t, err, datafordeler.CauseMandatorySelection)
	_, err = e.c.GraphQL(c, e.ep.PublicQuery, tok, datafordeler.GraphQLRequest{Query: `{ p: CPRCustom_PublicSectorPerson(input: {}) { nodes { beskyttelser { status } } } }`})
	ce := mustCause(t, err, datafordeler.CauseAlias)
	if ce.Code != "DAF-GQL-0008" {
		t.Fatalf("%+v", ce)
	}
	_, err = e.c.GraphQL(c, e.ep.PublicQuery, "not-a-token", datafordeler.GraphQLRequest{Query: seedQuery})
	wantCause(t, err, datafordeler.CauseInvalidToken)
	_, err = e.c.GraphQL(c, e.ep.PublicQuery, "", datafordeler.GraphQLRequest{Query: seedQuery})
	wantCause(t, err, datafordeler.CauseNoCredential)
	// A private user's token on the public service: no approved access.
	pt, _ := e.c.TokenSharedSecret(c, e.ep.Token, e.creds.Private.ClientID, e.creds.Private.Secret)
	_, err = e.c.GraphQL(c, e.ep.PublicQuery, pt.AccessToken, datafordeler.GraphQLRequest{Query: seedQuery})
	wantCause(t, err, datafordeler.CauseNoAccess)
	// The GraphQL IT-system has no file downloads: 403.
	_, err = e.c.FileList(c, e.ep.FileList, tok)
	wantCause(t, err, datafordeler.CauseNoAccess)
	// A wrong secret, a secret client at the certificate host, a certificate
	// client at the shared-secret host.
	_, err = e.c.TokenSharedSecret(c, e.ep.Token, e.creds.Public.GraphQLClientID, "wrong-value-x1y2z3")
	wantCause(t, err, datafordeler.CauseUnauthorizedClient)
	mc, _ := e.c.WithCertificate(e.cert.TLS)
	_, err = mc.TokenCertificate(c, e.ep.TokenMTLS, e.creds.Public.GraphQLClientID)
	ce = mustCause(t, err, datafordeler.CauseUnauthorizedClient)
	if !strings.Contains(ce.Detail, "shared-secret token host") {
		t.Fatalf("%+v", ce)
	}
	_, err = e.c.TokenSharedSecret(c, e.ep.Token, e.creds.Public.CertClientID, "anything-1234")
	ce = mustCause(t, err, datafordeler.CauseUnauthorizedClient)
	if !strings.Contains(ce.Detail, "certificate token host") {
		t.Fatalf("%+v", ce)
	}
	// No certificate at the certificate host.
	_, err = e.c.TokenCertificate(c, e.ep.TokenMTLS, e.creds.Public.CertClientID)
	wantCause(t, err, datafordeler.CauseClientCertRejected)
}

// The classification of transport failures.
func TestTransportFailures(t *testing.T) {
	c, _ := datafordeler.New(datafordeler.Options{RequestTimeout: 2 * time.Second})
	_, err := c.Probe(ctx(t), "https://127.0.0.1:1")
	wantCause(t, err, datafordeler.CauseRefused)
	_, err = c.Probe(ctx(t), "https://cprready-test.invalid")
	wantCause(t, err, datafordeler.CauseDNS)

	e := start(t)
	// Without the emulator's CA: unknown authority.
	_, err = c.Probe(ctx(t), e.srv.URL())
	wantCause(t, err, datafordeler.CauseTLSUnknownAuthority)

	// A certificate for another name.
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer ts.Close()
	caFile := filepath.Join(testdir.New(t), "ca.pem")
	_ = os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600)
	hc, _ := datafordeler.New(datafordeler.Options{CAFile: caFile})
	_, err = hc.Probe(ctx(t), strings.Replace(ts.URL, "127.0.0.1", "localhost", 1))
	wantCause(t, err, datafordeler.CauseTLSHostname)

	// An expired certificate.
	exp, expCA := expiredServer(t)
	defer exp.Close()
	ec, _ := datafordeler.New(datafordeler.Options{CAFile: expCA})
	_, err = ec.Probe(ctx(t), exp.URL)
	wantCause(t, err, datafordeler.CauseTLSExpired)

	// Cancelled.
	cctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Probe(cctx, e.srv.URL())
	wantCause(t, err, datafordeler.CauseCancelled)
}

func expiredServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "expired"},
		NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Now().AddDate(-1, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	ts.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	ts.StartTLS()
	caFile := filepath.Join(testdir.New(t), "expired-ca.pem")
	_ = os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	return ts, caFile
}

// Custom servers for token and HTTP shapes the emulator has no fault for.
func TestTokenAndHTTPShapes(t *testing.T) {
	var hits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/scope", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		_, _ = w.Write([]byte(`{"error":"invalid_scope","error_description":"Invalid scopes: cpr"}`))
	})
	mux.HandleFunc("/notjson", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>login</html>"))
	})
	mux.HandleFunc("/noaccess", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"token_type":"Bearer","expires_in":300}`))
	})
	mux.HandleFunc("/429", func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(429)
	})
	mux.HandleFunc("/401", func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(401)
		_, _ = w.Write([]byte(`{"errorCode":"DAF-AUTH-0005","detail":"Access denied. No authentication method found. Please verify your use of API key or OAuth."}`))
	})
	mux.HandleFunc("/403", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(403) })
	ts := httptest.NewTLSServer(mux)
	defer ts.Close()
	caFile := filepath.Join(testdir.New(t), "ca.pem")
	_ = os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600)
	c, _ := datafordeler.New(datafordeler.Options{CAFile: caFile, Retry: datafordeler.RetryPolicy{MaxAttempts: 3, MaxWait: 2 * time.Second, MaxTotal: 3 * time.Second}})
	_, err := c.TokenSharedSecret(ctx(t), ts.URL+"/scope", "id", "secret-1234")
	wantCause(t, err, datafordeler.CauseInvalidScope)
	_, err = c.TokenSharedSecret(ctx(t), ts.URL+"/notjson", "id", "secret-1234")
	wantCause(t, err, datafordeler.CauseTokenNotJSON)
	_, err = c.TokenSharedSecret(ctx(t), ts.URL+"/noaccess", "id", "secret-1234")
	wantCause(t, err, datafordeler.CauseNoAccessToken)
	hits.Store(0)
	_, err = c.Schema(ctx(t), ts.URL+"/429", "key-1234", "")
	ce := mustCause(t, err, datafordeler.CauseRateLimited)
	if ce.RetryAfter != time.Second || hits.Load() != 3 {
		t.Fatalf("429: retry-after %s, %d requests (want 3)", ce.RetryAfter, hits.Load())
	}
	hits.Store(0)
	_, err = c.Schema(ctx(t), ts.URL+"/401", "key-1234", "")
	wantCause(t, err, datafordeler.CauseNoCredential)
	if hits.Load() != 1 {
		t.Fatalf("a 401 must never be retried: %d requests", hits.Load())
	}
	_, err = c.FileList(ctx(t), ts.URL+"/403", "tok-1234")
	wantCause(t, err, datafordeler.CauseNoAccess)
}

// A canary API key and secret never appear in any error text.
func TestCanaryNeverInErrors(t *testing.T) {
	const key, secret = "CANARY-KEY-a1b2c3d4", "CANARY-SECRET-e5f6g7"
	gate := redact.New()
	c, _ := datafordeler.New(datafordeler.Options{Redactor: gate, RequestTimeout: time.Second})
	var errs []error
	_, err := c.Schema(ctx(t), "https://127.0.0.1:1/CPR/v1/schema", key, "")
	errs = append(errs, err)
	_, err = c.TokenSharedSecret(ctx(t), "https://127.0.0.1:1/token", "id", secret)
	errs = append(errs, err)
	e := start(t, emulator.FaultAPIKeyInvalid)
	_, err = e.c.Schema(ctx(t), e.ep.PublicSchema, key, "")
	errs = append(errs, err)
	_, err = e.c.TokenSharedSecret(ctx(t), e.ep.Token, "id", secret)
	errs = append(errs, err)
	for _, err := range errs {
		if err == nil {
			t.Fatal("expected an error")
		}
		text := err.Error()
		if ce, ok := datafordeler.AsError(err); ok {
			b, _ := json.Marshal(ce.Evidence())
			text += string(b) + ce.Meta.URL
		}
		if strings.Contains(text, key) || strings.Contains(text, secret) {
			t.Fatalf("canary leaked: %s", text)
		}
	}
	if !gate.Contains("x" + key) {
		t.Fatal("the redactor must learn the API key")
	}
}

func TestEnvironmentsAndEndpoints(t *testing.T) {
	p := &profile.Profile{Environment: "prod"}
	ep, err := datafordeler.ResolveEndpoints(p)
	if err != nil || ep.PublicQuery != "https://graphql.datafordeler.dk/CPR/custom/PublicSector/v2" ||
		ep.Token != "https://auth.datafordeler.dk/realms/distribution/protocol/openid-connect/token" ||
		ep.FileList != "https://api.datafordeler.dk/FileDownloads/v2.0/GetAvailableFileDownloads?Register=CPR" || len(ep.Guessed) != 0 {
		t.Fatalf("%+v %v", ep, err)
	}
	p = &profile.Profile{Environment: "test06", Endpoints: profile.Endpoints{Token: "https://t.example/token", ServiceVersion: "v3"}}
	ep, _ = datafordeler.ResolveEndpoints(p)
	if ep.GraphQLBase != "https://test06-graphql.datafordeler.dk" || ep.Token != "https://t.example/token" || !strings.HasSuffix(ep.PublicQuery, "/v3") {
		t.Fatalf("%+v", ep)
	}
	if strings.Join(ep.Guessed, ",") != "token_mtls,filedownload" {
		t.Fatalf("guessed %v", ep.Guessed)
	}
	// The unversioned list the platform also serves (ConvListUnversioned).
	ep, _ = datafordeler.ResolveEndpoints(&profile.Profile{Environment: "prod", Endpoints: profile.Endpoints{FileDownloadVersion: "none"}})
	if ep.FileList != "https://api.datafordeler.dk/FileDownloads/GetAvailableFileDownloads?Register=CPR" {
		t.Fatalf("unversioned: %s", ep.FileList)
	}
	if _, err := datafordeler.ResolveEndpoints(&profile.Profile{Environment: "custom", Endpoints: profile.Endpoints{GraphQL: "http://evil.example"}}); err == nil {
		t.Fatal("plain http to a remote host must be refused")
	}
	if _, err := datafordeler.ResolveEndpoints(&profile.Profile{Environment: "nope"}); err == nil {
		t.Fatal("unknown environment")
	}
}
