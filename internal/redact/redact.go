// Package redact keeps secrets out of everything cprready writes: a
// Redactor replaces known secret values (in the forms they travel in), and
// URL strips credentials from URLs, including the apiKey query parameter
// that url.URL.Redacted leaves alone.
package redact

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// Mask replaces a secret.
const Mask = "[REDACTED]"

// MinLen is the shortest value the Redactor replaces: shorter ones would
// mangle ordinary text and cannot be told apart from it.
const MinLen = 4

// Redactor replaces every registered secret value. It is safe for
// concurrent use: live checks add tokens while reports render.
type Redactor struct {
	mu     sync.RWMutex
	values map[string]bool
	sorted []string
}

// New makes a Redactor for values.
func New(values ...string) *Redactor {
	r := &Redactor{values: map[string]bool{}}
	for _, v := range values {
		r.Add(v)
	}
	return r
}

// Add registers a secret, with the encodings it may appear in (URL query,
// JSON string, base64 in Basic auth).
func (r *Redactor) Add(v string) {
	if r == nil || len(v) < MinLen {
		return
	}
	forms := []string{v, url.QueryEscape(v), url.PathEscape(v), base64.StdEncoding.EncodeToString([]byte(v))}
	if b, err := json.Marshal(v); err == nil {
		forms = append(forms, string(b[1:len(b)-1]))
	}
	// A value with surrounding whitespace also leaks when trimmed.
	if t := strings.TrimSpace(strings.TrimPrefix(v, "\ufeff")); len(t) >= MinLen {
		forms = append(forms, t)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range forms {
		if len(f) >= MinLen && !r.values[f] {
			r.values[f] = true
			r.sorted = append(r.sorted, f)
		}
	}
	// Longest first, so a value is replaced before any value it contains.
	sort.Slice(r.sorted, func(i, j int) bool { return len(r.sorted[i]) > len(r.sorted[j]) })
}

// String redacts s.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, v := range r.sorted {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Mask)
		}
	}
	return s
}

// Bytes redacts b.
func (r *Redactor) Bytes(b []byte) []byte { return []byte(r.String(string(b))) }

// Contains reports whether s holds any registered secret.
func (r *Redactor) Contains(s string) bool {
	if r == nil {
		return false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, v := range r.sorted {
		if strings.Contains(s, v) {
			return true
		}
	}
	return false
}

// Len is the number of registered forms.
func (r *Redactor) Len() int {
	if r == nil {
		return 0
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.sorted)
}

// sensitiveParams are query parameters whose values are credentials.
var sensitiveParams = map[string]bool{
	"apikey": true, "api_key": true, "token": true, "access_token": true,
	"client_secret": true, "password": true, "secret": true, "code": true,
}

// URL returns u as text with user info and credential query values masked.
// The apiKey parameter is matched case-insensitively, as the platform does.
func URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	if c.User != nil {
		c.User = url.User(Mask)
	}
	if c.RawQuery != "" {
		c.RawQuery = redactQuery(c.RawQuery)
	}
	return c.String()
}

// URLString redacts a URL given as text; unparseable text has its query cut.
func URLString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if i := strings.IndexByte(s, '?'); i >= 0 {
			return s[:i] + "?" + Mask
		}
		return s
	}
	return URL(u)
}

// redactQuery masks sensitive values without reordering the rest.
func redactQuery(raw string) string {
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, hasV := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if sensitiveParams[strings.ToLower(name)] && hasV {
			parts[i] = k + "=" + url.QueryEscape(Mask)
		}
	}
	return strings.Join(parts, "&")
}

// Error redacts an error's text: URLs inside it (as *url.Error carries
// the whole URL) and registered secrets.
func (r *Redactor) Error(err error) string {
	if err == nil {
		return ""
	}
	return r.String(URLsIn(err.Error()))
}

// URLsIn redacts every http(s) URL found in free text.
func URLsIn(s string) string {
	var b strings.Builder
	for {
		i := indexURL(s)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		end := i
		for end < len(s) && !strings.ContainsRune(" \t\n\"'<>`", rune(s[end])) {
			end++
		}
		// *url.Error quotes the URL: Get "https://…": …
		b.WriteString(URLString(s[i:end]))
		s = s[end:]
	}
}

func indexURL(s string) int {
	a, b := strings.Index(s, "http://"), strings.Index(s, "https://")
	switch {
	case a < 0:
		return b
	case b < 0:
		return a
	}
	return min(a, b)
}
