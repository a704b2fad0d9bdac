package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cprready/cprready/calendar"
	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/profile"
)

func newCalendarCmd(std *stdio) *cobra.Command {
	var prof, output string
	cmd := &cobra.Command{
		Use:   "calendar",
		Short: "Write every expiry in the profile as an iCalendar (.ics) file",
		Long: `Calendar writes an .ics file with one all-day event for every expiry in the
profile (applications, API keys, shared secrets, certificates), each with a
reminder 30 days ahead. Import it into Outlook, Google Calendar or a team
calendar.`,
		Example: `  cprready calendar --profile cprready.yaml --output cpr-expiries.ics`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := profilePath(std, prof)
			if err != nil {
				return err
			}
			p, err := loadProfile(std, path)
			if err != nil {
				return err
			}
			res := resolverFor(std, p)
			events, notes := calendar.Events(p, func(c *profile.Certificate) string { return c.PasswordValue(cmd.Context(), res) })
			if output == "" {
				output = "cprready-expiries.ics"
			}
			if err := fsutil.WriteFileAtomic(output, calendar.ICS(events, p.Organisation.Name, time.Now())); err != nil {
				return cmdutil.UsageError(err)
			}
			fmt.Fprintf(std.out, "Wrote %s: %d expiries, each with a reminder %d days ahead.\n", output, len(events), calendar.ReminderDays)
			for _, e := range events {
				fmt.Fprintf(std.out, "  %s  %s\n", e.Date.Format(time.DateOnly), clean(e.Summary))
			}
			for _, n := range notes {
				fmt.Fprintln(std.err, "cprready: "+clean(n))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&prof, "profile", "p", "", "profile file (default $CPRREADY_PROFILE, then ./cprready.yaml)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "the .ics file (default cprready-expiries.ics)")
	return cmd
}
