package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/cprready/cprready/internal/buildinfo"
	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/report"
)

// maxFPS caps the terminal UI's frame rate: a table of checks needs no
// more, and a slow terminal (ssh) is spared.
const maxFPS = 30

// Build information, injected with -ldflags "-X main.version=…".
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// stdio is the program's outside world, injected so tests can drive it.
type stdio struct {
	in     io.Reader
	out    io.Writer
	err    io.Writer
	getenv func(string) string
	// tty reports whether stdin and stdout are terminals.
	tty bool
	// outTTY reports whether stdout alone is a terminal (colour).
	outTTY bool
	// gate redacts every secret the run has resolved, on every output.
	gate *redact.Redactor
}

func newStdio() *stdio {
	outTTY := isatty.IsTerminal(os.Stdout.Fd()) || isatty.IsCygwinTerminal(os.Stdout.Fd())
	inTTY := isatty.IsTerminal(os.Stdin.Fd()) || isatty.IsCygwinTerminal(os.Stdin.Fd())
	return &stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr, getenv: os.Getenv, tty: outTTY && inTTY, outTTY: outTTY, gate: redact.New()}
}

// width is the width of text written to stdout (output ""), or to a file
// (cmdutil.Width); 0 is the report's default.
func (s *stdio) width(output string) int {
	return cmdutil.Width(s.out, output == "" && s.outTTY, s.getenv)
}

// lineWidth is width("") or the report's default.
func (s *stdio) lineWidth() int { return cmp.Or(s.width(""), report.DefaultWidth) }

// color reports whether the text output may use colour.
func (s *stdio) color() bool {
	return s.outTTY && s.getenv("NO_COLOR") == "" && s.getenv("TERM") != "dumb"
}

// run is main without os.Exit, for tests.
func run(args []string, std *stdio) (code int) {
	defer func() {
		if r := recover(); r != nil {
			code = cmdutil.Crash(std.err, std.gate, r, "cprready "+version+" ("+commit+")")
		}
	}()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot(std)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return cmdutil.ExitReady
	}
	if ctx.Err() != nil {
		fmt.Fprintln(std.err, "cprready: interrupted; everything in flight was cancelled")
		return cmdutil.ExitInterrupted
	}
	var ee *cmdutil.ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintln(std.err, cmdutil.ErrorText(std.gate, ee.Err))
		}
		return ee.Code
	}
	fmt.Fprintln(std.err, cmdutil.ErrorText(std.gate, err))
	return cmdutil.ExitUsage
}

func newRoot(std *stdio) *cobra.Command {
	root := &cobra.Command{
		Use:   "cprready",
		Short: "Get onto the modernised CPR services on Datafordeleren, and prove you are ready",
		Long: `cprready walks you through access to CPR on Datafordeleren (MitID Erhverv,
IT-systems, IP whitelist, the application, credentials), checks your profile
against every rule, runs live checks against the platform, and explains every
failure. Try it with no credentials:  cprready demo`,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !std.tty {
				_ = cmd.Help()
				return cmdutil.UsageErr("no terminal: run `cprready init --no-tui` (or --accessible) to create a profile, or `cprready check` to check one")
			}
			return runHome(cmd.Context(), std)
		},
	}
	root.SetOut(std.out)
	root.SetErr(std.err)
	root.SetIn(std.in)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cmdutil.Exit(cmdutil.ExitUsage, err) })
	root.Version = build().String()
	root.SetVersionTemplate("{{.Version}}\n")
	root.AddCommand(newInitCmd(std), newCheckCmd(std, nil), newExplainCmd(std), newReportCmd(std), newWatchCmd(std), newCalendarCmd(std),
		newSchemaCmd(std), newMigrateCmd(std), newEmulatorCmd(std), newDemoCmd(std), newVersionCmd(std), newManCmd(std))
	registerCompletions(root)
	return root
}

// build is the running build: `version`, reports, bundles and metrics all
// name it the same.
func build() buildinfo.Info { return buildinfo.Read("cprready", version, commit, date) }

// profilePath finds the profile (profile.Find); none is exit 2.
func profilePath(std *stdio, flag string) (string, error) {
	path, err := profile.Find(flag, std.getenv)
	if err != nil {
		return "", cmdutil.UsageError(err)
	}
	return path, nil
}

// openProfile finds (profilePath) and loads the profile.
func openProfile(std *stdio, flag string) (*profile.Profile, string, error) {
	path, err := profilePath(std, flag)
	if err != nil {
		return nil, "", err
	}
	p, err := loadProfile(std, path)
	return p, path, err
}

// loadProfile loads a profile (a load error is exit 2). It never changes
// the file: a profile others can read is a cred.storage finding.
func loadProfile(std *stdio, path string) (*profile.Profile, error) {
	p, err := profile.Load(path)
	if err != nil {
		return nil, cmdutil.Exit(cmdutil.ExitUsage, err)
	}
	for _, v := range p.EndpointCredentials() {
		std.gate.Add(v)
	}
	return p, nil
}

// resolverFor resolves the profile's secrets the CLI way, and tells the
// redaction gate every value the moment it is read.
func resolverFor(std *stdio, p *profile.Profile) profile.Resolver {
	r := profile.DefaultResolver(p)
	r.OnResolve = std.gate.Add
	return r
}

// clean makes file-provided text safe for the terminal, keeping lines.
func clean(s string) string { return textsafe.Multiline(s, 8000) }
