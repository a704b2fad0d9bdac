package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/redact"
)

// Markdown writes the report fit for a support ticket or a pull request
// comment: the verdict, what fails and warns first, then every other
// check folded under <details>.
func Markdown(w io.Writer, rep *checks.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## cprready: %s\n\n", rep.Verdict())
	fmt.Fprintf(&b, "Profile `%s`, environment `%s`, evaluated as of %s with cprready %s.\n\n", mdCode(rep.Profile), mdCode(rep.Environment), rep.EvaluatedAt, rep.Tool.Version)
	s := rep.Summary
	fmt.Fprintf(&b, "**%d pass · %d warn · %d fail · %d skip · %d info**\n\n", s.Pass, s.Warn, s.Fail, s.Skip, s.Info)
	var findings, rest []checks.Result
	for _, st := range []checks.Status{checks.Fail, checks.Warn} {
		for _, r := range rep.Checks {
			if r.Status == st {
				findings = append(findings, r)
			}
		}
	}
	for _, r := range rep.Checks {
		if r.Status != checks.Fail && r.Status != checks.Warn {
			rest = append(rest, r)
		}
	}
	if len(findings) > 0 {
		b.WriteString("### What to fix\n\n")
		mdTable(&b, findings)
		b.WriteString("\n")
	} else {
		b.WriteString("Nothing fails or warns.\n\n")
	}
	if len(rest) > 0 {
		fmt.Fprintf(&b, "<details><summary>Every other check (%d: passed, skipped, informational)</summary>\n\n", len(rest))
		mdTable(&b, rest)
		b.WriteString("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdTable writes rows as a table.
func mdTable(b *strings.Builder, rows []checks.Result) {
	b.WriteString("| Result | Check | Subject | Finding | Fix |\n|---|---|---|---|---|\n")
	for _, r := range rows {
		msg := mdCell(r.Message)
		if r.BlockedBy != "" {
			msg = "blocked by `" + mdCode(r.BlockedBy) + "`: " + msg
		}
		fmt.Fprintf(b, "| %s %s | [`%s`](%s) | `%s` | %s | %s |\n",
			Glyph(r.Status), r.Status, r.ID, r.Docs, mdCode(r.Subject), msg, mdCell(r.Remedy))
	}
}

// mdCell is text for a table cell: no escapes, and nothing a Markdown
// renderer reads as markup (a server's text could carry a link or an
// image: ![x](https://tracker…)).
func mdCell(s string) string {
	s = strings.NewReplacer("\\", "\\\\", "|", `\|`, "<", "&lt;", "[", `\[`, "]", `\]`, "*", `\*`, "_", `\_`, "`", "\\`").Replace(clean(s))
	return strings.ReplaceAll(s, `\[REDACTED\]`, redact.Mask) // the mask reads as itself
}

func mdCode(s string) string { return strings.ReplaceAll(clean(s), "`", "'") }

// Glyph is a status's symbol: ✓ ⚠ ✗ – ℹ.
func Glyph(s checks.Status) string {
	switch s {
	case checks.Pass:
		return "✓"
	case checks.Warn:
		return "⚠"
	case checks.Fail:
		return "✗"
	case checks.Skip:
		return "–"
	}
	return "ℹ"
}
