package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/report"
)

// runCheckMany checks several profiles at once: loaded and evaluated
// concurrently (the cost is the slowest profile's, not the sum), one
// document with a report per profile, one exit code, the worst: 2 when a
// profile does not load, else 1 when one is not ready.
func runCheckMany(ctx context.Context, std *stdio, o *checkOptions, paths []string) error {
	if err := validateCheckOptions(o); err != nil {
		return err
	}
	inputs := profile.PathsAsInputs(paths)
	if err := cmdutil.UsageError(report.Output(o.output, o.format, o.force, inputs).Check()); err != nil {
		return err
	}
	entries := make([]report.Entry, len(paths))
	reads := make([][]profile.InputFile, len(paths))
	var wg sync.WaitGroup
	for i, path := range paths {
		wg.Go(func() {
			entries[i], reads[i] = checkOne(ctx, std, o, path)
		})
	}
	wg.Wait()
	for _, r := range reads {
		inputs = append(inputs, r...)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	out, err := report.ManyBytes(entries, report.Options{Format: o.format, Color: o.output == "" && std.color() && o.format == "text", Verbose: o.verbose, Width: std.width(o.output)}, std.gate)
	if err != nil {
		return err
	}
	if err := writeOutput(std, o, inputs, out, fmt.Sprintf("the %s report of %d profiles", o.format, len(entries)), ""); err != nil {
		return err
	}
	return cmdutil.ExitCode(report.ManyExitCode(entries))
}

// checkOne loads and checks one profile of a multi-profile run, and
// says which files it read.
func checkOne(ctx context.Context, std *stdio, o *checkOptions, path string) (report.Entry, []profile.InputFile) {
	one := *o
	one.profile = path
	cr, err := prepareCheck(std, &one)
	if err != nil {
		var ee *cmdutil.ExitError
		if errors.As(err, &ee) && ee.Err != nil {
			err = ee.Err
		}
		return report.Entry{Profile: path, Err: err}, nil
	}
	rep, err := cr.evaluate(ctx, std, o.timeout, nil, nil)
	if err != nil {
		return report.Entry{Profile: path, Err: err}, cr.p.InputFiles()
	}
	if !o.ephemeral {
		saveLastReport(std, rep, nil)
	}
	return report.Entry{Profile: path, Report: rep}, cr.p.InputFiles()
}
