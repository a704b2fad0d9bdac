package checks

import (
	"testing"
)

// The base profile is clean: every row passes (or is info).
func TestBaseProfileIsReady(t *testing.T) {
	rows := run(t, base(t), testAt)
	for _, r := range rows {
		if r.Status != Pass && r.Status != Info {
			t.Errorf("unexpected %s %s %s: %s", r.Status, r.ID, r.Subject, r.Message)
		}
		if r.Title == "" || r.Docs == "" || r.Evidence == nil {
			t.Errorf("row %s lacks title/docs/evidence", r.ID)
		}
	}
}

// Every offline rule of rules.md is registered and produces a row on a
// profile that exercises it.
func TestEveryOfflineRuleReports(t *testing.T) {
	p := parse(t, baseYAML)
	p.LegacyREST = []string{"CprPersonFullComplete"}
	rows := run(t, p, testAt)
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.ID] = true
	}
	for _, c := range Registry() {
		if c.Live {
			continue
		}
		switch c.ID {
		case "cred.cert-fingerprint", "cred.cert-valid":
			continue // need a certificate: covered in creds_test.go
		case "access.private-graphql", "access.public-filedownload":
			continue // need another kind or purpose: covered in access_test.go
		}
		if !seen[c.ID] {
			t.Errorf("%s produced no row", c.ID)
		}
	}
}

func TestRegistryIsWellFormed(t *testing.T) {
	ids := map[string]bool{}
	for _, c := range Registry() {
		if ids[c.ID] {
			t.Errorf("duplicate ID %s", c.ID)
		}
		ids[c.ID] = true
		if c.Title == "" || c.Rule == "" || c.Why == "" || c.Fix == "" || c.Where == "" || c.Level == "" || c.Source == "" {
			t.Errorf("%s lacks explain text", c.ID)
		}
		if !c.Live && c.run == nil {
			t.Errorf("%s has no rule function", c.ID)
		}
	}
	// The IDs of rules.md, which may never be renamed.
	for _, id := range []string{
		"org.cvr", "org.kind", "org.mitid-erhverv", "itsystem.present", "itsystem.owner", "itsystem.split", "itsystem.oauth",
		"ip.present", "ip.ipv4", "ip.prefix-range", "ip.public", "ip.host-bits", "ip.duplicate",
		"access.register", "access.public-graphql", "access.private-graphql", "access.public-filedownload", "access.not-applicable",
		"access.events", "access.environment", "access.status", "access.attachment", "contact.complete",
		"followup.servicedesk", "followup.virk",
		"cred.apikey-scope", "cred.expiry", "cred.client-id", "cred.cert-fingerprint", "cred.cert-valid", "cred.storage", "cred.secret-hygiene",
		"rest.retired",
		"net.reach", "net.egress-ip", "clock.skew", "schema.apikey", "oauth.token", "graphql.protected", "graphql.events", "filedownload.list",
	} {
		if !ids[id] {
			t.Errorf("rules.md ID %s is not registered", id)
		}
	}
}

func TestOnlyAndUnknownID(t *testing.T) {
	if _, err := Selected(Options{Only: []string{"ip.prefix"}}); err == nil {
		t.Fatal("unknown ID must be an error")
	}
	cs, err := Selected(Options{Only: []string{"ip.public", "org.cvr"}, Offline: true})
	if err != nil || len(cs) != 2 || cs[0].ID != "org.cvr" {
		t.Fatalf("got %v %v", cs, err)
	}
}

func TestStrictMakesWarningsFail(t *testing.T) {
	rep := &Report{Checks: []Result{{Status: Pass}, {Status: Warn}}}
	rep.Finish()
	if !rep.Ready || rep.ExitCode() != 0 {
		t.Fatal("warnings alone are ready")
	}
	rep.Strict = true
	rep.Finish()
	if rep.Ready || rep.ExitCode() != 1 {
		t.Fatal("--strict: warnings are not ready")
	}
}

func TestCompareSubjectsNumeric(t *testing.T) {
	if compareSubjects("it_systems[2]", "it_systems[10]") >= 0 {
		t.Fatal("2 before 10")
	}
	if compareSubjects("it_systems[1].ip_whitelist[0]", "it_systems[1].ip_whitelist[0]") != 0 {
		t.Fatal("equal")
	}
}
