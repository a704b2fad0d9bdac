package checks_test

import (
	"testing"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/emulator"
)

// A key created today that fails now and then (apikey-propagating: calls
// 1, 4 and 8 of every ten) is retried, passes, and the row says why it
// took more than one call; a key that is not new is never retried.
func TestNewKeyIsRetried(t *testing.T) {
	rep, _ := liveRun(t, 6*time.Second, emulator.FaultAPIKeyPropagating)
	r := must(t, rep, "schema.apikey", apiKey, checks.Pass, "attempts", "created today", "a new key starts over")
	if n, _ := r.Evidence["key_attempts"].(int); n < 2 {
		t.Fatalf("the first call fails, so a retry was needed: %v", r.Evidence)
	}
	if !rep.Ready {
		t.Fatalf("a spreading key that answers on retry leaves the profile ready: %+v", rep.Summary)
	}
	rep, _ = liveRun(t, 6*time.Second, emulator.FaultAPIKeyInvalid)
	r = must(t, rep, "schema.apikey", apiKey, checks.Fail, "not accepted")
	if _, retried := r.Evidence["key_attempts"]; retried {
		t.Fatalf("a key created a month ago is not retried: %v", r.Evidence)
	}
}
