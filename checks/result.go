package checks

import (
	"fmt"
	"strings"
	"time"
)

func row(status Status, subject, msg, remedy string) Result {
	return Result{Status: status, Subject: subject, Message: msg, Remedy: remedy, Evidence: map[string]any{}}
}

func pass(subject, msg string) Result { return row(Pass, subject, msg, "") }

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
	case days <= 30:
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
	return fmt.Sprintf("%q", limitText(s, 80))
}

func limitText(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// sysName names an IT-system for messages.
func sysName(env *Env, i int) string {
	n := env.P.ITSystems[i].Name
	if n == "" {
		return fmt.Sprintf("IT-system #%d", i+1)
	}
	return fmt.Sprintf("IT-system %q", limitText(n, 60))
}
