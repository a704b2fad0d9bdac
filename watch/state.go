package watch

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/cprready/cprready/calendar"
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/report"
)

// state is one finished run of one profile; it never changes once stored.
type state struct {
	at        time.Time
	duration  time.Duration
	report    *checks.Report // nil when the profile did not load
	err       error          // the profile did not load, or the run could not start
	cancelled bool           // the run hit the timeout
	expiries  []calendar.Event
	notes     []string
	// gate is the run's: the watcher's secrets and the run's tokens. It
	// is dropped once the outputs are redacted.
	gate *redact.Redactor

	// Computed once by finish, redacted: what metrics, the page and the
	// logs show.
	ready   bool
	errText string
	rows    map[rowKey]row
}

// rowKey is one (check, subject) of a run: one series of
// cprready_check_success.
type rowKey struct{ check, subject string }

// row is the worst result of one (check, subject), already redacted.
type row struct {
	status   checks.Status
	itSystem string
	message  string
	remedy   string
	cause    string
	docs     string
	duration time.Duration
}

// severity orders statuses: fail over warn over the rest.
func severity(s checks.Status) int {
	switch s {
	case checks.Fail:
		return 2
	case checks.Warn:
		return 1
	}
	return 0
}

// finish computes what every output shows, through the redaction gate.
func (st *state) finish(w *Watcher, d time.Duration) {
	st.duration = d
	gate := st.gate
	if gate == nil {
		gate = w.cfg.Gate
	}
	st.gate = nil
	// Masked first, then capped: a cap inside a secret would leave a
	// piece the gate no longer knows.
	safe := func(s string, n int) string { return textsafe.Clean(gate.Value(s), n) }
	if st.err != nil {
		st.errText = safe(st.err.Error(), 2000)
		return
	}
	rep := st.report
	st.ready = rep.Ready && !st.cancelled
	st.rows = make(map[rowKey]row, len(rep.Checks))
	for _, c := range rep.Checks {
		k := rowKey{check: c.ID, subject: safe(c.Subject, 200)}
		r := row{status: c.Status, message: safe(c.Message, 2000), remedy: safe(c.Remedy, 2000), docs: safe(c.Docs, 300),
			duration: time.Duration(c.DurationMS) * time.Millisecond}
		if key := report.GroupKey(c.Subject); key != "" {
			r.itSystem = safe(redact.Local(cmp.Or(rep.Names[key], key)).String(), 200)
		}
		if cause, ok := c.Evidence["cause"].(string); ok {
			r.cause = safe(cause, 100)
		}
		if old, ok := st.rows[k]; ok && severity(old.status) >= severity(r.status) {
			continue // the worst result of a (check, subject) stands for it
		}
		st.rows[k] = r
	}
	for i := range st.expiries {
		e := &st.expiries[i]
		e.Summary, e.Detail = safe(e.Summary, 300), safe(e.Detail, 600)
		e.ITSystem, e.Name = safe(redact.Local(e.ITSystem).String(), 200), safe(redact.Local(e.Name).String(), 200)
	}
	for i, n := range st.notes {
		st.notes[i] = safe(n, 600)
	}
}

// verdict is the word the page and the logs use.
func (st *state) verdict() string {
	switch {
	case st == nil:
		return "NOT YET CHECKED"
	case st.err != nil:
		return "PROFILE ERROR"
	}
	return checks.VerdictWord(st.ready)
}

// sortedKeys lists the rows worst first, then by check and subject.
func (st *state) sortedKeys() []rowKey {
	keys := make([]rowKey, 0, len(st.rows))
	for k := range st.rows {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b rowKey) int {
		if c := cmp.Compare(severity(st.rows[b].status), severity(st.rows[a].status)); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.check, b.check), cmp.Compare(a.subject, b.subject))
	})
	return keys
}

// logChanges logs what changed between two runs, and nothing when nothing
// did. The first run counts as a change from "unknown": it logs the
// verdict and whatever fails or warns.
func (w *Watcher) logChanges(t *target, prev, next *state) {
	log := w.cfg.Log.With("profile", t.name)
	switch {
	case next.err != nil && (prev == nil || prev.err == nil || prev.errText != next.errText):
		log.Error("the profile does not load; fix it, the other profiles keep running", "file", w.cfg.Gate.String(textsafe.Line(t.path)), "error", next.errText)
		return
	case next.err != nil:
		return
	case prev != nil && prev.err != nil:
		log.Info("the profile loads again", "file", w.cfg.Gate.String(textsafe.Line(t.path)))
	}
	if prev == nil || prev.err != nil || prev.ready != next.ready {
		level := slog.LevelInfo
		if !next.ready {
			level = slog.LevelWarn
		}
		attrs := []any{"verdict", next.verdict(), "fail", next.report.Summary.Fail, "warn", next.report.Summary.Warn}
		if next.cancelled {
			attrs = append(attrs, "timeout", w.cfg.Timeout.String())
		}
		log.Log(context.Background(), level, "verdict: "+next.verdict(), attrs...)
	}
	var before map[rowKey]row
	if prev != nil {
		before = prev.rows
	}
	for _, k := range next.sortedKeys() {
		now := next.rows[k]
		was, seen := before[k]
		if seen && severity(was.status) == severity(now.status) {
			continue
		}
		attrs := []any{"check", k.check, "subject", k.subject, "it_system", now.itSystem, "status", string(now.status)}
		if seen {
			attrs = append(attrs, "was", string(was.status))
		}
		switch severity(now.status) {
		case 2:
			attrs = append(attrs, "diagnosis", now.message, "fix", now.remedy)
			if now.cause != "" {
				attrs = append(attrs, "cause", now.cause)
			}
			log.Error(k.check+" fails", attrs...)
		case 1:
			attrs = append(attrs, "diagnosis", now.message, "fix", now.remedy)
			log.Warn(k.check+" warns", attrs...)
		default:
			if seen {
				log.Info(k.check+" recovered", attrs...)
			}
		}
	}
	// A row that is gone (its IT-system was removed from the profile).
	for k, was := range before {
		if _, ok := next.rows[k]; !ok && severity(was.status) > 0 {
			log.Info(k.check+" no longer applies", "check", k.check, "subject", k.subject, "was", string(was.status))
		}
	}
}

// expiringWithin lists the expiries up to days ahead (and past ones).
func (st *state) expiringWithin(now time.Time, days int) []calendar.Event {
	var out []calendar.Event
	limit := now.AddDate(0, 0, days)
	for _, e := range st.expiries {
		if !e.Date.After(limit) {
			out = append(out, e)
		}
	}
	return out
}

// daysLeft says how far off an expiry is, as the checks do.
func daysLeft(now, date time.Time) string {
	d := int(checks.Day(date).Sub(checks.Day(now)).Hours() / 24)
	switch {
	case d == 0:
		return "today"
	case d == 1:
		return "tomorrow"
	case d < 0:
		return fmt.Sprintf("%d days ago", -d)
	}
	return fmt.Sprintf("in %d days", d)
}
