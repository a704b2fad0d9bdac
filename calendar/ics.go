// Package calendar writes the profile's expiry dates as an iCalendar
// (RFC 5545) file, each with a reminder 30 days ahead, for teams that live
// by their calendar.
package calendar

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/profile"
)

// KindDataAccess is the Kind of an application's expiry; a credential's
// is its profile.CredKind's Slug.
const KindDataAccess = "data_access"

// ReminderDays is how long before an expiry the reminder fires: when the
// checks start to warn.
const ReminderDays = checks.WarnWindowDays

// Event is one expiry.
type Event struct {
	Subject string // where it sits in the profile
	Date    time.Time
	Summary string
	Detail  string
	// Kind is one of the Kind constants; ITSystem and Name say whose it
	// is (Name is empty for an application).
	Kind, ITSystem, Name string
	// Declared is the profile's expires: (zero when it gives none);
	// NotAfter is a certificate file's notAfter (zero when unread). Date
	// is the earlier of the two: the day it stops working.
	Declared, NotAfter time.Time
	// uid is set from the unmasked values before the gate: masking a
	// name must not change an event's identity (a re-import would
	// duplicate it).
	uid string
}

// Events lists every expiry in the profile: applications, API keys, shared
// secrets and certificates (the profile's date, or the certificate's
// NotAfter when the file is readable). password resolves a certificate's
// password; it may return "". Notes say what could not be read (a
// certificate whose password fails), so nothing is dropped silently.
func Events(ctx context.Context, p *profile.Profile, password func(*profile.Certificate) string) ([]Event, []string) {
	var out []Event
	var notes []string
	add := func(e Event, d profile.Date) {
		if d.Valid() {
			e.Declared = d.Time()
		}
		e.Date = e.Declared
		if !e.NotAfter.IsZero() && (e.Date.IsZero() || e.NotAfter.Before(e.Date)) {
			e.Date = e.NotAfter
		}
		if !e.Date.IsZero() {
			out = append(out, e)
		}
	}
	for i, s := range p.ITSystems {
		if d := s.DataAccess; d != nil {
			add(Event{Subject: profile.DataAccessSubject(i), Kind: KindDataAccess, ITSystem: s.Name,
				Summary: fmt.Sprintf("CPR data access of %s expires", redact.Local(s.Name)),
				Detail:  "The approved CPR application (Dataadgang) expires. It can be extended: Administration → IT-systemer → " + redact.Local(s.Name).String() + " → Dataadgang."}, d.Expires)
		}
	}
	for _, c := range p.AllCredentials() {
		sys := p.ITSystems[c.System].Name
		e := Event{Subject: c.Subject, Kind: c.Kind.Slug(), ITSystem: sys, Name: c.Name,
			Summary: fmt.Sprintf("%s %q of %s expires", c.Kind, redact.Local(c.Name), redact.Local(sys)),
			Detail:  c.Kind.Renewal("Administration → IT-systemer → " + redact.Local(sys).String() + " → " + c.Kind.Tab())}
		if c.Kind == profile.CertificateCred && password != nil {
			lc, err := p.LoadCertificateContext(ctx, c.Cert, password(c.Cert))
			switch {
			case err == nil:
				e.NotAfter = lc.NotAfter.UTC()
			case c.Expires.Valid():
				notes = append(notes, fmt.Sprintf("OAuth Certificate %q of %s: the file cannot be read (%v), so its expiry is the profile's expires: %s", c.Name, sys, err, c.Expires))
			default:
				notes = append(notes, fmt.Sprintf("OAuth Certificate %q of %s: the file cannot be read (%v) and the profile gives no expires:, so it has no event; fix it and run calendar again", c.Name, sys, err))
			}
		}
		add(e, c.Expires)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Date.Before(out[b].Date) })
	return out, notes
}

// uidOf is an event's stable identity: a re-import updates it in place.
func uidOf(e Event, org string) string {
	sum := sha256.Sum256([]byte(e.Subject + "|" + e.Date.Format(time.DateOnly) + "|" + org))
	return hex.EncodeToString(sum[:12]) + "@cprready"
}

// ICS renders events as an iCalendar file with CRLF line endings, folded
// at 75 octets.
func ICS(events []Event, org string, now time.Time) []byte {
	var lines []string
	add := func(l string) { lines = append(lines, fold(l)...) }
	add("BEGIN:VCALENDAR")
	add("VERSION:2.0")
	add("PRODID:-//cprready//CPR access expiries//EN")
	add("CALSCALE:GREGORIAN")
	add("METHOD:PUBLISH")
	add("X-WR-CALNAME:" + escape("CPR access: "+org))
	stamp := now.UTC().Format("20060102T150405Z")
	for _, e := range events {
		uid := e.uid
		if uid == "" {
			uid = uidOf(e, org)
		}
		add("BEGIN:VEVENT")
		add("UID:" + uid)
		add("DTSTAMP:" + stamp)
		add("DTSTART;VALUE=DATE:" + e.Date.Format("20060102"))
		add("DTEND;VALUE=DATE:" + e.Date.AddDate(0, 0, 1).Format("20060102"))
		add("SUMMARY:" + escape(e.Summary))
		add("DESCRIPTION:" + escape(e.Detail+"\nProfile: "+e.Subject+"\nCheck with: cprready check --at "+e.Date.AddDate(0, 0, -ReminderDays).Format(time.DateOnly)))
		add("TRANSP:TRANSPARENT")
		add("BEGIN:VALARM")
		add("ACTION:DISPLAY")
		add(fmt.Sprintf("TRIGGER:-P%dD", ReminderDays))
		add("DESCRIPTION:" + escape(fmt.Sprintf("In %d days: %s", ReminderDays, e.Summary)))
		add("END:VALARM")
		add("END:VEVENT")
	}
	add("END:VCALENDAR")
	return []byte(strings.Join(lines, "\r\n") + "\r\n")
}

// escape a TEXT value (RFC 5545 3.3.11); control characters and escape
// sequences from the profile never reach the file.
func escape(s string) string {
	s = textsafe.Multiline(redact.StripMarks(s), 0) // gated already (WriteFile); no mark is ever written
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// fold splits a content line into lines of at most 75 octets, never
// inside a UTF-8 character; continuation lines start with a space.
func fold(line string) []string {
	var out []string
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && line[cut]&0xC0 == 0x80 {
			cut--
		}
		out = append(out, line[:cut])
		line = " " + line[cut:]
		limit = 75
	}
	return append(out, line)
}

// DefaultName is the calendar's file name when none is given.
const DefaultName = "cprready-expiries.ics"

// Recognise tells an earlier cprready calendar from the start of a file.
func Recognise(head []byte) bool {
	s := string(head)
	return strings.HasPrefix(s, "BEGIN:VCALENDAR") && strings.Contains(s[:min(len(s), 2048)], "PRODID:-//cprready//")
}

// Output is the guard of calendar --output: never one of the profile's
// files, never a file that is not a cprready calendar unless force.
func Output(path string, force bool, p *profile.Profile) fsutil.Output {
	o := fsutil.Output{Path: path, Kind: "calendar", Is: Recognise, Force: force}
	for _, in := range p.InputFiles() {
		o.Inputs = append(o.Inputs, fsutil.Input{Path: in.Path, What: in.What})
	}
	return o
}

// write writes data to out.Path, or to DefaultName when none is given:
// an earlier calendar there is replaced, anything else kept (a new name,
// -2, -3 …).
func write(out fsutil.Output, data []byte) (string, error) {
	if out.Path != "" {
		return out.Path, out.Write(data)
	}
	out.Path = DefaultName
	if out.Check() == nil {
		return out.Path, out.Write(data)
	}
	return fsutil.CreateUnique(strings.TrimSuffix(DefaultName, ".ics"), ".ics", data)
}

// WriteFile writes the events as an .ics file (owner-only: mode 0600, an
// ACL on Windows) and tells w what it holds. Every value passes the gate
// before the file is made (a name may hold a pasted secret); the
// calendar's own syntax never does.
func WriteFile(w io.Writer, out fsutil.Output, events []Event, org string, now time.Time, gate *redact.Redactor) error {
	for i := range events {
		events[i].uid = uidOf(events[i], org)
	}
	events, org = redact.Deep(events, gate.Value), gate.Value(org)
	path, err := write(out, ICS(events, org, now))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Wrote %s: %d expiries, each with a reminder %d days ahead.\n", path, len(events), ReminderDays)
	for _, e := range events {
		fmt.Fprintf(w, "  %s  %s\n", e.Date.Format(time.DateOnly), textsafe.Line(e.Summary))
	}
	return nil
}
