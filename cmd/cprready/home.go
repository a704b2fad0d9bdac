package main

import (
	"context"
	"errors"

	"github.com/charmbracelet/huh"
	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/internal/userstate"
)

// homeAction is what the home screen can do.
type homeAction int

const (
	actionQuit homeAction = iota
	actionCheck
	actionEdit
	actionNew
	actionOpen
	actionDemo
)

// homeChoice is one option of the home screen: an action and, for checks
// and edits, the profile.
type homeChoice struct {
	action homeAction
	path   string
}

// homeOptions lists the choices, the likely one first (huh shows the
// chosen option at the top): checks on the last profile, or the demo for
// a newcomer.
func homeOptions(recent []string) []huh.Option[homeChoice] {
	var opts []huh.Option[homeChoice]
	for _, p := range recent {
		opts = append(opts, huh.NewOption("Run checks on "+p, homeChoice{actionCheck, p}), huh.NewOption("Edit "+p, homeChoice{actionEdit, p}))
	}
	demo := huh.NewOption("Demo: try everything against the built-in emulator", homeChoice{action: actionDemo})
	newProfile := huh.NewOption("New profile: the onboarding wizard", homeChoice{action: actionNew})
	if len(recent) == 0 {
		opts = append(opts, demo, newProfile)
	} else {
		opts = append(opts, newProfile, demo)
	}
	return append(opts, huh.NewOption("Open another profile…", homeChoice{action: actionOpen}), huh.NewOption("Quit", homeChoice{action: actionQuit}))
}

// runHome is `cprready` on a terminal: new profile, open a profile, run
// checks, demo, quit.
func runHome(ctx context.Context, std *stdio) error {
	for {
		opts := homeOptions(userstate.Recent())
		choice := opts[0].Value
		form := huh.NewForm(huh.NewGroup(
			huh.NewNote().Title("cprready").Description("Get onto the modernised CPR services on Datafordeleren, and prove you are ready before go-live."),
			huh.NewSelect[homeChoice]().Title("What do you want to do?").Value(&choice).Options(opts...),
		)).WithAccessible(std.getenv("TERM") == "dumb").WithInput(std.in).WithOutput(std.out)
		if err := form.RunWithContext(ctx); err != nil {
			if errors.Is(err, huh.ErrUserAborted) {
				return nil
			}
			return cmdutil.UsageError(err)
		}
		var err error
		switch choice.action {
		case actionQuit:
			return nil
		case actionNew:
			path := "cprready.yaml"
			if err := ask(std, "Where should the profile be saved?", &path); err != nil {
				continue
			}
			err = runInit(ctx, std, &initOptions{profile: path})
		case actionOpen:
			path := ""
			if err := ask(std, "Profile path", &path); err != nil || path == "" {
				continue
			}
			userstate.Remember(path)
			err = runCheck(ctx, std, &checkOptions{profile: path, format: "text", timeout: defaultTimeout})
		case actionCheck:
			err = runCheck(ctx, std, &checkOptions{profile: choice.path, format: "text", timeout: defaultTimeout})
		case actionEdit:
			err = runInit(ctx, std, &initOptions{profile: choice.path})
		case actionDemo:
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

func ask(std *stdio, title string, v *string) error {
	return huh.NewForm(huh.NewGroup(huh.NewInput().Title(title).Value(v))).
		WithAccessible(std.getenv("TERM") == "dumb").WithInput(std.in).WithOutput(std.out).Run()
}
