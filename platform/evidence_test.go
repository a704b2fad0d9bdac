package platform_test

// The evidence corpus (testdata/evidence): real queries that production
// clients sent to the CPR services, probes whose outcome their authors
// recorded, and recorded or sourced error bodies. The reference schemas,
// the emulator and the product's classification are held against it,
// not only against each other.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cprready/cprready/checks/diagnose"
	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/internal/emutest"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/platform/errcode"
	"github.com/cprready/cprready/profile"
)

const evidenceDir = "testdata/evidence"

// evidence is one file of the corpus with its header.
type evidence struct {
	path    string
	header  map[string]string   // "# key: value" lines, the first of each key
	all     map[string][]string // every value of each key (replay: may repeat)
	content string              // the rest
}

// headerKeys is the corpus' one header format (README.md): every key a
// file may use. required names what each kind of file must have.
var (
	headerKeys = map[string]bool{"source": true, "service": true, "expect": true, "basis": true, "inference": true,
		"request": true, "expect-cause": true, "expect-code": true, "expect-text": true, "confidence": true,
		"note": true, "also": true, "replay": true}
	required = map[string][]string{
		".graphql": {"source", "service", "expect", "basis"},
		".http":    {"source", "service", "request", "expect-cause", "confidence"},
	}
)

func readEvidence(t *testing.T, glob string) []evidence {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(evidenceDir, glob))
	if err != nil || len(files) == 0 {
		t.Fatalf("no evidence at %s: %v", glob, err)
	}
	var out []evidence
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		e := evidence{path: f, header: map[string]string{}, all: map[string][]string{}}
		lines := strings.Split(string(b), "\n")
		i := 0
		for ; i < len(lines) && strings.HasPrefix(lines[i], "#"); i++ {
			k, v, ok := strings.Cut(strings.TrimPrefix(lines[i], "# "), ": ")
			if !ok || !headerKeys[k] {
				t.Errorf("%s:%d: %q is not a header line of the corpus' format (README.md)", f, i+1, lines[i])
				continue
			}
			v = strings.TrimSpace(v)
			if _, dup := e.header[k]; !dup {
				e.header[k] = v
			}
			e.all[k] = append(e.all[k], v)
		}
		e.content = strings.Join(lines[i:], "\n")
		for _, k := range required[filepath.Ext(f)] {
			if e.header[k] == "" {
				t.Errorf("%s has no %s: line", f, k)
			}
		}
		out = append(out, e)
	}
	return out
}

// serviceOf maps a corpus service (the path after the host) to the
// platform's service and version; ok is false for other registers'.
func serviceOf(s string) (platform.Service, string, bool) {
	first := strings.Fields(s + " x")[0]
	for _, svc := range platform.Services() {
		for _, v := range svc.Versions() {
			if "/"+first == svc.Path(v) {
				return svc, v, true
			}
		}
	}
	return "", "", false
}

// expectation is the first word of "expect:": valid, invalid or unknown.
func expectation(e evidence) string {
	return strings.Fields(e.header["expect"] + " none")[0]
}

// Every query production clients sent, and every probe whose outcome is
// recorded, gets the same verdict from the reference schema as from the
// platform: valid ones pass the platform's rules (inferred parts may
// warn), invalid ones fail. Queries whose outcome nobody recorded must at
// least parse.
func TestEvidenceQueriesAgainstReferenceSchemas(t *testing.T) {
	counts := map[string]int{}
	for _, e := range append(readEvidence(t, "queries/*.graphql"), readEvidence(t, "queries/probes/*.graphql")...) {
		svc, version, ok := serviceOf(e.header["service"])
		if !ok {
			continue // another register's query: the gql tests hold those
		}
		sch, err := platform.Schema(svc, version)
		if err != nil {
			t.Fatalf("%s: %v", e.path, err)
		}
		res := gql.Check(context.Background(), sch, e.content, nil)
		want := expectation(e)
		counts[want]++
		switch want {
		case "valid", "success":
			if len(res.Problems) > 0 {
				t.Errorf("%s ran on the platform, but the %s %s reference schema rejects it: %v", e.path, svc, version, res.Problems)
			}
		case "invalid":
			if len(res.Problems) == 0 {
				t.Errorf("%s was rejected by the platform (%s), but the %s %s reference schema accepts it", e.path, e.header["expect"], svc, version)
			}
		default:
			if res.Doc == nil {
				t.Errorf("%s does not parse: %v", e.path, res.Problems)
			}
		}
	}
	t.Logf("corpus verdicts: %v", counts)
	if counts["valid"]+counts["success"] < 10 || counts["invalid"] < 5 {
		t.Fatalf("the corpus shrank: %v", counts)
	}
}

// The emulator answers the real production queries with data and no
// errors, and rejects the recorded invalid probes, as the platform did.
func TestEvidenceQueriesAgainstTheEmulator(t *testing.T) {
	srv := emutest.Start(t, emulator.Config{})
	p, err := profile.Load(srv.PublicProfile())
	if err != nil {
		t.Fatal(err)
	}
	ep, err := datafordeler.ResolveEndpoints(p)
	if err != nil {
		t.Fatal(err)
	}
	c, err := datafordeler.New(datafordeler.Options{CAFile: ep.CAFile})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	creds := srv.Credentials().Public
	tok, err := c.TokenSharedSecret(ctx, ep.Token, creds.GraphQLClientID, creds.GraphQLSecret)
	if err != nil {
		t.Fatal(err)
	}
	tried := 0
	for _, e := range append(readEvidence(t, "queries/*.graphql"), readEvidence(t, "queries/probes/*.graphql")...) {
		svc, version, ok := serviceOf(e.header["service"])
		want := expectation(e)
		if !ok || svc != platform.Public || (want != "valid" && want != "invalid") || strings.Contains(e.content, "subscription") {
			continue
		}
		tried++
		url := srv.URL() + svc.Path(version)
		vars := map[string]any{"cpr": []string{"0101341235"}}
		res, err := c.GraphQL(ctx, url, tok.AccessToken, datafordeler.GraphQLRequest{Query: e.content, Variables: vars})
		switch {
		case want == "valid" && err != nil:
			t.Errorf("%s ran on the platform, but the emulator answers %v", e.path, err)
		case want == "valid" && res == nil:
			t.Errorf("%s: no answer", e.path)
		case want == "invalid" && err == nil:
			t.Errorf("%s was rejected by the platform (%s), but the emulator answers it", e.path, e.header["expect"])
		}
	}
	t.Logf("%d production queries and probes sent to the emulator", tried)
	if tried < 10 {
		t.Fatalf("only %d queries tried", tried)
	}
}

// readHTTP reads a recorded response: status line, headers, body.
func readHTTP(t *testing.T, e evidence) (int, http.Header, []byte) {
	t.Helper()
	r := bufio.NewReader(strings.NewReader(strings.TrimLeft(e.content, "\n")))
	line, err := r.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	f := strings.Fields(line)
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") {
		t.Fatalf("%s: no status line: %q", e.path, line)
	}
	status, err := strconv.Atoi(f[1])
	if err != nil {
		t.Fatalf("%s: status %q", e.path, f[1])
	}
	h := http.Header{}
	for {
		l, err := r.ReadString('\n')
		l = strings.TrimRight(l, "\r\n")
		if l == "" || err != nil {
			break
		}
		if k, v, ok := strings.Cut(l, ":"); ok {
			h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		}
	}
	body, _ := io.ReadAll(r)
	return status, h, bytes.TrimSpace(body)
}

// Every recorded or sourced response is classified as the cause its
// source shows, by the live checks' classifier and by `explain -` when a
// person pastes it with the URL it went to; a recorded success is no
// error. expect-cause must name a cause cprready documents (or success, or
// subscription-stream): a missing or unknown one is an error.
func TestEvidenceResponsesClassify(t *testing.T) {
	checked := 0
	for _, e := range readEvidence(t, "responses/*.http") {
		status, h, body := readHTTP(t, e)
		kind := datafordeler.KindGraphQL
		switch svc := e.header["service"]; {
		case strings.HasPrefix(svc, "token"):
			kind = datafordeler.KindToken
		case strings.HasPrefix(svc, "FileDownloads"):
			kind = datafordeler.KindFileList
		}
		word := e.header["expect-cause"]
		want := datafordeler.Cause(word)
		got := datafordeler.ClassifyHTTP(kind, status, h, body)
		switch _, known := diagnose.LookupCauseDoc(want); {
		case word == "subscription-stream":
			if !bytes.Contains(body, []byte("event: next")) && !bytes.Contains(body, []byte("data:")) {
				t.Errorf("%s: not an SSE stream", e.path)
			}
			continue
		case word == "success":
			if status >= 300 || !json.Valid(body) {
				t.Errorf("%s: a recorded success that is no 2xx JSON", e.path)
			} else if got != nil {
				t.Errorf("%s: a recorded success classified as %s", e.path, got.Cause)
			}
			continue
		case !known:
			t.Errorf("%s: expect-cause %q is no cause cprready documents (checks/diagnose CauseDocs), nor success or subscription-stream", e.path, word)
			continue
		case got == nil:
			t.Errorf("%s: the classifier sees no error, the source shows %s", e.path, word)
			continue
		case got.Cause != want:
			t.Errorf("%s: classified %s, the source shows %s", e.path, got.Cause, want)
			continue
		case e.header["expect-code"] != "" && !slices.Contains(errcode.All(), e.header["expect-code"]):
			t.Errorf("%s: expect-code %q is not in the platform's code list (platform/errcode)", e.path, e.header["expect-code"])
			continue
		case e.header["expect-code"] != "" && got.Code != e.header["expect-code"]:
			t.Errorf("%s: code %q, the source shows %q", e.path, got.Code, e.header["expect-code"])
			continue
		}
		checked++
		// The same response pasted into `explain -`, after the URL it
		// went to when the source names one.
		paste := e.content
		if u := urlIn(e.header["request"]); u != "" {
			paste = u + "\n" + strings.TrimLeft(e.content, "\n")
		}
		text, ok := diagnose.ExplainBody(strings.NewReader(paste))
		if !ok || !strings.Contains(text, "cause "+string(want)) {
			t.Errorf("%s pasted into explain does not read as %s:\n%s", e.path, want, text)
		}
		if x := e.header["expect-text"]; x != "" && !strings.Contains(text, x) {
			t.Errorf("%s: explain lacks %q:\n%s", e.path, x, text)
		}
	}
	t.Logf("%d recorded bodies classified", checked)
	if checked < 16 {
		t.Fatalf("only %d responses checked", checked)
	}
}

// urlIn is the first https URL in a request line.
func urlIn(s string) string {
	i := strings.Index(s, "https://")
	if i < 0 {
		return ""
	}
	return strings.FieldsFunc(s[i:], func(r rune) bool { return r == ' ' || r == '<' || r == ',' || r == ')' })[0]
}
