package checks

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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

// ExplainBody diagnoses a pasted response: a bare body, or a whole HTTP
// response (status line and headers included). It runs the same
// classification and diagnosis the live checks use.
func ExplainBody(in io.Reader) string {
	raw, _ := io.ReadAll(io.LimitReader(in, 1<<20))
	text := strings.TrimSpace(strings.ReplaceAll(string(raw), "\r\n", "\n"))
	status, header, body := 0, http.Header{}, []byte(text)
	if strings.HasPrefix(text, "HTTP/") {
		if resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(text+"\n\n")), nil); err == nil {
			status, header = resp.StatusCode, resp.Header
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
			body = bytes.TrimSpace(b)
		}
	} else if i := strings.Index(strings.ToLower(text), "www-authenticate:"); i >= 0 {
		line, _, _ := strings.Cut(text[i+len("www-authenticate:"):], "\n")
		header.Set("WWW-Authenticate", strings.TrimSpace(line))
		if status == 0 {
			status = http.StatusUnauthorized
		}
	}
	kind := datafordeler.KindGraphQL
	var probe struct {
		Error     string          `json:"error"`
		ErrorCode string          `json:"errorCode"`
		Status    int             `json:"status"`
		Errors    json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &probe) == nil {
		switch {
		case probe.Error != "":
			kind = datafordeler.KindToken
			if status == 0 {
				status = http.StatusUnauthorized
				if probe.Error == "invalid_request" || probe.Error == "invalid_scope" || probe.Error == "unsupported_grant_type" {
					status = http.StatusBadRequest
				}
			}
		case probe.ErrorCode != "" && status == 0:
			status = probe.Status
			if status == 0 {
				status = http.StatusUnauthorized
			}
		case len(probe.Errors) > 0 && status == 0:
			status = http.StatusOK
		}
	}
	if status == 0 {
		status = http.StatusOK
	}
	e := datafordeler.ClassifyHTTP(kind, status, header, body)
	if e == nil {
		return "This response is not an error the platform sends: it looks like a successful answer.\n"
	}
	dg := Diagnose(e, DiagContext{Check: "explain"})
	var b strings.Builder
	fmt.Fprintf(&b, "Diagnosis: %s\n", textsafe.Clean(dg.Message, 0))
	fmt.Fprintf(&b, "Fix: %s\n", textsafe.Clean(dg.Remedy, 0))
	fmt.Fprintf(&b, "\nRead as: HTTP %d, cause %s", status, e.Cause)
	if e.Code != "" {
		fmt.Fprintf(&b, ", code %s", e.Code)
	}
	b.WriteString("\n\n")
	if d, ok := LookupCauseDoc(e.Cause); ok {
		writeCauseDoc(&b, d)
	}
	return b.String()
}

// ErrorsMarkdown renders docs/errors.md from CauseDocs.
func ErrorsMarkdown() string {
	var b strings.Builder
	b.WriteString(`# Platform errors

Every failure cprready's live checks meet is classified into one cause;
this page lists each, with the platform's error codes that lead to it, the
likely causes (most likely first), how to tell them apart, and the fix.
Generated from ` + "`checks/diagnose.go`" + ` (` + "`go test ./checks -run TestErrorsDocs -update`" + `).
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
