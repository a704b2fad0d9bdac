package checks

import (
	"strings"
	"testing"

	"github.com/cprready/cprready/profile"
)

// remainder1 builds CVR-shaped numbers whose first seven digits leave
// remainder 1: no check digit can make them valid.
func remainder1() []string {
	prefix := ""
	for n := 1000000; n < 9999999; n++ {
		s := itoa7(n)
		sum := 0
		for i, w := range cvrWeightsTest[:7] {
			sum += int(s[i]-'0') * w
		}
		if sum%11 == 1 {
			prefix = s
			break
		}
	}
	var out []string
	for d := '0'; d <= '9'; d++ {
		out = append(out, prefix+string(d))
	}
	return out
}

var cvrWeightsTest = []int{2, 7, 6, 5, 4, 3, 2, 1}

func itoa7(n int) string {
	b := []byte("0000000")
	for i := 6; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

func TestOrgCVR(t *testing.T) {
	cases := []struct {
		cvr  string
		want Status
		hint string
	}{
		{"29189846", Pass, ""},
		{"13748136", Pass, ""},
		{"29189847", Fail, "modulus-11"},
		{"2918984", Fail, "8 digits"},
		{"291898460", Fail, "8 digits"},
		{"02918984", Fail, "starts with 0"},
		{"2918 9846", Fail, "without spaces"},
		{" 29189846", Fail, "spaces"},
		{"2918984X", Fail, "8 digits"},
		{"", Fail, ""},
		{"２９１８９８４６", Fail, "8 digits"}, // full-width digits
	}
	for _, c := range cases {
		p := base(t)
		p.Organisation.CVR = c.cvr
		rows := run(t, p, testAt)
		r := rowOf(rows, "org.cvr", "organisation")
		if r == nil || r.Status != c.want {
			t.Errorf("cvr %q: got %+v, want %s", c.cvr, r, c.want)
			continue
		}
		if c.hint != "" && !strings.Contains(r.Message+" "+r.Remedy, c.hint) {
			t.Errorf("cvr %q: message %q / remedy %q lacks %q", c.cvr, r.Message, r.Remedy, c.hint)
		}
	}
	for _, cvr := range remainder1() {
		if err := profile.ValidateAs("organisation.cvr", cvr); err == nil {
			t.Errorf("remainder-1 number %s passed", cvr)
		}
	}
}

func TestOrgCVRAppliesEverywhere(t *testing.T) {
	p := base(t)
	p.Contact.CVR = "29189847"
	p.ITSystems[0].OwnerCVR = "12345678"
	p.Supplier = &profile.Supplier{Name: "Lev", CVR: "1374813", DataProcessingAgreement: "sent"}
	rows := run(t, p, testAt)
	expect(t, rows, "org.cvr", "organisation", Pass)
	expect(t, rows, "org.cvr", "contact", Fail)
	expect(t, rows, "org.cvr", "supplier", Fail)
	expect(t, rows, "org.cvr", "it_systems[0]", Fail)
}

// An unquoted CVR is read as the digits written.
func TestOrgCVRUnquoted(t *testing.T) {
	p := parse(t, strings.Replace(baseYAML, `cvr: "29189846", kind`, `cvr: 29189846, kind`, 1))
	if p.Organisation.CVR != "29189846" {
		t.Fatalf("got %q", p.Organisation.CVR)
	}
}

func TestOrgKindAndMitID(t *testing.T) {
	for _, c := range []struct {
		kind string
		want Status
	}{{"public", Pass}, {"private", Pass}, {"Offentlig", Pass}, {"", Fail}, {"semi-public", Fail}} {
		p := base(t)
		p.Organisation.Kind = c.kind
		expect(t, run(t, p, testAt), "org.kind", "organisation", c.want)
	}
	p := base(t)
	p.Organisation.MitIDErhverv = nil
	expect(t, run(t, p, testAt), "org.mitid-erhverv", "organisation", Fail)
	f := false
	p.Organisation.MitIDErhverv = &f
	expect(t, run(t, p, testAt), "org.mitid-erhverv", "organisation", Fail)
}

func TestITSystemPresent(t *testing.T) {
	p := base(t)
	p.ITSystems = nil
	expect(t, run(t, p, testAt), "itsystem.present", "it_systems", Fail)
}

func TestITSystemOwner(t *testing.T) {
	cases := []struct {
		name, kind, owner, dpa string
		supplier               bool
		want                   Status
	}{
		{"own", "public", "29189846", "", false, Pass},
		{"supplier, no supplier declared", "public", "13748136", "", false, Fail},
		{"supplier, dpa sent", "public", "13748136", "sent", true, Pass},
		{"supplier, dpa unknown", "public", "13748136", "unknown", true, Warn},
		{"supplier, dpa empty", "public", "13748136", "", true, Warn},
		{"supplier, dpa missing", "public", "13748136", "missing", true, Fail},
		{"private, other owner", "private", "13748136", "", false, Warn},
		{"no owner", "public", "", "", false, Fail},
	}
	for _, c := range cases {
		p := base(t)
		p.Organisation.Kind = c.kind
		p.ITSystems[0].OwnerCVR = c.owner
		if c.kind == "private" {
			p.ITSystems[0].DataAccess.Entities = []string{"CustomPrivateSectorPerson"}
			p.ITSystems[0].DataAccess.Events = false
		}
		if c.supplier {
			p.Supplier = &profile.Supplier{Name: "Lev", CVR: "13748136", DataProcessingAgreement: c.dpa}
		}
		rows := run(t, p, testAt)
		if got := statusOf(rows, "itsystem.owner", "it_systems[0]"); got != c.want {
			t.Errorf("%s: got %s want %s\n%s", c.name, got, c.want, dump(rows))
		}
	}
}

func TestITSystemSplit(t *testing.T) {
	cases := []struct {
		purpose  string
		entities []string
		want     Status
	}{
		{"graphql", []string{"CustomPublicSectorPerson"}, Pass},
		{"filedownload", []string{"Person"}, Pass},
		{"GraphQL", []string{"CustomPublicSectorPerson"}, Pass},
		{"both", []string{"CustomPublicSectorPerson"}, Fail},
		{"", []string{"CustomPublicSectorPerson"}, Fail},
		{"graphql", []string{"CustomPublicSectorPerson", "Person"}, Fail},
		{"filedownload", []string{"Beskyttelse", "CustomPublicSectorPerson"}, Fail},
	}
	for _, c := range cases {
		p := base(t)
		p.ITSystems[0].Purpose = c.purpose
		p.ITSystems[0].DataAccess.Entities = c.entities
		if got := statusOf(run(t, p, testAt), "itsystem.split", "it_systems[0]"); got != c.want {
			t.Errorf("%q %v: got %s want %s", c.purpose, c.entities, got, c.want)
		}
	}
}

func TestITSystemOAuthAndAPIKeyScope(t *testing.T) {
	p := base(t)
	p.ITSystems[0].Credentials.OAuthSharedSecrets = nil
	rows := run(t, p, testAt)
	expect(t, rows, "itsystem.oauth", "it_systems[0]", Fail)
	expect(t, rows, "cred.apikey-scope", "it_systems[0]", Fail)
	if r := rowOf(rows, "cred.apikey-scope", "it_systems[0]"); !strings.Contains(r.Message, "schemas") {
		t.Errorf("apikey-scope must explain that keys fetch schemas: %q", r.Message)
	}
	// Without data access, API keys alone are fine (schemas only).
	p.ITSystems[0].DataAccess = nil
	rows = run(t, p, testAt)
	expect(t, rows, "itsystem.oauth", "it_systems[0]", Pass)
	expect(t, rows, "cred.apikey-scope", "it_systems[0]", Pass)
}

func TestContactComplete(t *testing.T) {
	cases := []struct {
		name string
		mut  func(*profile.Contact)
		want Status
	}{
		{"complete", func(*profile.Contact) {}, Pass},
		{"no phone", func(c *profile.Contact) { c.Phone = "" }, Pass},
		{"phone 8 digits", func(c *profile.Contact) { c.Phone = "22475018" }, Pass},
		{"bad phone", func(c *profile.Contact) { c.Phone = "call me" }, Fail},
		{"short phone", func(c *profile.Contact) { c.Phone = "1234" }, Fail},
		{"no first name", func(c *profile.Contact) { c.FirstName = " " }, Fail},
		{"no last name", func(c *profile.Contact) { c.LastName = "" }, Fail},
		{"no cvr", func(c *profile.Contact) { c.CVR = "" }, Fail},
		{"no email", func(c *profile.Contact) { c.Email = "" }, Fail},
		{"bad email", func(c *profile.Contact) { c.Email = "it@" }, Fail},
		{"unicode name", func(c *profile.Contact) { c.FirstName = "Ærø" }, Pass},
	}
	for _, c := range cases {
		p := base(t)
		c.mut(&p.Contact)
		if got := statusOf(run(t, p, testAt), "contact.complete", "contact"); got != c.want {
			t.Errorf("%s: got %s want %s", c.name, got, c.want)
		}
	}
}
