package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/cmdutil"
)

type demoOptions struct {
	format  string
	faults  []string
	private bool
	keep    bool
	latency time.Duration
	noTUI   bool
	verbose bool
	timeout time.Duration
}

func newDemoCmd(std *stdio) *cobra.Command {
	o := &demoOptions{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Try everything against a built-in emulator, with no credentials",
		Long: `Demo starts the emulator of Datafordeleren on a free loopback port with a
temporary state folder, and runs the whole check against its ready-made
public-authority profile: every offline rule, then every live check.

Add --fault to see how cprready diagnoses a failure, e.g.
  cprready demo --fault ip-not-whitelisted`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(cmd.Context(), std, o) },
	}
	f := cmd.Flags()
	f.StringVarP(&o.format, "format", "f", "text", "report format: text, json, junit or markdown")
	f.StringSliceVar(&o.faults, "fault", nil, "emulator faults to inject: see `cprready emulator --help`")
	f.BoolVar(&o.private, "private", false, "use the private user's profile instead of the public authority's")
	f.BoolVar(&o.keep, "keep", false, "keep the emulator's state folder (profiles, CA, secrets) afterwards")
	f.DurationVar(&o.latency, "latency", 0, "add this much server-side latency to every response")
	f.BoolVar(&o.noTUI, "no-tui", false, "print the report even on a terminal")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "text: show every check, not only what fails or warns")
	f.DurationVar(&o.timeout, "timeout", 30*time.Second, "bound the live run")
	return cmd
}

func runDemo(ctx context.Context, std *stdio, o *demoOptions) error {
	dir, err := os.MkdirTemp("", "cprready-demo-")
	if err != nil {
		return cmdutil.UsageErr("cannot create a temporary folder: %w", err)
	}
	if !o.keep {
		// Deferred before the emulator starts, so that it runs after the
		// emulator has closed its files, on error and on Ctrl-C alike.
		defer emulator.RemoveState(std.err, "cprready demo", dir)
	}
	srv, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: dir, Faults: o.faults, Latency: o.latency})
	if err != nil {
		return cmdutil.UsageError(err)
	}
	defer srv.Close()
	path := srv.PublicProfile()
	if o.private {
		path = srv.PrivateProfile()
	}
	useTUI := std.tty && o.format == "text" && !o.noTUI && std.getenv("TERM") != "dumb"
	if !useTUI {
		fmt.Fprintf(std.err, "cprready demo: emulator at %s, profile %s\n", srv.URL(), path)
		if o.keep {
			fmt.Fprintf(std.err, "cprready demo: the state folder %s is kept\n", dir)
		}
	}
	co := &checkOptions{profile: path, format: o.format, timeout: o.timeout, noTUI: !useTUI, ephemeral: true, verbose: o.verbose}
	return runCheck(ctx, std, co)
}
