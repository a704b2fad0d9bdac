package checks

import (
	"fmt"
	"strings"
)

// DocsMarkdown renders docs/checks.md from the registry, so the document
// and the code cannot drift apart (a test keeps the file equal to this).
func DocsMarkdown() string {
	var b strings.Builder
	b.WriteString(`# Check IDs

Every check cprready runs, generated from the registry in ` + "`checks/registry.go`" + `
(` + "`go test ./checks -run TestDocs -update`" + ` rewrites this file). The IDs
are stable: reports, CI pipelines and support tickets rely on them.
` + "`cprready explain ID`" + ` prints the same text in a terminal.

**Levels.** ` + "`fail`" + ` blocks readiness; ` + "`warn`" + ` does not (but ` + "`--strict`" + ` makes
it fail); ` + "`info`" + ` is shown only; ` + "`fail/warn`" + ` rules say which by the finding.
**Sources.** *seed*: the CPR modernisation slide deck; *platform*: Datafordeleren's
own pages and working client code; *practice*: cprready's engineering judgement
(the message says so).

**Subjects.** A check reports once per subject: the deepest part of the profile
the finding is about, e.g. ` + "`organisation`, `contact`, `supplier`, `environment`, `endpoints`, `followup`, `it_systems`, `it_systems[0]`, `it_systems[0].ip_whitelist[1]`, `it_systems[0].credentials.oauth_shared_secrets[0]`, `legacy_rest[0]`" + `.
Findings about an IT-system's application (` + "`data_access`" + `) are reported on the IT-system (` + "`it_systems[0]`" + `):
one row per IP range, per IT-system and per credential, as the contract says.
A check with nothing to judge (no certificate, no application) reports no row.
A row whose precondition failed is ` + "`skip`" + ` with ` + "`blocked_by`" + ` naming the check that failed.

**Dates.** Every date rule is evaluated as of ` + "`--at`" + ` (default today). An expiry
date is the last valid day: it fails the day after, and warns from 30 days before.

`)
	area := ""
	b.WriteString("| ID | Level | Title |\n|---|---|---|\n")
	for _, c := range Registry() {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", c.ID, Anchor(c.ID), c.Level, c.Title)
	}
	for _, c := range Registry() {
		if c.Area != area {
			area = c.Area
			fmt.Fprintf(&b, "\n## %s\n", area)
		}
		fmt.Fprintf(&b, "\n### %s\n\n", c.ID)
		fmt.Fprintf(&b, "**%s** · level `%s` · source: %s\n\n", c.Title, c.Level, c.Source)
		fmt.Fprintf(&b, "- **What it checks:** %s\n", c.Rule)
		fmt.Fprintf(&b, "- **Why:** %s\n", WhyWords(c.Why))
		fmt.Fprintf(&b, "- **How to fix it:** %s\n", c.Fix)
		fmt.Fprintf(&b, "- **Where:** %s\n", c.Where)
	}
	return b.String()
}
