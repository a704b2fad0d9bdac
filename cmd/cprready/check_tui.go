package main

import (
	"context"
	"fmt"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/internal/userstate"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/report"
	"github.com/cprready/cprready/tui"
)

// runCheckTUI runs the checks in the terminal UI runner; the exit code is
// the final report's.
func runCheckTUI(ctx context.Context, std *stdio, cr *checkRun, o *checkOptions) error {
	run := func(ctx context.Context, only []string, progress func(checks.Progress)) (*checks.Report, error) {
		return cr.evaluate(ctx, std, o.timeout, only, progress)
	}
	save := func(rep *checks.Report, format string) (string, error) {
		return report.SaveTimestamped(rep, format, time.Now(), std.gate)
	}
	if !o.ephemeral {
		userstate.Remember(cr.p.Path)
	}
	names := map[string]string{}
	for i, sys := range cr.p.ITSystems {
		names[profile.ITSystemSubject(i)] = sys.Name
	}
	cfg := tui.RunnerConfig{Title: cr.p.Path, Run: run, Save: save, Redact: std.gate.String, Names: names, Strict: o.strict}
	if o.at != "" {
		cfg.At = cr.opts.At.Format(time.DateOnly)
	}
	m := tui.NewRunner(cfg)
	if err := m.Run(ctx, std.in, std.out, maxFPS); err != nil {
		return cmdutil.UsageError(err)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	rep := m.Report()
	if m.Interrupted() || rep == nil && m.Err() == nil {
		return cmdutil.Exit(cmdutil.ExitInterrupted, fmt.Errorf("interrupted: the check was left before it finished"))
	}
	if rep == nil {
		return cmdutil.Exit(cmdutil.ExitUsage, m.Err())
	}
	if !o.ephemeral {
		saveLastReport(std, rep, nil)
	}
	// A line that stays in the scroll-back after the UI is gone.
	fmt.Fprintln(std.out, report.Verdict(rep))
	return cmdutil.ExitCode(rep.ExitCode())
}
