package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/redact"
)

// Markdown writes a table fit for a support ticket.
func Markdown(w io.Writer, rep *checks.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## cprready: %s\n\n", rep.Verdict())
	fmt.Fprintf(&b, "Profile `%s`, environment `%s`, evaluated as of %s with cprready %s.\n\n", mdCode(rep.Profile), mdCode(rep.Environment), rep.EvaluatedAt, rep.Tool.Version)
	s := rep.Summary
	fmt.Fprintf(&b, "**%d pass · %d warn · %d fail · %d skip · %d info**\n\n", s.Pass, s.Warn, s.Fail, s.Skip, s.Info)
	b.WriteString("| Result | Check | Subject | Finding | Fix |\n|---|---|---|---|---|\n")
	for _, r := range rep.Checks {
		msg := r.Message
		if r.BlockedBy != "" {
			msg = "blocked by `" + r.BlockedBy + "`: " + msg
		}
		fmt.Fprintf(&b, "| %s %s | [`%s`](%s) | `%s` | %s | %s |\n",
			Glyph(r.Status), r.Status, r.ID, r.Docs, mdCode(r.Subject), mdCell(msg), mdCell(r.Remedy))
	}
	_, err := io.WriteString(w, b.String())
	return err
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
