package checks_test

import (
	"context"
	"testing"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/live"
	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/profile"
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

// A service version the platform does not serve: the live checks' 404
// names the path called and the versions cprready knows are served.
func TestUnservedVersionNamesThePath(t *testing.T) {
	srv, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	p, err := profile.Load(srv.PublicProfile())
	if err != nil {
		t.Fatal(err)
	}
	p.Endpoints.ServiceVersion = "v3"
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
	defer cancel()
	rep, err := checks.Evaluate(ctx, p, checks.Options{Prober: live.New(live.Options{RequestTimeout: 2 * time.Second})}, profile.DefaultResolver(p))
	if err != nil {
		t.Fatal(err)
	}
	must(t, rep, "schema.apikey", apiKey, checks.Fail, "/CPR/custom/PublicSector/v3/schema", "/CPR/custom/PublicSector/v1 and /CPR/custom/PublicSector/v2")
	must(t, rep, "graphql.protected", gqlSecret, checks.Fail, "/CPR/custom/PublicSector/v3", "/CPR/custom/PublicSector/v1 and /CPR/custom/PublicSector/v2")
}
