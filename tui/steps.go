package tui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
)

// hideIf hides a group while hide is true (also in accessible mode).
func (w *Wizard) hideIf(g *huh.Group, hide func() bool) *huh.Group {
	w.hides[g] = hide
	return g.WithHideFunc(hide)
}

func (w *Wizard) newForm(groups ...*huh.Group) *huh.Form {
	w.groups = groups
	f := huh.NewForm(groups...).WithShowHelp(true).WithWidth(min(max(w.width-2, 40), 100))
	if w.cfg.Accessible {
		f = f.WithAccessible(true)
	}
	return f
}

// build makes the current step's form, bound to the draft.
func (w *Wizard) build() *huh.Form {
	w.lives = nil
	switch w.cur.step {
	case stepWelcome:
		return w.newForm(huh.NewGroup(huh.NewNote().Title("Get onto CPR on Datafordeleren").Description(w.md(
			"This wizard walks you through what Datafordeler's Administration and CPR will ask for, in the order they ask:\n\n" +
				"1. your organisation (public authority or private user) and MitID Erhverv,\n" +
				"2. the environment (production or a test environment),\n" +
				"3. IT-systems: their whitelisted IP addresses, the data access to apply for, and credentials,\n" +
				"4. the application's contact, and the follow-up with CPR's servicedesk and virk.dk.\n\n" +
				"Every field is checked as you type, by the same rules cprready check runs. At the end you get the profile " +
				"and an application sheet: exactly what to enter where in Administration.")).Next(true).NextLabel("Start")))
	case stepOrg:
		return w.orgForm()
	case stepEnv:
		return w.envForm()
	case stepSystems:
		return w.systemsForm()
	case stepSystem:
		return w.systemForm(w.cur.sys)
	case stepIPs:
		return w.ipsForm(w.cur.sys)
	case stepIP:
		return w.ipForm(w.cur.sys, w.cur.ip)
	case stepAccess:
		return w.accessForm(w.cur.sys)
	case stepCreds:
		return w.credsForm(w.cur.sys)
	case stepContact:
		return w.contactForm()
	case stepFollowup:
		return w.followupForm()
	case stepSummary:
		return w.summaryForm()
	}
	return w.newForm(huh.NewGroup(huh.NewNote().Title("Done")))
}

func (w *Wizard) orgForm() *huh.Form {
	o := &w.p.Organisation
	return w.newForm(
		huh.NewGroup(
			huh.NewSelect[string]().Title("Who is applying?").Value(&o.Kind).Options(
				huh.NewOption("A public authority (offentlig myndighed): municipality, region, state agency", checks.KindPublic),
				huh.NewOption("A private user (privat anvender): a company", checks.KindPrivate),
			).Description("Public authorities apply for CustomPublicSectorPerson (and may use file downloads and events); private users for CustomPrivateSectorPerson only."),
			huh.NewInput().Title("Organisation name").Value(&o.Name),
			w.liveInput(huh.NewInput().Title("CVR number").Value(&o.CVR), w.live("organisation", "8 digits, checked as you type (modulus 11).", "org.cvr")).
				Validate(w.validator(func(v string) { o.CVR = v }, "organisation", "org.cvr")),
			huh.NewConfirm().Title("Does the organisation have MitID Erhverv?").Value(&w.mitid).Affirmative("Yes").Negative("Not yet").
				Description("Applying in Administration and on virk.dk needs MitID Erhverv (mitid-erhverv.dk)."),
		),
		w.hideIf(huh.NewGroup(
			huh.NewConfirm().Title("Does a private supplier operate the IT-systems for you?").Value(&w.hasSupplier).
				Description("The IT-system must be owned by the authority, not the supplier. CPR can give a supplier access only after a valid data processing agreement (databehandleraftale) with you has been sent to CPR."),
		), func() bool { return checks.NormKind(o.Kind) != checks.KindPublic }),
		w.hideIf(huh.NewGroup(
			huh.NewInput().Title("Supplier name").Value(&w.supplier.Name),
			huh.NewInput().Title("Supplier CVR").Value(&w.supplier.CVR).Validate(func(v string) error {
				w.supplier.CVR = v
				if err := profile.CheckCVR(v); err != nil && v != "" {
					return err
				}
				return nil
			}),
			huh.NewSelect[string]().Title("Data processing agreement sent to CPR?").Value(&w.supplier.DataProcessingAgreement).Options(
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
		huh.NewGroup(
			huh.NewSelect[string]().Title("Which environment is this profile for?").Value(&w.p.Environment).Options(opts...).
				Description("Each environment has its own Administration, IT-systems, applications and credentials: production credentials never work in a test environment, and you apply separately for each."),
		),
		w.hideIf(huh.NewGroup(
			huh.NewInput().Title("GraphQL base URL").Value(&ep.GraphQL).Placeholder("https://…"),
			huh.NewInput().Title("Token URL (shared secret)").Value(&ep.Token),
			huh.NewInput().Title("Token URL (certificate, mTLS)").Value(&ep.TokenMTLS),
			huh.NewInput().Title("File-download base URL").Value(&ep.FileDownload),
			huh.NewInput().Title("Extra CA file (optional)").Value(&ep.CAFile),
		), func() bool { return w.p.Environment != "custom" }),
	)
}

func purposeLabel(p string) string {
	if checks.NormPurpose(p) == checks.PurposeFileDownload {
		return "file downloads"
	}
	return "GraphQL"
}

func (w *Wizard) systemsForm() *huh.Form {
	w.choice = "add"
	var lines []string
	opts := []huh.Option[string]{huh.NewOption("Add an IT-system", "add")}
	for i, s := range w.p.ITSystems {
		status := "no application yet"
		if s.DataAccess != nil && s.DataAccess.Status != "" {
			status = "application " + s.DataAccess.Status
		}
		lines = append(lines, fmt.Sprintf("%d. %s (%s, %d IP range(s), %s)", i+1, s.Name, purposeLabel(s.Purpose), len(s.IPWhitelist), status))
		opts = append(opts, huh.NewOption("Edit "+s.Name, fmt.Sprintf("edit:%d", i)), huh.NewOption("Remove "+s.Name, fmt.Sprintf("remove:%d", i)))
	}
	if len(w.p.ITSystems) > 0 {
		// The usual next step first: huh shows the chosen option at the top.
		w.choice = "continue"
		opts = append([]huh.Option[string]{huh.NewOption("Continue to the contact", "continue")}, opts...)
	} else {
		opts = append(opts, huh.NewOption("Continue to the contact", "continue"))
	}
	list := "None yet."
	if len(lines) > 0 {
		list = strings.Join(lines, "\n")
	}
	return w.newForm(huh.NewGroup(
		huh.NewNote().Title("IT-systems").Description(w.md("Access is granted to an IT-system, not to your MitID Erhverv account. GraphQL and file downloads must be on two different IT-systems.\n\n"+list)),
		huh.NewSelect[string]().Title("What next?").Value(&w.choice).Options(opts...).Height(len(opts)+2),
	))
}

func (w *Wizard) systemForm(i int) *huh.Form {
	s := &w.p.ITSystems[i]
	subj := profile.ITSystemSubject(i)
	return w.newForm(huh.NewGroup(
		huh.NewInput().Title("Name of the IT-system (as in Administration)").Value(&s.Name).Validate(func(v string) error {
			if strings.TrimSpace(v) == "" {
				return errors.New("give the IT-system a name")
			}
			return nil
		}),
		w.liveInput(huh.NewInput().Title("Owner's CVR").Value(&s.OwnerCVR), w.live(subj, w.ownerHint(), "org.cvr", "itsystem.owner")).
			Validate(w.validator(func(v string) { s.OwnerCVR = v }, subj, "org.cvr", "itsystem.owner")),
		w.purposeSelect(s),
	))
}

// purposeSelect offers what the organisation may use: file downloads are
// for public authorities only, so a private user is not offered them.
func (w *Wizard) purposeSelect(s *profile.ITSystem) *huh.Select[string] {
	if checks.NormKind(w.p.Organisation.Kind) == checks.KindPrivate {
		s.Purpose = checks.PurposeGraphQL
		return huh.NewSelect[string]().Title("What is it for?").Value(&s.Purpose).Options(
			huh.NewOption("GraphQL (CPR's custom service for private users)", checks.PurposeGraphQL),
		).Description("Private users apply for CustomPrivateSectorPerson over GraphQL; file downloads are for public authorities only.")
	}
	return huh.NewSelect[string]().Title("What is it for?").Value(&s.Purpose).Options(
		huh.NewOption("GraphQL (CPR's custom services, events)", checks.PurposeGraphQL),
		huh.NewOption("File downloads (total and delta files; public authorities only)", checks.PurposeFileDownload),
	).Description("One IT-system never holds both: create a second IT-system for the other.")
}

func (w *Wizard) ipsForm(i int) *huh.Form {
	s := &w.p.ITSystems[i]
	w.choice = "add"
	var lines []string
	opts := []huh.Option[string]{huh.NewOption("Add an address", "add")}
	for j, e := range s.IPWhitelist {
		r := e.Range.Raw()
		lines = append(lines, fmt.Sprintf("%s  %s/%s", padRight(e.Name, 20), e.Address, strings.TrimPrefix(r, "/")))
		opts = append(opts, huh.NewOption("Edit "+e.Address, fmt.Sprintf("edit:%d", j)), huh.NewOption("Remove "+e.Address, fmt.Sprintf("remove:%d", j)))
	}
	if len(s.IPWhitelist) > 0 {
		w.choice = "continue"
		opts = append([]huh.Option[string]{huh.NewOption("Continue to the data access", "continue")}, opts...)
	} else {
		opts = append(opts, huh.NewOption("Continue to the data access", "continue"))
	}
	list := "None yet: an application can only be created once the IT-system has a whitelisted address."
	if len(lines) > 0 {
		list = strings.Join(lines, "\n")
	}
	return w.newForm(huh.NewGroup(
		huh.NewNote().Title("IP whitelist of "+s.Name).Description(w.md("IPv4 only, a range from /24 to /32, the public address your server leaves by.\n\n"+list)),
		huh.NewSelect[string]().Title("What next?").Value(&w.choice).Options(opts...).Height(len(opts)+2),
	))
}

func (w *Wizard) ipForm(i, j int) *huh.Form {
	e := &w.p.ITSystems[i].IPWhitelist[j]
	subj := profile.IPSubject(i, j)
	w.rangeText = strings.TrimPrefix(e.Range.Raw(), "/")
	w.normalise = true
	ipRules := []string{"ip.ipv4", "ip.public"}
	return w.newForm(
		huh.NewGroup(
			huh.NewInput().Title("Name").Value(&e.Name).Placeholder("Udvikler maskine"),
			w.liveInput(huh.NewInput().Title("IPv4 address").Value(&e.Address).Placeholder("80.62.117.23"), w.live(subj, "The public address Datafordeleren sees (curl https://ifconfig.me on the server).", ipRules...)).
				Validate(w.validator(func(v string) { e.Address = v }, subj, ipRules...)),
			w.liveInput(huh.NewInput().Title("Range (prefix length)").Value(&w.rangeText).Placeholder("32"), func() string {
				e.Range = profile.RangeOf(w.rangeText)
				if msg := w.warnings(subj, "ip.host-bits", "ip.duplicate"); msg != "" {
					return msg
				}
				return "24 to 32; 32 is one address."
			}).
				Validate(w.validator(func(v string) { w.rangeText = v; e.Range = profile.RangeOf(v) }, subj, "ip.prefix-range")),
		),
		w.hideIf(huh.NewGroup(
			w.liveConfirm(huh.NewConfirm(), func() string {
				return "Use the network address " + normalised(w.p, i, j, w.cfg.Now()) + " instead?"
			}).Value(&w.normalise).Description("The address has host bits set for its range; Administration and readers will take it as the whole network."),
		), func() bool {
			e.Range = profile.RangeOf(w.rangeText)
			return normalised(w.p, i, j, w.cfg.Now()) == ""
		}),
	)
}

// entityOptions lists what the rules allow for this user and purpose; the
// others are named, grouped by the rule that excludes them.
func (w *Wizard) entityOptions(i int) ([]huh.Option[string], []string, string) {
	s := &w.p.ITSystems[i]
	keep := s.DataAccess
	defer func() { s.DataAccess = keep }()
	var allowed []huh.Option[string]
	var allowedNames []string
	excluded := map[string][]string{}
	var order []string
	for _, e := range checks.AllEntities {
		s.DataAccess = &profile.DataAccess{Register: "CPR", Entities: []string{e}, Status: "Ny"}
		rule := ""
		for _, r := range w.findings(profile.DataAccessSubject(i), "access.not-applicable", "access.public-graphql", "access.private-graphql", "access.public-filedownload") {
			if r.Status == checks.Fail {
				rule = r.ID
				break
			}
		}
		if rule == "" {
			allowed = append(allowed, huh.NewOption(e, e))
			allowedNames = append(allowedNames, e)
			continue
		}
		if _, ok := excluded[rule]; !ok {
			order = append(order, rule)
		}
		excluded[rule] = append(excluded[rule], e)
	}
	var why []string
	for _, id := range order {
		why = append(why, fmt.Sprintf("✗ %s: %s", strings.Join(excluded[id], ", "), checks.Lookup(id).Rule))
	}
	return allowed, allowedNames, strings.Join(why, "\n")
}

func (w *Wizard) accessForm(i int) *huh.Form {
	d := w.dataAccess(i)
	subj := profile.DataAccessSubject(i)
	w.entities = append([]string(nil), d.Entities...)
	w.status = checks.NormStatus(d.Status)
	w.expiresText = d.Expires.String()
	allowed, names, why := w.entityOptions(i)
	if len(w.entities) == 0 && len(names) == 1 {
		w.entities = names // the only choice the rules leave
	}
	kind := checks.NormKind(w.p.Organisation.Kind)
	graphql := checks.NormPurpose(w.p.ITSystems[i].Purpose) == checks.PurposeGraphQL
	w.choice = ""
	if len(allowed) == 0 {
		w.choice = "back"
		return w.newForm(huh.NewGroup(
			huh.NewNote().Title("Data access").Description(w.md("Nothing can be applied for on this IT-system:\n\n"+why)),
			huh.NewSelect[string]().Title("What now?").Value(&w.choice).Options(
				huh.NewOption("Go back and change what the IT-system is for", "back"),
				huh.NewOption("Continue without an application", "continue"),
			),
		))
	}
	desc := "Only what the rules allow for a " + map[string]string{checks.KindPublic: "public authority", checks.KindPrivate: "private user"}[kind] + " and " + purposeLabel(w.p.ITSystems[i].Purpose) + " is listed. Register: always CPR; no attachment (bilag) is needed."
	return w.newForm(
		huh.NewGroup(
			huh.NewMultiSelect[string]().Title("Entities and services to apply for (Vælg entiteter og tjenester)").Value(&w.entities).Options(allowed...).
				Description(desc+"\n\n"+why).
				Validate(func(v []string) error {
					d.Entities = v
					var fails []string
					for _, r := range w.findings(subj, "access.public-graphql", "access.private-graphql", "access.public-filedownload", "access.not-applicable") {
						if r.Status == checks.Fail {
							fails = append(fails, r.Message)
						}
					}
					if len(fails) > 0 {
						return errors.New(strings.Join(fails, "; "))
					}
					return nil
				}),
			huh.NewSelect[string]().Title("Status of the application (Dataadgang)").Value(&w.status).Options(
				huh.NewOption("Not created yet", ""), huh.NewOption("Ny (pending)", checks.StatusNy), huh.NewOption("Godkendt (approved)", checks.StatusGodkendt),
				huh.NewOption("Afvist (rejected)", checks.StatusAfvist), huh.NewOption("Udløbet (expired)", checks.StatusUdloebet)),
		),
		w.hideIf(huh.NewGroup(
			w.liveInput(huh.NewInput().Title("Udløbsdato (expiry) of the approved access").Value(&w.expiresText).Placeholder("2027-05-11"), func() string {
				d.Status, d.Expires = w.status, profile.NewDate(w.expiresText)
				if msg := w.warnings(subj, "access.status"); msg != "" {
					return msg
				}
				return "As Administration shows it under Dataadgang; leave empty if not set."
			}).
				Validate(func(v string) error {
					d.Status, d.Expires = w.status, profile.NewDate(v)
					if !d.Expires.IsZero() && !d.Expires.Valid() {
						return d.Expires.Err()
					}
					return w.failures(subj, "access.status")
				}),
		), func() bool { return w.status != checks.StatusGodkendt }),
		w.hideIf(huh.NewGroup(
			huh.NewConfirm().Title("Fetch CPR events (CPR_Events)?").Value(&d.Events).
				Description("Events are not applied for: they come with CustomPublicSectorPerson (not in Test04, which has no CPR events)."),
		), func() bool { return kind != checks.KindPublic || !graphql }),
	)
}
