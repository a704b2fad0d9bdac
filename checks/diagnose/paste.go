package diagnose

import (
	"bufio"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/cprready/cprready/datafordeler"
)

// Paste is what a person pasted into `cprready explain -`, read as far as
// it shows anything: an HTTP response (HTTP/1.x or HTTP/2 status line,
// curl -i or -v, a browser's devtools copy), a bare body, an HTML page, or
// a client's own error text (Go, Java, .NET, curl).
type Paste struct {
	Status int         // 0 when the paste shows none
	From   string      // where the status came from: "status line", "HTML title", …
	Header http.Header // as pasted (names canonicalised)
	Body   []byte
	// Client is set when the paste is a client-side error, not a response.
	Client *ClientError
	HTML   bool
}

// ClientError is a client's own error text and the cause it names.
type ClientError struct {
	Cause datafordeler.Cause
	Text  string // the matched words, for "Read as"
	Stack string // Go, Java, .NET, curl
}

var (
	statusLineRe = regexp.MustCompile(`(?i)^(?:[<>*]\s*)?HTTP/(?:1\.[01]|2(?:\.0)?|3)\s+(\d{3})\b`)
	devtoolsRe   = regexp.MustCompile(`(?i)^status(?:\s+code)?\s*:\s*(\d{3})\b`)
	// devtoolsHead are the other "General" lines of a browser's copy.
	devtoolsHead = regexp.MustCompile(`(?i)^(?:request url|request method|remote address|referrer policy)\s*:`)
	headerRe     = regexp.MustCompile(`^(?:[<>]\s*)?([A-Za-z0-9][A-Za-z0-9-]*)\s*:\s*(.*)$`)
	htmlStatusRe = regexp.MustCompile(`(?is)<(?:title|h1)[^>]*>\s*(?:HTTP\s*)?(\d{3})\b`)
)

// clientErrors map client-side error texts to causes, most specific
// first. The texts are the clients' own (Go's net/http and crypto/x509,
// Java's JSSE and java.net, .NET's HttpClient, curl's exit codes).
var clientErrors = []struct {
	cause    datafordeler.Cause
	stack    string
	patterns []string
}{
	{datafordeler.CauseWrongScheme, "the server", []string{"client sent an http request to an https server"}},
	{datafordeler.CauseProxy, "a proxy", []string{"proxy authentication required", "received http code 407", "proxyconnect", "407 from proxy"}},
	{datafordeler.CauseTLSNotYetValid, "TLS", []string{"is not yet valid", "certificatenotyetvalidexception", "certificate is not yet valid"}},
	{datafordeler.CauseTLSExpired, "TLS", []string{"certificate has expired", "certificateexpiredexception", "certificate expired", "curl: (60) ssl certificate problem: certificate has expired"}},
	{datafordeler.CauseTLSHostname, "TLS", []string{"certificate is valid for", "doesn't match", "does not match", "no subject alternative", "remotecertificatenamemismatch", "curl: (51)", "hostname mismatch", "subject alternative name"}},
	{datafordeler.CauseClientCertRejected, "TLS", []string{"tls: bad certificate", "certificate required", "alert bad certificate", "bad_certificate", "received fatal alert: certificate_unknown", "curl: (58)", "unknown certificate"}},
	{datafordeler.CauseTLSUnknownAuthority, "TLS", []string{"certificate signed by unknown authority", "pkix path building failed", "unable to find valid certification path", "curl: (60)", "unable to get local issuer certificate", "self signed certificate in certificate chain", "self-signed certificate in certificate chain", "remotecertificatechainerrors", "the remote certificate is invalid", "untrusted root"}},
	{datafordeler.CauseDNS, "DNS", []string{"no such host", "could not resolve host", "curl: (6)", "unknownhostexception", "name or service not known", "nodename nor servname", "no such host is known", "temporary failure in name resolution", "getaddrinfo"}},
	{datafordeler.CauseRefused, "TCP", []string{"connection refused", "curl: (7)", "actively refused", "econnrefused"}},
	{datafordeler.CauseReset, "TCP", []string{"connection reset", "econnreset", "curl: (56)", "forcibly closed"}},
	{datafordeler.CauseTimeout, "network", []string{"i/o timeout", "context deadline exceeded", "timeout awaiting", "timed out", "curl: (28)", "sockettimeoutexception", "taskcanceledexception", "the operation was canceled", "httpclient.timeout", "deadline exceeded"}},
}

// ReadPaste reads a paste. It never fails: what it cannot read stays
// unknown (Status 0), and the explanation says so.
func ReadPaste(raw string) Paste {
	text := strings.TrimSpace(strings.ReplaceAll(strings.TrimPrefix(raw, "\ufeff"), "\r\n", "\n"))
	p := Paste{Header: http.Header{}}
	if text == "" {
		return p
	}
	var bodyLines []string
	inBody, sawHead := false, false
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 64<<10), 2<<20)
	for sc.Scan() {
		line := sc.Text()
		trim := strings.TrimSpace(line)
		switch {
		case inBody:
			bodyLines = append(bodyLines, line)
		case statusLineRe.MatchString(trim):
			if m := statusLineRe.FindStringSubmatch(trim); p.Status == 0 || p.From != "status line" || !sawHead {
				p.Status, _ = strconv.Atoi(m[1])
				p.From = "status line"
			}
			sawHead = true
		case !inBody && devtoolsHead.MatchString(trim):
			// the browser's General section: not the body
		case devtoolsRe.MatchString(trim):
			m := devtoolsRe.FindStringSubmatch(trim)
			p.Status, _ = strconv.Atoi(m[1])
			p.From = "the browser's status"
			sawHead = true
		case sawHead && trim == "" || trim == "<":
			inBody = sawHead
		case sawHead && headerRe.MatchString(trim) && !strings.HasPrefix(trim, "{"):
			m := headerRe.FindStringSubmatch(trim)
			p.Header.Add(m[1], strings.TrimSpace(m[2]))
		case !sawHead && strings.HasPrefix(strings.ToLower(trim), "www-authenticate:"):
			p.Header.Set("WWW-Authenticate", strings.TrimSpace(trim[len("www-authenticate:"):]))
		case strings.HasPrefix(trim, "*") || strings.HasPrefix(trim, ">") || strings.HasPrefix(trim, "{ [") || strings.HasPrefix(trim, "} ["):
			// curl -v's own chatter and the request it sent
		default:
			inBody = true
			bodyLines = append(bodyLines, line)
		}
	}
	p.Body = []byte(strings.TrimSpace(strings.Join(bodyLines, "\n")))
	low := strings.ToLower(string(p.Body))
	p.HTML = strings.HasPrefix(low, "<!doctype html") || strings.HasPrefix(low, "<html") || strings.Contains(low, "<body")
	if p.HTML && p.Status == 0 {
		if m := htmlStatusRe.FindStringSubmatch(string(p.Body)); m != nil {
			p.Status, _ = strconv.Atoi(m[1])
			p.From = "the page's title"
		}
	}
	if !json.Valid(p.Body) && !p.HTML && p.Status == 0 {
		all := strings.ToLower(text)
		for _, ce := range clientErrors {
			for _, pat := range ce.patterns {
				if strings.Contains(all, pat) {
					p.Client = &ClientError{Cause: ce.cause, Text: pat, Stack: ce.stack}
					return p
				}
			}
		}
	}
	return p
}
