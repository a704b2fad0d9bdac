package emulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cprready/cprready/platform/errcode"

	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/platform"
)

// send makes a request as a client that sets only what it is given:
// accept "" sends no Accept header at all.
func (w *twin) send(t *testing.T, method, path, accept, token string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, w.srv.URL()+path, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := w.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func queryBody(q string) []byte {
	b, _ := json.Marshal(map[string]any{"query": q})
	return b
}

// firstError is errors[0]'s message and extensions.code.
func firstError(t *testing.T, b []byte) (string, string) {
	t.Helper()
	var out struct {
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(b, &out); err != nil || len(out.Errors) == 0 {
		t.Fatalf("no errors in %s", b)
	}
	code, _ := out.Errors[0].Extensions["code"].(string)
	return out.Errors[0].Message, code
}

// An in list over 100 with no Accept header: HTTP 400, DAF-GQL-0016 and
// the platform's words (measured on DAR/v3); 200 under application/json.
func TestInListWithoutAccept(t *testing.T) {
	w := newTwin(t)
	vals := make([]string, 101)
	for i := range vals {
		vals[i] = `"0101341235"`
	}
	q := queryBody(`{ CPRCustom_PublicSectorPerson(input: { personnummer: { personnummer: { in: [` + strings.Join(vals, ",") + `] } } }) { nodes { beskyttelser { status } } } }`)
	status, h, b := w.send(t, "POST", "/CPR/custom/PublicSector/v1", "", w.token, q)
	msg, code := firstError(t, b)
	if status != http.StatusBadRequest || code != errcode.InListTooLong || msg != gql.InListMessage || !strings.HasPrefix(h.Get("Content-Type"), platform.MediaGraphQLResponse) {
		t.Fatalf("%d %s %s", status, h.Get("Content-Type"), b)
	}
	if status, _, _ := w.send(t, "POST", "/CPR/custom/PublicSector/v1", "application/json", w.token, q); status != http.StatusOK {
		t.Fatalf("under application/json: %d", status)
	}
}

// DAF-GQL-0009 on the bitemporal entity, as recorded on CVR/v2: 200, the
// root null, the error with path and extensions {code, traceId}; with a
// time argument the same query answers.
func TestTimeOrIDAnswer(t *testing.T) {
	w := newTwin(t)
	for _, accept := range []string{"application/json", hcAccept, ""} {
		status, _, b := w.send(t, "POST", "/CPR/v1", accept, w.token, queryBody(`{ CPR_AdministrativEnhed(first: 1) { nodes { kode navn } } }`))
		var out struct {
			Data   map[string]any `json:"data"`
			Errors []struct {
				Path       []any          `json:"path"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		_ = json.Unmarshal(b, &out)
		if status != http.StatusOK || len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != errcode.TimeArgument ||
			!strings.HasPrefix(out.Errors[0].Extensions["traceId"].(string), "00-") || len(out.Errors[0].Path) != 1 {
			t.Fatalf("accept %q: %d %s", accept, status, b)
		}
		if v, ok := out.Data["CPR_AdministrativEnhed"]; !ok || v != nil {
			t.Fatalf("accept %q: data %v", accept, out.Data)
		}
	}
	status, out := w.post(t, "/CPR/v1", hcAccept, `{ CPR_AdministrativEnhed(first: 1, virkningstid: "2026-08-03T12:00:00Z") { nodes { kode navn } } }`)
	if status != http.StatusOK || len(nodes(t, out, "CPR_AdministrativEnhed")) != 1 {
		t.Fatalf("%d %v", status, out)
	}
}

// A query may be sent as GET, with its variables as JSON.
func TestGraphQLOverGET(t *testing.T) {
	w := newTwin(t)
	v := url.Values{
		"query":     {`query($c: [String!]) { CPRCustom_PublicSectorPerson(input: { personnummer: { personnummer: { in: $c } } }) { nodes { beskyttelser { status } } } }`},
		"variables": {`{"c": ["0101341235"]}`},
	}
	status, _, b := w.send(t, "GET", "/CPR/custom/PublicSector/v1?"+v.Encode(), hcAccept, w.token, nil)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	if status != http.StatusOK || len(nodes(t, out, "CPRCustom_PublicSectorPerson")) != 1 {
		t.Fatalf("%d %s", status, b)
	}
	status, _, b = w.send(t, "GET", "/CPR/v1?query="+url.QueryEscape(`query { DAF_RegisterImportStatus { lastSequenceNumber } }`), "", w.token, nil)
	if status != http.StatusOK || !strings.Contains(string(b), "lastSequenceNumber") {
		t.Fatalf("%d %s", status, b)
	}
}

// A Danish letter in a field name: HC0011, 400 with no Accept header.
func TestDanishLetterHC0011(t *testing.T) {
	w := newTwin(t)
	status, _, b := w.send(t, "POST", "/CPR/custom/PublicSector/v1", "", w.token, queryBody(`{ CPRCustom_PublicSectorPerson(input: {}) { nodes { beskyttelser { status } forældreoplysninger { foraelderrolle } } } }`))
	if _, code := firstError(t, b); status != http.StatusBadRequest || code != errcode.Syntax {
		t.Fatalf("%d %s", status, b)
	}
}

// A version the platform does not serve answers a bare 404, no body.
func TestUnservedVersionIsBare404(t *testing.T) {
	w := newTwin(t)
	for _, p := range []string{"/CPR/custom/PublicSector/v3", "/CPR/v2", "/CVR/v1", "/CPR/custom/PrivateSector/v9/schema"} {
		status, _, b := w.send(t, "POST", p, hcAccept, w.token, queryBody(`{ __typename }`))
		if p == "/CPR/custom/PrivateSector/v9/schema" {
			status, _, b = w.send(t, "GET", p, "", "", nil)
		}
		if status != http.StatusNotFound || len(b) != 0 {
			t.Errorf("%s: %d %q", p, status, b)
		}
	}
}

// The file list: a page past the last is 400 with the platform's words,
// PageSize is ignored, every FileDownloads path answers a bad key 401.
func TestFileListPaging(t *testing.T) {
	w := newTwin(t)
	tok := w.filesToken(t)
	status, _, b := w.send(t, "GET", "/FileDownloads/GetAvailableFileDownloads?Register=CPR&PageSize=1&PageNumber=1", "application/json", tok, nil)
	var list struct {
		Meta struct {
			PageSize   int `json:"pageSize"`
			TotalPages int `json:"totalPages"`
		} `json:"paginationMetadata"`
		Files []struct {
			FileName         string `json:"fileName"`
			MunicipalityCode any    `json:"municipalityCode"`
		} `json:"availableFileDownloads"`
	}
	_ = json.Unmarshal(b, &list)
	if status != 200 || list.Meta.PageSize != platform.FileListPageSize || len(list.Files) < 2 {
		t.Fatalf("PageSize is not ignored: %d %s", status, b)
	}
	split := false
	for _, f := range list.Files {
		split = split || f.MunicipalityCode == "0101" && strings.Contains(f.FileName, "_0101_TotalDownload_")
	}
	if !split {
		t.Errorf("no per-municipality file: %s", b)
	}
	status, _, b = w.send(t, "GET", "/FileDownloads/v2.0/GetAvailableFileDownloads?Register=CPR&pageNumber=2", "application/json", tok, nil)
	if status != http.StatusBadRequest || string(b) != platform.PagePastLastMessage {
		t.Fatalf("page past the last: %d %q", status, b)
	}
	for _, p := range []string{"/FileDownloads/v2.0/GetAvailableFileDownloads?Register=CPR", "/FileDownloads/GetAvailableFileDownloads?Register=CPR", "/FileDownloads/v1.0/GetFile?Filename=x", "/FileDownloads/GetFile?Filename=x", "/FileDownloads/v9/Nothing", "/FileDownloads/v1.0/GetAvailableFileDownloads"} {
		status, _, b := w.send(t, "GET", p+sep(p)+"apiKey=not-a-key", "application/json", "", nil)
		if status != http.StatusUnauthorized || !strings.Contains(string(b), "DAF-AUTH-0005") || !strings.Contains(string(b), "15 minutes have passed since creation") {
			t.Errorf("%s with a bad key: %d %s", p, status, b)
		}
	}
	if status, _, _ := w.send(t, "GET", "/FileDownloads/v9/Nothing", "application/json", tok, nil); status != http.StatusNotFound {
		t.Errorf("an unknown path with a good token: %d", status)
	}
}

func sep(p string) string {
	if strings.Contains(p, "?") {
		return "&"
	}
	return "?"
}

// apikey-propagating: a new key fails about 30% of its calls, the same
// ones every time (calls 1, 4 and 8 of ten), with the platform's words.
func TestNewKeyPropagates(t *testing.T) {
	w := newTwinWith(t, emulator.Config{Faults: []string{emulator.FaultAPIKeyPropagating}})
	key := w.srv.Credentials().Public.APIKey
	var failed []int
	for i := 1; i <= 10; i++ {
		status, _, b := w.send(t, "GET", "/CPR/v1/schema?apiKey="+key, "", "", nil)
		switch status {
		case http.StatusUnauthorized:
			failed = append(failed, i)
			if !strings.Contains(string(b), platform.UnrecognisedKeyDetail) {
				t.Errorf("call %d: %s", i, b)
			}
		case http.StatusOK:
		default:
			t.Fatalf("call %d: %d", i, status)
		}
	}
	if len(failed) != 3 || failed[0] != 1 || failed[1] != 4 || failed[2] != 8 {
		t.Fatalf("failed calls %v, want [1 4 8]", failed)
	}
}
