package calendar

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/profile"
)

func TestEventsAndICS(t *testing.T) {
	p, err := profile.Load("../examples/public.yaml")
	if err != nil {
		t.Fatal(err)
	}
	evs, notes := Events(context.Background(), p, func(*profile.Certificate) string { return "Test1234!" })
	if len(notes) != 0 {
		t.Fatalf("notes: %v", notes)
	}
	// two applications, one API key, two secrets, one certificate (its NotAfter)
	if len(evs) != 6 {
		t.Fatalf("got %d events: %+v", len(evs), evs)
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].Date.Before(evs[i-1].Date) {
			t.Fatal("events are not in date order")
		}
	}
	var cert *Event
	for i := range evs {
		if strings.Contains(evs[i].Summary, "Certificate") {
			cert = &evs[i]
		}
	}
	if cert == nil || cert.Date.Format(time.DateOnly) != "2027-12-31" {
		t.Fatalf("certificate expiry from the file: %+v", cert)
	}
	ics := string(ICS(evs, "Eksempel Kommune, Ærø; test", time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)))
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "VERSION:2.0\r\n", "DTSTART;VALUE=DATE:20270508\r\n", "TRIGGER:-P30D\r\n", "X-WR-CALNAME:CPR access: Eksempel Kommune\\, Ærø\\; test\r\n", "END:VCALENDAR\r\n"} {
		if !strings.Contains(ics, want) {
			t.Errorf("ics lacks %q", want)
		}
	}
	if strings.Count(ics, "BEGIN:VEVENT") != 6 || strings.Count(ics, "BEGIN:VALARM") != 6 {
		t.Error("one event and one alarm per expiry")
	}
	for l := range strings.SplitSeq(strings.TrimSuffix(ics, "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("line not folded or split inside a character: %q", l)
		}
		if strings.ContainsAny(l, "\n\r") {
			t.Errorf("bare newline in %q", l)
		}
	}
}

func TestFoldKeepsUTF8(t *testing.T) {
	long := "SUMMARY:" + strings.Repeat("æøå", 40)
	parts := fold(long)
	var joined strings.Builder
	joined.WriteString(parts[0])
	for _, p := range parts[1:] {
		if !strings.HasPrefix(p, " ") {
			t.Fatal("continuation without a leading space")
		}
		joined.WriteString(p[1:])
	}
	if joined.String() != long {
		t.Fatal("folding lost text")
	}
	for _, p := range parts {
		if !utf8.ValidString(p) || len(p) > 75 {
			t.Fatalf("bad fold %q", p)
		}
	}
}

// A certificate whose password fails is never dropped silently, and no
// control character from the profile reaches the file.
func TestCalendarSaysWhatItCannotRead(t *testing.T) {
	p, err := profile.Load("../examples/public.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, notes := Events(context.Background(), p, func(*profile.Certificate) string { return "wrong password" })
	if len(notes) != 1 || !strings.Contains(notes[0], "cannot be read") {
		t.Fatalf("notes: %v", notes)
	}
	ics := string(ICS([]Event{{Subject: "s", Date: time.Now(), Summary: "x\x1b]0;owned\x07y\x00z"}}, "o\x1b[31m", time.Now()))
	if strings.ContainsAny(ics, "\x1b\x07\x00") {
		t.Fatalf("control characters reached the .ics: %q", ics)
	}
}

// The calendar and cred.expiry agree on every credential's expiry: the
// same date, from the same source (the profile, or a readable
// certificate's notAfter when earlier).
func TestCalendarAgreesWithCredExpiry(t *testing.T) {
	for _, path := range []string{"../examples/public.yaml", "../examples/private.yaml", "../examples/findings.yaml"} {
		p, err := profile.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		res := profile.DefaultResolver(p)
		events, _ := Events(context.Background(), p, func(c *profile.Certificate) string { return c.PasswordValue(context.Background(), res) })
		byCal := map[string]string{}
		for _, e := range events {
			if e.Kind != KindDataAccess {
				byCal[e.Subject] = e.Date.Format(time.DateOnly)
			}
		}
		rep, err := checks.Evaluate(context.Background(), p, checks.Options{At: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Only: []string{"cred.expiry"}, Offline: true}, res)
		if err != nil {
			t.Fatal(err)
		}
		compared := 0
		for _, r := range rep.Checks {
			exp, ok := r.Evidence["expires"].(string)
			if !ok {
				continue
			}
			compared++
			if byCal[r.Subject] != exp {
				t.Errorf("%s %s: cred.expiry says %s, the calendar %q", path, r.Subject, exp, byCal[r.Subject])
			}
		}
		if compared == 0 {
			t.Errorf("%s: nothing compared", path)
		}
	}
}
