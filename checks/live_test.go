package checks_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/live"
	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/emutest"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/profile"
)

const (
	gqlSecret = "it_systems[0].credentials.oauth_shared_secrets[0]"
	gqlCert   = "it_systems[0].credentials.oauth_certificates[0]"
	apiKey    = "it_systems[0].credentials.api_keys[0]"
	fileSec   = "it_systems[1].credentials.oauth_shared_secrets[0]"
)

func liveRun(t *testing.T, timeout time.Duration, faults ...string) (*checks.Report, time.Duration) {
	t.Helper()
	srv := emutest.Start(t, emulator.Config{Faults: faults})
	p, err := profile.Load(srv.PublicProfile())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	begin := time.Now()
	rep, err := checks.Evaluate(ctx, p, checks.Options{Prober: live.New(live.Options{
		RequestTimeout: min(timeout, 2*time.Second),
		Retry:          datafordeler.RetryPolicy{MaxAttempts: 3, MaxWait: 2 * time.Second, MaxTotal: 3 * time.Second},
		KeyRetry:       live.KeyRetry{Attempts: 4, Wait: 5 * time.Millisecond},
	})}, profile.DefaultResolver(p))
	if err != nil {
		t.Fatal(err)
	}
	return rep, time.Since(begin)
}

func find(rep *checks.Report, id, subject string) *checks.Result {
	for i := range rep.Checks {
		if rep.Checks[i].ID == id && rep.Checks[i].Subject == subject {
			return &rep.Checks[i]
		}
	}
	return nil
}

func must(t *testing.T, rep *checks.Report, id, subject string, status checks.Status, contains ...string) *checks.Result {
	t.Helper()
	r := find(rep, id, subject)
	if r == nil {
		t.Fatalf("no %s row on %s", id, subject)
	}
	if r.Status != status {
		t.Fatalf("%s on %s: %s (%s), want %s", id, subject, r.Status, r.Message, status)
	}
	for _, c := range contains {
		if !strings.Contains(r.Message+" "+r.Remedy, c) {
			t.Fatalf("%s on %s: %q / %q lacks %q", id, subject, r.Message, r.Remedy, c)
		}
	}
	return r
}

func TestLiveHealthy(t *testing.T) {
	rep, _ := liveRun(t, 20*time.Second)
	if !rep.Ready {
		t.Fatalf("not ready: %+v", rep.Summary)
	}
	live := 0
	for _, r := range rep.Checks {
		if checks.Lookup(r.ID).Live {
			live++
			if r.Status != checks.Pass {
				t.Errorf("%s %s: %s %s", r.ID, r.Subject, r.Status, r.Message)
			}
		}
	}
	// reach, clock, 2 egress, schema, 3 tokens, 2 protected, 2 events, 1 file list
	if live != 13 {
		t.Errorf("want 13 live rows, got %d", live)
	}
	must(t, rep, "filedownload.list", fileSec, checks.Pass)
	must(t, rep, "graphql.events", gqlCert, checks.Pass)
	if ts := datafordeler.TimingsOf(find(rep, "graphql.protected", gqlSecret).Evidence["timings"]); len(ts) != 2 {
		t.Errorf("protected query evidence should hold the token and query timings: %v", ts)
	}
}

func TestLiveFaults(t *testing.T) {
	cases := []struct {
		fault string
		check func(t *testing.T, rep *checks.Report)
	}{
		{emulator.FaultIPNotWhitelisted, func(t *testing.T, rep *checks.Report) {
			must(t, rep, "net.egress-ip", "it_systems[0]", checks.Fail, emulator.WrongEgressIP, emulator.DefaultEgressIP+"/32")
			r := must(t, rep, "graphql.protected", gqlSecret, checks.Fail, "not in the whitelist", "IP-adresser")
			if r.Evidence["cause"] != "ip-not-verified" || r.Evidence["errorCode"] != "DAF-AUTH-0005" {
				t.Fatalf("evidence %v", r.Evidence)
			}
		}},
		{emulator.FaultAPIKeyInvalid, func(t *testing.T, rep *checks.Report) {
			must(t, rep, "schema.apikey", apiKey, checks.Fail, "not accepted")
		}},
		{emulator.FaultAPIKeyNew, func(t *testing.T, rep *checks.Report) {
			r := must(t, rep, "schema.apikey", apiKey, checks.Fail, "15 minutes", "created today", "tried it 4 times", "same key")
			if r.Evidence["key_attempts"] != 4 {
				t.Fatalf("a key created today is tried 4 times: %v", r.Evidence)
			}
		}},
		{emulator.FaultTokenInvalidClient, func(t *testing.T, rep *checks.Report) {
			must(t, rep, "oauth.token", gqlSecret, checks.Fail, "invalid_client")
			for _, c := range []struct{ id, subj string }{{"graphql.protected", gqlSecret}, {"graphql.events", gqlSecret}, {"filedownload.list", fileSec}, {"graphql.protected", gqlCert}} {
				r := must(t, rep, c.id, c.subj, checks.Skip)
				if r.BlockedBy != "oauth.token" {
					t.Fatalf("%s blocked_by %q", c.id, r.BlockedBy)
				}
			}
		}},
		{emulator.FaultTokenUnavailable, func(t *testing.T, rep *checks.Report) {
			r := must(t, rep, "oauth.token", gqlSecret, checks.Fail, "unavailable")
			if n, _ := r.Evidence["attempts"].(int); n < 2 {
				t.Fatalf("want a bounded retry, evidence %v", r.Evidence)
			}
		}},
		{emulator.FaultTokenSlow, func(t *testing.T, rep *checks.Report) {
			r := must(t, rep, "oauth.token", gqlSecret, checks.Fail, "did not answer in time")
			if r.Evidence["cause"] != "timeout" {
				t.Fatalf("%v", r.Evidence)
			}
		}},
		{emulator.FaultMTLSUnknownCert, func(t *testing.T, rep *checks.Report) {
			must(t, rep, "oauth.token", gqlCert, checks.Fail, "rejected the client certificate")
			must(t, rep, "oauth.token", gqlSecret, checks.Pass)
		}},
		{emulator.FaultTokenExpired, func(t *testing.T, rep *checks.Report) {
			must(t, rep, "graphql.protected", gqlSecret, checks.Fail, "rejected the access token")
		}},
		{emulator.FaultNoAccess, func(t *testing.T, rep *checks.Report) {
			must(t, rep, "graphql.protected", gqlSecret, checks.Fail, "no approved data access", "Dataadgang")
		}},
		{emulator.FaultClockSkew, func(t *testing.T, rep *checks.Report) {
			must(t, rep, "clock.skew", "environment", checks.Fail, "5m0s behind")
		}},
		{emulator.FaultMalformed, func(t *testing.T, rep *checks.Report) {
			r := must(t, rep, "graphql.protected", gqlSecret, checks.Fail, "proxy")
			if r.Evidence["cause"] != "malformed-response" {
				t.Fatalf("%v", r.Evidence)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.fault, func(t *testing.T) {
			t.Parallel()
			const timeout = 6 * time.Second
			rep, took := liveRun(t, timeout, c.fault)
			if rep.Ready || rep.ExitCode() != 1 {
				t.Fatalf("a fault must end not ready (exit 1): %+v", rep.Summary)
			}
			if took > timeout+time.Second {
				t.Fatalf("took %s, beyond --timeout %s", took, timeout)
			}
			c.check(t, rep)
		})
	}
}

// A pending application skips the protected checks with its reason.
func TestLivePendingApplicationSkips(t *testing.T) {
	srv := emutest.Start(t, emulator.Config{})
	p, _ := profile.Load(srv.PublicProfile())
	p.ITSystems[0].DataAccess.Status = "Ny"
	rep, _ := checks.Evaluate(context.Background(), p, checks.Options{Prober: live.New(live.Options{})}, profile.DefaultResolver(p))
	r := must(t, rep, "graphql.protected", gqlSecret, checks.Skip, "pending")
	if r.BlockedBy != "access.status" {
		t.Fatalf("blocked_by %q", r.BlockedBy)
	}
	must(t, rep, "oauth.token", gqlSecret, checks.Pass)
}

// Unreachable hosts are reported once, by net.reach.
func TestLiveUnreachable(t *testing.T) {
	p, err := profile.Parse([]byte(`version: 1
environment: custom
endpoints: {graphql: "https://127.0.0.1:1", token: "https://127.0.0.1:1/auth/token", token_mtls: "https://127.0.0.1:1/auth-oces/token", filedownload: "https://127.0.0.1:1/FileDownloads", egress_echo: "https://127.0.0.1:1/egress"}
organisation: {name: K, cvr: "29189846", kind: public, mitid_erhverv: true}
it_systems:
  - name: S
    owner_cvr: "29189846"
    purpose: graphql
    ip_whitelist: [{address: 80.62.117.23, range: 32}]
    data_access: {register: CPR, entities: [CustomPublicSectorPerson], status: Godkendt}
    credentials:
      oauth_shared_secrets: [{client_id: a4098663-0502-45ce-954c-b660160be961, secret: "literal-secret-value"}]
`), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rep, _ := checks.Evaluate(context.Background(), p, checks.Options{Prober: live.New(live.Options{RequestTimeout: time.Second})}, profile.Resolver{})
	must(t, rep, "net.reach", "endpoints.graphql", checks.Fail, "refused")
	r := must(t, rep, "oauth.token", gqlSecret, checks.Skip)
	if r.BlockedBy != "net.reach" {
		t.Fatalf("blocked_by %q", r.BlockedBy)
	}
	must(t, rep, "graphql.protected", gqlSecret, checks.Skip)
	must(t, rep, "clock.skew", "environment", checks.Skip)
}

// Tokens and secrets obtained live never reach the report.
func TestLiveCanary(t *testing.T) {
	srv := emutest.Start(t, emulator.Config{Faults: []string{emulator.FaultTokenExpired}})
	p, _ := profile.Load(srv.PublicProfile())
	gate := redact.New()
	rep, _ := checks.Evaluate(context.Background(), p, checks.Options{Prober: live.New(live.Options{Redactor: gate})}, profile.DefaultResolver(p))
	c := srv.Credentials()
	var text strings.Builder
	for _, r := range rep.Checks {
		text.WriteString(r.Message + r.Remedy)
		for _, v := range r.Evidence {
			if s, ok := v.(string); ok {
				text.WriteString(s)
			}
		}
	}
	for _, s := range []string{c.Public.APIKey, c.Public.GraphQLSecret, c.Public.FilesSecret, c.Public.P12Password, "emu-at-"} {
		if strings.Contains(text.String(), s) {
			t.Fatalf("%q leaked", s)
		}
	}
	if gate.Len() == 0 {
		t.Fatal("the gate must have learned the tokens")
	}
}

// A shared secret sent to the certificate token host, and a certificate to
// the shared-secret host, get their own diagnosis.
func TestLiveWrongTokenHosts(t *testing.T) {
	srv := emutest.Start(t, emulator.Config{})
	p, _ := profile.Load(srv.PublicProfile())
	p.Endpoints.Token, p.Endpoints.TokenMTLS = p.Endpoints.TokenMTLS, p.Endpoints.Token // swapped by mistake
	rep, _ := checks.Evaluate(context.Background(), p, checks.Options{Only: []string{"oauth.token"}, Prober: live.New(live.Options{})}, profile.DefaultResolver(p))
	must(t, rep, "oauth.token", gqlSecret, checks.Fail, "A shared secret was sent to the certificate token host", "Set endpoints.token")
	must(t, rep, "oauth.token", gqlCert, checks.Fail, "A certificate client was sent to the shared-secret token host", "endpoints.token_mtls")
}

// Credentials used against another environment: the fix says so.
func TestLiveWrongEnvironmentHint(t *testing.T) {
	srv := emutest.Start(t, emulator.Config{Faults: []string{emulator.FaultTokenInvalidClient}})
	p, _ := profile.Load(srv.PublicProfile())
	p.Environment = "test06"
	rep, _ := checks.Evaluate(context.Background(), p, checks.Options{Only: []string{"oauth.token"}, Prober: live.New(live.Options{})}, profile.DefaultResolver(p))
	must(t, rep, "oauth.token", gqlSecret, checks.Fail, "Credentials from production do not work in test06")
}
