package checks

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cprready/cprready/profile"
)

// baseYAML is a valid public profile with one GraphQL IT-system; tests
// mutate the parsed profile. Secrets resolve through testEnv.
const baseYAML = `
version: 1
environment: prod
organisation: {name: Kommune, cvr: "29189846", kind: public, mitid_erhverv: true}
contact: {first_name: Simon, last_name: Sørensen, cvr: "29189846", email: it@eksempel.dk, phone: "+45 22 47 50 18"}
it_systems:
  - name: GQL
    owner_cvr: "29189846"
    purpose: graphql
    ip_whitelist:
      - {name: dev, address: 80.62.117.23, range: 32}
    data_access: {register: CPR, entities: [CustomPublicSectorPerson], status: Godkendt, expires: 2027-05-11, events: true}
    credentials:
      api_keys:
        - {name: schema, key: env:API_KEY, created: 2026-05-08, expires: 2028-05-08}
      oauth_shared_secrets:
        - {name: ss, client_id: a4098663-0502-45ce-954c-b660160be961, secret: env:SECRET, created: 2026-05-08, expires: 2027-05-08}
followup: {servicedesk_ticket: "T-1", virk_application: true}
`

var testAt = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

var testEnvVars = map[string]string{"API_KEY": "api-key-value-1234", "SECRET": "shared-secret-value-5678"}

func base(t *testing.T) *profile.Profile {
	t.Helper()
	return parse(t, baseYAML)
}

func parse(t *testing.T, y string) *profile.Profile {
	t.Helper()
	p, err := profile.Parse([]byte(y), "test.yaml")
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return p
}

func resolver(vars map[string]string) profile.Resolver {
	return profile.Resolver{LookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}
}

// run runs every offline rule and returns the rows.
func run(t *testing.T, p *profile.Profile, at time.Time) []Result {
	t.Helper()
	rep, err := Evaluate(context.Background(), p, Options{At: at, Offline: true}, resolver(testEnvVars))
	if err != nil {
		t.Fatal(err)
	}
	return rep.Checks
}

// statusOf is the status of check id on subject ("" when no row).
func statusOf(rows []Result, id, subject string) Status {
	var got []Status
	for _, r := range rows {
		if r.ID == id && r.Subject == subject {
			got = append(got, r.Status)
		}
	}
	if len(got) == 0 {
		return ""
	}
	// The worst status when a check reports twice on one subject.
	for _, s := range []Status{Fail, Warn, Skip, Info, Pass} {
		if slices.Contains(got, s) {
			return s
		}
	}
	return got[0]
}

func rowOf(rows []Result, id, subject string) *Result {
	for i := range rows {
		if rows[i].ID == id && rows[i].Subject == subject {
			return &rows[i]
		}
	}
	return nil
}

func dump(rows []Result) string {
	var b strings.Builder
	for _, r := range rows {
		if r.Status != Pass {
			fmt.Fprintf(&b, "  %s %s %s: %s\n", r.Status, r.ID, r.Subject, r.Message)
		}
	}
	return b.String()
}

func expect(t *testing.T, rows []Result, id, subject string, want Status) {
	t.Helper()
	if got := statusOf(rows, id, subject); got != want {
		t.Errorf("%s on %s: got %q, want %q\nnon-pass rows:\n%s", id, subject, got, want, dump(rows))
	}
}
