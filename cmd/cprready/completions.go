package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/diagnose"
	"github.com/cprready/cprready/emulator"
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
// arguments. A comma-separated list completes its last item.
func registerCompletions(root *cobra.Command) {
	values := valueCompletions()
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for name, list := range values {
			if c.Flags().Lookup(name) == nil {
				continue
			}
			_ = c.RegisterFlagCompletionFunc(name, listCompletion(list))
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
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

func listCompletion(list func() []string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		done := ""
		if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
			done = toComplete[:i+1]
		}
		var out []string
		for _, v := range list() {
			out = append(out, done+v)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
