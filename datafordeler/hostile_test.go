package datafordeler_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/internal/hostile"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/testdir"
)

const (
	canarySecret = "CANARYSECRETqz7Kx9Lm2Np4Rt6Vw8Yb0Dc3Fg5Hj" // #nosec G101 -- a test canary
	canaryKey    = "CANARYAPIKEYa1B2c3D4e5F6g7H8i9J0k1L2m3N4"  // #nosec G101 -- a test canary
	canaryToken  = "CANARYTOKENzz99yy88xx77ww66vv55uu44tt33"   // #nosec G101 -- a test canary
)

func hostileClient(t *testing.T, caFile string) (*datafordeler.Client, *redact.Redactor) {
	t.Helper()
	gate := redact.New()
	c, err := datafordeler.New(datafordeler.Options{CAFile: caFile, Redactor: gate, RequestTimeout: 2 * time.Second,
		Retry: datafordeler.RetryPolicy{MaxAttempts: 1, MaxWait: time.Second, MaxTotal: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return c, gate
}

// caBundle joins the CA files of several hostile servers.
func caBundle(t *testing.T, servers ...*hostile.Server) string {
	t.Helper()
	var pems []byte
	for _, s := range servers {
		pems = append(pems, must(readFile(s.CAFile))...)
	}
	return writeTemp(t, "bundle.pem", pems)
}

// noPiece fails when any 7-character piece of a secret is in any text.
func noPiece(t *testing.T, where string, texts ...string) {
	t.Helper()
	for _, text := range texts {
		for _, s := range []string{canarySecret, canaryKey, canaryToken} {
			if p := hostile.Leak(text, s, redact.PieceLen); p != "" {
				t.Fatalf("%s: a piece %q of a secret leaked in %q", where, p, text)
			}
		}
	}
}

func errTexts(err error) []string {
	out := []string{err.Error()}
	if ce, ok := datafordeler.AsError(err); ok {
		b, _ := json.Marshal(ce.Evidence())
		out = append(out, string(b), ce.Detail, ce.Location)
	}
	return out
}

func TestTokenRedirectToAnotherOriginIsNotFollowed(t *testing.T) {
	for _, status := range []int{301, 302, 303, 307, 308} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			evil := hostile.New(t, hostile.Echo(hostile.Keycloak, 0))
			// Same host (127.0.0.1), another port: another origin.
			front := hostile.New(t, hostile.Redirect(status, evil.URL+"/steal?token="+canaryToken))
			c, _ := hostileClient(t, caBundle(t, front, evil))
			_, err := c.TokenSharedSecret(context.Background(), front.URL+"/token", "client-id", canarySecret)
			ce, ok := datafordeler.AsError(err)
			if !ok || ce.Cause != datafordeler.CauseRedirect || ce.Status != status {
				t.Fatalf("want a redirect finding with status %d, got %v", status, err)
			}
			if evil.Saw(canarySecret) || len(evil.Requests()) > 0 {
				t.Fatalf("the redirect target was called: %+v", evil.Requests())
			}
			if !strings.Contains(ce.Location, "/steal") {
				t.Errorf("location not kept: %q", ce.Location)
			}
			noPiece(t, "redirect", errTexts(err)...)
		})
	}
}

func TestDataRedirectKeepsTheBearerToken(t *testing.T) {
	evil := hostile.New(t, hostile.Echo(hostile.GraphQLErr, 0))
	front := hostile.New(t, hostile.Redirect(http.StatusTemporaryRedirect, evil.URL+"/graphql"))
	c, gate := hostileClient(t, caBundle(t, front, evil))
	gate.Add(canaryToken)
	_, err := c.GraphQL(context.Background(), front.URL+"/graphql", canaryToken, datafordeler.GraphQLRequest{Query: "{ x }"})
	wantCause(t, err, datafordeler.CauseRedirect)
	if len(evil.Requests()) > 0 {
		t.Fatal("the Bearer token was sent to another origin")
	}
	_, err = c.FileList(context.Background(), front.URL+"/files", canaryToken)
	wantCause(t, err, datafordeler.CauseRedirect)
	_, err = c.Subscribe(context.Background(), front.URL+"/graphql", canaryToken, datafordeler.GraphQLRequest{Query: "subscription { x }"}, 1, time.Second)
	wantCause(t, err, datafordeler.CauseRedirect)
	if len(evil.Requests()) > 0 {
		t.Fatal("the Bearer token was sent to another origin")
	}
}

func TestSameOriginRedirectIsFollowed(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/old", hostile.Redirect(http.StatusTemporaryRedirect, "/token"))
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.PostForm.Get("client_secret") != canarySecret {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"tok-abc-123","expires_in":300,"token_type":"Bearer"}`)
	})
	srv := hostile.New(t, mux)
	c, _ := hostileClient(t, srv.CAFile)
	tok, err := c.TokenSharedSecret(context.Background(), srv.URL+"/old", "id", canarySecret)
	if err != nil || tok.AccessToken != "tok-abc-123" {
		t.Fatalf("a same-origin 307 must be followed: %v", err)
	}
}

func TestRedirectLoopAndDowngradeReportTheRealStatus(t *testing.T) {
	loop := hostile.New(t, hostile.Loop(http.StatusFound))
	c, _ := hostileClient(t, loop.CAFile)
	_, err := c.TokenSharedSecret(context.Background(), loop.URL+"/token", "id", canarySecret)
	ce := mustCause(t, err, datafordeler.CauseRedirect)
	if ce.Status != http.StatusFound || !strings.Contains(ce.Detail, "loop") {
		t.Fatalf("want 302 and a loop, got %+v", ce)
	}
	down := hostile.New(t, hostile.Redirect(http.StatusFound, "http://127.0.0.1:1/token"))
	c, _ = hostileClient(t, down.CAFile)
	_, err = c.TokenSharedSecret(context.Background(), down.URL+"/token", "id", canarySecret)
	ce = mustCause(t, err, datafordeler.CauseRedirect)
	if ce.Status != http.StatusFound {
		t.Fatalf("want the real status 302, got %+v", ce)
	}
	_, err = c.Schema(context.Background(), down.URL+"/schema", canaryKey, "")
	ce = mustCause(t, err, datafordeler.CauseRedirect)
	noPiece(t, "schema redirect", errTexts(ce)...)
}

// An echoing server quotes the request with the secret at every offset
// around every cap; no piece of a secret may survive in any error text.
func TestEchoedSecretsNeverSurviveTheCap(t *testing.T) {
	shapes := []hostile.Shape{hostile.ProblemJSON, hostile.Keycloak, hostile.GraphQLErr, hostile.PlainText, hostile.HTML, hostile.Header}
	offsets := []int{0, 1, 200}
	for o := datafordeler.MaxDetail - 60; o <= datafordeler.MaxDetail+5; o++ {
		offsets = append(offsets, o)
	}
	for _, shape := range shapes {
		for _, pad := range offsets {
			srv := hostile.New(t, hostile.Echo(shape, pad))
			c, gate := hostileClient(t, srv.CAFile)
			gate.Add(canaryToken)
			ctx := context.Background()
			_, err := c.TokenSharedSecret(ctx, srv.URL+"/token", "id", canarySecret)
			if err != nil {
				noPiece(t, fmt.Sprintf("token shape %d pad %d", shape, pad), errTexts(err)...)
			}
			_, err = c.Schema(ctx, srv.URL+"/schema", canaryKey, "")
			if err != nil {
				noPiece(t, fmt.Sprintf("schema shape %d pad %d", shape, pad), errTexts(err)...)
			}
			_, err = c.GraphQL(ctx, srv.URL+"/graphql", canaryToken, datafordeler.GraphQLRequest{Query: "{ x }"})
			if err != nil {
				noPiece(t, fmt.Sprintf("graphql shape %d pad %d", shape, pad), errTexts(err)...)
			}
			srv.Close()
		}
	}
}

func TestSlowAndEndlessServersAreBounded(t *testing.T) {
	slow := hostile.New(t, hostile.Slow(time.Minute))
	c, _ := hostileClient(t, slow.CAFile)
	start := time.Now()
	_, err := c.TokenSharedSecret(context.Background(), slow.URL+"/token", "id", canarySecret)
	wantCause(t, err, datafordeler.CauseTimeout)
	if time.Since(start) > 10*time.Second {
		t.Fatalf("a slow server held the client %s", time.Since(start))
	}
	endless := hostile.New(t, hostile.Endless("text/event-stream"))
	c, _ = hostileClient(t, endless.CAFile)
	res, err := c.Subscribe(context.Background(), endless.URL+"/graphql", canaryToken, datafordeler.GraphQLRequest{Query: "subscription { x }"}, 1<<30, 300*time.Millisecond)
	if err != nil || res.Ended != "deadline" {
		t.Fatalf("an endless stream must end at the deadline: %v %+v", err, res)
	}
	plain := hostile.New(t, hostile.Endless("application/json"))
	c, _ = hostileClient(t, plain.CAFile)
	_, err = c.GraphQL(context.Background(), plain.URL+"/graphql", canaryToken, datafordeler.GraphQLRequest{Query: "{ x }"})
	if err == nil {
		t.Fatal("an endless body must not succeed")
	}
}

// A proxy that refuses the CONNECT is diagnosed as the proxy.
func TestProxyRefusalIsProxy(t *testing.T) {
	for _, status := range []int{http.StatusProxyAuthRequired, http.StatusForbidden} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			for {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				go func() {
					defer conn.Close()
					_, _ = http.ReadRequest(bufio.NewReader(conn))
					fmt.Fprintf(conn, "HTTP/1.1 %d %s\r\nContent-Length: 0\r\n\r\n", status, http.StatusText(status))
				}()
			}
		}()
		proxyURL, _ := url.Parse("http://user:" + canarySecret + "@" + ln.Addr().String())
		gate := redact.New(canarySecret)
		c, err := datafordeler.New(datafordeler.Options{Redactor: gate, RequestTimeout: 2 * time.Second, Proxy: http.ProxyURL(proxyURL)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.TokenSharedSecret(context.Background(), "https://auth.datafordeler.dk/token", "id", canarySecret)
		ce := mustCause(t, err, datafordeler.CauseProxy)
		if ce.Status != status {
			t.Errorf("proxy status: %+v", ce)
		}
		noPiece(t, "proxy", errTexts(err)...)
		_ = ln.Close()
	}
}

func TestPlainHTTPOnlyToLoopbackLiterals(t *testing.T) {
	for raw, ok := range map[string]bool{
		"http://127.0.0.1:8443":        true,
		"http://127.9.9.9":             true,
		"http://[::1]:80":              true,
		"http://localhost:8080":        true,
		"http://127.evil.example":      false,
		"http://127.0.0.1.nip.io":      false,
		"http://localhost.evil.com":    false,
		"http://10.0.0.1":              false,
		"https://graphql.example":      true,
		"https://u:pw@graphql.example": false,
	} {
		err := datafordeler.CheckURL(raw)
		if (err == nil) != ok {
			t.Errorf("%s: ok=%v, err=%v", raw, ok, err)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("credentials quoted: %v", err)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func readFile(p string) ([]byte, error) { return os.ReadFile(p) } // #nosec G304 -- a test's temp file

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(testdir.New(t), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
