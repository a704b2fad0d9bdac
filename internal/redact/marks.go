package redact

import (
	"fmt"
	"strconv"
	"strings"
)

// Outside text is marked inside composed messages with Unicode
// noncharacters (U+FDD0…U+FDD2: reserved by Unicode for a program's
// internal use, never interchanged), so that the final gate knows which
// parts of a value came from outside and masks them by their origin's
// rules, and leaves the tool's own words alone. Value removes the marks;
// nothing cprready writes holds one.
const (
	openServer = "\uFDD0"
	openLocal  = "\uFDD1"
	closeMark  = "\uFDD2"
)

// Outside is text from outside cprready: a server's body or header
// (Server), or an error string of the network or a library, a file's
// content, a person's paste (Local). Formatted with fmt (%s, %v, %q) it
// writes itself marked, so a message composed of it carries the mark to
// the final gate. Text returns it unmarked, for decisions, never output.
type Outside struct {
	text   string
	server bool
}

// Server wraps text that came from a server: matched with every rule
// (case-folded, encoded forms, pieces).
func Server(s string) Outside { return Outside{text: StripMarks(s), server: true} }

// Local wraps text from a file, a library or a person.
func Local(s string) Outside { return Outside{text: StripMarks(s)} }

// Text is the text without its mark: for decisions (contains, compare),
// never for output.
func (o Outside) Text() string { return o.text }

// IsZero reports empty text.
func (o Outside) IsZero() bool { return o.text == "" }

// String is the text marked.
func (o Outside) String() string { return o.mark(o.text) }

func (o Outside) mark(s string) string {
	if s == "" {
		return ""
	}
	if o.server {
		return openServer + s + closeMark
	}
	return openLocal + s + closeMark
}

// Format writes the text marked; %q quotes it inside the mark.
func (o Outside) Format(f fmt.State, verb rune) {
	s := o.text
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = f.Write([]byte(o.mark(s)))
}

// MarshalText keeps the mark in JSON and logs of the model; the final
// gate removes it.
func (o Outside) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// StripMarks removes every mark from s without masking anything: for
// tests and for text that never reaches an output.
func StripMarks(s string) string {
	if !hasMarks(s) {
		return s
	}
	return strings.NewReplacer(openServer, "", openLocal, "", closeMark, "").Replace(s)
}

// hasMarks reports whether s holds a mark (they all begin EF B7 9x).
func hasMarks(s string) bool {
	return strings.Contains(s, openServer) || strings.Contains(s, openLocal) || strings.Contains(s, closeMark)
}

// markAt reports the mark at s[i:], if any.
func markAt(s string, i int) (string, bool) {
	if i+3 > len(s) || s[i] != 0xEF || s[i+1] != 0xB7 {
		return "", false
	}
	switch s[i : i+3] {
	case openServer, openLocal, closeMark:
		return s[i : i+3], true
	}
	return "", false
}

// eachSegment splits s at its marks and calls f with each part and the
// mode it is matched by: the strongest mark open around it (an unclosed
// mark lasts to the end; a stray close is dropped).
func eachSegment(s string, f func(seg string, m mode)) {
	eachSegmentMarks(s, func(seg string, m mode, _ string) { f(seg, m) })
}

// eachSegmentMarks is eachSegment that also gives the mark that ends each
// part ("" at the end, and for a stray close, which is dropped).
func eachSegmentMarks(s string, f func(seg string, m mode, mark string)) {
	var stack []mode
	cur := func() mode {
		m := modeTool
		for _, x := range stack {
			m = max(m, x)
		}
		return m
	}
	start := 0
	flush := func(end int, mark string) {
		if end > start || mark != "" {
			f(s[start:end], cur(), mark)
		}
	}
	for i := 0; i < len(s); {
		mk, ok := markAt(s, i)
		if !ok {
			i++
			continue
		}
		keep := mk
		if mk == closeMark && len(stack) == 0 {
			keep = ""
		}
		flush(i, keep)
		switch mk {
		case openServer:
			stack = append(stack, modeServer)
		case openLocal:
			stack = append(stack, modeLocal)
		default:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
		i += len(mk)
		start = i
	}
	flush(len(s), "")
}
