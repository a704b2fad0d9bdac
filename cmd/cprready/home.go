package main

import (
	"context"
	"errors"

	"github.com/charmbracelet/huh"
	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/internal/userstate"
	"github.com/cprready/cprready/tui"
)

// runHome is `cprready` on a terminal: new profile, open a profile, run
// checks, demo, quit.
func runHome(ctx context.Context, std *stdio) error {
	for {
		choice, err := tui.AskHome(ctx, userstate.Recent(), std.getenv("TERM") == "dumb", std.in, std.out)
		if err != nil {
			if errors.Is(err, huh.ErrUserAborted) {
				return nil
			}
			return cmdutil.UsageError(err)
		}
		switch choice.Action {
		case tui.HomeQuit:
			return nil
		case tui.HomeNew:
			path := "cprready.yaml"
			if err := tui.Ask(std.getenv("TERM") == "dumb", std.in, std.out, "Where should the profile be saved?", &path); err != nil {
				continue
			}
			err = runInit(ctx, std, &initOptions{profile: path})
		case tui.HomeOpen:
			path := ""
			if err := tui.Ask(std.getenv("TERM") == "dumb", std.in, std.out, "Profile path", &path); err != nil || path == "" {
				continue
			}
			userstate.Remember(path)
			err = runCheck(ctx, std, &checkOptions{profile: path, format: "text", timeout: defaultTimeout})
		case tui.HomeCheck:
			err = runCheck(ctx, std, &checkOptions{profile: choice.Path, format: "text", timeout: defaultTimeout})
		case tui.HomeEdit:
			err = runInit(ctx, std, &initOptions{profile: choice.Path})
		case tui.HomeDemo:
			err = runDemo(ctx, std, &demoOptions{format: "text", timeout: defaultTimeout})
		}
		var ee *cmdutil.ExitError
		if err != nil && (!errors.As(err, &ee) || ee.Err != nil) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}
