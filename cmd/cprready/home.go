package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"github.com/charmbracelet/huh"
	"github.com/spf13/cobra"

	"github.com/cprready/cprready/internal/fsutil"
)

func addLaterCommands(root *cobra.Command, io *stdio) {
	root.AddCommand(newInitCmd(io), newReportCmd(io), newCalendarCmd(io), newManCmd(io), newWatchCmd(io))
}

// recentFile remembers the profiles opened or written here.
func recentFile() string {
	d, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "cprready", "recent.json")
}

func recentProfiles() []string {
	b, err := os.ReadFile(recentFile()) // #nosec G304 -- our own file
	if err != nil {
		return nil
	}
	var list []string
	_ = json.Unmarshal(b, &list)
	var out []string
	for _, p := range list {
		if _, err := os.Stat(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}

func rememberProfile(path string) {
	f := recentFile()
	if f == "" {
		return
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return
	}
	list := []string{abs}
	for _, p := range recentProfiles() {
		if p != abs && len(list) < 8 {
			list = append(list, p)
		}
	}
	if err := os.MkdirAll(filepath.Dir(f), 0o700); err != nil {
		return
	}
	b, _ := json.Marshal(list)
	_ = fsutil.WriteFileAtomic(f, b)
}

// runHome is `cprready` on a terminal: new profile, open a profile, run
// checks, demo, quit.
func runHome(ctx context.Context, io *stdio) error {
	for {
		// The likely choice comes first (huh shows the chosen option at the
		// top): checks on the last profile, or the demo for a newcomer.
		var opts []huh.Option[string]
		recent := recentProfiles()
		for _, p := range recent {
			opts = append(opts, huh.NewOption("Run checks on "+p, "check:"+p), huh.NewOption("Edit "+p, "edit:"+p))
		}
		demo := huh.NewOption("Demo: try everything against the built-in emulator", "demo")
		newProfile := huh.NewOption("New profile: the onboarding wizard", "new")
		if len(recent) == 0 {
			opts = append(opts, demo, newProfile)
		} else {
			opts = append(opts, newProfile, demo)
		}
		opts = append(opts, huh.NewOption("Open another profile…", "open"), huh.NewOption("Quit", "quit"))
		choice := opts[0].Value
		form := huh.NewForm(huh.NewGroup(
			huh.NewNote().Title("cprready").Description("Get onto the modernised CPR services on Datafordeleren, and prove you are ready before go-live."),
			huh.NewSelect[string]().Title("What do you want to do?").Value(&choice).Options(opts...),
		)).WithAccessible(io.getenv("TERM") == "dumb").WithInput(io.in).WithOutput(io.out)
		if err := form.RunWithContext(ctx); err != nil {
			if errors.Is(err, huh.ErrUserAborted) {
				return nil
			}
			return usageError(err)
		}
		var err error
		switch {
		case choice == "quit":
			return nil
		case choice == "new":
			path := "cprready.yaml"
			if err := ask(io, "Where should the profile be saved?", &path); err != nil {
				continue
			}
			err = runInit(ctx, io, &initOptions{profile: path})
		case choice == "open":
			path := ""
			if err := ask(io, "Profile path", &path); err != nil || path == "" {
				continue
			}
			rememberProfile(path)
			err = runCheck(ctx, io, &checkOptions{profile: path, format: "text", timeout: defaultTimeout})
		case len(choice) > 6 && choice[:6] == "check:":
			err = runCheck(ctx, io, &checkOptions{profile: choice[6:], format: "text", timeout: defaultTimeout})
		case len(choice) > 5 && choice[:5] == "edit:":
			err = runInit(ctx, io, &initOptions{profile: choice[5:]})
		case choice == "demo":
			err = runDemo(ctx, io, &demoOptions{format: "text", timeout: defaultTimeout})
		}
		var ee *exitError
		if err != nil && (!errors.As(err, &ee) || ee.err != nil) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

func ask(io *stdio, title string, v *string) error {
	return huh.NewForm(huh.NewGroup(huh.NewInput().Title(title).Value(v))).
		WithAccessible(io.getenv("TERM") == "dumb").WithInput(io.in).WithOutput(io.out).Run()
}
