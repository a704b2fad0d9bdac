package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/diagnose"
	"github.com/cprready/cprready/report"
)

func newExplainCmd(io *stdio) *cobra.Command {
	var list bool
	cmd := &cobra.Command{
		Use:   "explain CODE",
		Short: "Explain a check ID or a platform error code",
		Long: `Explain says what a check ID checks, why (quoting its source), how to fix it,
and where in Datafordeler's Administration to do it. It also explains the
platform's error codes (DAF-AUTH-0005, DAF-AUTH-0001, invalid_client,
invalid_token …), and diagnoses a pasted error body (or a whole HTTP
response) read from stdin with "-".`,
		Example: `  cprready explain ip.prefix-range
  cprready explain DAF-AUTH-0005
  pbpaste | cprready explain -
  cprready explain --list`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if list || len(args) == 0 {
				if !list {
					return usageErr("explain needs a check ID or error code; `cprready explain --list` lists the check IDs")
				}
				return explainList(io)
			}
			return explain(io, args[0])
		},
	}
	cmd.Flags().BoolVar(&list, "list", false, "list every check ID")
	return cmd
}

func explainList(io *stdio) error {
	area := ""
	for _, c := range checks.Registry() {
		if c.Area != area {
			area = c.Area
			fmt.Fprintf(io.out, "\n%s\n", area)
		}
		fmt.Fprintf(io.out, "  %-28s %-9s %s\n", c.ID, c.Level, c.Title)
	}
	return nil
}

func explain(io *stdio, code string) error {
	if c := checks.Lookup(strings.TrimSpace(code)); c != nil {
		fmt.Fprint(io.out, ExplainCheck(c))
		return nil
	}
	if text, ok := explainOther(io, code); ok {
		fmt.Fprint(io.out, text)
		return nil
	}
	if code == "-" {
		return usageErr("nothing to explain: the input was empty. Paste a response (status line, headers and body, as `curl -i` shows it) or an error message, then press Ctrl-D")
	}
	return usageErr("%q is not a check ID or known error code; known IDs: %s", code, strings.Join(nearIDs(code), ", "))
}

// explainOther explains a platform error code, or a pasted body on stdin ("-").
func explainOther(io *stdio, code string) (string, bool) {
	if code == "-" {
		return diagnose.ExplainBody(io.in)
	}
	return diagnose.ExplainCode(code)
}

// ExplainCheck is the explanation of one check.
func ExplainCheck(c *checks.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", c.ID, c.Title)
	fmt.Fprintf(&b, "Level: %s · Source: %s · Area: %s\n\n", c.Level, c.Source, c.Area)
	fmt.Fprintf(&b, "What it checks\n  %s\n\n", wrapIndent(c.Rule))
	fmt.Fprintf(&b, "Why\n  %s\n\n", wrapIndent(c.Why))
	fmt.Fprintf(&b, "How to fix it\n  %s\n\n", wrapIndent(c.Fix))
	fmt.Fprintf(&b, "Where\n  %s\n\n", wrapIndent(c.Where))
	fmt.Fprintf(&b, "Docs: %s\n", c.Docs())
	return b.String()
}

func wrapIndent(s string) string { return strings.Join(report.Wrap(s, 76), "\n  ") }

// nearIDs suggests IDs sharing a prefix with code, or all areas.
func nearIDs(code string) []string {
	var out []string
	prefix, _, _ := strings.Cut(strings.ToLower(code), ".")
	for _, id := range checks.IDs() {
		if strings.HasPrefix(id, prefix) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		seen := map[string]bool{}
		for _, id := range checks.IDs() {
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
