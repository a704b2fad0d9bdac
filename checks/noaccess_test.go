package checks

import (
	"context"
	"testing"
	"time"

	"github.com/cprready/cprready/profile"
)

// An IT-system that declares no application can never be READY.
func TestNoDataAccessIsNotReady(t *testing.T) {
	for name, da := range map[string]string{
		"missing": "",
		"null":    "    data_access: ~\n",
		"empty":   "    data_access: {}\n",
	} {
		y := `version: 1
environment: prod
organisation: {name: Eksempel Kommune, cvr: "29189846", kind: public, mitid_erhverv: true}
contact: {first_name: A, last_name: B, cvr: "29189846", email: a@b.dk}
it_systems:
  - name: Borger
    owner_cvr: "29189846"
    purpose: graphql
    ip_whitelist: [{name: a, address: 80.62.117.23, range: 32}]
` + da + `    credentials:
      oauth_shared_secrets:
        - {name: s, client_id: a4098663-0502-45ce-954c-b660160be961, secret: env:X, expires: 2027-05-08}
followup: {servicedesk_ticket: "1", virk_application: true}
`
		p, err := profile.Parse([]byte(y), name+".yaml")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rep, err := Evaluate(context.Background(), p, Options{Offline: true, At: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}, profile.Resolver{LookupEnv: func(string) (string, bool) { return "Sx9Kq2Lm7Wd4Rt6Yb1", true }})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Ready {
			t.Fatalf("%s: an IT-system without data_access must not be READY", name)
		}
		found := false
		for _, r := range rep.Checks {
			if r.ID == "access.status" && r.Status == Fail && r.Subject == profile.DataAccessSubject(0) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: access.status must own the finding", name)
		}
	}
}
