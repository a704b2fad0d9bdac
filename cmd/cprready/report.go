package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cprready/cprready/bundle"
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/internal/userstate"
	"github.com/cprready/cprready/report"
)

// saveLastReport keeps the report for the support bundle: js, its JSON
// rendered and redacted already, or rendered here when nil.
func saveLastReport(std *stdio, rep *checks.Report, js []byte) {
	if js == nil {
		var err error
		if js, err = report.Bytes(rep, report.Options{Format: "json"}, std.gate); err != nil {
			return
		}
	}
	userstate.SaveLastReport(rep.Profile, js)
}

type reportOptions struct {
	profile, output, inspect, at string
	offline, rerun, verbose      bool
	force                        bool
	timeout                      time.Duration
}

func newReportCmd(std *stdio) *cobra.Command {
	o := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write a support bundle (secrets never included), or inspect one",
		Long: `Report writes one .tar.gz for support staff: the redacted profile, the latest
check results (JSON and Markdown; the checks are run if none are saved),
tool, OS and Go versions, which proxy variables are set (names only), the
clock offset, and a manifest of what was redacted. Every value of every file
is masked for every secret (strictly: a short password that is also an
ordinary word is masked too) and scanned again after masking; the manifest
says how many values of which file were masked. --output never replaces one
of the profile's files, nor a file that is not a bundle without --force.

--inspect FILE shows a bundle's findings, as the customer saw them.`,
		Example: `  cprready report --profile cprready.yaml
  cprready report --offline --output support.tar.gz
  cprready report --inspect support.tar.gz`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.inspect != "" {
				return inspectBundle(std, o, o.inspect)
			}
			return writeBundle(cmd.Context(), std, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.profile, "profile", "p", "", "profile file (default $CPRREADY_PROFILE, then ./cprready.yaml)")
	f.StringVarP(&o.output, "output", "o", "", "bundle file (default: a new cprready-support-<time>.tar.gz); never one of the profile's files, nor a file that is not a bundle without --force")
	f.BoolVar(&o.force, "force", false, "let --output replace an existing file that is not a cprready bundle (never one of the profile's files)")
	f.StringVar(&o.inspect, "inspect", "", "show the findings of a bundle")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "with --inspect: show every check")
	f.BoolVar(&o.offline, "offline", false, "if the checks must run, run only the offline rules")
	f.BoolVar(&o.rerun, "rerun", false, "run the checks again instead of using the latest saved results")
	f.StringVar(&o.at, "at", "", "run the checks again, every date evaluated as of this day (as check --at)")
	f.DurationVar(&o.timeout, "timeout", defaultTimeout, "bound the live run")
	return cmd
}

func writeBundle(ctx context.Context, std *stdio, o *reportOptions) error {
	p, path, err := openProfile(std, o.profile)
	if err != nil {
		return err
	}
	guard := bundle.Output(o.output, o.force, p)
	if err := guard.Check(); err != nil {
		return cmdutil.UsageError(err)
	}
	// Every secret the profile can reach is resolved, so the gate and the
	// scan know it.
	p.ResolveAll(ctx, resolverFor(std, p))
	rep, when, err := userstate.LoadLastReport(path)
	if why := bundle.StaleResults(rep, err, p); why != "" && !o.rerun && o.at == "" {
		fmt.Fprintf(std.err, "cprready: the latest saved results cannot go into the bundle: %s; running the checks again\n", why)
		o.rerun = true
	}
	if o.rerun || o.at != "" {
		co := &checkOptions{profile: path, offline: o.offline, timeout: o.timeout, format: "json", at: o.at}
		if err := validateCheckOptions(co); err != nil {
			return err
		}
		cr, err := newCheckRun(std, p, co)
		if err != nil {
			return err
		}
		if rep, err = cr.evaluate(ctx, std, o.timeout, nil, nil); err != nil {
			return err
		}
		saveLastReport(std, rep, nil)
		fmt.Fprintf(std.err, "cprready: ran the checks for the bundle (%s)\n", rep.Verdict())
	} else {
		fmt.Fprintf(std.err, "cprready: using the latest check results, from %s (--rerun to run them again)\n", when.Format("2006-01-02 15:04"))
	}
	out, m, files, err := bundle.Create(guard, bundle.Options{Profile: p, Report: rep, Tool: build().String(), Getenv: std.getenv, Now: time.Now(), Gate: std.gate})
	var leak *bundle.LeakError
	if errors.As(err, &leak) {
		return cmdutil.Exit(cmdutil.ExitNotReady, leak)
	}
	if err != nil {
		return cmdutil.UsageError(err)
	}
	m.WriteSummary(std.out, out, files)
	fmt.Fprintf(std.out, "Send it to support; they can read it with `cprready report --inspect %s`.\n", out)
	return nil
}

func inspectBundle(std *stdio, o *reportOptions, path string) error {
	in, err := bundle.Inspect(path)
	if err != nil {
		return cmdutil.UsageError(err)
	}
	if err := in.Show(std.out, clean(path), report.Options{Format: "text", Color: std.color(), Verbose: o.verbose, Width: std.width("")}, std.gate); err != nil {
		return err
	}
	if len(in.Problems) > 0 {
		return cmdutil.ExitCode(cmdutil.ExitNotReady)
	}
	return nil
}
