// Package redact keeps secrets out of everything cprready writes, without
// ever touching the syntax of what it writes.
//
// Two kinds of text meet in an output. The tool's own text (check IDs,
// keys and element names, metric names, templates, fixed messages) is
// written in this repository and cannot hold a user's secret by accident.
// Outside text (server bodies and headers, error strings from the network
// and from libraries, file contents, pastes) can: it is wrapped as an
// Outside where it enters the report model (Server, Local), which marks it
// inside the composed message, and it is masked as it enters.
//
// The final gate (Redactor.Value) runs on values only (a JSON string value,
// an XML text or attribute value, a label value, an HTML text), never on
// the document around them. Within a value it masks:
//
//   - everywhere: every form of a secret of LongLen characters or more, and
//     every piece of one at least LongLen long (such text is never
//     ordinary words);
//   - in outside text (and in every value of a support bundle): besides,
//     every form of a secret of WordLen characters or more wherever it
//     stands, and a shorter secret as a whole word;
//   - in text from a server: besides, case-folded, in hex, base32, full
//     percent-encoding and \u-escaped JSON, and every piece at least
//     PieceLen long.
//
// So a password such as "test" or "access" masks "test" where a server
// echoed it, but never the word in cprready's own sentences, and never a
// JSON key, an XML element or a metric name.
package redact

import (
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"io"
	"net/url"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Mask replaces a secret.
const Mask = "[REDACTED]"

// MinLen is the shortest value the Redactor registers: shorter ones cannot
// be told apart from ordinary text at all.
const MinLen = 4

// WordLen is the length below which a secret is matched as a whole word
// only (outside text): "test" masks "test", never "testsuites".
const WordLen = 8

// PieceLen is the length of the shortest piece of a secret masked on its
// own in text from a server: a server that echoes half a secret, or text
// cut by a cap, must not leak what it kept.
const PieceLen = 7

// LongLen is the length from which a secret, or a piece of one, is masked
// in any text: nothing the tool writes of itself is 16 characters of a
// secret by chance.
const LongLen = 16

// Redactor holds the registered secrets. It is safe for concurrent use:
// live checks add tokens while reports render. Matching is one pass over
// the text whatever the number of secrets (see match.go).
type Redactor struct {
	mu      sync.RWMutex
	seen    map[string]bool // the secrets
	values  map[string]bool // their forms
	long    grams           // LongLen-grams of every form of LongLen or more (exact)
	mid     whole           // every form shorter than LongLen (exact)
	server  grams           // PieceLen-grams of every folded form, server forms included
	srvWord whole           // folded forms shorter than PieceLen (whole words)
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
	r := &Redactor{seen: map[string]bool{}, values: map[string]bool{}, long: newGrams(LongLen), mid: newWhole(), server: newGrams(PieceLen), srvWord: newWhole()}
	for _, v := range values {
		r.Add(v)
	}
	return r
}

// Forms are the encodings a secret travels in, as cprready or a client
// writes it: as is, trimmed, URL query and path escaped, JSON string (with
// and without HTML escaping), HTML escaped (also as html/template writes
// it), and base64 at every alignment: a server that echoes a whole form
// body (client_id=…&client_secret=…) in base64 puts the secret at any
// offset, where only the middle of its encoding is fixed.
func Forms(v string) []string {
	forms := []string{v, url.QueryEscape(v), url.PathEscape(v), html.EscapeString(v), template.HTMLEscapeString(v),
		strings.ReplaceAll(html.EscapeString(v), "+", "&#43;")}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		for o := range 3 {
			forms = append(forms, middle(enc.WithPadding(base64.NoPadding).EncodeToString, 3, 4, v, o))
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

// ServerForms are the further encodings a server may echo a secret in:
// hex, base32 (both alphabets, every alignment), every byte
// percent-encoded, every character \u-escaped. They are matched
// case-folded, in text from a server only: their pieces would match
// ordinary hashes and words elsewhere.
func ServerForms(v string) []string {
	b := []byte(v)
	// The whole encodings (the secret encoded alone, padding and all), and
	// the middles that hold at any offset inside a longer encoded text.
	forms := []string{hex.EncodeToString(b), percentAll(v), unicodeEscaped(v),
		base64.StdEncoding.EncodeToString(b), base64.URLEncoding.EncodeToString(b),
		base32.StdEncoding.EncodeToString(b), base32.HexEncoding.EncodeToString(b)}
	for _, enc := range []*base32.Encoding{base32.StdEncoding, base32.HexEncoding} {
		for o := range 5 {
			forms = append(forms, middle(enc.WithPadding(base32.NoPadding).EncodeToString, 5, 8, v, o))
		}
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
	if r.seen[v] {
		return
	}
	r.seen[v] = true
	short := len(v) < WordLen
	for _, f := range Forms(v) {
		r.addForm(f, short, false)
	}
	for _, f := range ServerForms(v) {
		r.addForm(f, short, true)
	}
}

// addForm files one form under the tables that match it (the lock is held).
func (r *Redactor) addForm(f string, short, serverOnly bool) {
	if len(f) < MinLen {
		return
	}
	key := f
	if serverOnly {
		key = "\x00" + f // counted once, apart from an equal plain form
	}
	if r.values[key] {
		return
	}
	r.values[key] = true
	folded := foldASCII(f)
	if len(folded) >= PieceLen {
		r.server.add(folded)
	} else {
		r.srvWord.add(folded, true)
	}
	if serverOnly {
		return
	}
	if len(f) >= LongLen {
		r.long.add(f)
	} else {
		r.mid.add(f, short)
	}
}

// Value is the final gate for one value of an output (a JSON string value,
// an XML text or attribute value, a label value, an HTML text, a line of
// a text report): outside text marked in it is masked by its origin's
// rules, the rest by the tool text's, and the marks are removed.
func (r *Redactor) Value(s string) string { return r.value(s, modeTool) }

// Strict is Value with every part treated at least as outside text, for
// what leaves the user's hands (a support bundle): a short secret that is
// also an ordinary word is masked there even in the tool's own sentences.
func (r *Redactor) Strict(s string) string { return r.value(s, modeLocal) }

// String is Value: text as cprready prints it, outside parts marked.
func (r *Redactor) String(s string) string { return r.value(s, modeTool) }

// Server masks text that came from a server (a body, a header) as it
// enters: every rule, case-folded and encoded forms, pieces.
func (r *Redactor) Server(s string) string { return r.value(s, modeServer) }

// Local masks text from a file, a library or a person as it enters.
func (r *Redactor) Local(s string) string { return r.value(s, modeLocal) }

// Error masks an error's text: URLs inside it (as *url.Error carries the
// whole URL) and registered secrets, as outside text (a library's words).
func (r *Redactor) Error(err error) string {
	if err == nil {
		return ""
	}
	return r.Local(err.Error())
}

// Bytes is Value for a whole text written to a stream that has no syntax
// of its own (a terminal line, a log line); b itself is returned when
// nothing needed masking.
func (r *Redactor) Bytes(b []byte) []byte {
	s := unsafe.String(unsafe.SliceData(b), len(b)) // #nosec G103 -- a read-only view of b for the scan: no copy of a report of megabytes
	out := r.Value(s)
	if len(out) == len(s) && unsafe.StringData(out) == unsafe.StringData(s) { // #nosec G103 -- compares pointers only: was anything masked?
		return b
	}
	return []byte(out)
}

// Contains reports whether s holds a secret by the rules of outside text
// from a server (the strongest), marks or not.
func (r *Redactor) Contains(s string) bool {
	return r.changes(StripMarks(s), modeServer)
}

// ContainsStrict reports whether Strict would mask anything in s: a
// bundle's values are scanned with it after masking.
func (r *Redactor) ContainsStrict(s string) bool {
	return r.changes(StripMarks(s), modeLocal)
}

// Leaks reports whether s holds a run of LongLen characters of any
// secret's form, in any case or encoding: never ordinary text, so a
// finding in a written file is a defect, not a coincidence.
func (r *Redactor) Leaks(s string) bool {
	if r == nil {
		return false
	}
	if r.parent.Leaks(s) {
		return true
	}
	s = StripMarks(s)
	r.mu.RLock()
	defer r.mu.RUnlock()
	found := false
	r.long.find(s, func(int, int) { found = true })
	if !found {
		r.server.find(foldASCII(s), func(i, j int) { found = found || j-i >= LongLen })
	}
	return found
}

// Len is the number of registered forms.
func (r *Redactor) Len() int {
	if r == nil {
		return 0
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.values) + r.parent.Len()
}

// Secrets is the number of registered secrets.
func (r *Redactor) Secrets() int {
	if r == nil {
		return 0
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.seen) + r.parent.Secrets()
}

// Writer is w behind the gate: each write is masked whole, as a value,
// before it reaches w (a logger writes a record at a time, so no secret is
// split across writes). For streams without syntax of their own only.
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

// middle is the part of v's encoding (enc, in blocks of in bytes to out
// characters) that is the same whatever comes before and after it, when v
// starts o bytes after a block boundary of the encoded text.
func middle(enc func([]byte) string, in, out int, v string, o int) string {
	b := append(make([]byte, o), v...)
	e := enc(b)
	start := 0
	if o > 0 {
		start = out // the first block mixes unknown bytes in
	}
	end := len(b) / in * out // whole blocks only: the last one may mix in what follows
	if end <= start || end > len(e) {
		return ""
	}
	return e[start:end]
}

// percentAll is v with every byte percent-encoded.
func percentAll(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		fmt.Fprintf(&b, "%%%02x", v[i])
	}
	return b.String()
}

// unicodeEscaped is v with every character written as a JSON \u escape.
func unicodeEscaped(v string) string {
	var b strings.Builder
	for _, r := range v {
		if r == utf8.RuneError {
			continue
		}
		for _, u := range utf16.Encode([]rune{r}) {
			fmt.Fprintf(&b, `\u%04x`, u)
		}
	}
	return b.String()
}
