package tui

import (
	"context"
	"io"

	"github.com/charmbracelet/huh"
)

// HomeAction is what the home screen (`cprready` on a terminal) can do.
type HomeAction int

// The home screen's actions.
const (
	HomeQuit HomeAction = iota
	HomeCheck
	HomeEdit
	HomeNew
	HomeOpen
	HomeDemo
)

// HomeChoice is one option of the home screen: an action and, for checks
// and edits, the profile.
type HomeChoice struct {
	Action HomeAction
	Path   string
}

// homeOptions lists the choices, the likely one first (huh shows the
// chosen option at the top): checks on the last profile, or the demo for
// a newcomer.
func homeOptions(recent []string) []huh.Option[HomeChoice] {
	var opts []huh.Option[HomeChoice]
	for _, p := range recent {
		opts = append(opts, huh.NewOption("Run checks on "+p, HomeChoice{HomeCheck, p}), huh.NewOption("Edit "+p, HomeChoice{HomeEdit, p}))
	}
	demo := huh.NewOption("Demo: try everything against the built-in emulator", HomeChoice{Action: HomeDemo})
	newProfile := huh.NewOption("New profile: the onboarding wizard", HomeChoice{Action: HomeNew})
	if len(recent) == 0 {
		opts = append(opts, demo, newProfile)
	} else {
		opts = append(opts, newProfile, demo)
	}
	return append(opts, huh.NewOption("Open another profile…", HomeChoice{Action: HomeOpen}), huh.NewOption("Quit", HomeChoice{Action: HomeQuit}))
}

// AskHome shows the home screen and returns the choice.
func AskHome(ctx context.Context, recent []string, accessible bool, in io.Reader, out io.Writer) (HomeChoice, error) {
	opts := homeOptions(recent)
	choice := opts[0].Value
	form := huh.NewForm(huh.NewGroup(
		huh.NewNote().Title("cprready").Description("Get onto the modernised CPR services on Datafordeleren, and prove you are ready before go-live."),
		huh.NewSelect[HomeChoice]().Title("What do you want to do?").Value(&choice).Options(opts...),
	)).WithAccessible(accessible).WithInput(in).WithOutput(out).WithKeyMap(HomeKeys())
	err := form.RunWithContext(ctx)
	return choice, err
}

// Ask asks for one line of text into v.
func Ask(accessible bool, in io.Reader, out io.Writer, title string, v *string) error {
	return huh.NewForm(huh.NewGroup(huh.NewInput().Title(title).Value(v))).
		WithAccessible(accessible).WithInput(in).WithOutput(out).Run()
}
