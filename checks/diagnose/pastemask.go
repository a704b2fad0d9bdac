package diagnose

import (
	"regexp"

	"github.com/cprready/cprready/internal/redact"
)

// pasteSecrets are the places a paste carries credentials: an
// Authorization header (Bearer, Basic), a client secret, an API key, a
// password or a token as a form field, a query parameter, a JSON or JS
// member, a header or a curl option, and bare JWTs. Each regexp's first
// group is kept, the second is the secret.
var pasteSecrets = []*regexp.Regexp{
	// Authorization: Bearer eyJ… / Basic dXNlcjpwYXNz (curl -v, devtools, HAR, PowerShell)
	regexp.MustCompile(`(?i)(\bauthorization["']?\s*[:=]\s*["']?(?:bearer|basic|negotiate|token)\s+)([A-Za-z0-9._~+/=-]{4,})`),
	regexp.MustCompile(`(?i)(\b(?:bearer)\s+)([A-Za-z0-9._~+/=-]{16,})`),
	// client_secret=…, apiKey=…, password=…, access_token=… in forms, queries, curl -d
	regexp.MustCompile(`(?i)(\b(?:client[_-]?secret|api[_-]?key|apikey|x-api-key|subscription-key|password|passwd|pwd|access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?assertion|secret)=)([^&\s"'<>]+)`),
	// "client_secret": "…", 'apiKey': '…', client_secret: '…' (JSON, JS, Python, YAML)
	regexp.MustCompile(`(?i)(["']?\b(?:client[_-]?secret|api[_-]?key|apikey|x-api-key|password|passwd|access[_-]?token|refresh[_-]?token|id[_-]?token|secret|token)["']?\s*[:=]\s*["'])([^"']+)`),
	// x-api-key: …, apiKey: … as headers
	regexp.MustCompile(`(?i)(^\s*[<>]?\s*(?:x-api-key|apikey|api-key|ocp-apim-subscription-key)\s*:\s*)(\S+)`),
	// curl -u user:password, --user user:password
	regexp.MustCompile(`(\s(?:-u|--user)\s+["']?[^:\s"']+:)([^\s"']+)`),
	// user:password@ in URLs
	regexp.MustCompile(`(?i)(\bhttps?://[^/\s:@]+:)([^@\s/]+)(?:@)`),
	// a JWT anywhere (header.payload.signature)
	regexp.MustCompile(`()(\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})`),
}

// MaskPaste masks every credential a paste shows, before anything of it
// is read or echoed, and says how many it masked. Support staff copy what
// `explain -` prints into tickets.
func MaskPaste(text string) (string, int) {
	n := 0
	for _, re := range pasteSecrets {
		text = re.ReplaceAllStringFunc(text, func(m string) string {
			sub := re.FindStringSubmatchIndex(m)
			if sub == nil || sub[4] < 0 || m[sub[4]:sub[5]] == redact.Mask {
				return m
			}
			n++
			return m[:sub[4]] + redact.Mask + m[sub[5]:]
		})
	}
	return text, n
}
