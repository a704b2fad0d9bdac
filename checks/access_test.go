package checks

import (
	"testing"
	"time"

	"github.com/cprready/cprready/profile"
)

const da = "it_systems[0]"

func TestAccessRegister(t *testing.T) {
	for _, c := range []struct {
		reg  string
		want Status
	}{{"CPR", Pass}, {"cpr", Pass}, {"CVR", Fail}, {"", Fail}} {
		p := base(t)
		p.ITSystems[0].DataAccess.Register = c.reg
		expect(t, run(t, p, testAt), "access.register", da, c.want)
	}
}

func TestAccessSelection(t *testing.T) {
	cases := []struct {
		name, kind, purpose string
		entities            []string
		id                  string
		want                Status
	}{
		{"public graphql ok", "public", "graphql", []string{"CustomPublicSectorPerson"}, "access.public-graphql", Pass},
		{"public graphql extra", "public", "graphql", []string{"CustomPublicSectorPerson", "Person"}, "access.public-graphql", Fail},
		{"public graphql private svc", "public", "graphql", []string{"CustomPrivateSectorPerson"}, "access.public-graphql", Fail},
		{"public graphql empty", "public", "graphql", nil, "access.public-graphql", Fail},
		{"public graphql unknown", "public", "graphql", []string{"CustomPublicSectorPerson", "Personer"}, "access.public-graphql", Fail},
		{"private ok", "private", "graphql", []string{"CustomPrivateSectorPerson"}, "access.private-graphql", Pass},
		{"private public svc", "private", "graphql", []string{"CustomPublicSectorPerson"}, "access.private-graphql", Fail},
		{"private file download", "private", "filedownload", []string{"Person"}, "access.private-graphql", Fail},
		{"files ok", "public", "filedownload", []string{"Person", "CprAdresse", "Beskyttelse", "Forældremyndighed"}, "access.public-filedownload", Pass},
		{"files ascii", "public", "filedownload", []string{"Foraeldremyndighed"}, "access.public-filedownload", Pass},
		{"files one", "public", "filedownload", []string{"Beskyttelse"}, "access.public-filedownload", Pass},
		{"files empty", "public", "filedownload", []string{}, "access.public-filedownload", Fail},
		{"files with custom", "public", "filedownload", []string{"Person", "CustomPublicSectorPerson"}, "access.public-filedownload", Fail},
		{"files custom alone", "public", "filedownload", []string{"CustomPublicSectorPerson"}, "access.public-filedownload", Fail},
		{"not applicable adm", "public", "graphql", []string{"CustomPublicSectorPerson", "AdministrativEnhed"}, "access.not-applicable", Fail},
		{"not applicable type", "public", "filedownload", []string{"Person", "AdministrativEnhedType"}, "access.not-applicable", Fail},
		{"not applicable events", "public", "graphql", []string{"CustomPublicSectorPerson", "CPR_Events"}, "access.not-applicable", Fail},
		{"not applicable: scope rule not double-failing", "public", "graphql", []string{"CustomPublicSectorPerson", "CPR_Events"}, "access.public-graphql", Pass},
	}
	for _, c := range cases {
		p := base(t)
		p.Organisation.Kind = c.kind
		s := &p.ITSystems[0]
		s.Purpose = c.purpose
		s.DataAccess.Entities = c.entities
		s.DataAccess.Events = false
		rows := run(t, p, testAt)
		if got := statusOf(rows, c.id, da); got != c.want {
			t.Errorf("%s: %s got %q want %q\n%s", c.name, c.id, got, c.want, dump(rows))
		}
	}
}

func TestAccessEvents(t *testing.T) {
	p := base(t)
	expect(t, run(t, p, testAt), "access.events", da, Pass)

	p = base(t)
	p.Organisation.Kind = "private"
	p.ITSystems[0].DataAccess.Entities = []string{"CustomPrivateSectorPerson"}
	expect(t, run(t, p, testAt), "access.events", da, Fail)

	p = base(t)
	p.ITSystems[0].Purpose = "filedownload"
	p.ITSystems[0].DataAccess.Entities = []string{"Person"}
	expect(t, run(t, p, testAt), "access.events", da, Fail)

	p = base(t)
	p.Environment = "test04"
	expect(t, run(t, p, testAt), "access.events", da, Warn)
}

func TestAccessEnvironment(t *testing.T) {
	cases := []struct {
		env, graphql, token string
		subject             string
		want                Status
	}{
		{"prod", "", "", "environment", Pass},
		{"test06", "https://test06-graphql.datafordeler.dk", "", "environment", Pass},
		{"prod", "https://test06-graphql.datafordeler.dk", "", "endpoints", Fail},
		{"test04", "https://graphql.datafordeler.dk", "", "endpoints", Fail},
		{"test04", "", "https://auth.datafordeler.dk/realms/distribution/protocol/openid-connect/token", "endpoints", Fail},
		{"custom", "https://127.0.0.1:8443", "https://127.0.0.1:8443/auth/token", "environment", Pass},
		{"custom", "", "", "endpoints", Fail},
		{"staging", "", "", "environment", Fail},
		{"", "", "", "environment", Fail},
		{"PROD", "", "", "environment", Pass},
	}
	for _, c := range cases {
		p := base(t)
		p.Environment = c.env
		p.Endpoints.GraphQL, p.Endpoints.Token = c.graphql, c.token
		if got := statusOf(run(t, p, testAt), "access.environment", c.subject); got != c.want {
			t.Errorf("%s %s %s: got %q want %q", c.env, c.graphql, c.token, got, c.want)
		}
	}
}

func TestAccessStatusAndExpiry(t *testing.T) {
	at := testAt
	day := func(d int) profile.Date { return profile.DateOf(at.AddDate(0, 0, d)) }
	cases := []struct {
		status  string
		expires profile.Date
		want    Status
	}{
		{"Godkendt", day(365), Pass},
		{"approved", day(365), Pass},
		{"GODKENDT", profile.Date{}, Pass},
		{"Godkendt", day(31), Pass},
		{"Godkendt", day(30), Warn},
		{"Godkendt", day(1), Warn},
		{"Godkendt", day(0), Warn}, // the expiry day is the last valid day
		{"Godkendt", day(-1), Fail},
		{"Godkendt", profile.NewDate("31-02-2027"), Fail},
		{"Godkendt", profile.NewDate("11-05-2027"), Pass}, // Administration's format
		{"Ny", profile.Date{}, Warn},
		{"new", profile.Date{}, Warn},
		{"Afvist", profile.Date{}, Fail},
		{"rejected", profile.Date{}, Fail},
		{"Udløbet", profile.Date{}, Fail},
		{"Udlobet", profile.Date{}, Fail},
		{"expired", profile.Date{}, Fail},
		{"", profile.Date{}, Fail},
		{"maybe", profile.Date{}, Fail},
	}
	for _, c := range cases {
		p := base(t)
		p.ITSystems[0].DataAccess.Status = c.status
		p.ITSystems[0].DataAccess.Expires = c.expires
		if got := statusOf(run(t, p, at), "access.status", da); got != c.want {
			t.Errorf("%s expires %s: got %q want %q", c.status, c.expires, got, c.want)
		}
	}
}

// --at moves every date rule.
func TestAtMovesDates(t *testing.T) {
	p := base(t) // access expires 2027-05-11
	expect(t, run(t, p, time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)), "access.status", da, Warn)
	expect(t, run(t, p, time.Date(2027, 5, 12, 0, 0, 0, 0, time.UTC)), "access.status", da, Fail)
	expect(t, run(t, p, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), "access.status", da, Pass)
}

func TestAccessAttachmentIsInfo(t *testing.T) {
	expect(t, run(t, base(t), testAt), "access.attachment", da, Info)
}

func TestFollowup(t *testing.T) {
	p := base(t)
	p.Followup = profile.Followup{}
	rows := run(t, p, testAt)
	expect(t, rows, "followup.servicedesk", "followup", Warn)
	expect(t, rows, "followup.virk", "followup", Warn)
	p.Followup = profile.Followup{VirkApplication: true}
	expect(t, run(t, p, testAt), "followup.virk", "followup", Warn)
}

func TestRESTRetired(t *testing.T) {
	p := base(t)
	p.LegacyREST = []string{"CprPersonFullComplete", "cprprivatepnr", "SomethingElse"}
	rows := run(t, p, testAt)
	expect(t, rows, "rest.retired", "legacy_rest[0]", Warn)
	expect(t, rows, "rest.retired", "legacy_rest[1]", Warn)
	expect(t, rows, "rest.retired", "legacy_rest[2]", Warn)
	if r := rowOf(rows, "rest.retired", "legacy_rest[0]"); r.Evidence["replacement"] != "CustomPublicSectorPerson" || r.Remedy == "" {
		t.Errorf("got %+v", r)
	}
	expect(t, run(t, base(t), testAt), "rest.retired", "legacy_rest", Pass)
}
