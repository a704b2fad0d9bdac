package main

import (
	"github.com/spf13/cobra"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/diagnose"
	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/report"
)

// valueCompletions are the values a flag takes, wherever it appears.
func valueCompletions() map[string]func() []string {
	return map[string]func() []string{
		"format": func() []string { return report.Formats },
		"fault":  emulator.FaultNames,
		"only":   checks.IDs,
		"service": func() []string {
			var out []string
			for _, s := range platform.Services() {
				out = append(out, string(s))
			}
			return out
		},
		"version":              func() []string { return platform.Public.Versions() },
		"filedownload-version": func() []string { return []string{"v2.0"} },
	}
}

// registerCompletions gives every flag of every command its values
// (check IDs, fault names, formats, services, versions) and explain its
// arguments.
func registerCompletions(root *cobra.Command) {
	cmdutil.RegisterCompletions(root, valueCompletions())
	if explain, _, err := root.Find([]string{"explain"}); err == nil && explain != root {
		explain.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			out := append([]string{"-"}, checks.IDs()...)
			for _, d := range diagnose.CauseDocs() {
				out = append(out, d.Codes...)
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		}
	}
}
