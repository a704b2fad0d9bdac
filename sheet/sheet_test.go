package sheet

import (
	"strings"
	"testing"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/golden"
	"github.com/cprready/cprready/profile"
)

func TestSheet(t *testing.T) {
	p, err := profile.Load("../examples/public.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := Markdown(p, []checks.Result{{ID: "ip.public", Status: checks.Fail, Subject: "it_systems[0].ip_whitelist[0]", Message: "a | b", Remedy: "fix"}}, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	for _, want := range []string{
		"# Application sheet: Eksempel Kommune",
		"https://administration.datafordeler.dk",
		"| Udvikler maskine | 80.62.117.23 | /32 |",
		"| Register* | CPR |",
		"| Vælg entiteter og tjenester* | CustomPublicSectorPerson |",
		"| Fornavn* | Simon |",
		"\"Ansøgning\"",
		"Datafordeler GraphQL og Fildownload",
		"OAuth Certifikat → Opret",
		`a \| b`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("sheet lacks %q", want)
		}
	}
}

// The application sheet of each example, as a person prints it.
func TestSheetGolden(t *testing.T) {
	for _, name := range []string{"public", "private"} {
		p, err := profile.Load("../examples/" + name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, name+".sheet.md", []byte(Markdown(p, nil, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))))
	}
}
