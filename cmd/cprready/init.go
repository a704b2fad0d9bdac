package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/spf13/cobra"

	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/internal/userstate"
	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/tui"
)

type initOptions struct {
	profile    string
	accessible bool
	noTUI      bool
}

func newInitCmd(std *stdio) *cobra.Command {
	o := &initOptions{}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "The onboarding wizard: write (or edit) a profile and an application sheet",
		Long: `Init walks you through MitID Erhverv, the environment, IT-systems, their IP
whitelists, the data access to apply for, credentials, the application's
contact and the follow-up with CPR, checking every field as you type with the
same rules as ` + "`cprready check`" + `. It saves the profile (` + fsutil.PrivateNote + `), stores
secrets in the OS keyring (or leaves env: references when none is available),
and writes an application sheet beside the profile.

An existing profile is opened for editing. --accessible (or TERM=dumb, or
--no-tui) gives plain line prompts, for screen readers and scripts.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runInit(cmd.Context(), std, o) },
	}
	cmd.Flags().StringVarP(&o.profile, "profile", "p", "", "profile to write or edit (default $CPRREADY_PROFILE, then ./cprready.yaml)")
	cmd.Flags().BoolVar(&o.accessible, "accessible", false, "plain line prompts (screen readers); automatic when TERM=dumb")
	cmd.Flags().BoolVar(&o.noTUI, "no-tui", false, "plain line prompts, also without a terminal")
	return cmd
}

func runInit(ctx context.Context, std *stdio, o *initOptions) error {
	path := o.profile
	if path == "" {
		path = std.getenv("CPRREADY_PROFILE")
	}
	if path == "" {
		path = "cprready.yaml"
	}
	accessible := o.accessible || o.noTUI || std.getenv("TERM") == "dumb"
	if !std.tty && !accessible {
		return cmdutil.UsageErr("no terminal: run `cprready init --accessible` (plain prompts on stdin), or write the profile by hand (docs/profile.md) and `cprready check` it")
	}
	var draft *profile.Profile
	if _, err := os.Stat(path); err == nil {
		p, err := loadProfile(std, path)
		if err != nil {
			return err
		}
		draft = p
		fmt.Fprintf(std.err, "cprready: editing %s\n", path)
	}
	// Without a keyring the secret fields say where typed secrets go.
	var store tui.KeyringStore
	if profile.KeyringAvailable(ctx) {
		store = profile.OSKeyringSet
	}
	w := tui.NewWizard(tui.WizardConfig{Path: path, Draft: draft, Accessible: accessible, Keyring: store, In: std.in, Out: std.out, Width: std.width("")})
	if err := w.Run(ctx, accessible, std.in, std.out, maxFPS); err != nil {
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, huh.ErrUserAborted):
			return cmdutil.Exit(cmdutil.ExitInterrupted, errors.New("stopped; nothing was saved"))
		}
		return cmdutil.UsageError(err)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if w.Interrupted() {
		return cmdutil.Exit(cmdutil.ExitInterrupted, errors.New("interrupted; nothing was saved"))
	}
	if w.Err() != nil {
		return cmdutil.UsageErr("could not save: %w", w.Err())
	}
	res := w.Result()
	if !res.Saved {
		fmt.Fprintln(std.err, "cprready: nothing was saved")
		return nil
	}
	userstate.Remember(res.Path)
	lines := []string{fmt.Sprintf("Saved %s (%s) and the application sheet %s.", res.Path, fsutil.PrivateNote, res.SheetPath)}
	for _, n := range res.Notes {
		lines = append(lines, "Note: "+n)
	}
	lines = append(lines, fmt.Sprintf("Next: open the application sheet, then run `cprready check --profile %s`.", res.Path))
	fmt.Fprintln(std.out, words.WrapText(strings.Join(lines, "\n"), std.lineWidth()))
	return nil
}
