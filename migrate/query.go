package migrate

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/platform"
)

// selections builds the selections of a starting query from the person
// tree of a public service version: v1 names the first names fornavne, v2
// fornavn; children and parents are relation objects with the person
// inside (barn, foraelder), each person with beskyttelser.
type selections struct{ first, hist, histCamel string }

func newSelections(version string, history bool) selections {
	s := selections{first: "fornavn"}
	if version == "v1" {
		s.first = "fornavne"
	}
	if history {
		s.hist, s.histCamel = " virkningfra virkningtil", " virkningFra virkningTil"
	}
	return s
}

const beskyttelser = "beskyttelser { beskyttelsestype status virkningfra virkningtil }"

func (s selections) navne() string {
	return fmt.Sprintf("navne { adresseringsnavn %s mellemnavn efternavn status%s }", s.first, s.hist)
}

func (s selections) adresse() string {
	return fmt.Sprintf("adresseoplysninger { status%s cprAdresse { vejadresseringsnavn vejnavn husnummer etage sidedoer postnummer postdistrikt cprkommunekode cprvejkode } }", s.hist)
}

func (s selections) related(person string) string {
	return fmt.Sprintf("%s { personnummer %s navn { %s efternavn } }", person, beskyttelser, s.first)
}

func (s selections) full() []string {
	return []string{
		"foedselsdato",
		"koen",
		fmt.Sprintf("personnumre { personnummer status%s }", s.hist),
		fmt.Sprintf("boern { virkningfra %s }", s.related("barn")),
		fmt.Sprintf("foraeldreoplysninger { foraelderrolle %s foraelderUdenCpr { navn foedselsdato } }", s.related("foraelder")),
	}
}

// StartingQuery is the GraphQL query to start from for a retired service
// on a service version (v1 or v2; "" is the default), with every
// mandatory selection. Public services look persons up by CPR number (as
// production v1 code does: personnummer { in: $personnumre }).
func (s Service) StartingQuery(version string) string {
	v := s.version(version)
	switch s.Target {
	case platform.Private:
		return s.privateQuery(v)
	case platform.Events:
		return s.authoritiesQuery()
	}
	sel := newSelections(v, strings.HasSuffix(s.Name, "Complete"))
	lines := []string{"id", "status", beskyttelser, sel.navne(), sel.adresse()}
	if strings.Contains(s.Name, "Medium") || strings.Contains(s.Name, "Full") {
		lines = append(lines, fmt.Sprintf("civilstande { civilstandstype status%s }", sel.hist), fmt.Sprintf("statsborgerskaber { cprland { kode navn } status%s }", sel.histCamel))
	}
	if strings.Contains(s.Name, "Full") {
		lines = append(lines, sel.full()...)
	}
	return fmt.Sprintf(`# %s → %s (%s)
# Apply for %s; send with Authorization: Bearer <token> to %s.
query %s($personnumre: [String!]!) {
  %s(input: { personnummer: { personnummer: { in: $personnumre } } }) {
    nodes {
      %s
    }
  }
}
`, s.Name, s.Root, s.Path(v), s.Entity, s.Path(v), s.Name, s.Root, strings.Join(lines, "\n      "))
}

func (s Service) privateQuery(v string) string {
	var args, input string
	switch s.Name {
	case "CprPrivatePNR":
		args, input = "$personnummer: String!", "personnummer: $personnummer"
	case "CprPrivateDateOfBirthName":
		args, input = "$fornavn: String!, $efternavn: String!, $foedselsdato: String!", "navn: { fornavn: $fornavn, efternavn: $efternavn }, foedselsdato: $foedselsdato"
	default: // CprPrivateAdressName
		args, input = "$fornavn: String!, $efternavn: String!, $vejnavn: String!, $husnummer: String!, $postnummer: String!",
			"navn: { fornavn: $fornavn, efternavn: $efternavn }, adresse: { vejnavn: $vejnavn, husnummer: $husnummer, postnummer: $postnummer }"
	}
	return fmt.Sprintf(`# %s → %s (%s)
# Apply for %s; send with Authorization: Bearer <token> to %s.
# The seed's example also selects vaergemaal, udrejseIndrejse, forsvinding
# and kontaktadresse; their sub-fields are not public. If the service says
# they are mandatory, add them from its schema: cprready schema fetch --service private
query %s(%s) {
  %s(input: { %s }) {
    statusdato
    statusdatousikkerhedsmarkering
    status
    %s
    navn { fornavn mellemnavn efternavn adresseringsnavn }
    adresseoplysninger { status cprAdresse { vejadresseringsnavn husnummer etage sidedoer postnummer postdistrikt } }
  }
}
`, s.Name, s.Root, s.Path(v), s.Entity, s.Path(v), s.Name, args, s.Root, input, beskyttelser)
}

func (s Service) authoritiesQuery() string {
	return fmt.Sprintf(`# %s → %s (%s)
# Nothing to apply for (AdministrativEnhed is not applied for); send with
# Authorization: Bearer <token> to %s. Page with after: endCursor.
# $virkningstid is the moment the units are read as of (now, e.g.
# "2026-12-01T00:00:00Z"): an entity-based entity refuses a query without a
# time argument or an id filter (DAF-GQL-0009, inferred from DAR and MAT).
query %s($virkningstid: DafDateTime!) {
  %s(first: 1000, virkningstid: $virkningstid) {
    nodes { kode navn landekode typekode datafordelerRowId }
    pageInfo { hasNextPage endCursor }
  }
}
`, s.Name, s.Root, s.Path(""), s.Path(""), s.Name, s.Root)
}

// Check validates the starting query against the reference schema of the
// version: its problems (none expected) and the parts that rest on
// inference.
func (s Service) Check(version string) gql.Result {
	sch, err := platform.Schema(s.Target, s.version(version))
	if err != nil {
		return gql.Result{Problems: []gql.Problem{{Line: 1, Column: 1, Message: err.Error()}}}
	}
	return gql.Check(context.Background(), sch, s.StartingQuery(version), nil) // cprready's own query: small, bounded
}

// Markdown renders docs/migration.md.
func Markdown() string {
	var b strings.Builder
	b.WriteString(`# From REST to GraphQL

CPR's REST services on Datafordeleren close "` + RetirementWording + `"
(the platform's wording; the day is a setting: ` + "`rest_retirement:`" + ` in
the profile or ` + "`--rest-retirement`" + `). Every CPR REST service has a GraphQL
successor; ` + "`cprready migrate SERVICE`" + ` prints the row below with a starting
query that holds every mandatory selection, validated against the cached
schema (` + "`cprready schema fetch`" + `) or cprready's reference schema of the
profile's service version (` + "`endpoints.service_version`" + `, v1 or v2; the
platform serves both). The reference schema labels each field with its
evidence; ` + "`migrate`" + ` says which parts of a query rest on inference.
Generated from ` + "`migrate/`" + ` (` + "`go test ./migrate -run TestDocs -update`" + `).

| REST service | Used by | Apply for | GraphQL root field | Endpoint (v2) | Evidence |
|---|---|---|---|---|---|
`)
	for _, s := range Services() {
		entity := "`" + s.Entity + "`"
		if s.Entity == "" {
			entity = "nothing"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | `%s` | `POST https://graphql.datafordeler.dk%s` | %s |\n", s.Name, kindName(s.Kind), entity, s.Root, s.Path(""), s.Source)
	}
	b.WriteString(`
## What changes in the application

- **Public authorities** apply for ` + "`CustomPublicSectorPerson`" + ` and nothing
  else, on a GraphQL IT-system (file downloads need a second IT-system). It
  also gives events through ` + "`CPR_Events`" + ` on ` + "`/CPR/v1`" + `.
- **Private users** apply for ` + "`CustomPrivateSectorPerson`" + ` only.
- Both need an approved application (Dataadgang), a whitelisted IPv4
  address, and an OAuth credential: an API key fetches schemas only.
- The custom services have mandatory selections: ` + "`beskyttelser`" + ` on every
  person object, nested persons included (` + "`boern { barn { … } }`" + `,
  ` + "`foraeldreoplysninger { foraelder { … } }`" + `: the relation objects hold the
  person). Aliases are not allowed, and a query has one root field.
- Version 1 names the first names ` + "`fornavne`" + `, version 2 ` + "`fornavn`" + `.

`)
	for _, s := range Services() {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n%s\n\n```graphql\n%s```\n\n", s.Name, s.Note, s.Applied, s.StartingQuery(""))
		if w := s.Check("").Warnings; len(w) > 0 {
			fmt.Fprintf(&b, "Parts of this query that rest on inference (v2 has no public SDL; see `cprready schema validate`): %d.\n\n", len(w))
		}
	}
	return b.String()
}

func kindName(k string) string {
	if k == "private" {
		return "private users"
	}
	return "public authorities"
}

// WriteGuide writes what to apply for, where, with which credential, what
// changes and the starting query (validated against source, with res's
// warnings: the parts not confirmed on the platform).
func (s Service) WriteGuide(w io.Writer, version, source string, res gql.Result) {
	who := "public authorities"
	if s.Kind == "private" {
		who = "private users"
	}
	fmt.Fprintf(w, "%s (REST, used by %s) → GraphQL %s\n\n", s.Name, who, s.Root)
	if s.Entity != "" {
		fmt.Fprintf(w, "Apply for:   %s (Administration → IT-systemer → <GraphQL IT-system> → Dataadgang)\n", s.Entity)
	} else {
		fmt.Fprintf(w, "Apply for:   %s\n", s.Applied)
	}
	fmt.Fprintf(w, "Endpoint:    POST https://graphql.datafordeler.dk%s (schema: GET …%s/schema)\n", s.Path(version), s.Path(version))
	fmt.Fprintf(w, "Credential:  OAuth Shared Secret or OAuth Certificate (an API key fetches schemas only)\n")
	fmt.Fprintf(w, "Evidence:    %s\n", s.Source)
	fmt.Fprintf(w, "What changes: %s\n\n", s.Note)
	fmt.Fprintf(w, "Starting query, validated against %s:\n\n%s\n", source, s.StartingQuery(version))
	if len(res.Warnings) > 0 {
		fmt.Fprintf(w, "It rests on %d part(s) that are not confirmed on the platform:\n", len(res.Warnings))
		for _, x := range res.Warnings {
			fmt.Fprintf(w, "  query:%d:%d: %s\n", x.Line, x.Column, textsafe.Multiline(x.Message, 8000))
		}
	}
}

// SourceNote says what the starting query was validated against: the
// cached live schema, or the reference schema with how far it is
// confirmed and how to use the live one.
func (s Service) SourceNote(against string, cached bool, version string) string {
	if cached {
		return against
	}
	note := "each field labelled with its evidence"
	if s.Target == platform.Public && version == "v1" {
		note = "as production client code selects it"
	}
	return fmt.Sprintf("%s (%s; run `cprready schema fetch` to use the live one)", against, note)
}
