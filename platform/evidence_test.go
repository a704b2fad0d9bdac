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
	"strconv"
	"strings"
	"testing"

	"github.com/cprready/cprready/checks/diagnose"
	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
)

const evidenceDir = "testdata/evidence"

// evidence is one file of the corpus with its header.
type evidence struct {
	path    string
	header  map[string]string // "# key: value" lines
	content string            // the rest
}

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
		e := evidence{path: f, header: map[string]string{}}
		lines := strings.Split(string(b), "\n")
		i := 0
		for ; i < len(lines) && strings.HasPrefix(lines[i], "#"); i++ {
			k, v, ok := strings.Cut(strings.TrimPrefix(lines[i], "#"), ":")
			if ok {
				k = strings.TrimSpace(k)
				if _, dup := e.header[k]; !dup {
					e.header[k] = strings.TrimSpace(v)
				}
			}
		}
		e.content = strings.Join(lines[i:], "\n")
		if e.header["source"] == "" {
			t.Errorf("%s names no source", f)
		}
		out = append(out, e)
	}
	return out
}

// serviceOf maps a corpus service name to the platform's service and
// version; ok is false for other registers' material.
func serviceOf(s string) (platform.Service, string, bool) {
	switch strings.Fields(s + " x")[0] {
	case "CPR/custom/PublicSector/v1", "public-v1":
		return platform.Public, "v1", true
	case "CPR/custom/PublicSector/v2", "public-v2":
		return platform.Public, "v2", true
	case "CPR/custom/PrivateSector/v2", "private-v2":
		return platform.Private, "v2", true
	case "CPR/v1", "cpr-v1":
		return platform.Events, "v1", true
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
	srv, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
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

// causeOf maps the corpus' expect-cause words to the product's causes.
var causeOf = map[string]datafordeler.Cause{
	"graphql-error":               datafordeler.CauseGraphQL,
	"invalid_client":              datafordeler.CauseInvalidClient,
	"unauthorized_client":         datafordeler.CauseUnauthorizedClient,
	"mandatory-selection-missing": datafordeler.CauseMandatorySelection,
	"introspection-disabled":      datafordeler.CauseGraphQL,
	"malformed-request":           datafordeler.CauseGraphQL,
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

// Every recorded or sourced error body is classified as the cause its
// source shows, by the live checks' classifier and by `explain -` when a
// person pastes it; a recorded success is no error.
func TestEvidenceResponsesClassify(t *testing.T) {
	checked := 0
	for _, e := range readEvidence(t, "responses/*.http") {
		status, h, body := readHTTP(t, e)
		kind := datafordeler.KindGraphQL
		if strings.HasPrefix(filepath.Base(e.path), "keycloak-") {
			kind = datafordeler.KindToken
		}
		word := strings.Fields(e.header["expect-cause"] + " none")[0]
		if word == "subscription-stream" {
			if !bytes.Contains(body, []byte("event: next")) && !bytes.Contains(body, []byte("data:")) {
				t.Errorf("%s: not an SSE stream", e.path)
			}
			continue
		}
		got := datafordeler.ClassifyHTTP(kind, status, h, body)
		want, known := causeOf[word]
		switch {
		case word == "none" && status < 300 && !json.Valid(body):
			t.Errorf("%s: a recorded success that is not JSON", e.path)
		case word == "none" && status < 300 && got != nil && got.Cause != datafordeler.CauseGraphQL:
			t.Errorf("%s: a recorded success classified as %s", e.path, got.Cause)
		case word == "none":
		case !known:
			t.Errorf("%s: expect-cause %q has no product cause; map it", e.path, word)
		case got == nil:
			t.Errorf("%s: the classifier sees no error, the source shows %s", e.path, word)
		case got.Cause != want:
			t.Errorf("%s: classified %s, the source shows %s", e.path, got.Cause, want)
		default:
			checked++
		}
		// The same body pasted into `explain -`.
		if known {
			var paste bytes.Buffer
			paste.WriteString(e.content)
			text, ok := diagnose.ExplainBody(&paste)
			if !ok || !strings.Contains(text, "cause "+string(want)) {
				t.Errorf("%s pasted into explain does not read as %s:\n%s", e.path, want, text)
			}
		}
	}
	t.Logf("%d recorded bodies classified", checked)
	if checked < 8 {
		t.Fatalf("only %d responses checked", checked)
	}
}
