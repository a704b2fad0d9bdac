package platform_test

// Replays: a recorded response's `# replay:` lines are CPR requests the
// emulator must answer as the recording shows (README.md: the header
// format). The twin is held against what production answered, not
// against itself.

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/emutest"
)

// replay is one `# replay:` line: METHOD PATH [accept=…] [auth=…]
// [fault=…] [words=exact] [query=<the rest of the line>].
type replay struct {
	method, path, accept, auth, fault, query string
	words                                    bool
}

func parseReplay(t *testing.T, file, line string) replay {
	t.Helper()
	r := replay{accept: "none", auth: "none"}
	head, query, _ := strings.Cut(line, " query=")
	r.query = query
	f := strings.Fields(head)
	if len(f) < 2 {
		t.Fatalf("%s: replay %q: METHOD PATH first", file, line)
	}
	r.method, r.path = f[0], f[1]
	for _, kv := range f[2:] {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "accept":
			r.accept = v
		case "auth":
			r.auth = v
		case "fault":
			r.fault = v
		case "words":
			r.words = v == "exact"
		default:
			t.Fatalf("%s: replay %q: unknown %q", file, line, k)
		}
	}
	return r
}

// twins are emulators by fault, each with a client that trusts it and
// the tokens of the public authority's two IT-systems.
type twins struct {
	t    *testing.T
	by   map[string]*twinSrv
	keys emulator.Credentials
}

type twinSrv struct {
	srv               *emulator.Server
	hc                *http.Client
	gqlToken, fileTok string
}

func (ts *twins) get(fault string) *twinSrv {
	t := ts.t
	if w, ok := ts.by[fault]; ok {
		return w
	}
	cfg := emulator.Config{}
	if fault != "" {
		cfg.Faults = []string{fault}
	}
	srv := emutest.Start(t, cfg)
	pem, err := os.ReadFile(srv.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	w := &twinSrv{srv: srv, hc: &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}}
	c := srv.Credentials().Public
	token := func(id, secret string) string {
		resp, err := w.hc.PostForm(srv.URL()+"/auth/realms/distribution/protocol/openid-connect/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&tok)
		return tok.AccessToken
	}
	w.gqlToken, w.fileTok = token(c.GraphQLClientID, c.GraphQLSecret), token(c.FilesClientID, c.FilesSecret)
	ts.keys = srv.Credentials()
	ts.by[fault] = w
	return w
}

// do sends a replay and returns status, headers and body.
func (ts *twins) do(r replay) (int, http.Header, []byte) {
	t := ts.t
	w := ts.get(r.fault)
	path := r.path
	param := func(k, v string) {
		if strings.Contains(path, "?") {
			path += "&" + k + "=" + url.QueryEscape(v)
		} else {
			path += "?" + k + "=" + url.QueryEscape(v)
		}
	}
	switch r.auth {
	case "apikey":
		param("apiKey", ts.keys.Public.APIKey)
	case "badkey":
		param("apiKey", "not-a-key-of-this-emulator")
	}
	var body io.Reader
	if r.query != "" {
		b, _ := json.Marshal(map[string]any{"query": r.query})
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(r.method, w.srv.URL()+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.accept != "none" {
		req.Header.Set("Accept", r.accept)
	}
	switch r.auth {
	case "gql":
		req.Header.Set("Authorization", "Bearer "+w.gqlToken)
	case "files":
		req.Header.Set("Authorization", "Bearer "+w.fileTok)
	}
	resp, err := w.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, bytes.TrimSpace(b)
}

// Every replay of the corpus: the emulator answers with the recorded
// status and media type, the recorded code (and words, where the replay
// says they are the platform's), an empty body where the platform's is
// empty, the recorded fields where it answered data.
func TestEvidenceReplaysOnTheEmulator(t *testing.T) {
	ts := &twins{t: t, by: map[string]*twinSrv{}}
	replayed := 0
	for _, e := range readEvidence(t, "responses/*.http") {
		wantStatus, wantHeader, want := readHTTP(t, e)
		for _, line := range e.all["replay"] {
			r := parseReplay(t, e.path, line)
			status, h, got := ts.do(r)
			where := e.path + ": " + r.method + " " + r.path
			if status != wantStatus {
				t.Errorf("%s: the emulator answers %d, the recording %d: %s", where, status, wantStatus, got)
				continue
			}
			if ct := wantHeader.Get("Content-Type"); ct != "" && mediaOf(ct) != mediaOf(h.Get("Content-Type")) {
				t.Errorf("%s: the emulator answers %q, the recording %q", where, h.Get("Content-Type"), ct)
			}
			compareBodies(t, where, r, want, got)
			replayed++
		}
	}
	t.Logf("%d replays answered as recorded", replayed)
	if replayed < 20 {
		t.Fatalf("only %d replays", replayed)
	}
}

func mediaOf(ct string) string {
	m, _, _ := mime.ParseMediaType(ct)
	return m
}

type answer struct {
	Data      map[string]any `json:"data"`
	ErrorCode string         `json:"errorCode"`
	Detail    string         `json:"detail"`
	Errors    []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	Files []map[string]any `json:"availableFileDownloads"`
	Pages map[string]any   `json:"paginationMetadata"`
}

func compareBodies(t *testing.T, where string, r replay, want, got []byte) {
	t.Helper()
	switch {
	case len(want) == 0:
		if len(got) != 0 {
			t.Errorf("%s: the platform's body is empty, the emulator's %q", where, got)
		}
		return
	case bytes.HasPrefix(want, []byte("event:")):
		if !bytes.Contains(got, []byte("event: next")) || !bytes.Contains(got, []byte("event: complete")) {
			t.Errorf("%s: not an SSE stream: %s", where, got)
		}
		return
	case !json.Valid(want):
		if !bytes.Contains(got, want) {
			t.Errorf("%s: the emulator's body %q lacks the recorded words %q", where, got, want)
		}
		return
	}
	var w, g answer
	_ = json.Unmarshal(want, &w)
	if err := json.Unmarshal(got, &g); err != nil {
		t.Errorf("%s: not JSON: %s", where, got)
		return
	}
	switch {
	case len(w.Errors) > 0:
		if len(g.Errors) == 0 {
			t.Errorf("%s: no errors: %s", where, got)
			return
		}
		if code := w.Errors[0].Extensions["code"]; code != nil && g.Errors[0].Extensions["code"] != code {
			t.Errorf("%s: code %v, recorded %v", where, g.Errors[0].Extensions["code"], code)
		}
		if r.words && g.Errors[0].Message != w.Errors[0].Message {
			t.Errorf("%s: %q, recorded %q", where, g.Errors[0].Message, w.Errors[0].Message)
		}
		if len(w.Errors[0].Path) > 0 && (len(g.Errors[0].Path) == 0 || g.Errors[0].Extensions["traceId"] == nil) {
			t.Errorf("%s: an error of a running query has a path and a traceId: %s", where, got)
		}
		for k, v := range w.Data {
			if v == nil && len(g.Data) != 1 {
				t.Errorf("%s: the root (recorded %s) is null in data: %s", where, k, got)
			}
		}
	case w.ErrorCode != "":
		if g.ErrorCode != w.ErrorCode || r.words && g.Detail != w.Detail {
			t.Errorf("%s: %s %q, recorded %s %q", where, g.ErrorCode, g.Detail, w.ErrorCode, w.Detail)
		}
	case w.Files != nil:
		for k := range w.Pages {
			if _, ok := g.Pages[k]; !ok {
				t.Errorf("%s: paginationMetadata lacks %s", where, k)
			}
		}
		if len(g.Files) == 0 {
			t.Errorf("%s: no files", where)
			return
		}
		for k := range w.Files[0] {
			if _, ok := g.Files[0][k]; !ok {
				t.Errorf("%s: a file entry lacks %s", where, k)
			}
		}
	case w.Data != nil:
		if len(g.Errors) > 0 || len(g.Data) != 1 {
			t.Errorf("%s: want data and no errors: %s", where, got)
			return
		}
		for _, wv := range w.Data {
			for _, gv := range g.Data {
				sameShape(t, where, "data", wv, gv)
			}
		}
	}
}

// sameShape holds that every field the recording has, the emulator has,
// with the same JSON kind (a recorded null or empty list says nothing).
func sameShape(t *testing.T, where, at string, want, got any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s: %s is %T, recorded an object", where, at, got)
			return
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				t.Errorf("%s: %s lacks %s", where, at, k)
				continue
			}
			sameShape(t, where, at+"."+k, wv, gv)
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			t.Errorf("%s: %s is %T, recorded a list", where, at, got)
			return
		}
		if len(w) > 0 && len(g) > 0 {
			sameShape(t, where, at+"[0]", w[0], g[0])
		}
	case nil:
	default:
		if got != nil && kindOf(got) != kindOf(want) {
			t.Errorf("%s: %s is %T, recorded %T", where, at, got, want)
		}
	}
}

func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	}
	return "other"
}
