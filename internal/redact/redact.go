// Package redact keeps secrets out of everything cprready writes: a
// Redactor replaces known secret values (in every form they travel in, and
// any piece of them long enough to matter), and URL strips credentials from
// URLs, including the apiKey query parameter that url.URL.Redacted leaves
// alone.
package redact

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"html/template"
	"io"
	"net/url"
	"sort"
	"strings"
	"sync"
	"unsafe"
)

// Mask replaces a secret.
const Mask = "[REDACTED]"

// MinLen is the shortest value the Redactor replaces: shorter ones would
// mangle ordinary text and cannot be told apart from it.
const MinLen = 4

// PieceLen is the length of the shortest piece of a secret that is masked
// on its own: text cut by a cap, a wrapped line or a server that echoes
// half a secret must not leak what it kept.
const PieceLen = 7

// Redactor replaces every registered secret value. It is safe for
// concurrent use: live checks add tokens while reports render. Redaction
// is one pass over the text whatever the number of secrets: every
// PieceLen-gram of every form of every secret is in one set, and a run of
// text made of such grams is masked (a whole secret is such a run, and so
// is any piece of one PieceLen long or more). Shorter secrets (MinLen to
// PieceLen-1) are replaced whole.
type Redactor struct {
	mu     sync.RWMutex
	values map[string]bool
	short  []string // forms shorter than PieceLen, longest first
	grams  map[string]struct{}
	// first marks the bytes a gram can start with (a cheap pre-filter).
	first [256]bool
	// parent, when set, masks first (see Child).
	parent *Redactor
}

// Child is a Redactor that masks everything r masks and, besides, the
// values added to the child, which never reach r. A long-running watcher
// gives each run a child for the tokens the run obtains: they are
// forgotten with the run instead of piling up in r for months.
func (r *Redactor) Child() *Redactor {
	c := New()
	c.parent = r
	return c
}

// New makes a Redactor for values.
func New(values ...string) *Redactor {
	r := &Redactor{values: map[string]bool{}, grams: map[string]struct{}{}}
	for _, v := range values {
		r.Add(v)
	}
	return r
}

// Forms are the encodings a secret may appear in: as is, trimmed, URL
// query and path escaped, JSON string (with and
// without HTML escaping), HTML escaped (also as html/template writes it),
// and base64 at every alignment: a server that echoes a whole form
// body (client_id=…&client_secret=…) in base64 puts the secret at any
// offset, where only the middle of its encoding is fixed.
func Forms(v string) []string {
	forms := []string{v, url.QueryEscape(v), url.PathEscape(v), html.EscapeString(v), template.HTMLEscapeString(v),
		strings.ReplaceAll(html.EscapeString(v), "+", "&#43;")}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		for o := range 3 {
			forms = append(forms, base64Middle(enc, v, o))
		}
	}
	if b, err := json.Marshal(v); err == nil {
		forms = append(forms, string(b[1:len(b)-1]))
	}
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) == nil {
		s := strings.TrimSpace(sb.String())
		if len(s) >= 2 {
			forms = append(forms, s[1:len(s)-1])
		}
	}
	// A value with surrounding whitespace, quotes or a BOM also leaks when
	// trimmed.
	if t := strings.Trim(strings.TrimSpace(strings.TrimPrefix(v, "\ufeff")), `"'`); t != v {
		forms = append(forms, t)
	}
	return forms
}

// Add registers a secret with the forms it may appear in.
func (r *Redactor) Add(v string) {
	if r == nil || len(v) < MinLen {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range Forms(v) {
		if len(f) < MinLen || r.values[f] {
			continue
		}
		r.values[f] = true
		if len(f) < PieceLen {
			r.short = append(r.short, f)
			sort.SliceStable(r.short, func(i, j int) bool { return len(r.short[i]) > len(r.short[j]) })
			continue
		}
		for i := 0; i+PieceLen <= len(f); i++ {
			g := f[i : i+PieceLen]
			r.grams[g] = struct{}{}
			r.first[g[0]] = true
		}
	}
}

// String redacts s: every known secret form, every piece of one at least
// PieceLen long, and credentials inside URLs.
func (r *Redactor) String(s string) string {
	if r != nil && r.parent != nil {
		s = r.parent.String(s)
	}
	s = URLsIn(s)
	if r == nil {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	s = r.maskPieces(s)
	for _, v := range r.short {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Mask)
		}
	}
	return s
}

// maskPieces replaces every run of text made of secret grams (the read
// lock is held).
func (r *Redactor) maskPieces(s string) string {
	if len(r.grams) == 0 || len(s) < PieceLen {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i+PieceLen <= len(s); {
		if !r.first[s[i]] {
			i++
			continue
		}
		if _, ok := r.grams[s[i:i+PieceLen]]; !ok {
			i++
			continue
		}
		j := i + PieceLen
		for j < len(s) {
			if _, ok := r.grams[s[j-PieceLen+1:j+1]]; !ok {
				break
			}
			j++
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:i])
		b.WriteString(Mask)
		last, i = j, j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// Bytes redacts b; b itself is returned when nothing needed masking.
func (r *Redactor) Bytes(b []byte) []byte {
	s := unsafe.String(unsafe.SliceData(b), len(b)) // #nosec G103 -- a read-only view of b for the scan: no copy of a report of megabytes
	out := r.String(s)
	if len(out) == len(s) && unsafe.StringData(out) == unsafe.StringData(s) { // #nosec G103 -- compares pointers only: was anything masked?
		return b
	}
	return []byte(out)
}

// Contains reports whether s holds any registered secret or a piece of one.
func (r *Redactor) Contains(s string) bool {
	if r == nil {
		return false
	}
	if r.parent.Contains(s) {
		return true
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.maskPieces(s) != s {
		return true
	}
	for _, v := range r.short {
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
	return len(r.values)
}

// sensitiveParams are query parameters whose values are credentials.
var sensitiveParams = map[string]bool{
	"apikey": true, "api_key": true, "token": true, "access_token": true,
	"client_secret": true, "password": true, "secret": true, "code": true,
	"key": true, "sig": true, "signature": true, "refresh_token": true, "id_token": true,
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
	if c.Fragment != "" {
		c.Fragment, c.RawFragment = redactQuery(c.Fragment), ""
	}
	return c.String()
}

// URLString redacts a URL given as text; unparseable text has its query cut.
func URLString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if i := strings.IndexAny(s, "?#"); i >= 0 {
			s = s[:i] + "?" + Mask
		}
		if i := strings.Index(s, "://"); i >= 0 {
			if at := strings.LastIndexByte(s[i:], '@'); at >= 0 {
				s = s[:i+3] + Mask + s[i+at:]
			}
		}
		return s
	}
	return URL(u)
}

// URLCredentials are the credential values written inside a URL: the user
// info's password (and name) and the values of credential parameters.
// They are secrets like any other: the gate must know them.
func URLCredentials(raw string) []string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil
	}
	var out []string
	if u.User != nil {
		out = append(out, u.User.Username())
		if pw, ok := u.User.Password(); ok {
			out = append(out, pw)
		}
	}
	for _, q := range []string{u.RawQuery, u.Fragment} {
		vals, _ := url.ParseQuery(q)
		for k, vs := range vals {
			if sensitiveParams[strings.ToLower(strings.TrimSpace(k))] {
				out = append(out, vs...)
			}
		}
	}
	return out
}

// hasCredentials reports user info or a credential query parameter.
func hasCredentials(u *url.URL) bool {
	if u.User != nil {
		return true
	}
	for _, q := range []string{u.RawQuery, u.Fragment} {
		if q != "" && redactQuery(q) != q {
			return true
		}
	}
	return false
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
		if sensitiveParams[strings.ToLower(strings.TrimSpace(name))] && hasV {
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
	return r.String(err.Error())
}

// URLsIn redacts every http(s) URL found in free text, in one pass.
func URLsIn(s string) string {
	i := indexURL(s, 0)
	if i < 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for i >= 0 {
		end := i
		for end < len(s) && !strings.ContainsRune(" \t\r\n\"'<>`\\", rune(s[end])) {
			end++
		}
		// *url.Error quotes the URL: Get "https://…": …
		raw := s[i:end]
		if u, err := url.Parse(raw); err != nil || hasCredentials(u) {
			if b.Len() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[last:i])
			b.WriteString(URLString(raw))
			last = end
		}
		i = indexURL(s, end)
	}
	if last == 0 {
		return s // nothing masked: no copy
	}
	b.WriteString(s[last:])
	return b.String()
}

// indexURL finds the next "http://" or "https://" (any case) at or after
// from, or -1.
func indexURL(s string, from int) int {
	for i := from; i < len(s); {
		j := strings.IndexAny(s[i:], "hH")
		if j < 0 {
			return -1
		}
		i += j
		rest := s[i:]
		if len(rest) >= 7 && strings.EqualFold(rest[:7], "http://") || len(rest) >= 8 && strings.EqualFold(rest[:8], "https://") {
			return i
		}
		i++
	}
	return -1
}

// Writer is w behind the gate: each write is redacted whole before it
// reaches w (a logger writes a record at a time, so no secret is split
// across writes).
func (r *Redactor) Writer(w io.Writer) io.Writer { return &writer{w: w, r: r} }

type writer struct {
	w io.Writer
	r *Redactor
}

func (x *writer) Write(p []byte) (int, error) {
	if _, err := x.w.Write(x.r.Bytes(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// base64Middle is the part of v's base64 encoding that is the same
// whatever comes before and after it, when v starts o bytes (0, 1 or 2)
// after a 3-byte boundary of the encoded text.
func base64Middle(enc *base64.Encoding, v string, o int) string {
	b := append(make([]byte, o), v...)
	e := enc.WithPadding(base64.NoPadding).EncodeToString(b)
	start := 0
	if o > 0 {
		start = 4 // the first quantum mixes unknown bytes in
	}
	end := len(b) / 3 * 4 // whole quanta only: the last one may mix in what follows
	if end <= start {
		return ""
	}
	return e[start:end]
}
