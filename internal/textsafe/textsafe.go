// Package textsafe makes text from servers and files safe to show in a
// terminal or a report: escape sequences and control characters are
// removed, and the length is capped.
package textsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultMax is the cap used for server text kept as evidence.
const DefaultMax = 512

// Clean strips ANSI/OSC/DCS escape sequences and control characters
// (keeping plain spaces; newlines and tabs become spaces), replaces invalid
// UTF-8, and caps the result at max runes (max <= 0 means no cap), adding
// an ellipsis when it cut.
func Clean(s string, max int) string {
	var b strings.Builder
	b.Grow(min(len(s), 4*max+8))
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b: // ESC: skip the whole sequence
			i = skipEscape(s, i)
			continue
		case r == 0x9b: // 8-bit CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x9d || r == 0x90 || r == 0x9e || r == 0x9f: // 8-bit OSC/DCS/PM/APC
			i = skipString(s, i+size)
			continue
		case r == utf8.RuneError && size == 1:
			r = '\uFFFD'
		case r == '\n' || r == '\t' || r == '\r':
			r = ' '
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || isBidi(r):
			i += size
			continue
		}
		if max > 0 && n >= max {
			b.WriteString("…")
			return b.String()
		}
		b.WriteRune(r)
		n++
		i += size
	}
	return b.String()
}

// Line cleans s for a single terminal line and caps it at DefaultMax.
func Line(s string) string { return Clean(s, DefaultMax) }

// Multiline is like Clean but keeps newlines, for multi-line text shown
// in a report or pane.
func Multiline(s string, max int) string {
	parts := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, p := range parts {
		parts[i] = Clean(p, 0)
	}
	out := strings.Join(parts, "\n")
	if max > 0 && utf8.RuneCountInString(out) > max {
		r := []rune(out)
		out = string(r[:max]) + "…"
	}
	return out
}

// isBidi reports Unicode bidirectional controls, which can make a line
// display differently from what it says (Trojan Source).
func isBidi(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') || r == '\u200e' || r == '\u200f' || r == '\u061c'
}

func skipEscape(s string, i int) int {
	i++ // ESC
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', '^', '_', 'X':
		return skipString(s, i+1)
	default:
		// two-character sequence (ESC c, ESC =, ESC ( B …)
		if s[i] >= 0x20 && s[i] <= 0x2f && i+1 < len(s) {
			return i + 2
		}
		return i + 1
	}
}

// skipCSI skips parameter and intermediate bytes up to the final byte.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		if c >= 0x40 && c <= 0x7e {
			return i
		}
		if c < 0x20 || c > 0x3f && c < 0x40 {
			return i
		}
	}
	return i
}

// skipString skips an OSC/DCS/PM/APC string up to BEL or ST (ESC \ or 0x9c).
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}
