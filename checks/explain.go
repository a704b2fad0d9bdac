package checks

import (
	"cmp"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/cprready/cprready/internal/words"
)

// Explain is the page `cprready explain ID` prints: what the check checks,
// why, how to fix it, where, and its docs.
func (c *Check) Explain() string {
	wrap := func(s string) string { return strings.ReplaceAll(ansi.Wordwrap(s, 76, ""), "\n", "\n  ") }
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", c.ID, c.Title)
	fmt.Fprintf(&b, "Level: %s · Source: %s · Area: %s\n\n", c.Level, SourceWords(c.Source), c.Area)
	fmt.Fprintf(&b, "What it checks\n  %s\n\n", wrap(c.Rule))
	fmt.Fprintf(&b, "Why\n  %s\n\n", wrap(WhyWords(c.Why)))
	fmt.Fprintf(&b, "How to fix it\n  %s\n\n", wrap(c.Fix))
	fmt.Fprintf(&b, "Where\n  %s\n\n", wrap(c.Where))
	fmt.Fprintf(&b, "Docs: %s\n", c.Docs())
	return b.String()
}

// WriteList writes every check ID by area, with its level and title.
func WriteList(w io.Writer) {
	area := ""
	for _, c := range Registry() {
		if c.Area != area {
			area = c.Area
			fmt.Fprintf(w, "\n%s\n", area)
		}
		fmt.Fprintf(w, "  %-28s %-9s %s\n", c.ID, c.Level, c.Title)
	}
}

// NearIDs suggests IDs for an unknown code: the closest ID when it looks
// like a typo, else the IDs of its area, else every area.
func NearIDs(code string) []string {
	if best := words.Closest(code, IDs()); best != "" {
		return []string{best}
	}
	var out []string
	prefix, _, _ := strings.Cut(strings.ToLower(code), ".")
	for _, id := range IDs() {
		if strings.HasPrefix(id, prefix+".") {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		seen := map[string]bool{}
		for _, id := range IDs() {
			a, _, _ := strings.Cut(id, ".")
			if !seen[a] {
				seen[a] = true
				out = append(out, a+".*")
			}
		}
		sort.Strings(out)
	}
	return out
}

// WhyWords is a rule's Why in a reader's words: the registry's "Seed: …"
// and "Platform: …" name their source as SourceWords does.
func WhyWords(why string) string {
	for _, p := range []struct{ prefix, words string }{
		{"Seed: ", "CPR's modernisation slides (Netcompany) say: "},
		{"Platform: ", "On Datafordeleren, "},
	} {
		if rest, ok := strings.CutPrefix(why, p.prefix); ok {
			return p.words + rest
		}
	}
	return why
}

// SourceWords says where a rule comes from in a reader's words: the
// registry's short names (seed, platform, practice) are the project's.
func SourceWords(src string) string {
	names := map[string]string{
		"seed":     "CPR's modernisation slides (Netcompany)",
		"platform": "Datafordeleren's own pages and working client code",
		"practice": "cprready practice",
	}
	var out []string
	for part := range strings.SplitSeq(src, ",") {
		part = strings.TrimSpace(part)
		out = append(out, cmp.Or(names[part], part))
	}
	return strings.Join(out, "; ")
}
