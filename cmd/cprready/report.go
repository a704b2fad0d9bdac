package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cprready/cprready/bundle"
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/userstate"
	"github.com/cprready/cprready/report"
)

// saveLastReport keeps the report for the support bundle: js, its JSON
// rendered and redacted already, or rendered here when nil.
func saveLastReport(io *stdio, rep *checks.Report, js []byte) {
	if js == nil {
		var err error
		if js, err = report.Bytes(rep, report.Options{Format: "json"}, io.gate); err != nil {
			return
		}
	}
	userstate.SaveLastReport(rep.Profile, js)
}

type reportOptions struct {
	profile, output, inspect string
	offline, rerun, verbose  bool
	timeout                  time.Duration
}

func newReportCmd(io *stdio) *cobra.Command {
	o := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write a support bundle (secrets never included), or inspect one",
		Long: `Report writes one .tar.gz for support staff: the redacted profile, the latest
check results (JSON and Markdown; the checks are run if none are saved),
tool, OS and Go versions, which proxy variables are set (names only), the
clock offset, and a manifest of what was redacted. Before writing, every file
is scanned for every secret value; if one would appear, nothing is written
(exit 1) and the file is named, never the secret.

--inspect FILE shows a bundle's findings, as the customer saw them.`,
		Example: `  cprready report --profile cprready.yaml
  cprready report --offline --output support.tar.gz
  cprready report --inspect support.tar.gz`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.inspect != "" {
				return inspectBundle(io, o, o.inspect)
			}
			return writeBundle(cmd.Context(), io, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.profile, "profile", "p", "", "profile file (default $CPRREADY_PROFILE, then ./cprready.yaml)")
	f.StringVarP(&o.output, "output", "o", "", "bundle file (default cprready-support-<time>.tar.gz)")
	f.StringVar(&o.inspect, "inspect", "", "show the findings of a bundle")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "with --inspect: show every check")
	f.BoolVar(&o.offline, "offline", false, "if the checks must run, run only the offline rules")
	f.BoolVar(&o.rerun, "rerun", false, "run the checks again instead of using the latest saved results")
	f.DurationVar(&o.timeout, "timeout", defaultTimeout, "bound the live run")
	return cmd
}

func writeBundle(ctx context.Context, io *stdio, o *reportOptions) error {
	path, err := profilePath(io, o.profile)
	if err != nil {
		return err
	}
	p, err := loadProfile(io, path)
	if err != nil {
		return err
	}
	// Every secret the profile can reach is resolved, so the gate and the
	// scan know it.
	res := resolverFor(io, p)
	for _, ns := range p.Secrets() {
		_ = ns.Secret.Resolve(ctx, res)
	}
	rep, when, err := userstate.LoadLastReport(path)
	if why := bundle.StaleResults(rep, err, p); why != "" && !o.rerun {
		fmt.Fprintf(io.err, "cprready: the latest saved results cannot go into the bundle: %s; running the checks again\n", why)
		o.rerun = true
	}
	if o.rerun {
		co := &checkOptions{profile: path, offline: o.offline, timeout: o.timeout, format: "json"}
		if err := validateCheckOptions(co); err != nil {
			return err
		}
		cr, err := newCheckRun(io, p, co)
		if err != nil {
			return err
		}
		if rep, err = cr.evaluate(ctx, io, o.timeout, nil, nil); err != nil {
			return err
		}
		saveLastReport(io, rep, nil)
		fmt.Fprintf(io.err, "cprready: ran the checks for the bundle (%s)\n", verdictWord(rep))
	} else {
		fmt.Fprintf(io.err, "cprready: using the latest check results, from %s (--rerun to run them again)\n", when.Format("2006-01-02 15:04"))
	}
	files, m, err := bundle.Build(bundle.Options{Profile: p, Report: rep, Tool: versionString(), Getenv: io.getenv, Now: time.Now(), Gate: io.gate})
	var leak *bundle.LeakError
	if errors.As(err, &leak) {
		return &exitError{code: exitNotReady, err: leak}
	}
	if err != nil {
		return usageError(err)
	}
	out := o.output
	if out == "" {
		out = fmt.Sprintf("cprready-support-%s.tar.gz", time.Now().Format("20060102-150405"))
	}
	if err := bundle.Write(out, files, time.Now()); err != nil {
		return usageError(err)
	}
	fmt.Fprintf(io.out, "Wrote %s (mode 0600): %d files, scanned for %d secret forms, none present.\n", out, len(files), m.SecretsScanned)
	for _, f := range m.Files {
		fmt.Fprintf(io.out, "  %-24s %7d bytes\n", f.Name, f.Size)
	}
	if len(m.Redacted) > 0 {
		fmt.Fprintln(io.out, "Redacted:")
		for _, r := range m.Redacted {
			fmt.Fprintln(io.out, "  "+r)
		}
	}
	fmt.Fprintf(io.out, "Send it to support; they can read it with `cprready report --inspect %s`.\n", out)
	return nil
}

func inspectBundle(io *stdio, o *reportOptions, path string) error {
	in, err := bundle.Inspect(path)
	if err != nil {
		return usageError(err)
	}
	m := in.Manifest
	if len(in.Problems) > 0 {
		fmt.Fprintln(io.out, "WARNING: this bundle does not add up; do not trust its verdict:")
		for _, p := range in.Problems {
			fmt.Fprintln(io.out, "  ! "+p)
		}
		fmt.Fprintln(io.out)
	}
	fmt.Fprintf(io.out, "Bundle %s, created %s by %s\n", clean(path), m.Created.Format(time.RFC3339), m.Tool)
	if env, ok := in.Files["environment.txt"]; ok {
		fmt.Fprintln(io.out, clean(string(env)))
	}
	if err := report.Render(io.out, in.Report, report.Options{Format: "text", Color: io.color(), Verbose: o.verbose}, io.gate); err != nil {
		return err
	}
	if len(in.Problems) > 0 {
		return exitCode(exitNotReady)
	}
	return nil
}
