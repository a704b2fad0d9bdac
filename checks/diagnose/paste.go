package diagnose

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/internal/textsafe"
)

// Paste is what a person pasted into `cprready explain -`, read as far as
// it shows anything. The HTTP status and the platform's body are found
// anywhere in it: a response (curl -i/-v, HTTPie, Postman and Insomnia
// consoles, a devtools copy, a HAR file) with or without the command line
// above it, or a client's exception text (Java, .NET, Python, PowerShell,
// Node, Go) that quotes them. Every credential in it is masked first.
type Paste struct {
	Status int         // 0 when the paste shows none
	From   string      // where the status came from: "status line", "Spring's exception", …
	Header http.Header // as pasted (names canonicalised)
	Body   []byte
	// URL is the request's URL when the paste names one (a token
	// endpoint's errors read differently).
	URL string
	// Client is set when the paste is a client-side error, not a response.
	Client *ClientError
	HTML   bool
	// Proxy is true when the paste shows a proxy's signs (Via,
	// Proxy-Authenticate, a proxy's server name).
	Proxy bool
	// Masked counts the credentials masked in the paste.
	Masked int
}

// ClientError is a client's own error text and the cause it names.
type ClientError struct {
	Cause datafordeler.Cause
	Text  string // the matched words, for "Read as"
	Stack string // Go, Java, .NET, curl
}

// MaxPaste bounds what is read of a paste.
const MaxPaste = 1 << 20

// statusPatterns find an HTTP status where clients print it, most
// specific first; the first group is the status.
var statusPatterns = []struct {
	re   *regexp.Regexp
	from string
}{
	{regexp.MustCompile(`(?i)(?:HttpClientErrorException|HttpServerErrorException|RestClientResponseException|WebClientResponseException|HttpStatusCodeException)(?:\$\w+)?:\s*(\d{3})\b`), "Spring's exception"},
	{regexp.MustCompile(`(?i)Server returned HTTP response code:\s*(\d{3})\b`), "Java's HttpURLConnection"},
	{regexp.MustCompile(`(?i)Response status code does not indicate success:\s*(\d{3})\b`), ".NET's HttpRequestException"},
	{regexp.MustCompile(`(?i)The remote server returned an error:\s*\((\d{3})\)`), "PowerShell's WebException"},
	{regexp.MustCompile(`(?i)\b(\d{3}) (?:Client|Server) Error:`), "Python requests' HTTPError"},
	{regexp.MustCompile(`(?i)(?:Client|Server) error '(\d{3})\b`), "httpx's HTTPStatusError"},
	{regexp.MustCompile(`(?i)Request failed with status code (\d{3})\b`), "axios"},
	{regexp.MustCompile(`(?i)oauth2: cannot fetch token: (\d{3})\b`), "Go's x/oauth2"},
	{regexp.MustCompile(`(?i)^\s*(?:response\s+)?status(?:\s+code)?\s*[:=]\s*["']?(\d{3})\b`), "the status field"},
	{regexp.MustCompile(`(?i)^\s*(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+https?://\S+\s+(\d{3})\b`), "the console's request line"},
	{regexp.MustCompile(`(?i)\bstatus(?:Code)?['"]?\s*[:=]\s*(\d{3})\b`), "the status field"},
	{regexp.MustCompile(`(?i)\b(\d{3}) (?:Unauthorized|Forbidden|Not Found|Bad Request|Too Many Requests|Proxy Authentication Required|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)\b`), "the status text"},
}

var (
	statusLineRe  = regexp.MustCompile(`(?i)(?:^|[\s<>*])HTTP/(?:1\.[01]|2(?:\.0)?|3)\s+(\d{3})\b`)
	headerRe      = regexp.MustCompile(`^(?:[<>]\s*)?([A-Za-z0-9][A-Za-z0-9-]*)\s*:\s*(.*)$`)
	htmlStatusRe  = regexp.MustCompile(`(?is)<(?:title|h1)[^>]*>\s*(?:HTTP\s*)?(\d{3})\b`)
	urlRe         = regexp.MustCompile(`(?i)https?://[^\s"'<>)\]]+`)
	requestLineRe = regexp.MustCompile(`(?i)^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+https?://\S+$`)
	// Headers worth reading wherever they stand in a paste.
	knownHeaders = map[string]bool{"Www-Authenticate": true, "Content-Type": true, "Via": true, "Proxy-Authenticate": true, "Retry-After": true,
		"Location": true, "Server": true, "X-Squid-Error": true, "X-Cache": true}
	proxyServerRe = regexp.MustCompile(`(?i)squid|bluecoat|zscaler|forcepoint|websense|mcafee web gateway|fortigate|checkpoint|palo alto|netskope|cisco wsa`)
	// errorKeys are the members of the platform's error bodies.
	errorKeys = []string{"errorCode", "error", "errors", "error_description", "detail", "title", "message"}
	// looseMemberRe reads members of a JS object or a Python dict
	// ({ errorCode: 'DAF-AUTH-0005' }, {'error': 'invalid_client'}).
	goOAuthRe     = regexp.MustCompile(`oauth2: "([a-z_]+)"(?: "((?:[^"\\]|\\.)*)")?`)
	looseMemberRe = regexp.MustCompile(`(?i)['"]?\b(errorCode|error_description|error|detail|title|message)\b['"]?\s*[:=]\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")`)
)

// ReadPaste reads a paste. It never fails: what it cannot read stays
// unknown (Status 0, no body), and the explanation says so.
func ReadPaste(raw string) Paste {
	text := strings.TrimPrefix(raw, "\ufeff")
	if len(text) > MaxPaste {
		text = text[:MaxPaste]
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	text = textsafe.Multiline(text, 0) // no escapes or controls from a terminal copy
	text, masked := MaskPaste(text)
	text = strings.TrimSpace(text)
	p := Paste{Header: http.Header{}, Masked: masked}
	if text == "" {
		return p
	}
	if har(text, &p) {
		return finish(p, text)
	}
	lines := strings.Split(text, "\n")
	body := readResponse(lines, &p)
	if p.Status == 0 {
		p.Status, p.From = postmanStatus(lines)
	}
	if p.Status == 0 {
		for _, sp := range statusPatterns {
			if m := firstMatch(sp.re, lines); m != "" {
				p.Status, _ = strconv.Atoi(m)
				p.From = sp.from
				break
			}
		}
	}
	for _, l := range lines {
		if m := headerRe.FindStringSubmatch(strings.TrimSpace(l)); m != nil && knownHeaders[http.CanonicalHeaderKey(m[1])] && p.Header.Get(m[1]) == "" {
			p.Header.Set(m[1], strings.TrimSpace(m[2]))
		}
	}
	if b := findBody(body); b != nil {
		p.Body = b
	} else if b := findBody(text); b != nil {
		p.Body = b
	} else if body != "" && (p.Status != 0 || looksHTML(body)) {
		p.Body = []byte(body)
	} else if body == "" && looksHTML(text) {
		p.Body = []byte(text[strings.Index(strings.ToLower(text), "<"):])
	}
	return finish(p, text)
}

// finish reads what the parts show together: HTML, a proxy, the URL, a
// client-side error when there is no answer.
func finish(p Paste, text string) Paste {
	low := strings.ToLower(string(p.Body))
	p.HTML = looksHTML(low)
	if p.HTML && p.Status == 0 {
		if m := htmlStatusRe.FindStringSubmatch(string(p.Body)); m != nil {
			p.Status, _ = strconv.Atoi(m[1])
			p.From = "the page's title"
		}
	}
	if p.URL == "" {
		p.URL = urlRe.FindString(text)
	}
	p.Proxy = p.Status == http.StatusProxyAuthRequired || p.Header.Get("Via") != "" || p.Header.Get("Proxy-Authenticate") != "" ||
		p.Header.Get("X-Squid-Error") != "" || proxyServerRe.MatchString(p.Header.Get("Server")+" "+p.Header.Get("X-Cache")) ||
		p.HTML && proxyServerRe.MatchString(low) || strings.Contains(strings.ToLower(text), "connect tunnel failed")
	if p.Status == 0 && len(p.Body) == 0 {
		p.Client = clientError(text)
	}
	return p
}

func looksHTML(low string) bool {
	low = strings.ToLower(low)
	return strings.HasPrefix(strings.TrimSpace(low), "<!doctype html") || strings.Contains(low, "<html") || strings.Contains(low, "<body")
}

// postmanStatus reads Postman's console copy, where the status stands on
// its own line under the request line (POST https://… / 400 / 112 ms).
func postmanStatus(lines []string) (int, string) {
	for i := 0; i+1 < len(lines); i++ {
		if requestLineRe.MatchString(strings.TrimSpace(lines[i])) {
			if n, err := strconv.Atoi(strings.TrimSpace(lines[i+1])); err == nil && n >= 100 && n <= 599 {
				return n, "Postman's status"
			}
		}
	}
	return 0, ""
}

// firstMatch is the first group of re's first match in lines.
func firstMatch(re *regexp.Regexp, lines []string) string {
	for _, l := range lines {
		if m := re.FindStringSubmatch(l); m != nil {
			return m[1]
		}
	}
	return ""
}

// readResponse reads a response as curl -i/-v, HTTPie, Insomnia or a
// devtools copy show it: the last status line, the headers after it, and
// the text after the headers (the body). Lines before the status line (a
// command line, curl's chatter, the request) are not the body.
func readResponse(lines []string, p *Paste) string {
	last := -1
	for i, l := range lines {
		if m := statusLineRe.FindStringSubmatch(l); m != nil {
			last = i
			p.Status, _ = strconv.Atoi(m[1])
			p.From = "status line"
		}
	}
	if last < 0 {
		return ""
	}
	p.Header = http.Header{}
	var body []string
	inBody := false
	for _, l := range lines[last+1:] {
		trim := strings.TrimSpace(l)
		switch {
		case inBody:
			if isChatter(trim) {
				continue
			}
			body = append(body, l)
		case trim == "" || trim == "<":
			inBody = true
		case headerRe.MatchString(trim) && !strings.HasPrefix(trim, "{"):
			m := headerRe.FindStringSubmatch(trim)
			p.Header.Add(m[1], strings.TrimSpace(m[2]))
		case isChatter(trim):
		default:
			inBody = true
			body = append(body, l)
		}
	}
	return strings.TrimSpace(strings.Join(body, "\n"))
}

// isChatter is a line of curl -v's own talk or a shell prompt after the
// answer.
func isChatter(trim string) bool {
	return strings.HasPrefix(trim, "* ") || strings.HasPrefix(trim, "{ [") || strings.HasPrefix(trim, "} [") || trim == "*" ||
		strings.HasPrefix(trim, "$ ") || strings.HasPrefix(trim, "PS ") && strings.Contains(trim, ">") || strings.HasPrefix(trim, "> ")
}

// findBody finds the platform's error body in text: a JSON object with an
// error member (also one quoted inside an exception, escaped or not), or
// the members of a JS object or a Python dict, as JSON.
func findBody(text string) []byte {
	if text == "" {
		return nil
	}
	if b := findJSON(text); b != nil {
		return b
	}
	if strings.Contains(text, `\"`) {
		if b := findJSON(strings.ReplaceAll(strings.ReplaceAll(text, `\\`, `\`), `\"`, `"`)); b != nil {
			return b
		}
	}
	members := map[string]string{}
	if m := goOAuthRe.FindStringSubmatch(text); m != nil { // oauth2: "invalid_client" "…"
		members["error"], members["error_description"] = m[1], m[2]
	}
	for _, m := range looseMemberRe.FindAllStringSubmatch(text, 16) {
		k, v := m[1], m[2]+m[3]
		if _, ok := members[k]; !ok {
			members[k] = v
		}
	}
	if members["errorCode"] == "" && members["error"] == "" {
		return nil
	}
	b, _ := json.Marshal(members)
	return b
}

// findJSON is the first JSON object in text that carries an error member
// (or, failing that, the first object at all): objects are tried where
// they open, a bounded number of times.
func findJSON(text string) []byte {
	var first []byte
	tries := 0
	for i := 0; i < len(text) && tries < 64; i++ {
		if text[i] != '{' {
			continue
		}
		tries++
		dec := json.NewDecoder(strings.NewReader(text[i:]))
		var obj map[string]json.RawMessage
		if dec.Decode(&obj) != nil {
			continue
		}
		raw := bytes.TrimSpace([]byte(text[i : i+int(dec.InputOffset())]))
		for _, k := range errorKeys {
			if _, ok := obj[k]; ok {
				return raw
			}
		}
		if first == nil {
			first = raw
		}
		i += int(dec.InputOffset()) - 1
	}
	return first
}

// har reads a HAR file (devtools' "Save all as HAR"): the last entry that
// failed, else the last entry.
func har(text string, p *Paste) bool {
	if !strings.HasPrefix(text, "{") || !strings.Contains(text, `"entries"`) {
		return false
	}
	var h struct {
		Log struct {
			Entries []struct {
				Request struct {
					URL string `json:"url"`
				} `json:"request"`
				Response struct {
					Status  int `json:"status"`
					Headers []struct {
						Name, Value string
					} `json:"headers"`
					Content struct {
						Text string `json:"text"`
					} `json:"content"`
				} `json:"response"`
			} `json:"entries"`
		} `json:"log"`
	}
	if json.Unmarshal([]byte(text), &h) != nil || len(h.Log.Entries) == 0 {
		return false
	}
	e := h.Log.Entries[len(h.Log.Entries)-1]
	for _, x := range h.Log.Entries {
		if x.Response.Status >= 400 {
			e = x
		}
	}
	p.Status, p.From, p.URL = e.Response.Status, "the HAR file", e.Request.URL
	for _, hd := range e.Response.Headers {
		p.Header.Add(hd.Name, hd.Value)
	}
	p.Body = []byte(strings.TrimSpace(e.Response.Content.Text))
	return true
}

// clientError finds a client's own error text (no answer came).
func clientError(text string) *ClientError {
	all := strings.ToLower(text)
	for _, ce := range clientErrors {
		for _, pat := range ce.patterns {
			if strings.Contains(all, pat) {
				return &ClientError{Cause: ce.cause, Text: pat, Stack: ce.stack}
			}
		}
	}
	return nil
}
