package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/cprready/cprready/checks/live"
	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/internal/httpguard"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/watch"
)

type watchOptions struct {
	profiles  []string
	listen    string
	interval  time.Duration
	timeout   time.Duration
	strict    bool
	noEgress  bool
	logFormat string
	tz        string
	allow     []string
}

func newWatchCmd(std *stdio) *cobra.Command {
	o := &watchOptions{}
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Keep checking profiles after go-live: Prometheus metrics, a status page, logs of changes",
		Long: `Watch runs the full check (offline rules and live checks) of every profile
at an interval (with jitter, never two runs of one profile at once) and serves:

  /          a status page: each profile's verdict, what fails with the
             diagnosis and the fix, what expires within 60 days
  /metrics   Prometheus metrics (cprready_ready, cprready_check_success,
             cprready_credential_expiry_timestamp_seconds, …)
  /healthz   200 while the watcher runs

It logs state changes only: a check that starts failing or recovers. A
profile that does not load at start is an error (exit 2); one that breaks
later is reported as such and the others keep running. SIGTERM or SIGINT
stop it cleanly (exit 0). See docs/watch.md.`,
		Example: `  cprready watch --profile cprready.yaml
  cprready watch --profile profiles/ --listen 127.0.0.1:9464 --interval 5m
  cprready watch --profile kommune-a.yaml --profile kommune-b.yaml --log-format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runWatch(cmd.Context(), std, o) },
	}
	f := cmd.Flags()
	f.StringArrayVarP(&o.profiles, "profile", "p", nil, "profile file, or a folder of profiles; repeat for several (default $CPRREADY_PROFILE, then ./cprready.yaml)")
	f.StringVar(&o.listen, "listen", "127.0.0.1:9464", "serve the status page and /metrics on this address")
	f.DurationVar(&o.interval, "interval", 5*time.Minute, "time between the starts of two runs of a profile (±10% jitter)")
	f.DurationVar(&o.timeout, "timeout", time.Minute, "bound each run of each profile")
	f.BoolVar(&o.strict, "strict", false, "warnings make a profile not ready")
	f.BoolVar(&o.noEgress, "no-egress-check", false, "do not look up the public egress address (net.egress-ip)")
	f.StringVar(&o.logFormat, "log-format", "text", "log format on stderr: text or json")
	f.StringArrayVar(&o.allow, "allow-host", nil, "also answer requests for this Host name (the name Prometheus or a proxy uses); loopback names and the --listen address always")
	f.StringVar(&o.tz, "tz", "", "time zone of the status page and the logs, e.g. Europe/Copenhagen (default: the machine's)")
	return cmd
}

func runWatch(ctx context.Context, std *stdio, o *watchOptions) error {
	loc, err := watch.CheckFlags(o.interval, o.timeout, o.logFormat, o.tz)
	if err != nil {
		return cmdutil.UsageError(err)
	}
	if len(o.profiles) == 0 {
		path, err := profilePath(std, "")
		if err != nil {
			return err
		}
		o.profiles = []string{path}
	}
	paths, err := profile.Expand(o.profiles)
	if err != nil {
		return cmdutil.UsageError(err)
	}
	log, hosts := watch.NewLogger(std.err, o.logFormat, std.gate, loc), httpguard.NewHosts(o.listen, o.allow...)
	w, err := watch.New(watch.Config{
		Profiles: paths, Interval: o.interval, Timeout: o.timeout, Strict: o.strict, Gate: std.gate, Log: log, Build: build(), Location: loc, Hosts: hosts,
		LiveOptions: func(p *profile.Profile) live.Options {
			return liveOptions(std, p, &checkOptions{noEgress: o.noEgress, timeout: o.timeout})
		},
	})
	var le *watch.LoadError
	if errors.As(err, &le) {
		return cmdutil.Exit(cmdutil.ExitUsage, fmt.Errorf("%w\n(watch starts only when every profile loads; check it with: cprready check --offline --profile %s)", le, clean(le.Path)))
	}
	if err != nil {
		return cmdutil.UsageError(err)
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return cmdutil.UsageErr("--listen %s: %w", o.listen, err)
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(std.err, "cprready watch: %d profile(s) every %s; status page %s/  metrics %s/metrics\n", len(paths), o.interval, base, base)
	if e := hosts.Exposure(o.listen); e != "" {
		fmt.Fprintf(std.err, "cprready watch: %s\n", std.gate.Value(e))
	}
	w.Serve(ctx, ln)
	return nil
}
