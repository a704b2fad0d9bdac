package checks_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/live"
	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/emutest"
	"github.com/cprready/cprready/profile"
)

// A profile on service_version v1 and one on v2 are both READY against
// the emulator, public and private; a probe_query of the user's own is
// validated and sent.
func TestBothServiceVersionsReady(t *testing.T) {
	srv := emutest.Start(t, emulator.Config{})
	for _, path := range []string{srv.PublicProfile(), srv.PrivateProfile()} {
		for _, v := range []string{"v1", "v2"} {
			p, err := profile.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			p.Endpoints.ServiceVersion = v
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			rep, err := checks.Evaluate(ctx, p, checks.Options{Prober: live.New(live.Options{RequestTimeout: 3 * time.Second})}, profile.DefaultResolver(p))
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Ready {
				for _, r := range rep.Checks {
					if r.Status == checks.Fail {
						t.Errorf("%s %s: %s %s: %s", filepath.Base(path), v, r.ID, r.Subject, r.Message)
					}
				}
			}
		}
	}
}

func TestProbeQueryOfTheUsersOwn(t *testing.T) {
	srv := emutest.Start(t, emulator.Config{})
	run := func(query string) *checks.Report {
		t.Helper()
		p, err := profile.Load(srv.PublicProfile())
		if err != nil {
			t.Fatal(err)
		}
		p.Endpoints.ServiceVersion = "v1"
		file := filepath.Join(t.TempDir(), "probe.graphql")
		if err := os.WriteFile(file, []byte(query), 0o600); err != nil {
			t.Fatal(err)
		}
		p.ITSystems[0].ProbeQuery = file
		rep, err := checks.Evaluate(context.Background(), p, checks.Options{Only: []string{"graphql.protected", "oauth.token"}, Prober: live.New(live.Options{RequestTimeout: 3 * time.Second})}, profile.DefaultResolver(p))
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	good := `{ CPRCustom_PublicSectorPerson(input: { personnummer: { personnummer: { in: ["0000000000"] } } }) { nodes { id beskyttelser { status } navne { fornavne } } } }`
	r := must(t, run(good), "graphql.protected", gqlSecret, checks.Pass)
	if r.Evidence["probe"] == "built-in" {
		t.Fatal("the user's probe was not used")
	}
	must(t, run(`{ p: CPRCustom_PublicSectorPerson(input: {}) { nodes { id } } }`), "graphql.protected", gqlSecret, checks.Fail, "breaks the platform's rules")
}
