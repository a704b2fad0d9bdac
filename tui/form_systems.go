package tui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/profile"
)

func purposeLabel(p string) string {
	if checks.NormPurpose(p) == checks.PurposeFileDownload {
		return "file downloads"
	}
	return "GraphQL"
}

func (w *Wizard) systemsForm() *huh.Form {
	w.choice = menuChoice{act: actAdd}
	var lines []string
	opts := []huh.Option[menuChoice]{huh.NewOption("Add an IT-system", menuChoice{act: actAdd})}
	for i, s := range w.p.ITSystems {
		status := "no application yet"
		if s.DataAccess != nil && s.DataAccess.Status != "" {
			status = "application " + s.DataAccess.Status
		}
		lines = append(lines, fmt.Sprintf("%d. %s (%s, %d IP range(s), %s)", i+1, s.Name, purposeLabel(s.Purpose), len(s.IPWhitelist), status))
		opts = append(opts, huh.NewOption("Edit "+s.Name, menuChoice{actEdit, i}), huh.NewOption("Remove "+s.Name, menuChoice{actRemove, i}))
	}
	if len(w.p.ITSystems) > 0 {
		// The usual next step first: huh shows the chosen option at the top.
		w.choice = menuChoice{act: actContinue}
		opts = append([]huh.Option[menuChoice]{huh.NewOption("Continue to the contact", w.choice)}, opts...)
	} else {
		opts = append(opts, huh.NewOption("Continue to the contact", menuChoice{act: actContinue}))
	}
	list := "None yet."
	if len(lines) > 0 {
		list = strings.Join(lines, "\n")
	}
	return w.newForm(w.group(
		huh.NewNote().Title("IT-systems").Description(w.md("Access is granted to an IT-system, not to your MitID Erhverv account. GraphQL and file downloads must be on two different IT-systems.\n\n"+list)),
		huh.NewSelect[menuChoice]().Key("it_systems").Title("What next?").Value(&w.choice).Options(opts...).Height(len(opts)+2),
	))
}

func (w *Wizard) systemForm(i int) *huh.Form {
	s := &w.p.ITSystems[i]
	w.before.sys = *s
	subj := profile.ITSystemSubject(i)
	return w.newForm(w.group(
		huh.NewInput().Key("it_systems[].name").Title("Name of the IT-system (as in Administration)").Value(&s.Name).Validate(gated(w, func(v string) error {
			if strings.TrimSpace(v) == "" && !w.keepsValue(v, s.Name) {
				return errors.New("give the IT-system a name")
			}
			return nil
		})),
		w.liveInput(huh.NewInput().Key("it_systems[].owner_cvr").Title("Owner's CVR").Value(&s.OwnerCVR), w.live(subj, w.ownerHint(), rules("it_systems[].owner_cvr", checks.IDITSystemOwner)...)).
			Validate(gated(w, w.validator(func(v string) { s.OwnerCVR = v }, subj, rules("it_systems[].owner_cvr", checks.IDITSystemOwner)...))),
		w.purposeSelect(s),
	))
}

// purposeSelect offers what the organisation may use: file downloads are
// for public authorities only, so a private user is not offered them.
func (w *Wizard) purposeSelect(s *profile.ITSystem) *huh.Select[string] {
	if checks.NormKind(w.p.Organisation.Kind) == checks.KindPrivate {
		s.Purpose = checks.PurposeGraphQL
		return huh.NewSelect[string]().Key("it_systems[].purpose").Title("What is it for?").Value(&s.Purpose).Options(
			huh.NewOption("GraphQL (CPR's custom service for private users)", checks.PurposeGraphQL),
		).Description(w.fit("Private users apply for CustomPrivateSectorPerson over GraphQL; file downloads are for public authorities only."))
	}
	return huh.NewSelect[string]().Key("it_systems[].purpose").Title("What is it for?").Value(&s.Purpose).Options(
		huh.NewOption("GraphQL (CPR's custom services, events)", checks.PurposeGraphQL),
		huh.NewOption("File downloads (total and delta files; public authorities only)", checks.PurposeFileDownload),
	).Description(w.fit("One IT-system never holds both: create a second IT-system for the other."))
}

func (w *Wizard) ipsForm(i int) *huh.Form {
	s := &w.p.ITSystems[i]
	w.choice = menuChoice{act: actAdd}
	var lines []string
	opts := []huh.Option[menuChoice]{huh.NewOption("Add an address", menuChoice{act: actAdd})}
	for j, e := range s.IPWhitelist {
		r := e.Range.Raw()
		lines = append(lines, fmt.Sprintf("%s  %s/%s", padRight(e.Name, 20), e.Address, strings.TrimPrefix(r, "/")))
		opts = append(opts, huh.NewOption("Edit "+e.Address, menuChoice{actEdit, j}), huh.NewOption("Remove "+e.Address, menuChoice{actRemove, j}))
	}
	if len(s.IPWhitelist) > 0 {
		w.choice = menuChoice{act: actContinue}
		opts = append([]huh.Option[menuChoice]{huh.NewOption("Continue to the data access", w.choice)}, opts...)
	} else {
		opts = append(opts, huh.NewOption("Continue to the data access", menuChoice{act: actContinue}))
	}
	list := "None yet: an application can only be created once the IT-system has a whitelisted address."
	if len(lines) > 0 {
		list = strings.Join(lines, "\n")
	}
	return w.newForm(w.group(
		huh.NewNote().Title("IP whitelist of "+s.Name).Description(w.md("IPv4 only, a range from /24 to /32, the public address your server leaves by.\n\n"+list)),
		huh.NewSelect[menuChoice]().Key("it_systems[].ip_whitelist").Title("What next?").Value(&w.choice).Options(opts...).Height(len(opts)+2),
	))
}

// cidrAddress is the address field's value: an address pasted with its
// range (80.62.117.0/24) is split as it is set, the range going to the
// range field, which then shows it.
type cidrAddress struct {
	w       *Wizard
	address *string
	rangeIn *huh.Input
}

func (c cidrAddress) Get() string { return *c.address }

func (c cidrAddress) Set(v string) {
	addr, bits, ok := strings.Cut(strings.TrimSpace(v), "/")
	if !ok {
		*c.address = v
		return
	}
	*c.address, c.w.rangeText = strings.TrimSpace(addr), strings.TrimSpace(bits)
	c.rangeIn.Value(&c.w.rangeText)
}

func (w *Wizard) ipForm(i, j int) *huh.Form {
	e := &w.p.ITSystems[i].IPWhitelist[j]
	w.before.ip = *e
	subj := profile.IPSubject(i, j)
	// A new address starts with an empty range (the placeholder says 32,
	// an empty answer means 32): nothing prefilled that typing appends to.
	w.rangeText = strings.TrimPrefix(e.Range.Raw(), "/")
	if strings.TrimSpace(e.Address) == "" {
		w.rangeText = ""
	}
	w.normalise = true
	ipRules := rules("it_systems[].ip_whitelist[].address", checks.IDIPPublic)
	rangeIn := huh.NewInput().Key("it_systems[].ip_whitelist[].range").Title("Range (prefix length)").Value(&w.rangeText).Placeholder("32")
	address := cidrAddress{w: w, address: &e.Address, rangeIn: rangeIn}
	addrIn := huh.NewInput().Key("it_systems[].ip_whitelist[].address").Title("IPv4 address").Accessor(address).Placeholder("80.62.117.23")
	return w.newForm(
		w.group(
			huh.NewInput().Key("it_systems[].ip_whitelist[].name").Title("Name").Value(&e.Name).Placeholder("Udvikler maskine"),
			w.liveInput(addrIn, w.live(subj, "The public address Datafordeleren sees (curl https://ifconfig.me on the server); a range pasted with it (/24) goes to the range.", ipRules...)).
				Validate(gated(w, w.validator(func(v string) {
					address.Set(v)
					addrIn.Accessor(address) // the field shows the address alone
				}, subj, ipRules...))),
			w.liveInput(rangeIn, func() string {
				e.Range = profile.RangeOf(orDefault(w.rangeText, "32"))
				// Every ip rule's warning on the entry: a new one shows here by itself.
				if msg := w.warningsOnly(subj, checks.AreaIDs("ip")...); msg != "" {
					return msg
				}
				return "24 to 32; 32 (or an empty answer) is one address."
			}).
				Validate(gated(w, func(v string) error {
					if !w.keeps(v) {
						w.rangeText = strings.TrimPrefix(strings.TrimSpace(v), "/")
					}
					// An empty answer keeps what the field holds (a range
					// pasted with the address, say): judged all the same.
					e.Range = profile.RangeOf(orDefault(w.rangeText, "32"))
					// Every ip rule's failure on the entry but the address
					// field's: a new one is judged here by itself.
					return w.failures(subj, slices.DeleteFunc(checks.AreaIDs("ip"), func(id string) bool { return slices.Contains(ipRules, id) })...)
				})),
		),
		w.hideIf(w.group(
			w.liveConfirm(huh.NewConfirm().Key("it_systems[].ip_whitelist[].normalise"), func() string {
				return "Use the network address " + normalised(w.p, i, j, w.cfg.Now()) + " instead?"
			}).Value(&w.normalise).Description(w.fit("The address has host bits set for its range; Administration and readers will take it as the whole network.")),
		), func() bool {
			e.Range = profile.RangeOf(orDefault(w.rangeText, "32"))
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
		for _, r := range w.findings(profile.DataAccessSubject(i), checks.IDAccessNotApplicable, checks.IDAccessPublicGraphQL, checks.IDAccessPrivateGraphQL, checks.IDAccessPublicFileDownload) {
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
	w.expiresText, w.before.expires = d.Expires.String(), d.Expires
	allowed, names, why := w.entityOptions(i)
	if len(w.entities) == 0 && len(names) == 1 {
		w.entities = names // the only choice the rules leave
	}
	kind := checks.NormKind(w.p.Organisation.Kind)
	graphql := checks.NormPurpose(w.p.ITSystems[i].Purpose) == checks.PurposeGraphQL
	w.choice = menuChoice{}
	if len(allowed) == 0 {
		w.choice = menuChoice{act: actBack}
		return w.newForm(w.group(
			huh.NewNote().Title("Data access").Description(w.md("Nothing can be applied for on this IT-system:\n\n"+why)),
			huh.NewSelect[menuChoice]().Key("it_systems[].data_access").Title("What now?").Value(&w.choice).Options(
				huh.NewOption("Go back and change what the IT-system is for", menuChoice{act: actBack}),
				huh.NewOption("Continue without an application", menuChoice{act: actContinue}),
			),
		))
	}
	desc := "Only what the rules allow for a " + map[string]string{checks.KindPublic: "public authority", checks.KindPrivate: "private user"}[kind] + " and " + purposeLabel(w.p.ITSystems[i].Purpose) + " is listed. Register: always CPR; no attachment (bilag) is needed."
	return w.newForm(
		w.group(
			huh.NewMultiSelect[string]().Key("it_systems[].data_access.entities").Title("Entities and services to apply for (Vælg entiteter og tjenester)").Value(&w.entities).Options(allowed...).
				Description(w.fit(desc+"\n\n"+why)).
				Validate(gated(w, func(v []string) error {
					d.Entities = v
					var fails []string
					for _, r := range w.findings(subj, checks.IDAccessPublicGraphQL, checks.IDAccessPrivateGraphQL, checks.IDAccessPublicFileDownload, checks.IDAccessNotApplicable) {
						if r.Status == checks.Fail {
							fails = append(fails, r.Message)
						}
					}
					if len(fails) > 0 {
						return errors.New(strings.Join(fails, "; "))
					}
					return nil
				})),
			huh.NewSelect[string]().Key("it_systems[].data_access.status").Title("Status of the application (Dataadgang)").Value(&w.status).Options(
				huh.NewOption("Not created yet", ""), huh.NewOption("Ny (pending)", checks.StatusNy), huh.NewOption("Godkendt (approved)", checks.StatusGodkendt),
				huh.NewOption("Afvist (rejected)", checks.StatusAfvist), huh.NewOption("Udløbet (expired)", checks.StatusUdloebet)),
		),
		w.hideIf(w.group(
			w.liveInput(huh.NewInput().Key("it_systems[].data_access.expires").Title("Udløbsdato (expiry) of the approved access").Value(&w.expiresText).Placeholder("2027-05-11"), func() string {
				d.Status, d.Expires = w.status, profile.NewDate(w.expiresText)
				if msg := w.warnings(subj, rules("it_systems[].data_access.expires")...); msg != "" {
					return msg
				}
				return "As Administration shows it under Dataadgang; leave empty if not set."
			}).
				Validate(gated(w, func(v string) error {
					was := d.Expires
					d.Status, d.Expires = w.status, profile.NewDate(v)
					if err := w.failures(subj, rules("it_systems[].data_access.expires")...); err != nil {
						d.Expires = was // a refused date never stays in the draft
						return err
					}
					return nil
				})),
		), func() bool { return w.status != checks.StatusGodkendt }),
		w.hideIf(w.group(
			huh.NewConfirm().Key("it_systems[].data_access.events").Title("Fetch CPR events (CPR_Events)?").Value(&d.Events).
				Description(w.fit("Events are not applied for: they come with CustomPublicSectorPerson (not in Test04, which has no CPR events).")),
		), func() bool { return kind != checks.KindPublic || !graphql }),
	)
}
