// Package sheet writes the application sheet: exactly what to enter where
// in Datafordeler's Administration for a profile, and the follow-up steps.
package sheet

import (
	"fmt"
	"strings"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
)

func md(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", "\n", " ").Replace(s)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return md(s)
}

// Markdown renders the sheet. findings are the open findings to list
// (non-pass rows of an offline check), or nil.
func Markdown(p *profile.Profile, findings []checks.Result, now time.Time) string {
	// Names and values come from the profile: no escape sequence or bidi
	// control reaches a terminal or the file.
	return textsafe.Multiline(markdown(p, findings, now), 0)
}

func markdown(p *profile.Profile, findings []checks.Result, now time.Time) string {
	var b strings.Builder
	org := p.Organisation
	fmt.Fprintf(&b, "# Application sheet: %s\n\n", orDash(org.Name))
	admin := "https://administration.datafordeler.dk"
	envTitle := p.Environment
	if e, ok := platform.LookupEnvironment(p.Environment); ok {
		envTitle = e.Title
		if e.Administration != "" {
			admin = e.Administration
		}
	}
	fmt.Fprintf(&b, "Written by cprready on %s. Enter exactly this in Datafordeler's Administration for **%s** (%s). ", now.Format(profile.PortalLayout), envTitle, admin)
	b.WriteString("Each environment (production, Test03, Test04, Test06) has its own Administration, IT-systems, applications and credentials.\n\n")

	b.WriteString("## 1. Log in\n\n")
	kind := "a public authority (offentlig myndighed)"
	if checks.NormKind(org.Kind) == checks.KindPrivate {
		kind = "a private user (privat anvender)"
	}
	fmt.Fprintf(&b, "- Log in at %s with MitID Erhverv as **%s**, CVR **%s**, %s.\n", admin, orDash(org.Name), orDash(org.CVR), kind)
	if p.Supplier != nil {
		fmt.Fprintf(&b, "- Supplier: %s (CVR %s); data processing agreement with CPR: %s.\n", orDash(p.Supplier.Name), orDash(p.Supplier.CVR), orDash(p.Supplier.DataProcessingAgreement))
	}
	b.WriteString("\n## 2. IT-systems\n\n")
	if len(p.ITSystems) == 0 {
		b.WriteString("No IT-system yet: create one under **IT-systemer → Opret**.\n")
	}
	for i, s := range p.ITSystems {
		purpose := "GraphQL"
		if checks.NormPurpose(s.Purpose) == checks.PurposeFileDownload {
			purpose = "file downloads"
		}
		fmt.Fprintf(&b, "### %d. %s (%s)\n\n", i+1, orDash(s.Name), purpose)
		fmt.Fprintf(&b, "**IT-systemer → Opret**: name `%s`, owned by CVR %s.\n\n", md(s.Name), orDash(s.OwnerCVR))
		fmt.Fprintf(&b, "**IT-systemer → %s → IP-adresser → Opret**, one row each:\n\n| Navn | IP-Adresse | Range |\n|---|---|---|\n", md(s.Name))
		for _, ip := range s.IPWhitelist {
			fmt.Fprintf(&b, "| %s | %s | /%s |\n", orDash(ip.Name), orDash(ip.Address), strings.TrimPrefix(orDash(ip.Range.Raw()), "/"))
		}
		if len(s.IPWhitelist) == 0 {
			b.WriteString("| (your public address) | a.b.c.d | /32 |\n")
		}
		if d := s.DataAccess; d != nil {
			c := p.Contact
			fmt.Fprintf(&b, "\n**IT-systemer → %s → Dataadgang → Opret**:\n\n", md(s.Name))
			fmt.Fprintf(&b, "| Field | Enter |\n|---|---|\n")
			fmt.Fprintf(&b, "| Fornavn* | %s |\n| Efternavn* | %s |\n| CVR* | %s |\n| E-mail* | %s |\n| Telefon | %s |\n",
				orDash(c.FirstName), orDash(c.LastName), orDash(c.CVR), orDash(c.Email), orDash(c.Phone))
			fmt.Fprintf(&b, "| Bilag til ansøgning | nothing: CPR needs no attachment |\n| Register* | %s |\n| Vælg entiteter og tjenester* | %s |\n", orDash(d.Register), orDash(strings.Join(d.Entities, ", ")))
			if d.Events {
				b.WriteString("\nEvents (CPR_Events) need no application of their own: they come with CustomPublicSectorPerson.\n")
			}
			status := d.Status
			if status == "" {
				status = "not created yet"
			}
			fmt.Fprintf(&b, "\nStatus now: %s", md(status))
			if !d.Expires.IsZero() {
				fmt.Fprintf(&b, ", Udløbsdato %s", d.Expires.Portal())
			}
			b.WriteString(".\n")
		}
		cr := s.Credentials
		if len(cr.APIKeys)+len(cr.OAuthSharedSecrets)+len(cr.OAuthCertificates) > 0 {
			fmt.Fprintf(&b, "\n**Credentials of %s**:\n\n", md(s.Name))
		}
		for _, k := range cr.APIKeys {
			fmt.Fprintf(&b, "- **API-Keys → Opret** `%s` (schemas only; %s).\n", md(k.Name), platform.NewKeyAdvice)
		}
		for _, k := range cr.OAuthSharedSecrets {
			fmt.Fprintf(&b, "- **OAuth Shared Secret → Opret** `%s`: copy the secret at once (it is shown once); Client ID %s.\n", md(k.Name), orDash(k.ClientID))
		}
		for _, k := range cr.OAuthCertificates {
			fmt.Fprintf(&b, "- **OAuth Certifikat → Opret** `%s`: upload the OCES3 certificate in PEM format; Administration then shows Client ID %s and Fingeraftryk %s.\n", md(k.Name), orDash(k.ClientID), orDash(k.Fingerprint))
		}
		b.WriteString("\n")
	}
	b.WriteString("## 3. Follow-up with CPR\n\n")
	fmt.Fprintf(&b, "1. Create a ticket of type **\"Ansøgning\"** in CPR's servicedesk: %s", checks.ServicedeskURL)
	if t := p.Followup.ServicedeskTicket; t != "" {
		fmt.Fprintf(&b, " (done: ticket %s)", md(t))
	}
	fmt.Fprintf(&b, ".\n2. Fill in the application on virk.dk with MitID Erhverv: %s. Choose **\"Datafordeler GraphQL og Fildownload\"** under Produkter, and cite the servicedesk ticket number", checks.VirkURL)
	if p.Followup.VirkApplication {
		b.WriteString(" (done)")
	}
	b.WriteString(".\n3. CPR then has what it needs to process the application; the status under Dataadgang changes to Godkendt (or Afvist).\n")
	if len(findings) > 0 {
		b.WriteString("\n## Still open\n\n| | Check | Where | Finding | Fix |\n|---|---|---|---|---|\n")
		for _, f := range findings {
			g := map[checks.Status]string{checks.Fail: "✗", checks.Warn: "⚠", checks.Skip: "–", checks.Info: "ℹ"}[f.Status]
			fmt.Fprintf(&b, "| %s | `%s` | `%s` | %s | %s |\n", g, f.ID, f.Subject, md(f.Message), md(f.Remedy))
		}
	}
	return b.String()
}

// Recognise tells an application sheet cprready wrote from the start of a
// file (the wizard replaces only such a file).
func Recognise(head []byte) bool {
	return strings.HasPrefix(string(head), "# Application sheet: ")
}
