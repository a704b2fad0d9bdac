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
