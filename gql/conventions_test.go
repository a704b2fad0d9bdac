package gql_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cprready/cprready/platform/errcode"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cprready/cprready/gql"
)

// DAF-GQL-0009: a bitemporal root field needs a time argument or an id
// filter; the events, the import status (the platform's documented query)
// and the custom services take no time argument and pass without.
func TestTimeOrIDRequired(t *testing.T) {
	ev := load(t, "events")
	pub := load(t, "public")
	for _, c := range []struct {
		name, query string
		vars        map[string]any
		want        bool // DAF-GQL-0009 expected
	}{
		{"no time argument", "{\n  CPR_AdministrativEnhed(first: 1) { nodes { kode navn } }\n}", nil, true},
		{"virkningstid", `{ CPR_AdministrativEnhed(first: 1, virkningstid: "2026-08-03T12:00:00Z") { nodes { kode } } }`, nil, false},
		{"registreringstid", `{ CPR_AdministrativEnhed(registreringstid: "2026-08-03T07:36:00.000Z") { nodes { kode } } }`, nil, false},
		{"null time", `{ CPR_AdministrativEnhed(virkningstid: null) { nodes { kode } } }`, nil, true},
		{"time as a variable, not known", `query($t: DafDateTime) { CPR_AdministrativEnhed(virkningstid: $t) { nodes { kode } } }`, nil, false},
		{"time as a variable, unset", `query($t: DafDateTime) { CPR_AdministrativEnhed(virkningstid: $t) { nodes { kode } } }`, map[string]any{}, true},
		{"time as a variable, set", `query($t: DafDateTime) { CPR_AdministrativEnhed(virkningstid: $t) { nodes { kode } } }`, map[string]any{"t": "2026-08-03T12:00:00+01:00"}, false},
		{"events without time", `{ CPR_Events(first: 1, where: { entityname: { eq: "Cprhaendelse" } }) { nodes { eventid } } }`, nil, false},
		{"events since", `{ CPR_Events(first: 1, where: { eventid: { gt: 1 } }) { nodes { eventid } } }`, nil, false},
		{"the documented import status", "query {\nDAF_RegisterImportStatus {\nlastSequenceNumber,\nlastEventId,\nlastUpdated\n}\n}", nil, false},
		{"the import status as a subscription", `subscription { DAF_RegisterImportStatus { lastSequenceNumber } }`, nil, false},
		{"unit types", `{ CPR_AdministrativEnhedType { nodes { typeKode } } }`, nil, false},
	} {
		_, probs := gql.ValidateQuery(context.Background(), ev, c.query, c.vars)
		got := false
		for _, p := range probs {
			if p.Code == errcode.TimeArgument {
				got = true
				if p.Line < 1 || p.Column < 1 || !strings.Contains(p.Fix, "virkningstid") || !strings.Contains(p.Message, "[I: inferred") {
					t.Errorf("%s: %+v has no place, no fix or no label", c.name, p)
				}
			}
		}
		if got != c.want {
			t.Errorf("%s: DAF-GQL-0009 %v, want %v (%v)", c.name, got, c.want, probs)
		}
	}
	if _, probs := gql.ValidateQuery(context.Background(), ev, "{\n  CPR_AdministrativEnhed(first: 1) { nodes { kode } }\n}", nil); len(probs) != 1 || probs[0].Line != 2 || probs[0].Column != 3 {
		t.Errorf("place: %+v", probs)
	}
	if _, probs := gql.ValidateQuery(context.Background(), pub, `{ CPRCustom_PublicSectorPerson(input: { personnummer: { personnummer: { in: ["0101341235"] } } }) { nodes { beskyttelser { status } } } }`, nil); len(probs) != 0 {
		t.Errorf("the custom service has no time argument: %v", probs)
	}
}

// On the real schemas of other registers the rule holds for the
// platform's own examples: every query of a bitemporal entity gives a time
// argument (DS_Stednavn takes none and passes without).
func TestTimeOrIDOnPlatformSchemas(t *testing.T) {
	s := loadSDL(t, "DAR")
	for _, c := range []struct {
		query string
		want  bool
	}{
		{`{ DAR_Adresse(first: 1) { nodes { id_lokalId } } }`, true},
		{`{ DAR_Adresse(first: 1, where: { id_lokalId: { in: ["0a3f50a0-0000-4000-8000-000000000001"] } }) { nodes { id_lokalId } } }`, false},
		{`{ DAR_Adresse(first: 1, where: { and: [ { id_lokalId: { eq: "x" } } ] }) { nodes { id_lokalId } } }`, false},
		{`{ DAR_Adresse(first: 1, where: { husnummer: { eq: "x" } }) { nodes { id_lokalId } } }`, true},
		{`{ DAR_Adresse(first: 1, virkningstid: "2026-09-29T00:00:00Z", registreringstid: "2026-09-29T00:00:00Z") { nodes { id_lokalId } } }`, false},
	} {
		_, probs := gql.ValidateQuery(context.Background(), s, c.query, nil)
		got := len(probs) == 1 && probs[0].Code == errcode.TimeArgument
		if got != c.want || (!c.want && len(probs) > 0) {
			t.Errorf("%s: %v", c.query, probs)
		}
	}
}

func loadSDL(t *testing.T, reg string) *ast.Schema {
	t.Helper()
	sdl, err := os.ReadFile(filepath.Join("testdata/platform/sdl", reg+".graphql"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := gql.LoadSchema(reg+".graphql", sdl)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A field name with Danish letters fails with HC0011, as on the
// platform, and the fix spells it as the platform does.
func TestSyntaxErrorsAreHC0011(t *testing.T) {
	pub := load(t, "public")
	_, probs := gql.ValidateQuery(context.Background(), pub, "{\n  CPRCustom_PublicSectorPerson(input: {}) { nodes { beskyttelser { status } forældreoplysninger { foraelderrolle } } }\n}", nil)
	if len(probs) != 1 || probs[0].Code != errcode.Syntax || probs[0].Line != 2 {
		t.Fatalf("%+v", probs)
	}
	if !strings.Contains(probs[0].Fix, "foraeldreoplysninger") {
		t.Errorf("fix: %q", probs[0].Fix)
	}
	_, probs = gql.ValidateQuery(context.Background(), pub, `{ __typ$ename }`, nil)
	if len(probs) != 1 || probs[0].Code != errcode.Syntax || probs[0].Column != 8 {
		t.Fatalf("%+v", probs)
	}
}

// The emulator answers with the platform's recorded words.
func TestPlatformMessage(t *testing.T) {
	if got := gql.PlatformMessage(gql.Problem{Code: errcode.InListTooLong, Message: "an in list of 101 values"}); got != gql.InListMessage {
		t.Errorf("%q", got)
	}
	if got := gql.PlatformMessage(gql.Problem{Message: gql.MandatoryMessage + "beskyttelser (on barn)"}); got != "Required fields are missing in query selection: beskyttelser" {
		t.Errorf("%q", got)
	}
	if !gql.AnsweredAtExecution(errcode.TimeArgument) || gql.AnsweredAtExecution(errcode.InListTooLong) {
		t.Error("DAF-GQL-0009 alone is answered as the query runs")
	}
}
