package diagnose

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/platform"
)

// ExplainCode explains a platform error code (DAF-AUTH-0005,
// invalid_client …) or a cause name; ok is false when it is unknown.
func ExplainCode(code string) (string, bool) {
	code = strings.TrimSpace(code)
	if n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(code), "HTTP ")); err == nil && n >= 100 && n <= 599 {
		return explainStatus(n)
	}
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

// statusCauses are the causes an HTTP status of the platform (or of
// something on the way) leads to, most likely first.
var statusCauses = map[int][]datafordeler.Cause{
	400: {datafordeler.CauseGraphQL, datafordeler.CauseMandatorySelection, datafordeler.CauseTokenError, datafordeler.CauseUnauthorizedClient, datafordeler.CausePagePastLast, datafordeler.CauseWrongScheme},
	401: {datafordeler.CauseIPNotVerified, datafordeler.CauseNoCredential, datafordeler.CauseInvalidToken, datafordeler.CauseInvalidClient, datafordeler.CauseUnauthorizedClient},
	403: {datafordeler.CauseNoAccess, datafordeler.CauseProxy},
	404: {datafordeler.CauseNotFound},
	407: {datafordeler.CauseProxy},
	429: {datafordeler.CauseRateLimited},
	500: {datafordeler.CauseServer, datafordeler.CauseTokenServer},
	502: {datafordeler.CauseServer, datafordeler.CauseTokenServer},
	503: {datafordeler.CauseServer, datafordeler.CauseTokenServer},
	504: {datafordeler.CauseServer, datafordeler.CauseTimeout},
}

// explainStatus explains a bare HTTP status: what it means from
// Datafordeleren, each cause it can have, and that the body decides.
func explainStatus(n int) (string, bool) {
	return writeStatus(n, statusCausesOf(n))
}

// statusCausesOf is the causes of status n, most likely first.
func statusCausesOf(n int) []datafordeler.Cause {
	if n >= 300 && n < 400 && n != 304 {
		return []datafordeler.Cause{datafordeler.CauseRedirect}
	}
	return statusCauses[n]
}

// tokenCauses are the causes only a token host answers.
var tokenCauses = map[datafordeler.Cause]bool{
	datafordeler.CauseInvalidClient: true, datafordeler.CauseUnauthorizedClient: true, datafordeler.CauseTokenError: true,
	datafordeler.CauseTokenServer: true, datafordeler.CauseInvalidScope: true,
}

// narrowByURL keeps the causes a status can have at the URL called: a
// token host answers only the token causes, a service never them.
func narrowByURL(causes []datafordeler.Cause, token bool) []datafordeler.Cause {
	var out []datafordeler.Cause
	for _, c := range causes {
		if tokenCauses[c] == token {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return causes
	}
	return out
}

// causeNames is "a or b or c".
func causeNames(causes []datafordeler.Cause) string {
	names := make([]string, len(causes))
	for i, c := range causes {
		names[i] = string(c)
	}
	return strings.Join(names, " or ")
}

// writeStatus lists each cause's explanation, saying when the body is
// what tells them apart.
func writeStatus(n int, causes []datafordeler.Cause) (string, bool) {
	if len(causes) == 0 {
		return "", false
	}
	var b strings.Builder
	if len(causes) > 1 {
		fmt.Fprintf(&b, "HTTP %d has %d meanings; the response's body (or its WWW-Authenticate header) tells them apart: paste the whole response into `cprready explain -`.\n\n", n, len(causes))
	} else {
		fmt.Fprintf(&b, "HTTP %d: paste the whole response into `cprready explain -` for the diagnosis of your case.\n\n", n)
	}
	for i, c := range causes {
		if i > 0 {
			b.WriteString("\n")
		}
		if d, ok := LookupCauseDoc(c); ok {
			writeCauseDoc(&b, d)
		}
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

// NotRecognised is what `explain -` answers when a paste shows no HTTP
// status, no error body and no client error: it asks for the body rather
// than guess.
const NotRecognised = "nothing in the paste reads as an HTTP status, an error body from Datafordeleren or a client error cprready knows. " +
	"Paste the response as the platform sent it (`curl -i` shows the status line, the headers and the body), " +
	"or the whole error text your client printed (the exception with its message), then run `cprready explain -` again."

// ErrNotRecognised is a paste with nothing cprready can read (its text
// is NotRecognised), ErrEmptyPaste one with nothing at all: both are the
// user's to fix (exit 2).
var (
	ErrNotRecognised = errors.New(strings.TrimSuffix(NotRecognised, "."))
	ErrEmptyPaste    = errors.New("nothing to explain: the input was empty. Paste a response (status line, headers and body, as `curl -i` shows it) or an error message, then press " + PasteEnd)
)

// ReadAndExplain reads a paste from in and explains it. When prompt is
// set (a terminal) it first says what to paste and how to end it; a
// cancelled ctx (Ctrl-C) ends the wait at once with ctx's error.
func ReadAndExplain(ctx context.Context, in io.Reader, prompt io.Writer) (string, error) {
	if prompt != nil {
		// Two short lines: the prompt fits an 80-column terminal.
		fmt.Fprintln(prompt, "Paste the response (status line, headers, body) or your client's error text,\nthen press "+PasteEnd+". Ctrl-C cancels.")
	}
	type result struct {
		text  string
		found bool
	}
	done := make(chan result, 1)
	go func() {
		text, found := ExplainBody(in)
		done <- result{text, found}
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case r := <-done:
		switch {
		case r.found:
			return r.text, nil
		case r.text != "":
			return "", ErrNotRecognised
		}
		return "", ErrEmptyPaste
	}
}

// ExplainBody diagnoses a paste (see ReadPaste) with the same
// classification and diagnosis the live checks use. It states only what
// the paste shows; what it cannot know, it asks for. found is false when
// the paste shows nothing cprready can read (text is then NotRecognised,
// or empty for an empty paste).
func ExplainBody(in io.Reader) (text string, found bool) {
	raw, _ := io.ReadAll(io.LimitReader(in, MaxPaste))
	if strings.TrimSpace(string(raw)) == "" {
		return "", false
	}
	// A bare status ("404") is explained as `explain 404` explains it.
	if n, err := strconv.Atoi(strings.TrimSpace(string(raw))); err == nil {
		if text, ok := explainStatus(n); ok {
			return fmt.Sprintf("Read as: HTTP %d (a bare status), cause %s.\n\n", n, causeNames(statusCausesOf(n))) + text, true
		}
	}
	p := ReadPaste(string(raw))
	var b strings.Builder
	if p.Masked > 0 {
		fmt.Fprintf(&b, "Note: the paste holds %s (a token, a secret, a key or a password): cprready repeats none of it; take it out before the paste goes into a ticket.\n\n", words.Plural(p.Masked, "credential"))
	}
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
		Data      json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal(p.Body, &probe)
	if probe.Error != "" || strings.Contains(strings.ToLower(p.URL), "openid-connect/token") {
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
		case len(probe.Errors) > 0:
			status, from = http.StatusOK, "not pasted; GraphQL errors come with 200 or 400"
		case len(probe.Data) > 0:
			status, from = http.StatusOK, "not pasted; a GraphQL answer with data"
		case p.Proxy || p.HTML:
			from = "no status pasted" // a page: who sent it is what matters
		default:
			return NotRecognised, false
		}
	}
	if p.Proxy && !platformBody(probe.ErrorCode, probe.Error, len(probe.Errors)) {
		// The proxy's own answer (its headers, its page): the request may
		// never have reached Datafordeleren, whatever the status says.
		explainProxy(&b, status, from)
		return b.String(), true
	}
	if p.HTML {
		explainHTML(&b, status, from, kind == datafordeler.KindToken)
		return b.String(), true
	}
	if (status == http.StatusUnauthorized || status == http.StatusForbidden) && len(p.Body) == 0 && p.Header.Get("WWW-Authenticate") == "" {
		// A status without its body: each meaning is possible, and the
		// body tells which. Nothing is made up.
		causes, at := statusCausesOf(status), ""
		if p.URL != "" {
			causes, at = narrowByURL(causes, kind == datafordeler.KindToken), " at "+platform.HostOf(p.URL)
		}
		text, _ := writeStatus(status, causes)
		fmt.Fprintf(&b, "Read as: HTTP %d%s (%s), without the response's body or WWW-Authenticate header, which tell its meanings apart; cause %s.\nPaste the whole response (curl -i shows it) for the diagnosis of your case.\n\n", status, at, from, causeNames(causes))
		return b.String() + text, true
	}
	e := datafordeler.ClassifyHTTP(kind, status, p.Header, p.Body)
	if e == nil {
		return b.String() + "This is not an error the platform sends: it looks like a successful answer (HTTP " + strconv.Itoa(status) + ", " + from + ").\n", true
	}
	e.Meta.URL = p.URL
	ctx := Context{Check: "explain", ProxySeen: p.Proxy}
	if kind == datafordeler.KindToken {
		ctx.TokenURL = p.URL
	}
	dg := Diagnose(e, ctx)
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

// platformBody reports a body in one of the platform's error shapes.
func platformBody(errorCode, oauthError string, graphqlErrors int) bool {
	return errorCode != "" || oauthError != "" || graphqlErrors > 0
}

// explainProxy explains an answer that shows a proxy's signs (Via,
// Proxy-Authenticate, X-Squid-Error, a proxy's server name or its block
// page) and none of the platform's error shapes.
func explainProxy(b *strings.Builder, status int, from string) {
	msg := fmt.Sprintf("A proxy answered (HTTP %d, %s; the paste shows the proxy's signs): the request did not reach Datafordeleren, so the status is the proxy's, not the platform's", status, from)
	if status == 0 {
		msg = "A proxy or web filter answered with its own page (the paste shows its signs): the request did not reach Datafordeleren"
	}
	fmt.Fprintf(b, "Diagnosis: %s\nFix: Let the proxy pass *.datafordeler.dk (ask who runs it, with this page), give it its credentials if it asks (407), or set NO_PROXY for the platform's hosts.\n\nRead as: a proxy's answer, %s, cause %s\n\n", msg, statusWords(status, from), datafordeler.CauseProxy)
	if d, ok := LookupCauseDoc(datafordeler.CauseProxy); ok {
		writeCauseDoc(b, d)
	}
}

// statusWords is "HTTP 502 (status line)", or that no status was pasted.
func statusWords(status int, from string) string {
	if status == 0 {
		return from
	}
	return fmt.Sprintf("HTTP %d (%s)", status, from)
}

// explainHTML explains an HTML page: Datafordeleren answers errors as
// JSON, so an HTML page comes from something in between or another URL;
// a 5xx page is a service (the token host's, when the call was a token
// call) that is not available.
func explainHTML(b *strings.Builder, status int, from string, token bool) {
	cause := datafordeler.CauseMalformed
	msg := fmt.Sprintf("An HTML page answered (%s). Datafordeleren answers errors as JSON (problem+json, Keycloak or GraphQL errors), so this page comes from another URL than the platform's, or from something in between (a firewall, a load balancer, a login page)", statusWords(status, from))
	fix := "Open the same URL from the same machine and see who answers; check endpoints: in the profile and the proxy settings (HTTPS_PROXY, NO_PROXY); `cprready check` names the host that answered."
	switch {
	case status == http.StatusProxyAuthRequired:
		cause = datafordeler.CauseProxy
		msg = "A proxy asks for authentication (HTTP 407, an HTML page): the request never reached Datafordeleren"
		fix = "Give the proxy its credentials or allow *.datafordeler.dk in it, or set NO_PROXY."
	case status >= 500:
		what := "The service's address"
		cause = datafordeler.CauseServer
		if token {
			cause, what = datafordeler.CauseTokenServer, "The token endpoint's address"
		}
		msg = fmt.Sprintf("%s answered an HTML error page (HTTP %d, %s): a server on the way to it is not available [I: the platform's own errors are JSON; what stands in front of it is not recorded]", what, status, from)
		fix = "Retry later and see Datafordeleren's operational status; if only you see it, check the URL and any proxy on the way."
	}
	fmt.Fprintf(b, "Diagnosis: %s\nFix: %s\n\nRead as: an HTML page, %s, cause %s\n\n", msg, fix, statusWords(status, from), cause)
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
