package diagnose

import (
	"strings"
	"testing"
	"time"

	"github.com/cprready/cprready/datafordeler"
)

func TestDiagnoseConventions(t *testing.T) {
	day := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		e    *datafordeler.Error
		d    Context
		want []string
	}{
		{"a 404 on a CPR version that is not served", &datafordeler.Error{Cause: datafordeler.CauseNotFound, Status: 404, Meta: datafordeler.Meta{URL: "https://graphql.datafordeler.dk/CPR/custom/PrivateSector/v3/schema?apiKey=***"}},
			Context{Check: "schema.apikey"}, []string{"/CPR/custom/PrivateSector/v3/schema", "/CPR/custom/PrivateSector/v1 and /CPR/custom/PrivateSector/v2", "private custom service"}},
		{"a 404 on another register", &datafordeler.Error{Cause: datafordeler.CauseNotFound, Status: 404, Meta: datafordeler.Meta{URL: "https://graphql.datafordeler.dk/CVR/v1"}},
			Context{Check: "explain"}, []string{"/CVR/v1", "not a CPR path", "/CPR/v1"}},
		{"a 404 on a file path", &datafordeler.Error{Cause: datafordeler.CauseNotFound, Status: 404, Meta: datafordeler.Meta{URL: "https://api.datafordeler.dk/FileDownloads/v1.0/GetAvailableFileDownloads?Register=CPR"}},
			Context{Check: "filedownload.list"}, []string{"/FileDownloads/v1.0/GetAvailableFileDownloads", "/FileDownloads/v2.0/GetAvailableFileDownloads and /FileDownloads/GetAvailableFileDownloads", "401"}},
		{"a key created today, tried four times", &datafordeler.Error{Cause: datafordeler.CauseNoCredential, Status: 401, Code: "DAF-AUTH-0005"},
			Context{Check: "schema.apikey", KeyCreated: day, At: day.Add(3 * time.Hour), KeyAttempts: 4}, []string{"created today", "15 minutes", "about an hour", "tried it 4 times", "same key", "Do not create a new key"}},
		{"an old key", &datafordeler.Error{Cause: datafordeler.CauseNoCredential, Status: 401, Code: "DAF-AUTH-0005"},
			Context{Check: "schema.apikey", KeyCreated: day.AddDate(0, -1, 0), At: day}, []string{"not accepted", "within the hour", "retry the same key"}},
		{"a pasted unrecognised key", &datafordeler.Error{Cause: datafordeler.CauseNoCredential, Status: 401, Code: "DAF-AUTH-0005", Detail: "Unrecognized Authentication key. Please verify: 1) The APIkey or ClientId is correct 2) At least 15 minutes have passed since creation"},
			Context{Check: "explain"}, []string{"does not recognise the API key", "about 30% of calls", "retry the same key"}},
		{"an in list over 100", &datafordeler.Error{Cause: datafordeler.CauseGraphQL, Status: 400, Code: "DAF-GQL-0016", Detail: "The number of elements in the supplied 'in' list is not allowed to exceed 100"},
			Context{Check: "explain"}, []string{"DAF-GQL-0016", "100 or fewer"}},
		{"HC0011", &datafordeler.Error{Cause: datafordeler.CauseGraphQL, Status: 400, Code: "HC0011"},
			Context{Check: "explain"}, []string{"ASCII", "æ→ae"}},
		{"an empty file list", &datafordeler.Error{Cause: datafordeler.CausePagePastLast, Status: 400},
			Context{Check: "filedownload.list", System: "Fildownload"}, []string{"holds nothing for", "Fildownload", "'pageNumber' is greater", "Dataadgang"}},
	} {
		dg := Diagnose(c.e, c.d)
		text := dg.Message + " | " + dg.Remedy
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: lacks %q:\n%s", c.name, w, text)
			}
		}
	}
}

// explain DAF-GQL-0009 says what to add.
func TestExplainRequiredFilter(t *testing.T) {
	text, ok := ExplainCode("DAF-GQL-0009")
	if !ok {
		t.Fatal("DAF-GQL-0009 unknown")
	}
	for _, w := range []string{"virkningstid", "registreringstid", "id filter", "CPR_AdministrativEnhed", "[I for CPR", "schema validate"} {
		if !strings.Contains(text, w) {
			t.Errorf("lacks %q:\n%s", w, text)
		}
	}
	if !KeyIsNew(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC)) || KeyIsNew(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) || KeyIsNew(time.Time{}, time.Now()) {
		t.Error("a key is new on the evaluation day only")
	}
}
