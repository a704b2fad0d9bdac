package datafordeler

import (
	"net/http"
	"strings"
	"testing"
	"unicode"
)

func TestClassifyHTTP(t *testing.T) {
	h := func(kv ...string) http.Header {
		x := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			x.Set(kv[i], kv[i+1])
		}
		return x
	}
	cases := []struct {
		name   string
		kind   string
		status int
		header http.Header
		body   string
		want   Cause // "" = success
	}{
		{"ip", KindGraphQL, 401, nil, `{"errorCode":"DAF-AUTH-0005","detail":"Access denied: ip address is not verified"}`, CauseIPNotVerified},
		{"no credential", KindSchema, 401, nil, `{"errorCode":"DAF-AUTH-0005","detail":"Access denied. No authentication method found."}`, CauseNoCredential},
		{"invalid_token header", KindGraphQL, 401, h("WWW-Authenticate", `Bearer error="invalid_token", error_description="expired"`), ``, CauseInvalidToken},
		{"403", KindGraphQL, 403, nil, ``, CauseNoAccess},
		{"DAF-AUTH-0001 in errors", KindGraphQL, 200, nil, `{"errors":[{"message":"not authorized","extensions":{"code":"DAF-AUTH-0001"}}]}`, CauseNoAccess},
		{"mandatory", KindGraphQL, 200, nil, `{"errors":[{"message":"Required fields are missing in query selection: beskyttelser"}]}`, CauseMandatorySelection},
		{"alias", KindGraphQL, 200, nil, `{"errors":[{"message":"Aliases are not allowed","extensions":{"code":"DAF-GQL-0008"}}]}`, CauseAlias},
		{"other graphql", KindGraphQL, 200, nil, `{"errors":[{"message":"more than one root","extensions":{"code":"DAF-GQL-0010"}}]}`, CauseGraphQL},
		{"both credentials", KindGraphQL, 400, nil, `{"errorCode":"DAF-AUTH-0002"}`, CauseBothCredentials},
		{"invalid_client", KindToken, 401, nil, `{"error":"invalid_client","error_description":"Invalid client credentials"}`, CauseInvalidClient},
		{"unauthorized_client", KindToken, 400, nil, `{"error":"unauthorized_client"}`, CauseUnauthorizedClient},
		{"invalid_scope", KindToken, 400, nil, `{"error":"invalid_scope"}`, CauseInvalidScope},
		{"invalid_grant", KindToken, 400, nil, `{"error":"invalid_grant"}`, CauseTokenError},
		{"token 503", KindToken, 503, h("Retry-After", "1"), `<html>`, CauseTokenServer},
		{"data 502", KindGraphQL, 502, nil, ``, CauseServer},
		{"token not json", KindToken, 200, nil, `<html>`, CauseTokenNotJSON},
		{"token no access_token", KindToken, 200, nil, `{"token_type":"Bearer"}`, CauseNoAccessToken},
		{"token ok", KindToken, 200, nil, `{"access_token":"x","expires_in":300,"token_type":"Bearer"}`, ""},
		{"429", KindSchema, 429, h("Retry-After", "7"), ``, CauseRateLimited},
		{"malformed", KindGraphQL, 200, nil, `<html>oops</html>`, CauseMalformed},
		{"graphql ok", KindGraphQL, 200, nil, `{"data":{"x":1}}`, ""},
		{"schema ok", KindSchema, 200, nil, `type Query { a: Int }`, ""},
		{"404", KindSchema, 404, nil, `not found`, CauseNotFound},
		{"418", KindSchema, 418, nil, ``, CauseHTTP},
	}
	for _, c := range cases {
		e := ClassifyHTTP(c.kind, c.status, c.header, []byte(c.body))
		switch {
		case c.want == "" && e != nil:
			t.Errorf("%s: want success, got %v", c.name, e)
		case c.want != "" && (e == nil || e.Cause != c.want):
			t.Errorf("%s: want %s, got %v", c.name, c.want, e)
		}
	}
	if e := ClassifyHTTP(KindSchema, 429, h("Retry-After", "7"), nil); e.RetryAfter.Seconds() != 7 {
		t.Errorf("Retry-After: %v", e.RetryAfter)
	}
}

func FuzzClassifyHTTP(f *testing.F) {
	f.Add("graphql", 401, `{"errorCode":"DAF-AUTH-0005","detail":"ip address is not verified"}`, "")
	f.Add("token", 400, `{"error":"invalid_client"}`, "")
	f.Add("graphql", 200, `{"errors":[{"message":"x","extensions":{"code":7}}]}`, `Bearer error="invalid_token"`)
	f.Add("graphql", 200, "\x1b]0;pwn\x07", "")
	f.Fuzz(func(t *testing.T, kind string, status int, body, www string) {
		hdr := http.Header{}
		hdr.Set("WWW-Authenticate", www)
		e := ClassifyHTTP(kind, status, hdr, []byte(body))
		if e == nil {
			return
		}
		if e.Cause == "" {
			t.Fatal("an error without a cause")
		}
		for _, s := range []string{e.Detail, e.Code} {
			if len([]rune(s)) > 301 {
				t.Fatalf("evidence not capped: %d", len(s))
			}
			if strings.ContainsFunc(s, func(r rune) bool { return r == 0x1b || unicode.IsControl(r) }) {
				t.Fatalf("control characters kept: %q", s)
			}
		}
		_ = e.Error()
	})
}
