package datafordeler

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy bounds retries: only idempotent GETs and the token call, only
// on 429/503 (honouring Retry-After) and connection resets, never on
// 400/401/403.
type RetryPolicy struct {
	MaxAttempts int           // including the first
	MaxWait     time.Duration // longest single wait (a longer Retry-After ends the retries)
	MaxTotal    time.Duration // all waits together
}

// DefaultRetry is three attempts, waits up to 5 s each, 8 s in all.
var DefaultRetry = RetryPolicy{MaxAttempts: 3, MaxWait: 5 * time.Second, MaxTotal: 8 * time.Second}

// retryable reports whether an error may be retried, and after how long.
func retryable(err *Error) (time.Duration, bool) {
	if err == nil {
		return 0, false
	}
	switch {
	case err.Status == http.StatusTooManyRequests || err.Status == http.StatusServiceUnavailable:
		if err.RetryAfter > 0 {
			return err.RetryAfter, true
		}
		return 500 * time.Millisecond, true
	case err.Cause == CauseReset:
		return 200 * time.Millisecond, true
	}
	return 0, false
}

// withRetry runs attempt until it succeeds, fails for good, or the policy
// or ctx ends it. It returns the number of attempts made.
// A failure keeps the timings of every attempt (Meta.Earlier), so that a
// retried call shows the time it really took.
func withRetry[T any](ctx context.Context, p RetryPolicy, attempt func() (T, *Error)) (T, int, *Error) {
	var waited time.Duration
	var earlier []Timing
	for n := 1; ; n++ {
		v, err := attempt()
		if err == nil {
			return v, n, nil
		}
		if n > 1 {
			err.Meta.Timing.Label = fmt.Sprintf("%s #%d", err.Meta.Timing.Label, n)
		}
		err.Meta.Earlier = earlier
		wait, ok := retryable(err)
		if !ok || n >= p.MaxAttempts || wait > p.MaxWait || waited+wait > p.MaxTotal {
			err.Meta.Attempts = n
			return v, n, err
		}
		earlier = append(earlier, err.Meta.Timing)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			err.Meta.Attempts = n
			return v, n, err
		case <-t.C:
		}
		waited += wait
	}
}

// parseRetryAfter reads seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
