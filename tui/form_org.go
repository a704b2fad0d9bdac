package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
)

func (w *Wizard) orgForm() *huh.Form {
	o := &w.p.Organisation
	return w.newForm(
		w.group(
			huh.NewSelect[string]().Key("organisation.kind").Title("Who is applying?").Value(&o.Kind).Options(
				huh.NewOption("A public authority (offentlig myndighed): municipality, region, state agency", checks.KindPublic),
				huh.NewOption("A private user (privat anvender): a company", checks.KindPrivate),
			).Description(w.fit("Public authorities apply for CustomPublicSectorPerson (and may use file downloads and events); private users for CustomPrivateSectorPerson only.")),
			huh.NewInput().Key("organisation.name").Title("Organisation name").Value(&o.Name),
			w.liveInput(huh.NewInput().Key("organisation.cvr").Title("CVR number").Value(&o.CVR), w.live("organisation", "8 digits, checked as you type (modulus 11).", rules("organisation.cvr")...)).
				Validate(gated(w, w.validator(func(v string) { o.CVR = v }, "organisation", rules("organisation.cvr")...))),
			huh.NewConfirm().Key("organisation.mitid_erhverv").Title("Does the organisation have MitID Erhverv?").Value(&w.mitid).Affirmative("Yes").Negative("Not yet").
				Description(w.fit("Applying in Administration and on virk.dk needs MitID Erhverv (mitid-erhverv.dk).")),
		),
		w.hideIf(w.group(
			huh.NewConfirm().Key("supplier").Title("Does a private supplier operate the IT-systems for you?").Value(&w.hasSupplier).
				Description(w.fit("The IT-system must be owned by the authority, not the supplier. CPR can give a supplier access only after a valid data processing agreement (databehandleraftale) with you has been sent to CPR.")),
		), func() bool { return checks.NormKind(o.Kind) != checks.KindPublic }),
		w.hideIf(w.group(
			huh.NewInput().Key("supplier.name").Title("Supplier name").Value(&w.supplier.Name),
			huh.NewInput().Key("supplier.cvr").Title("Supplier CVR").Value(&w.supplier.CVR).Validate(gated(w, func(v string) error {
				if w.keepsValue(v, w.supplier.CVR) {
					return profile.ValidateAs("supplier.cvr", w.supplier.CVR)
				}
				w.supplier.CVR = strings.TrimSpace(v)
				// Not in the draft yet: judged by its field's tag (an
				// empty one too: a supplier has a CVR).
				return profile.ValidateAs("supplier.cvr", w.supplier.CVR)
			})),
			huh.NewSelect[string]().Key("supplier.data_processing_agreement").Title("Data processing agreement sent to CPR?").Value(&w.supplier.DataProcessingAgreement).Options(
				huh.NewOption("Yes, sent", "sent"), huh.NewOption("Not yet / don't know", "unknown"), huh.NewOption("There is none", "missing")),
		), func() bool { return !w.hasSupplier || checks.NormKind(o.Kind) != checks.KindPublic }),
	)
}

// ownerHint explains who owns an IT-system, in the user's own terms.
func (w *Wizard) ownerHint() string {
	if checks.NormKind(w.p.Organisation.Kind) == checks.KindPrivate {
		return "The CVR of the company that owns the IT-system in Administration: your own."
	}
	return "The IT-system must be owned by the authority itself, not by its supplier."
}

func (w *Wizard) envForm() *huh.Form {
	var opts []huh.Option[string]
	for _, e := range platform.Environments() {
		label := e.Title
		if e.Note != "" {
			label += ": " + e.Note
		}
		opts = append(opts, huh.NewOption(label, e.Name))
	}
	ep := &w.p.Endpoints
	return w.newForm(
		w.group(
			huh.NewSelect[string]().Key("environment").Title("Which environment is this profile for?").Value(&w.p.Environment).Options(opts...).
				Description(w.fit("Each environment has its own Administration, IT-systems, applications and credentials: production credentials never work in a test environment, and you apply separately for each.")),
		),
		w.hideIf(w.group(
			huh.NewInput().Key("endpoints.graphql").Title("GraphQL base URL").Value(&ep.GraphQL).Placeholder("https://…"),
			huh.NewInput().Key("endpoints.token").Title("Token URL (shared secret)").Value(&ep.Token),
			huh.NewInput().Key("endpoints.token_mtls").Title("Token URL (certificate, mTLS)").Value(&ep.TokenMTLS),
			huh.NewInput().Key("endpoints.filedownload").Title("File-download base URL").Value(&ep.FileDownload),
			huh.NewInput().Key("endpoints.ca_file").Title("Extra CA file (optional)").Value(&ep.CAFile),
		), func() bool { return w.p.Environment != "custom" }),
	)
}

// envName is the variable an env: reference names for a credential:
// CPR_<IT-SYSTEM>_<KIND>.
func (w *Wizard) envName(i int, kind string) string {
	name := w.p.ITSystems[i].Name
	if name == "" {
		name = fmt.Sprintf("it-system-%d", i+1)
	}
	return "CPR_" + strings.ToUpper(strings.ReplaceAll(slug(name)+"-"+kind, "-", "_"))
}
