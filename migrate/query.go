package migrate

import (
	"fmt"
	"strings"
)

// Selections shared by the starting queries. beskyttelser is selected on
// every person object: the platform rejects a query without it.
const (
	selBeskyttelser = "beskyttelser { beskyttelsestype status virkningfra virkningtil }"
	selNavne        = "navne { adresseringsnavn fornavn mellemnavn efternavn status%s }"
	selAdresse      = "adresseoplysninger { status%s cprAdresse { vejadresseringsnavn husnummer etage sidedoer postnummer postdistrikt cprkommunekode cprvejkode } }"
	selCivil        = "civilstande { civilstandstype status%s }"
	selStatsborger  = "statsborgerskaber { landekode status%s }"
	selFull         = `foedselsdato
      koen
      personnumre { personnummer status%[1]s }
      boern { personnummer foedselsdato navne { fornavn efternavn } ` + selBeskyttelser + ` }
      foraeldreoplysninger { foraelderrolle status person { personnummer navne { fornavn efternavn } ` + selBeskyttelser + ` } }
      vaergemaal { vaergemaalstype status%[1]s }
      udrejseIndrejser { udrejsedato indrejsedato landekode status }
      forsvindinger { forsvindingsdato genfindingsdato status }
      kontaktadresse { adresselinje1 adresselinje2 adresselinje3 status }`
	history = " virkningfra virkningtil"
)

// StartingQuery is the GraphQL query to start from for a retired service,
// with every mandatory selection. Public services look a person up by CPR
// number; the private ones as their REST method did.
func (s Service) StartingQuery() string {
	if s.Kind == "private" {
		return s.privateQuery()
	}
	hist := ""
	if strings.HasSuffix(s.Name, "Complete") {
		hist = history
	}
	lines := []string{"id", "status", selBeskyttelser, fmt.Sprintf(selNavne, hist), fmt.Sprintf(selAdresse, hist)}
	if strings.Contains(s.Name, "Medium") || strings.Contains(s.Name, "Full") {
		lines = append(lines, fmt.Sprintf(selCivil, hist), fmt.Sprintf(selStatsborger, hist))
	}
	if strings.Contains(s.Name, "Full") {
		lines = append(lines, fmt.Sprintf(selFull, hist))
	}
	return fmt.Sprintf(`# %s → %s (%s)
# Apply for %s; send with Authorization: Bearer <token> to %s.
query %s($personnummer: String!) {
  %s(first: 1, input: { personnummer: { personnummer: { eq: $personnummer } } }) {
    nodes {
      %s
    }
  }
}
`, s.Name, s.Root, s.Path, s.Entity, s.Path, s.Name, s.Root, strings.Join(lines, "\n      "))
}

func (s Service) privateQuery() string {
	var args, input string
	switch s.Name {
	case "CprPrivatePNR":
		args, input = "$personnummer: String!", "personnummer: $personnummer"
	case "CprPrivateDateOfBirthName":
		args, input = "$fornavn: String!, $efternavn: String!, $foedselsdato: LocalDate!", "navn: { fornavn: $fornavn, efternavn: $efternavn }, foedselsdato: $foedselsdato"
	default: // CprPrivateAdressName
		args, input = "$fornavn: String!, $efternavn: String!, $vejnavn: String!, $husnummer: String!, $postnummer: String!",
			"navn: { fornavn: $fornavn, efternavn: $efternavn }, adresse: { vejnavn: $vejnavn, husnummer: $husnummer, postnummer: $postnummer }"
	}
	return fmt.Sprintf(`# %s → %s (%s)
# Apply for %s; send with Authorization: Bearer <token> to %s.
query %s(%s) {
  %s(input: { %s }) {
    statusdato
    statusdatousikkerhedsmarkering
    status
    %s
    navn { fornavn mellemnavn efternavn adresseringsnavn }
    vaergemaal { vaergemaalstype status }
    udrejseIndrejse { udrejsedato indrejsedato landekode status }
    forsvinding { forsvindingsdato genfindingsdato status }
    kontaktadresse { adresselinje1 adresselinje2 adresselinje3 status }
    adresseoplysninger { status cprAdresse { vejadresseringsnavn husnummer etage sidedoer postnummer postdistrikt } }
  }
}
`, s.Name, s.Root, s.Path, s.Entity, s.Path, s.Name, args, s.Root, input, selBeskyttelser)
}

// ServiceOf is the schema service (public, private) a retired service moves to.
func (s Service) ServiceOf() string { return s.Kind }

// Markdown renders docs/migration.md.
func Markdown() string {
	var b strings.Builder
	b.WriteString(`# From REST to GraphQL

Datafordeleren retires its REST services at the end of 2026 ("REST bliver
udfaset på Datafordeleren ultimo 2026"). Every CPR REST service has a
GraphQL successor; ` + "`cprready migrate SERVICE`" + ` prints the row below with a
starting query that holds every mandatory selection, validated against the
cached schema (` + "`cprready schema fetch`" + `) or the emulator's. Generated from
` + "`migrate/`" + ` (` + "`go test ./migrate -run TestDocs -update`" + `).

| REST service | Used by | Apply for | GraphQL root field | Endpoint |
|---|---|---|---|---|
`)
	for _, s := range Services() {
		fmt.Fprintf(&b, "| `%s` | %s | `%s` | `%s` | `POST https://graphql.datafordeler.dk%s` |\n", s.Name, kindName(s.Kind), s.Entity, s.Root, s.Path)
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
  person object, nested persons included. Aliases are not allowed, and a
  query has one root field.

`)
	for _, s := range Services() {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n```graphql\n%s```\n\n", s.Name, s.Note, s.StartingQuery())
	}
	return b.String()
}

func kindName(k string) string {
	if k == "private" {
		return "private users"
	}
	return "public authorities"
}
