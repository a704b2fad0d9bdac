package checks

import (
	"fmt"
	"time"

	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/words"
)

func row(status Status, subject, msg, remedy string) Result {
	return Result{Status: status, Subject: subject, Message: msg, Remedy: remedy, Evidence: map[string]any{}}
}

func pass(subject, msg string) Result { return row(Pass, subject, msg, "") }

// NewResult is one row of the report, with empty evidence: the live
// checks (checks/live) make theirs with it.
func NewResult(status Status, subject, msg, remedy string) Result {
	return row(status, subject, msg, remedy)
}

func (r Result) with(k string, v any) Result {
	if r.Evidence == nil {
		r.Evidence = map[string]any{}
	}
	r.Evidence[k] = v
	return r
}

// expiryStatus judges an expiry date as of at: past fails, today and the
// next 30 days warn. The expiry day itself is the last valid day.
func expiryStatus(at, expires time.Time) (Status, int) {
	days := int(Day(expires).Sub(at).Hours() / 24)
	switch {
	case days < 0:
		return Fail, days
	case days <= WarnWindowDays:
		return Warn, days
	}
	return Pass, days
}

// WarnWindowDays is how far ahead an expiry warns.
const WarnWindowDays = 30

func inDays(days int) string {
	switch {
	case days == 0:
		return "today"
	case days == 1:
		return "tomorrow"
	case days == -1:
		return "yesterday"
	case days < 0:
		return fmt.Sprintf("%d days ago", -days)
	}
	return fmt.Sprintf("in %d days", days)
}

func q(s string) string {
	if s == "" {
		return `""`
	}
	return fmt.Sprintf("%q", redact.Local(words.Limit(s, 80)))
}

// sysName names an IT-system for messages.
func sysName(env *Env, i int) string {
	n := env.P.ITSystems[i].Name
	if n == "" {
		return fmt.Sprintf("IT-system #%d", i+1)
	}
	return fmt.Sprintf("IT-system %q", redact.Local(words.Limit(n, 60)))
}
