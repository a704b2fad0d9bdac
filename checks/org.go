package checks

import (
	"fmt"
	"strings"

	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/profile"
)

// org.cvr: every CVR in the profile.
func checkCVR(env *Env) []Result {
	p := env.P
	var out []Result
	one := func(subject, field, value string, required bool) {
		if value == "" && !required {
			return
		}
		if fp := env.FieldProblem(field); fp != nil {
			out = append(out, fieldRow(*fp))
			return
		}
		out = append(out, pass(subject, fmt.Sprintf("%s %s is a valid CVR number", field, value)).with("field", field))
	}
	one("organisation", "organisation.cvr", p.Organisation.CVR, true)
	if p.Supplier != nil {
		one("supplier", "supplier.cvr", p.Supplier.CVR, true)
	}
	one("contact", "contact.cvr", p.Contact.CVR, false)
	for i, s := range p.ITSystems {
		one(profile.ITSystemSubject(i), fmt.Sprintf("it_systems[%d].owner_cvr", i), s.OwnerCVR, false)
	}
	return out
}

// org.kind
func checkKind(env *Env) []Result {
	k := env.P.Organisation.Kind
	switch NormKind(k) {
	case KindPublic:
		return []Result{pass("organisation", "Public authority (offentlig myndighed)")}
	case KindPrivate:
		return []Result{pass("organisation", "Private user (privat anvender)")}
	}
	msg := "organisation.kind is missing"
	if k != "" {
		msg = fmt.Sprintf("organisation.kind %s is neither public nor private", q(k))
	}
	return []Result{row(Fail, "organisation", msg, "Set organisation.kind to public (a public authority: municipality, region, state) or private (a company); the entities you may apply for depend on it.")}
}

// org.mitid-erhverv
func checkMitID(env *Env) []Result {
	m := env.P.Organisation.MitIDErhverv
	if m != nil && *m {
		return []Result{pass("organisation", "The organisation has a MitID Erhverv account")}
	}
	msg := "The organisation has no MitID Erhverv account"
	if m == nil {
		msg = "organisation.mitid_erhverv is not set: does the organisation have a MitID Erhverv account?"
	}
	return []Result{row(Fail, "organisation", msg, "Get MitID Erhverv for the organisation at mitid-erhverv.dk, then set organisation.mitid_erhverv: true. Applying in Administration and on virk.dk needs it.")}
}

// itsystem.present
func checkITSystemPresent(env *Env) []Result {
	n := len(env.P.ITSystems)
	if n == 0 {
		return []Result{row(Fail, "it_systems", "No IT-system is declared; access is granted to an IT-system, not to the MitID Erhverv account",
			"Create an IT-system in Administration → IT-systemer → Opret, and add it under it_systems:.")}
	}
	return []Result{pass("it_systems", fmt.Sprintf("%d IT-system(s) declared", n))}
}

// itsystem.owner
func checkOwner(env *Env) []Result {
	p := env.P
	kind := NormKind(p.Organisation.Kind)
	var out []Result
	for i, s := range p.ITSystems {
		subj := profile.ITSystemSubject(i)
		owner := s.OwnerCVR
		ev := map[string]any{"owner_cvr": owner, "organisation_cvr": p.Organisation.CVR}
		add := func(st Status, msg, remedy string) {
			r := row(st, subj, msg, remedy)
			r.Evidence = ev
			out = append(out, r)
		}
		switch {
		case owner == "":
			add(Fail, fmt.Sprintf("%s has no owner_cvr", sysName(env, i)), "Set owner_cvr to the CVR of the organisation that owns the IT-system in Administration (Organisation column).")
		case owner == p.Organisation.CVR:
			add(Pass, fmt.Sprintf("%s is owned by the organisation itself", sysName(env, i)), "")
		case env.FieldProblem("organisation.cvr") != nil && (p.Supplier == nil || owner != p.Supplier.CVR):
			// A broken organisation CVR is org.cvr's finding: no second
			// one here for every IT-system.
			add(Skip, fmt.Sprintf("%s's owner cannot be compared with the organisation until organisation.cvr is a valid CVR number", sysName(env, i)), "")
			out[len(out)-1].BlockedBy = IDOrgCVR
		case kind == KindPublic && p.Supplier != nil && owner == p.Supplier.CVR:
			dpa := strings.ToLower(strings.TrimSpace(p.Supplier.DataProcessingAgreement))
			ev["data_processing_agreement"] = dpa
			switch dpa {
			case "sent", "sendt":
				add(Pass, fmt.Sprintf("%s is owned by the supplier %s; the data processing agreement has been sent to CPR", sysName(env, i), owner), "")
			case "missing", "absent", "mangler", "none":
				add(Fail, fmt.Sprintf("%s is owned by the supplier %s, and there is no data processing agreement (databehandleraftale) with CPR", sysName(env, i), owner),
					"Either move the IT-system to the authority (owned by its CVR), or send a valid databehandleraftale between the authority and the supplier to CPR, then set supplier.data_processing_agreement: sent.")
			default:
				add(Warn, fmt.Sprintf("%s is owned by the supplier %s; CPR grants access only once a valid data processing agreement has been sent", sysName(env, i), owner),
					"Send the databehandleraftale between the authority and the supplier to CPR (via the servicedesk ticket), then set supplier.data_processing_agreement: sent.")
			}
		case kind == KindPublic:
			add(Fail, fmt.Sprintf("%s is owned by CVR %s, not by the authority (%s)", sysName(env, i), owner, p.Organisation.CVR),
				"The IT-system must be owned by the public authority, not by its supplier. Create it while logged in as the authority (MitID Erhverv), or declare the supplier under supplier: with its data processing agreement.")
		case kind == KindPrivate:
			add(Warn, fmt.Sprintf("%s is owned by CVR %s, not by the organisation (%s)", sysName(env, i), owner, p.Organisation.CVR),
				"Access is granted to the IT-system's owner: create the IT-system while logged in as the organisation that applies.")
		default:
			add(Skip, fmt.Sprintf("%s: ownership cannot be judged until organisation.kind is public or private", sysName(env, i)), "")
			out[len(out)-1].BlockedBy = "org.kind"
		}
	}
	return out
}

// itsystem.split
func checkSplit(env *Env) []Result {
	var out []Result
	for i, s := range env.P.ITSystems {
		subj := profile.ITSystemSubject(i)
		purpose := NormPurpose(s.Purpose)
		if purpose == "" {
			msg := fmt.Sprintf("%s has no purpose", sysName(env, i))
			if s.Purpose != "" {
				msg = fmt.Sprintf("%s has purpose %s; it must be graphql or filedownload", sysName(env, i), q(s.Purpose))
			}
			out = append(out, row(Fail, subj, msg, "Set purpose: graphql or purpose: filedownload. GraphQL and file downloads must be on two different IT-systems; create a second IT-system for the other."))
			continue
		}
		var gql, files []string
		if s.DataAccess != nil {
			for _, e := range s.DataAccess.Entities {
				switch n := NormEntity(e); {
				case n == EntityPublicPerson || n == EntityPrivatePerson:
					gql = append(gql, n)
				case contains(FileDownloadEntities, n):
					files = append(files, n)
				}
			}
		}
		if len(gql) > 0 && len(files) > 0 {
			out = append(out, row(Fail, subj,
				fmt.Sprintf("%s applies for GraphQL (%s) and file downloads (%s) at once", sysName(env, i), strings.Join(gql, ", "), strings.Join(files, ", ")),
				"Split them: keep one IT-system for GraphQL and create another for file downloads, each with its own application (Dataadgang).").with("purpose", purpose))
			continue
		}
		out = append(out, pass(subj, fmt.Sprintf("%s is for %s only", sysName(env, i), purposeName(purpose))).with("purpose", purpose))
	}
	return out
}

func purposeName(p string) string {
	if p == PurposeFileDownload {
		return "file downloads"
	}
	return "GraphQL"
}

// needsProtected reports whether an IT-system applies for protected data.
func needsProtected(s profile.ITSystem) bool {
	return s.DataAccess != nil && len(s.DataAccess.Entities) > 0
}

// itsystem.oauth
func checkOAuth(env *Env) []Result {
	var out []Result
	for i, s := range env.P.ITSystems {
		subj := profile.ITSystemSubject(i)
		c := s.Credentials
		n := len(c.OAuthSharedSecrets) + len(c.OAuthCertificates)
		switch {
		case n > 0:
			out = append(out, pass(subj, fmt.Sprintf("%s has %d OAuth credential(s)", sysName(env, i), n)))
		case needsProtected(s):
			out = append(out, row(Fail, subj, fmt.Sprintf("%s applies for protected data but has no OAuth Shared Secret or OAuth Certificate", sysName(env, i)),
				fmt.Sprintf("Create one under Administration → IT-systemer → %s → OAuth Shared Secret (or OAuth Certifikat), and add it under credentials:.", s.Name)))
		default:
			out = append(out, pass(subj, fmt.Sprintf("%s has no data access declared, so it needs no OAuth credential yet (schemas only)", sysName(env, i))))
		}
	}
	return out
}

// contact.complete
func checkContact(env *Env) []Result {
	c := env.P.Contact
	var missing, bad []string
	if strings.TrimSpace(c.FirstName) == "" {
		missing = append(missing, "first_name")
	}
	if strings.TrimSpace(c.LastName) == "" {
		missing = append(missing, "last_name")
	}
	if c.CVR == "" {
		missing = append(missing, "cvr")
	}
	if c.Email == "" {
		missing = append(missing, "email")
	}
	// A field that breaks its format (email, phone) is a row of its own,
	// added by the engine from the model's tags.
	for _, f := range []string{"contact.email", "contact.phone"} {
		if env.FieldProblem(f) != nil {
			bad = append(bad, f)
		}
	}
	switch {
	case len(missing) == 0 && len(bad) == 0:
		return []Result{pass("contact", fmt.Sprintf("Contact %s %s <%s> is complete", c.FirstName, c.LastName, c.Email))}
	case len(missing) == 0:
		return nil // only the malformed fields' own rows
	}
	return []Result{row(Fail, "contact", "The application's contact is incomplete: missing "+words.JoinAnd(missing),
		"Fill in contact: first_name, last_name, cvr and email (required by the Dataadgang form; phone is optional).").with("missing", missing)}
}
