package diagnose

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/internal/textsafe"
)

// ExplainCode explains a platform error code (DAF-AUTH-0005,
// invalid_client …) or a cause name; ok is false when it is unknown.
func ExplainCode(code string) (string, bool) {
	code = strings.TrimSpace(code)
	var docs []CauseDoc
	for _, d := range CauseDocs() {
		match := strings.EqualFold(string(d.Cause), code)
		for _, c := range d.Codes {
			match = match || strings.EqualFold(c, code)
		}
		if match {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return "", false
	}
	var b strings.Builder
	if len(docs) > 1 {
		fmt.Fprintf(&b, "%s has %d meanings; the response's detail tells them apart.\n\n", code, len(docs))
	}
	for i, d := range docs {
		if i > 0 {
			b.WriteString("\n")
		}
		writeCauseDoc(&b, d)
	}
	return b.String(), true
}

func writeCauseDoc(b *strings.Builder, d CauseDoc) {
	fmt.Fprintf(b, "%s\n", d.Title)
	if len(d.Codes) > 0 {
		fmt.Fprintf(b, "Codes: %s · cause: %s\n", strings.Join(d.Codes, ", "), d.Cause)
	} else {
		fmt.Fprintf(b, "Cause: %s\n", d.Cause)
	}
	b.WriteString("\nLikely causes, most likely first\n")
	for i, c := range d.Causes {
		fmt.Fprintf(b, "  %d. %s\n", i+1, c)
	}
	if d.TellApart != "" {
		fmt.Fprintf(b, "\nHow to tell them apart\n  %s\n", d.TellApart)
	}
	fmt.Fprintf(b, "\nFix\n  %s\n", d.Fix)
	fmt.Fprintf(b, "\nDocs: %s#%s\n", ErrorsDocs, string(d.Cause))
}

// ErrorsDocs is where docs/errors.md is published.
const ErrorsDocs = "https://github.com/cprready/cprready/blob/main/docs/errors.md"

// ExplainBody diagnoses a paste (see ReadPaste) with the same
// classification and diagnosis the live checks use. It states only what
// the paste shows; what it cannot know, it asks for. ok is false for an
// empty paste.
func ExplainBody(in io.Reader) (string, bool) {
	raw, _ := io.ReadAll(io.LimitReader(in, 1<<20))
	p := ReadPaste(string(raw))
	if p.Status == 0 && len(p.Body) == 0 && p.Client == nil && len(p.Header) == 0 {
		return "", false
	}
	var b strings.Builder
	if p.Client != nil {
		e := &datafordeler.Error{Cause: p.Client.Cause}
		dg := Diagnose(e, Context{Check: "explain"})
		fmt.Fprintf(&b, "Diagnosis: %s\n", textsafe.Clean(dg.Message, 0))
		fmt.Fprintf(&b, "Fix: %s\n", textsafe.Clean(dg.Remedy, 0))
		fmt.Fprintf(&b, "\nRead as: a client-side error (%s: %q); the request got no answer from Datafordeleren, cause %s\n\n", p.Client.Stack, p.Client.Text, p.Client.Cause)
		if d, ok := LookupCauseDoc(p.Client.Cause); ok {
			writeCauseDoc(&b, d)
		}
		return b.String(), true
	}
	status, from := p.Status, p.From
	kind := datafordeler.KindGraphQL
	var probe struct {
		Error     string          `json:"error"`
		ErrorCode string          `json:"errorCode"`
		Status    int             `json:"status"`
		Errors    json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(p.Body, &probe) == nil && probe.Error != "" {
		kind = datafordeler.KindToken
	}
	if status == 0 {
		switch {
		case probe.Status >= 100 && probe.Status < 600:
			status, from = probe.Status, "the body's status"
		case probe.Error == "invalid_request" || probe.Error == "invalid_scope" || probe.Error == "unsupported_grant_type":
			status, from = http.StatusBadRequest, "not pasted; Keycloak answers this error with 400"
		case probe.Error != "" || probe.ErrorCode != "" || p.Header.Get("WWW-Authenticate") != "":
			status, from = http.StatusUnauthorized, "not pasted; this error comes with 401"
		default:
			status, from = http.StatusOK, "not pasted; read as 200"
		}
	}
	if p.HTML {
		explainHTML(&b, status, from)
		return b.String(), true
	}
	e := datafordeler.ClassifyHTTP(kind, status, p.Header, p.Body)
	if e == nil {
		return "This is not an error the platform sends: it looks like a successful answer (HTTP " + strconv.Itoa(status) + ", " + from + ").\n", true
	}
	dg := Diagnose(e, Context{Check: "explain"})
	fmt.Fprintf(&b, "Diagnosis: %s\n", textsafe.Clean(dg.Message, 0))
	fmt.Fprintf(&b, "Fix: %s\n", textsafe.Clean(dg.Remedy, 0))
	fmt.Fprintf(&b, "\nRead as: HTTP %d (%s), cause %s", status, from, e.Cause)
	if e.Code != "" {
		fmt.Fprintf(&b, ", code %s", textsafe.Line(e.Code))
	}
	b.WriteString("\n\n")
	if d, ok := LookupCauseDoc(e.Cause); ok {
		writeCauseDoc(&b, d)
	}
	return b.String(), true
}

// explainHTML explains an HTML page: Datafordeleren answers errors as
// JSON, so an HTML page comes from something in between or another URL.
func explainHTML(b *strings.Builder, status int, from string) {
	cause := datafordeler.CauseMalformed
	msg := fmt.Sprintf("An HTML page answered (HTTP %d, %s). Datafordeleren answers errors as JSON (problem+json, Keycloak or GraphQL errors), so this page comes from something in between (a proxy, a firewall, a load balancer or a login page) or from another URL than the platform's", status, from)
	fix := "Open the same URL from the same machine and see who answers; check endpoints: in the profile and the proxy settings (HTTPS_PROXY, NO_PROXY); `cprready check` names the host that answered."
	if status == http.StatusProxyAuthRequired {
		cause = datafordeler.CauseProxy
		msg = "A proxy asks for authentication (HTTP 407, an HTML page): the request never reached Datafordeleren"
		fix = "Give the proxy its credentials or allow *.datafordeler.dk in it, or set NO_PROXY."
	}
	fmt.Fprintf(b, "Diagnosis: %s\nFix: %s\n\nRead as: an HTML page, HTTP %d (%s), cause %s\n\n", msg, fix, status, from, cause)
	if d, ok := LookupCauseDoc(cause); ok {
		writeCauseDoc(b, d)
	}
}

// ErrorsMarkdown renders docs/errors.md from CauseDocs.
func ErrorsMarkdown() string {
	var b strings.Builder
	b.WriteString(`# Platform errors

Every failure cprready's live checks meet is classified into one cause;
this page lists each, with the platform's error codes that lead to it, the
likely causes (most likely first), how to tell them apart, and the fix.
Generated from ` + "`checks/diagnose/diagnose.go`" + ` (` + "`go test ./checks/diagnose -run TestErrorsDocs -update`" + `).
` + "`cprready explain CODE`" + ` prints the same in a terminal, and
` + "`cprready explain -`" + ` diagnoses a pasted response body (or a whole HTTP
response with status line and headers).

Access failures come back terse: one code, ` + "`DAF-AUTH-0005`" + `, means both
"IP address not whitelisted" and "no valid credential"; the ` + "`detail`" + `
text tells them apart ("ip address is not verified").

| Code | Cause |
|---|---|
`)
	for _, d := range CauseDocs() {
		codes := "–"
		if len(d.Codes) > 0 {
			codes = "`" + strings.Join(d.Codes, "`, `") + "`"
		}
		fmt.Fprintf(&b, "| %s | [%s](#%s) |\n", codes, d.Title, d.Cause)
	}
	for _, d := range CauseDocs() {
		fmt.Fprintf(&b, "\n<a id=\"%s\"></a>\n## %s\n\n", d.Cause, d.Title)
		fmt.Fprintf(&b, "Cause ID: `%s`", d.Cause)
		if len(d.Codes) > 0 {
			fmt.Fprintf(&b, " · codes: `%s`", strings.Join(d.Codes, "`, `"))
		}
		b.WriteString("\n\n**Likely causes, most likely first**\n\n")
		for i, c := range d.Causes {
			fmt.Fprintf(&b, "%d. %s\n", i+1, c)
		}
		if d.TellApart != "" {
			fmt.Fprintf(&b, "\n**How to tell them apart.** %s\n", d.TellApart)
		}
		fmt.Fprintf(&b, "\n**Fix.** %s\n", d.Fix)
	}
	return b.String()
}
