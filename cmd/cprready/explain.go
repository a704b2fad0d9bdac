package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/diagnose"
	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/internal/words"
)

func newExplainCmd(std *stdio) *cobra.Command {
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
					return cmdutil.UsageErr("explain needs a check ID or error code; `cprready explain --list` lists the check IDs")
				}
				checks.WriteList(std.out)
				return nil
			}
			return explain(cmd.Context(), std, args[0])
		},
	}
	cmd.Flags().BoolVar(&list, "list", false, "list every check ID")
	return cmd
}

func explain(ctx context.Context, std *stdio, code string) error {
	if c := checks.Lookup(strings.TrimSpace(code)); c != nil {
		fmt.Fprintln(std.out, words.WrapText(strings.TrimSuffix(c.Explain(), "\n"), std.lineWidth()))
		return nil
	}
	if code == "-" {
		return explainPaste(ctx, std)
	}
	if text, ok := diagnose.ExplainCode(code); ok {
		fmt.Fprintln(std.out, words.WrapText(strings.TrimSuffix(std.gate.Value(text), "\n"), std.lineWidth()))
		return nil
	}
	return cmdutil.UsageErr("%q is not a check ID, an HTTP status or an error code cprready knows; known IDs: %s", code, strings.Join(checks.NearIDs(code), ", "))
}

// explainPaste diagnoses what is pasted on stdin (diagnose.ReadAndExplain:
// on a terminal it says how to end the paste; Ctrl-C ends it, exit 130).
func explainPaste(ctx context.Context, std *stdio) error {
	var prompt io.Writer
	if std.tty {
		prompt = std.err
	}
	text, err := diagnose.ReadAndExplain(ctx, std.in, prompt)
	if err != nil {
		return err
	}
	fmt.Fprintln(std.out, words.WrapText(strings.TrimSuffix(std.gate.Value(text), "\n"), std.lineWidth()))
	return nil
}
