package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/live"
	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/report"
	"github.com/cprready/cprready/schema"
)

// defaultTimeout bounds a live run.
const defaultTimeout = 30 * time.Second

// checkOptions are check's flags and, once complete, what they leave
// implicit: the format, the profile files.
type checkOptions struct {
	profile string
	// profiles are every --profile given (files or folders); paths the
	// profile files they name (complete).
	profiles, paths []string
	// formatSet: --format was given (else it follows --output).
	formatSet bool
	format    string
	output    string
	at        string
	only      []string
	offline   bool
	strict    bool
	noEgress  bool
	noTUI     bool
	verbose   bool
	force     bool
	timeout   time.Duration
	// restRetirement overrides the profile's rest_retirement (31-12-2026
	// or 2026-12-31).
	restRetirement string
	// ephemeral: a throw-away profile (the demo's), not remembered.
	ephemeral bool
}

// newCheckCmd is check in the cli/cli shape: RunE completes the options
// and hands them to runF (a test's, to see them) or runs the check.
func newCheckCmd(std *stdio, runF func(*checkOptions) error) *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check a profile against every rule, and live against the platform",
		Long: `Check runs every rule of the profile offline, then (unless --offline) the live
checks against Datafordeleren or the emulator the profile points at.

Exit codes: 0 ready, 1 not ready, 2 usage or profile error, 130 interrupted.`,
		Example: `  cprready check --profile cprready.yaml
  cprready check --profile kommune-a.yaml --profile kommune-b.yaml
  cprready check --profile profiles/ --format json --output reports.json
  cprready check --offline --format json --output report.json
  cprready check --at 2026-12-31 --strict --format junit --output junit.xml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.formatSet = cmd.Flags().Changed("format")
			if err := o.complete(); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runChecks(cmd.Context(), std, o)
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&o.profiles, "profile", "p", nil, "profile file, or a folder of profiles; repeat to check several at once (default $CPRREADY_PROFILE, then ./cprready.yaml)")
	f.StringVarP(&o.format, "format", "f", "text", "report format: text, json, junit or markdown (default: from --output's extension, else text)")
	f.StringVarP(&o.output, "output", "o", "", "write the report to this file ("+fsutil.PrivateNote+") instead of stdout; never over an input, nor over a file that is not a cprready report without --force")
	f.BoolVar(&o.force, "force", false, "let --output replace an existing file that is not a cprready report (never one of the run's inputs)")
	f.StringVar(&o.at, "at", "", "evaluate every date as of this day (31-12-2026, 31.12.2026 or 2026-12-31), e.g. the go-live date")
	f.StringSliceVar(&o.only, "only", nil, "run only these check IDs (comma-separated)")
	f.BoolVar(&o.offline, "offline", false, "run only the rules that need no network")
	f.BoolVar(&o.strict, "strict", false, "warnings make the profile not ready (exit 1)")
	f.BoolVar(&o.noEgress, "no-egress-check", false, "do not look up the public egress address (net.egress-ip)")
	f.BoolVar(&o.noTUI, "no-tui", false, "print the report even on a terminal")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "text: show every check, not only what fails or warns")
	f.DurationVar(&o.timeout, "timeout", defaultTimeout, "bound the whole live run")
	f.StringVar(&o.restRetirement, "rest-retirement", "", "the day the REST services close, once announced (31-12-2026 or 2026-12-31); default: the profile's rest_retirement, else the platform's wording")
	return cmd
}

// complete derives what the flags leave implicit: the format from
// --output's extension unless --format was given, and the profile files
// from the files and folders given (profile.Expand).
func (o *checkOptions) complete() error {
	if !o.formatSet {
		o.format = report.FormatForFile(o.output)
	}
	paths, err := profile.Expand(o.profiles)
	if err != nil {
		return cmdutil.UsageError(err)
	}
	o.paths = paths
	if len(paths) == 1 {
		o.profile = paths[0]
	}
	return nil
}

// runChecks checks the one profile, or several into one document.
func runChecks(ctx context.Context, std *stdio, o *checkOptions) error {
	if len(o.paths) > 1 {
		return runCheckMany(ctx, std, o, o.paths)
	}
	return runCheck(ctx, std, o)
}

// checkRun is a prepared check: the loaded profile, options and resolver
// (which tells the redaction gate every secret as it is read).
type checkRun struct {
	p    *profile.Profile
	o    *checkOptions
	opts checks.Options
	res  profile.Resolver
}

// prepareCheck loads the profile and prepares the check.
func prepareCheck(std *stdio, o *checkOptions) (*checkRun, error) {
	if err := validateCheckOptions(o); err != nil {
		return nil, err
	}
	p, _, err := openProfile(std, o.profile)
	if err != nil {
		return nil, err
	}
	return newCheckRun(std, p, o)
}

func validateCheckOptions(o *checkOptions) error {
	if o.timeout <= 0 {
		return cmdutil.UsageErr("--timeout must be positive, e.g. 30s")
	}
	if err := report.CheckOutput(o.format, o.output); err != nil {
		return cmdutil.UsageError(err)
	}
	return nil
}

// newCheckRun prepares the check of a loaded profile.
func newCheckRun(std *stdio, p *profile.Profile, o *checkOptions) (*checkRun, error) {
	at, err := cmdutil.ParseAt(o.at)
	if err != nil {
		return nil, err
	}
	if o.restRetirement != "" {
		d := profile.NewDate(o.restRetirement)
		if !d.Valid() {
			return nil, cmdutil.UsageErr("--rest-retirement %q: write the date as 31-12-2026 or 2026-12-31", o.restRetirement)
		}
		p.RESTRetirement = d
	}
	opts := checks.Options{At: at, Only: cmdutil.SplitIDs(o.only), Offline: o.offline, Strict: o.strict}
	if _, err := checks.Selected(opts); err != nil {
		return nil, cmdutil.Exit(cmdutil.ExitUsage, err)
	}
	return &checkRun{p: p, o: o, opts: opts, res: resolverFor(std, p)}, nil
}

// evaluate runs the checks within the timeout: the one run path of the
// text, JSON and terminal-UI reports. only, when set, replaces --only;
// progress, when set, hears every row.
func (cr *checkRun) evaluate(ctx context.Context, std *stdio, timeout time.Duration, only []string, progress func(checks.Progress)) (*checks.Report, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	opts := cr.opts
	opts.Tool = checks.Tool{Name: "cprready", Version: build().Version}
	opts.Progress = progress
	if only != nil {
		opts.Only = only
	}
	if !cr.o.offline {
		opts.Prober = live.New(liveOptions(std, cr.p, cr.o))
	}
	rep, err := checks.Evaluate(ctx, cr.p, opts, cr.res)
	if err != nil {
		return nil, cmdutil.Exit(cmdutil.ExitUsage, err)
	}
	if !cr.o.offline {
		rep.Options.Timeout = timeout.String()
	}
	return rep, nil
}

func runCheck(ctx context.Context, std *stdio, o *checkOptions) error {
	cr, err := prepareCheck(std, o)
	if err != nil {
		return err
	}
	// Before any work: never an input, never another kind of file (exit 2).
	if err := cmdutil.UsageError(report.Output(o.output, o.format, o.force, cr.p.InputFiles()).Check()); err != nil {
		return err
	}
	if std.tty && o.output == "" && o.format == "text" && !o.noTUI && std.getenv("TERM") != "dumb" {
		return runCheckTUI(ctx, std, cr, o)
	}
	rep, err := cr.evaluate(ctx, std, o.timeout, nil, nil)
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	// Rendered and redacted once; JSON output doubles as the saved results.
	out, err := report.Bytes(rep, report.Options{Format: o.format, Color: o.output == "" && std.color() && o.format == "text", Verbose: o.verbose, Width: std.width(o.output)}, std.gate)
	if err != nil {
		return err
	}
	if !o.ephemeral {
		js := out
		if o.format != "json" {
			js = nil
		}
		saveLastReport(std, rep, js)
	}
	if err := writeOutput(std, o, cr.p.InputFiles(), out, "the "+o.format+" report", " ("+rep.Verdict()+")"); err != nil {
		return err
	}
	return cmdutil.ExitCode(rep.ExitCode())
}

// writeOutput writes rendered bytes to stdout or, guarded again, to
// --output (report.Deliver).
func writeOutput(std *stdio, o *checkOptions, inputs []profile.InputFile, out []byte, what, note string) error {
	if err := report.Deliver(std.out, std.err, report.Output(o.output, o.format, o.force, inputs), out, what, note); err != nil {
		return cmdutil.UsageError(err)
	}
	return nil
}

func liveOptions(std *stdio, p *profile.Profile, o *checkOptions) live.Options {
	lo := live.Options{NoEgress: o.noEgress, Redactor: std.gate, RequestTimeout: min(o.timeout, 15*time.Second)}
	// schema.apikey shows the cached schema's age and whether live differs.
	if b, ok := schema.CacheOf(p); ok {
		lo.SchemaCache = b
	}
	return lo
}
