package emulator_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/emutest"
)

// twin is an emulator with an HTTP client that trusts it and a token of
// the public authority's GraphQL IT-system.
type twin struct {
	srv   *emulator.Server
	hc    *http.Client
	token string
}

func newTwin(t *testing.T) *twin {
	t.Helper()
	return newTwinWith(t, emulator.Config{})
}

// newTwinWith is newTwin with settings (EqFold, faults).
func newTwinWith(t *testing.T, cfg emulator.Config) *twin {
	t.Helper()
	srv := emutest.Start(t, cfg)
	pem, err := os.ReadFile(srv.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	c := srv.Credentials().Public
	resp, err := hc.PostForm(srv.URL()+"/auth/realms/distribution/protocol/openid-connect/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {c.GraphQLClientID}, "client_secret": {c.GraphQLSecret}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	return &twin{srv: srv, hc: hc, token: tok.AccessToken}
}

// post sends a GraphQL query and returns the status and decoded body.
func (w *twin) post(t *testing.T, path, accept, query string) (int, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequest(http.MethodPost, w.srv.URL()+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+w.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", accept)
	resp, err := w.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: not JSON (%d): %s", path, resp.StatusCode, b)
	}
	return resp.StatusCode, out
}

const hcAccept = "application/graphql-response+json, application/json"

func nodes(t *testing.T, out map[string]any, root string) []any {
	t.Helper()
	if errs, ok := out["errors"]; ok {
		t.Fatalf("errors: %v", errs)
	}
	data, _ := out["data"].(map[string]any)
	conn, _ := data[root].(map[string]any)
	n, _ := conn["nodes"].([]any)
	return n
}

// Both versions are served at their real paths, each with its own names.
func TestBothVersionsServed(t *testing.T) {
	w := newTwin(t)
	v1 := `{ CPRCustom_PublicSectorPerson(input: { personnummer: { personnummer: { in: "0101341235" } } }) { nodes { beskyttelser { status } navne { fornavne } } } }`
	if status, out := w.post(t, "/CPR/custom/PublicSector/v1", hcAccept, v1); status != 200 || len(nodes(t, out, "CPRCustom_PublicSectorPerson")) != 1 {
		t.Fatalf("v1: %d %v", status, out)
	}
	// v1's fornavne on v2: rejected, 400 under graphql-response+json …
	status, out := w.post(t, "/CPR/custom/PublicSector/v2", hcAccept, v1)
	if status != http.StatusBadRequest || out["errors"] == nil {
		t.Fatalf("v2 with a v1 field under graphql-response+json: %d %v", status, out)
	}
	// … and 200 with errors under application/json.
	if status, out := w.post(t, "/CPR/custom/PublicSector/v2", "application/json", v1); status != http.StatusOK || out["errors"] == nil {
		t.Fatalf("under application/json: %d %v", status, out)
	}
	req, _ := http.NewRequest(http.MethodPost, w.srv.URL()+"/CPR/custom/PublicSector/v3", strings.NewReader(`{"query":"{ x }"}`))
	req.Header.Set("Authorization", "Bearer "+w.token)
	if resp, err := w.hc.Do(req); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("v3: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

// A missing mandatory selection answers the platform's own words, 400 +
// errors under graphql-response+json.
func TestMandatorySelectionAnswer(t *testing.T) {
	w := newTwin(t)
	status, out := w.post(t, "/CPR/custom/PublicSector/v1", hcAccept, `{ CPRCustom_PublicSectorPerson(input: { personnummer: { personnummer: { in: "0101341235" } } }) { nodes { boern { barn { personnummer } } beskyttelser { status } } } }`)
	if status != http.StatusBadRequest {
		t.Fatalf("status %d", status)
	}
	b, _ := json.Marshal(out)
	if !strings.Contains(string(b), "Required fields are missing in query selection: beskyttelser") {
		t.Fatalf("%s", b)
	}
}

// Every accepted filter is applied: GraphQL input coercion, and a filter
// that matches nobody returns nobody.
func TestFiltersAreApplied(t *testing.T) {
	w := newTwin(t)
	q := func(input string) string {
		return `{ CPRCustom_PublicSectorPerson(input: ` + input + `) { nodes { beskyttelser { status } navne { fornavn } } } }`
	}
	for _, c := range []struct {
		input string
		want  int
	}{
		{`{ personnummer: { personnummer: { in: "0101341235" } } }`, 1}, // one value coerced to a list of one
		{`{ personnummer: { personnummer: { in: ["0101341235", "0906341234"] } } }`, 2},
		{`{ personnummer: { personnummer: { eq: "9999999999" } } }`, 0},
		{`{ adresseoplysninger: { status: { eq: "nobody-has-this" } } }`, 0},
		{`{ cprAdresse: { cprkommunekode: { eq: "999" } } }`, 0},
		// The seed's filters "Aktuel"; the data writes "aktuel" and eq is
		// exact (platform.ConvEqExact) …
		{`{ adresseoplysninger: { status: { eq: "Aktuel" } } cprAdresse: { cprkommunekode: { eq: "101" } } cprvejkode: { eq: "111" } husnummer: { eq: "11" } }`, 0},
		{`{ adresseoplysninger: { status: { eq: "aktuel" } } cprAdresse: { cprkommunekode: { eq: "101" } } cprvejkode: { eq: "111" } husnummer: { eq: "11" } }`, 2},
		{`{ husnummer: { eq: "12" } cprvejkode: { eq: "111" } }`, 0},
	} {
		_, out := w.post(t, "/CPR/custom/PublicSector/v2", hcAccept, q(c.input))
		if got := len(nodes(t, out, "CPRCustom_PublicSectorPerson")); got != c.want {
			t.Errorf("%s: %d persons, want %d", c.input, got, c.want)
		}
	}
	// … unless the emulator is told to compare eq case-insensitively.
	folded := newTwinWith(t, emulator.Config{EqFold: true})
	_, out := folded.post(t, "/CPR/custom/PublicSector/v2", hcAccept, q(`{ adresseoplysninger: { status: { eq: "Aktuel" } } cprAdresse: { cprkommunekode: { eq: "101" } } cprvejkode: { eq: "111" } husnummer: { eq: "11" } }`))
	if got := len(nodes(t, out, "CPRCustom_PublicSectorPerson")); got != 2 {
		t.Errorf("EqFold: the seed's filter finds %d persons, want 2", got)
	}
}

// The seed's own example answers with persons who have children and
// parents, in the relation shapes (its "Aktuel" matches with EqFold).
func TestSeedExampleHasFamilies(t *testing.T) {
	w := newTwinWith(t, emulator.Config{EqFold: true})
	b, err := os.ReadFile("../gql/testdata/seed-public.graphql")
	if err != nil {
		t.Fatal(err)
	}
	_, out := w.post(t, "/CPR/custom/PublicSector/v2", hcAccept, string(b))
	if len(nodes(t, out, "CPRCustom_PublicSectorPerson")) == 0 {
		t.Fatal("the seed's example finds nobody")
	}
	_, out = w.post(t, "/CPR/custom/PublicSector/v1", hcAccept, `{ CPRCustom_PublicSectorPerson(input: { personnummer: { personnummer: { in: "0906341234" } } }) { nodes { beskyttelser { status } boern { virkningfra barn { personnummer beskyttelser { status } navn { fornavne } } } foraeldreoplysninger { foraelderrolle foraelder { personnummer beskyttelser { status } } foraelderUdenCpr { navn } } } } }`)
	n := nodes(t, out, "CPRCustom_PublicSectorPerson")
	if len(n) != 1 {
		t.Fatalf("%v", out)
	}
	p := n[0].(map[string]any)
	boern := p["boern"].([]any)
	if len(boern) == 0 || boern[0].(map[string]any)["barn"].(map[string]any)["personnummer"] == nil {
		t.Fatalf("children: %v", p["boern"])
	}
	parents := p["foraeldreoplysninger"].([]any)
	if len(parents) < 2 || parents[0].(map[string]any)["foraelder"] == nil || parents[1].(map[string]any)["foraelderUdenCpr"] == nil {
		t.Fatalf("parents: %v", p["foraeldreoplysninger"])
	}
}

// The official events selection and the import status, as queries.
func TestEventsAndImportStatus(t *testing.T) {
	w := newTwin(t)
	_, out := w.post(t, "/CPR/v1", hcAccept, `{ CPR_Events(first: 3, where: { entityname: { eq: "Cprhaendelse" } eventid: { gt: 20 } }) { nodes { eventid eventaction object_id object_datafordelerRowId object_datafordelerRowVersion datafordelerRegisterImportSequenceNumber } pageInfo { hasNextPage endCursor } } }`)
	n := nodes(t, out, "CPR_Events")
	if len(n) != 3 {
		t.Fatalf("%v", out)
	}
	for _, e := range n {
		ev := e.(map[string]any)
		if id := ev["eventid"].(float64); id <= 20 {
			t.Errorf("eventid gt 20 not applied: %v", id)
		}
		if a := ev["eventaction"]; a != "i" && a != "u" && a != "d" {
			t.Errorf("eventaction %v is not i/u/d", a)
		}
	}
	_, out = w.post(t, "/CPR/v1", hcAccept, `query { DAF_RegisterImportStatus { lastSequenceNumber lastEventId lastUpdated } }`)
	st, _ := out["data"].(map[string]any)["DAF_RegisterImportStatus"].(map[string]any)
	if st == nil || st["lastSequenceNumber"] == nil || st["lastEventId"] == nil {
		t.Fatalf("%v", out)
	}
}

// The file list lives at v2.0 with the v2 fields, and answers unversioned
// too (platform.ConvListUnversioned).
func TestFileListV2(t *testing.T) {
	w := newTwin(t)
	tok := w.filesToken(t)
	get := func(path string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodGet, w.srv.URL()+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := w.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	status, b := get("/FileDownloads/v2.0/GetAvailableFileDownloads?Register=CPR")
	if status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	for _, f := range []string{"municipalityCode", "generationNumber", "version", "fileName", "md5Hash"} {
		if !strings.Contains(string(b), `"`+f+`"`) {
			t.Errorf("the v2.0 list lacks %s", f)
		}
	}
	if status, b := get("/FileDownloads/GetAvailableFileDownloads?Register=CPR"); status != http.StatusOK || !strings.Contains(string(b), `"availableFileDownloads"`) {
		t.Errorf("unversioned list: %d %s", status, b)
	}
	if status, _ := get("/FileDownloads/v1.0/GetAvailableFileDownloads?Register=CPR"); status != http.StatusNotFound {
		t.Errorf("the retired v1.0 list: %d", status)
	}
}

// filesToken is a token of the file-download IT-system's shared secret.
func (w *twin) filesToken(t *testing.T) string {
	t.Helper()
	c := w.srv.Credentials().Public
	resp, err := w.hc.PostForm(w.srv.URL()+"/auth/realms/distribution/protocol/openid-connect/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {c.FilesClientID}, "client_secret": {c.FilesSecret}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("no token for the file-download system: %v", err)
	}
	return tok.AccessToken
}
