package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/cprready/cprready/checks"
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

func mdCell(s string) string {
	s = clean(s)
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "<", "&lt;")
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
