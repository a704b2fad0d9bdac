package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cprready/cprready/calendar"
	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/profile"
)

func newCalendarCmd(std *stdio) *cobra.Command {
	o := &calendarOptions{}
	cmd := &cobra.Command{
		Use:   "calendar",
		Short: "Write every expiry in the profile as an iCalendar (.ics) file",
		Long: `Calendar writes an .ics file with one all-day event for every expiry in the
profile (applications, API keys, shared secrets, certificates), each with a
reminder 30 days ahead. Import it into Outlook, Google Calendar or a team
calendar.`,
		Example: `  cprready calendar --profile cprready.yaml --output cpr-expiries.ics`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return calendarRun(cmd.Context(), std, o) },
	}
	cmd.Flags().StringVarP(&o.profile, "profile", "p", "", "profile file (default $CPRREADY_PROFILE, then ./cprready.yaml)")
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "the .ics file (default "+calendar.DefaultName+", or a new name beside it when that is not a cprready calendar); never one of the profile's files")
	cmd.Flags().BoolVar(&o.force, "force", false, "let --output replace an existing file that is not a cprready calendar (never one of the profile's files)")
	return cmd
}

type calendarOptions struct {
	profile, output string
	force           bool
}

// calendarRun writes the profile's expiries as an .ics file.
func calendarRun(ctx context.Context, std *stdio, o *calendarOptions) error {
	p, _, err := openProfile(std, o.profile)
	if err != nil {
		return err
	}
	out := calendar.Output(o.output, o.force, p)
	if err := out.Check(); err != nil {
		return cmdutil.UsageError(err)
	}
	res := resolverFor(std, p)
	p.ResolveAll(ctx, res) // the gate knows every secret before anything is written
	events, notes := calendar.Events(ctx, p, func(c *profile.Certificate) string { return c.PasswordValue(ctx, res) })
	if err := calendar.WriteFile(std.out, out, events, p.Organisation.Name, time.Now(), std.gate); err != nil {
		return cmdutil.UsageError(err)
	}
	for _, n := range notes {
		fmt.Fprintln(std.err, std.gate.String("cprready: "+clean(n)))
	}
	return nil
}
