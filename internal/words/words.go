// Package words holds the small text helpers every message of cprready
// uses, once: lists in prose, cutting text to a width without splitting a
// character, and "did you mean" for typos.
package words

import (
	"strconv"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/charmbracelet/x/ansi"
)

// JoinAnd joins items as prose: "a", "a and b", "a, b and c".
func JoinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// Limit cuts s to at most width terminal cells, ending in "…" when it cut;
// it never splits a character (or an escape sequence).
func Limit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// Plural is "1 profile", "2 profiles".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// Closest is the candidate nearest to s when near enough to be a typo
// (case-insensitive; a prefix or a dotted suffix also counts), else "".
func Closest(s string, candidates []string) string {
	ls := strings.ToLower(strings.TrimSpace(s))
	if ls == "" {
		return ""
	}
	for _, c := range candidates {
		if strings.HasPrefix(c, ls) || strings.HasSuffix(c, "."+ls) {
			return c
		}
	}
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := levenshtein.ComputeDistance(ls, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	if bestD <= max(2, len(best)/3) || strings.ReplaceAll(ls, "-", "_") == strings.ToLower(best) {
		return best
	}
	return ""
}

// JoinOr joins items as prose alternatives: "a, b or c".
func JoinOr(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// Wrap breaks s into lines of at most width terminal cells (20 at least),
// between words only: a word (a URL, a path) longer than a line stands
// whole on its own line, and a URL stays beside its label ("Docs: …").
// Each line of s is wrapped on its own.
func Wrap(s string, width int) []string { return wrap(s, width, false) }

func wrap(s string, width int, urls bool) []string {
	width = max(width, 20)
	var lines []string
	for para := range strings.SplitSeq(s, "\n") {
		line, lw := "", 0
		var fields []string
		for f := range strings.FieldsSeq(para) {
			if urls {
				fields = append(fields, breakURL(f, width)...)
			} else {
				fields = append(fields, f)
			}
		}
		for _, w := range fields {
			ww := ansi.StringWidth(w)
			switch {
			case line == "":
				line, lw = w, ww
			case isLabel(line) && strings.Contains(w, "://"):
				line, lw = line+" "+w, lw+1+ww
			case lw+1+ww > width:
				lines = append(lines, line)
				line, lw = w, ww
			default:
				line, lw = line+" "+w, lw+1+ww
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// breakURL splits a URL longer than width after a slash of its path, so
// that no piece is wider than width where the path allows: the host name
// is never split. Anything else comes back whole.
func breakURL(w string, width int) []string {
	scheme := strings.Index(w, "://")
	if ansi.StringWidth(w) <= width || scheme < 0 {
		return []string{w}
	}
	hostEnd := strings.IndexByte(w[scheme+3:], '/')
	if hostEnd < 0 {
		return []string{w}
	}
	var out []string
	start, cut := 0, -1 // cut: just after the last slash seen
	for i := scheme + 3 + hostEnd; i < len(w); i++ {
		if w[i] != '/' {
			continue
		}
		if ansi.StringWidth(w[start:i+1]) > width && cut > start {
			out = append(out, w[start:cut])
			start = cut
		}
		cut = i + 1
	}
	if ansi.StringWidth(w[start:]) > width && cut > start && cut < len(w) {
		out = append(out, w[start:cut])
		start = cut
	}
	return append(out, w[start:])
}

// isLabel is a line that is one word ending in a colon ("Docs:"): a URL
// that follows stays beside it.
func isLabel(line string) bool {
	return strings.HasSuffix(line, ":") && !strings.Contains(line, " ")
}

// WrapText wraps a text of several lines for a terminal of width cells:
// each line keeps its indentation, and a list item ("1. ", "- ") hangs
// its continuation under its text.
func WrapText(s string, width int) string { return wrapText(s, width, false) }

// FitText is WrapText for a renderer that would break a long URL anywhere:
// such a URL is split after a slash of its path, never in its host name.
func FitText(s string, width int) string { return wrapText(s, width, true) }

func wrapText(s string, width int, urls bool) string {
	var b strings.Builder
	for line := range strings.SplitSeq(s, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		hang := indent + listMarker(trimmed)
		if ansi.StringWidth(line) <= width || trimmed == "" {
			b.WriteString(line + "\n")
			continue
		}
		for i, l := range wrap(trimmed[hang-indent:], width-hang, urls) {
			if i == 0 {
				b.WriteString(line[:hang] + l + "\n")
			} else {
				b.WriteString(strings.Repeat(" ", hang) + l + "\n")
			}
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// listMarker is the width of a list item's marker ("1. ", "- ", "* ").
func listMarker(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	switch {
	case i > 0 && strings.HasPrefix(s[i:], ". "):
		return i + 2
	case strings.HasPrefix(s, "- "), strings.HasPrefix(s, "* "):
		return 2
	}
	return 0
}
