package diagnose

import (
	"strings"
	"testing"

	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/internal/golden"
	"github.com/cprready/cprready/platform/errcode"
)

func TestExplainCode(t *testing.T) {
	for code, want := range map[string][]string{
		"DAF-AUTH-0005":   {"2 meanings", "ip address is not verified", "15 minutes"},
		"DAF-AUTH-0001":   {"No approved data access"},
		"invalid_client":  {"rejected the client", "another environment"},
		"invalid_token":   {"access token was rejected"},
		"DAF-GQL-0008":    {"Aliases"},
		"HC0046":          {"introspection"},
		"ip-not-verified": {"whitelisted"},
	} {
		text, ok := ExplainCode(code)
		if !ok {
			t.Errorf("%s unknown", code)
			continue
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: lacks %q:\n%s", code, w, text)
			}
		}
	}
	if _, ok := ExplainCode("nope"); ok {
		t.Error("nope explained")
	}
}

func TestExplainBody(t *testing.T) {
	cases := map[string]string{
		`{"errorCode":"DAF-AUTH-0005","detail":"Access denied: ip address is not verified"}`:                                                                                         "does not accept calls from the caller's public address",
		"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/problem+json\r\n\r\n{\"errorCode\":\"DAF-AUTH-0005\",\"detail\":\"Access denied. No authentication method found.\"}": "No valid credential",
		`{"error":"invalid_client","error_description":"Invalid client credentials"}`:                                                                                                "rejected the client",
		"HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_token\"\n\n":                                                                                            "rejected the access token",
		`{"errors":[{"message":"Required fields are missing in query selection: beskyttelser"}]}`:                                                                                    "mandatory field",
		`{"errors":[{"message":"not authorized","extensions":{"code":"DAF-AUTH-0001"}}]}`:                                                                                            "no approved data access",
		`{"data":{"x":1}}`: "not an error",
	}
	for body, want := range cases {
		got, _ := ExplainBody(strings.NewReader(body))
		if !strings.Contains(strings.ToLower(got), strings.ToLower(want)) {
			t.Errorf("%q:\n%s\nlacks %q", body, got, want)
		}
	}
}

// Every cause the classifier can produce has a doc.
func TestEveryCauseDocumented(t *testing.T) {
	for _, c := range datafordeler.Causes() {
		d, ok := LookupCauseDoc(c)
		if !ok {
			t.Errorf("%s has no doc", c)
			continue
		}
		if d.Title == "" || len(d.Causes) == 0 || d.Fix == "" {
			t.Errorf("%s: a doc needs a title, likely causes and a fix", c)
		}
		// A fix that sends the reader back to explain is no fix.
		if strings.Contains(d.Fix, "cprready explain") {
			t.Errorf("%s: the fix is circular: %s", c, d.Fix)
		}
		if text, ok := ExplainCode(string(c)); !ok || !strings.Contains(text, d.Title) {
			t.Errorf("%s: `cprready explain %s` does not show its doc", c, c)
		}
	}
}

// Every platform error code's explanation, as `cprready explain CODE`
// prints it.
func TestExplainCodesGolden(t *testing.T) {
	var b strings.Builder
	seen := map[string]bool{}
	for _, d := range CauseDocs() {
		for _, code := range append([]string{string(d.Cause)}, d.Codes...) {
			if seen[code] {
				continue
			}
			seen[code] = true
			text, ok := ExplainCode(code)
			if !ok {
				t.Fatalf("%s is documented but not explained", code)
			}
			b.WriteString("$ cprready explain " + code + "\n" + text + "\n")
		}
	}
	golden.Check(t, "explain-codes.golden", []byte(b.String()))
}

// Every code of the platform's one list (errcode) is explained by
// `cprready explain CODE`, in words that name it.
func TestEveryCodeExplained(t *testing.T) {
	for _, code := range errcode.All() {
		text, ok := ExplainCode(code)
		if !ok || !strings.Contains(text, code) {
			t.Errorf("`cprready explain %s` does not explain it: a GraphQL code that reads as graphql-error gets a row in graphqlCodes (conventions.go), any other code a CauseDoc listing it (diagnose.go)\n%s", code, text)
		}
	}
}
