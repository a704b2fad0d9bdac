package checks

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
)

func adminAccess(env *Env, i int) string {
	return fmt.Sprintf("Administration → IT-systemer → %s → Dataadgang", env.P.ITSystems[i].Name)
}

// access.register
func checkRegister(env *Env) []Result {
	var out []Result
	for i, s := range env.P.ITSystems {
		if s.DataAccess == nil {
			continue
		}
		subj := profile.DataAccessSubject(i)
		reg := strings.TrimSpace(s.DataAccess.Register)
		switch {
		case strings.EqualFold(reg, "CPR"):
			out = append(out, pass(subj, "The register is CPR"))
		case reg == "":
			out = append(out, row(Fail, subj, "data_access.register is missing; for a CPR application it is always CPR", "Set register: CPR (choose CPR under Register* in the Dataadgang form)."))
		default:
			out = append(out, row(Fail, subj, fmt.Sprintf("register %s: the register of a CPR application is always CPR", q(reg)), "Set register: CPR (choose CPR under Register* in the Dataadgang form)."))
		}
	}
	return out
}

// entitySets splits an application's entities: recognised (canonical),
// unknown (as written), and not-applicable ones (reported by their own rule).
func entitySets(d *profile.DataAccess) (known, unknown []string) {
	for _, e := range d.Entities {
		n := NormEntity(e)
		switch {
		case n == "":
			unknown = append(unknown, e)
		case contains(NotApplicableEntities, n):
			// access.not-applicable owns these
		case !contains(known, n):
			known = append(known, n)
		}
	}
	return known, unknown
}

// scopeRule says which of the three selection rules judges IT-system s.
func scopeRule(env *Env, s profile.ITSystem) string {
	if s.DataAccess == nil {
		return ""
	}
	kind, purpose := NormKind(env.P.Organisation.Kind), NormPurpose(s.Purpose)
	switch {
	case kind == KindPrivate:
		return "access.private-graphql"
	case kind == KindPublic && purpose == PurposeGraphQL:
		return "access.public-graphql"
	case kind == KindPublic && purpose == PurposeFileDownload:
		return "access.public-filedownload"
	}
	return ""
}

func unknownMsg(unknown []string) string {
	var qs []string
	for _, u := range unknown {
		qs = append(qs, q(u))
	}
	return fmt.Sprintf("unknown entit%s %s", map[bool]string{true: "y", false: "ies"}[len(unknown) == 1], strings.Join(qs, ", "))
}

// access.public-graphql
func checkPublicGraphQL(env *Env) []Result {
	var out []Result
	for i, s := range env.P.ITSystems {
		if scopeRule(env, s) != "access.public-graphql" {
			continue
		}
		subj := profile.DataAccessSubject(i)
		known, unknown := entitySets(s.DataAccess)
		remedy := fmt.Sprintf("Apply for CustomPublicSectorPerson only (%s → Vælg entiteter og tjenester); it also gives events through CPR_Events. File-download entities belong on a separate file-download IT-system.", adminAccess(env, i))
		var problems []string
		if !contains(known, EntityPublicPerson) {
			problems = append(problems, "CustomPublicSectorPerson is not selected")
		}
		var extra []string
		for _, k := range known {
			if k != EntityPublicPerson {
				extra = append(extra, k)
			}
		}
		if len(extra) > 0 {
			problems = append(problems, "other entities are selected ("+strings.Join(extra, ", ")+"); a public authority's GraphQL IT-system applies for CustomPublicSectorPerson and nothing else")
		}
		if len(unknown) > 0 {
			problems = append(problems, unknownMsg(unknown))
		}
		if len(problems) > 0 {
			out = append(out, row(Fail, subj, strings.Join(problems, "; "), remedy).with("entities", s.DataAccess.Entities))
			continue
		}
		out = append(out, pass(subj, "Applies for CustomPublicSectorPerson only"))
	}
	return out
}

// access.private-graphql
func checkPrivateGraphQL(env *Env) []Result {
	var out []Result
	for i, s := range env.P.ITSystems {
		if scopeRule(env, s) != "access.private-graphql" {
			continue
		}
		subj := profile.DataAccessSubject(i)
		if NormPurpose(s.Purpose) == PurposeFileDownload {
			out = append(out, row(Fail, subj, "A private user cannot apply for file downloads; file downloads are for public authorities only",
				"Use the GraphQL service CustomPrivateSectorPerson instead: set purpose: graphql and entities: [CustomPrivateSectorPerson]."))
			continue
		}
		known, unknown := entitySets(s.DataAccess)
		var problems []string
		if !contains(known, EntityPrivatePerson) {
			problems = append(problems, "CustomPrivateSectorPerson is not selected")
		}
		var extra []string
		for _, k := range known {
			if k != EntityPrivatePerson {
				extra = append(extra, k)
			}
		}
		if len(extra) > 0 {
			problems = append(problems, "a private user may only choose CustomPrivateSectorPerson, not "+strings.Join(extra, ", "))
		}
		if len(unknown) > 0 {
			problems = append(problems, unknownMsg(unknown))
		}
		if len(problems) > 0 {
			out = append(out, row(Fail, subj, strings.Join(problems, "; "),
				fmt.Sprintf("Apply for CustomPrivateSectorPerson only (%s → Vælg entiteter og tjenester).", adminAccess(env, i))).with("entities", s.DataAccess.Entities))
			continue
		}
		out = append(out, pass(subj, "Applies for CustomPrivateSectorPerson only"))
	}
	return out
}

// access.public-filedownload
func checkPublicFileDownload(env *Env) []Result {
	var out []Result
	for i, s := range env.P.ITSystems {
		if scopeRule(env, s) != "access.public-filedownload" {
			continue
		}
		subj := profile.DataAccessSubject(i)
		known, unknown := entitySets(s.DataAccess)
		var files, other []string
		for _, k := range known {
			if contains(FileDownloadEntities, k) {
				files = append(files, k)
			} else {
				other = append(other, k)
			}
		}
		var problems []string
		if len(files) == 0 {
			problems = append(problems, "no file-download entity is selected")
		}
		if contains(other, EntityPublicPerson) {
			if len(files) > 0 {
				problems = append(problems, "CustomPublicSectorPerson must never be combined with other entities")
			} else {
				problems = append(problems, "CustomPublicSectorPerson is the GraphQL service, not a file download")
			}
		}
		for _, o := range other {
			if o != EntityPublicPerson {
				problems = append(problems, o+" is not a file-download entity")
			}
		}
		if len(unknown) > 0 {
			problems = append(problems, unknownMsg(unknown))
		}
		if len(problems) > 0 {
			out = append(out, row(Fail, subj, strings.Join(problems, "; "),
				fmt.Sprintf("Choose one or more of Beskyttelse, CprAdresse, Forældremyndighed and Person (%s); apply for CustomPublicSectorPerson on a separate GraphQL IT-system.", adminAccess(env, i))).with("entities", s.DataAccess.Entities))
			continue
		}
		out = append(out, pass(subj, "Applies for file downloads of "+strings.Join(files, ", ")))
	}
	return out
}

// access.not-applicable
func checkNotApplicable(env *Env) []Result {
	var out []Result
	for i, s := range env.P.ITSystems {
		if s.DataAccess == nil {
			continue
		}
		subj := profile.DataAccessSubject(i)
		var bad []string
		for _, e := range s.DataAccess.Entities {
			if n := NormEntity(e); contains(NotApplicableEntities, n) && !contains(bad, n) {
				bad = append(bad, n)
			}
		}
		if len(bad) > 0 {
			remedy := "Remove " + strings.Join(bad, ", ") + " from entities: nobody applies for them."
			if contains(bad, EntityEvents) {
				remedy += " Events come with CustomPublicSectorPerson: set events: true instead."
			}
			out = append(out, row(Fail, subj, strings.Join(bad, ", ")+" is not applied for", remedy))
			continue
		}
		out = append(out, pass(subj, "No entity that is not applied for is selected"))
	}
	return out
}

// hasPublicPerson reports whether IT-system s applies for CustomPublicSectorPerson.
func hasPublicPerson(s profile.ITSystem) bool {
	if s.DataAccess == nil {
		return false
	}
	for _, e := range s.DataAccess.Entities {
		if NormEntity(e) == EntityPublicPerson {
			return true
		}
	}
	return false
}

// access.events
func checkEvents(env *Env) []Result {
	var out []Result
	kind := NormKind(env.P.Organisation.Kind)
	for i, s := range env.P.ITSystems {
		if s.DataAccess == nil || !s.DataAccess.Events {
			continue
		}
		subj := profile.DataAccessSubject(i)
		switch {
		case kind != KindPublic:
			out = append(out, row(Fail, subj, "Events (CPR_Events) for persons can only be fetched by a public authority with access to CustomPublicSectorPerson",
				"Set events: false; private users have no CPR events."))
		case !hasPublicPerson(s):
			out = append(out, row(Fail, subj, fmt.Sprintf("%s wants events but does not apply for CustomPublicSectorPerson, which is what gives events", sysName(env, i)),
				"Fetch events from the GraphQL IT-system that applies for CustomPublicSectorPerson, or set events: false here."))
		case strings.EqualFold(env.P.Environment, "test04"):
			out = append(out, row(Warn, subj, "Test04 has CPR test data but no CPR events", "Test events in another environment (Test06 or production)."))
		default:
			out = append(out, pass(subj, "Events come with CustomPublicSectorPerson"))
		}
	}
	return out
}

// access.environment
func checkEnvironment(env *Env) []Result {
	p := env.P
	name := strings.ToLower(strings.TrimSpace(p.Environment))
	if !slices.Contains(platform.EnvironmentNames(), name) {
		msg := "environment is missing"
		if p.Environment != "" {
			msg = fmt.Sprintf("environment %s is not known", q(p.Environment))
		}
		return []Result{row(Fail, "environment", msg+"; access holds for one environment only",
			"Set environment: "+words.JoinOr(platform.EnvironmentNames())+" (custom with endpoints:).")}
	}
	var out []Result
	eps := map[string]string{"graphql": p.Endpoints.GraphQL, "token": p.Endpoints.Token, "token_mtls": p.Endpoints.TokenMTLS, "filedownload": p.Endpoints.FileDownload}
	var wrong []string
	for _, k := range []string{"graphql", "token", "token_mtls", "filedownload"} {
		v := eps[k]
		if v == "" {
			continue
		}
		if he := platform.HostEnvironment(v); he != "" && name != "custom" && he != name {
			wrong = append(wrong, fmt.Sprintf("endpoints.%s points at %s (%s)", k, he, platform.HostOf(v)))
		}
	}
	if len(wrong) > 0 {
		out = append(out, row(Fail, "endpoints", fmt.Sprintf("The profile is for %s, but %s; each environment has its own Administration, IT-systems and credentials", name, strings.Join(wrong, "; ")),
			"Point endpoints: at the hosts of the profile's environment (or remove them to use the built-in ones), or change environment:."))
	} else if name == "custom" && (p.Endpoints.GraphQL == "" || p.Endpoints.Token == "") {
		out = append(out, row(Fail, "endpoints", "environment custom needs endpoints.graphql and endpoints.token", "Fill in endpoints: with the URLs to use."))
	} else {
		out = append(out, pass("environment", fmt.Sprintf("The profile is for %s", name)))
	}
	// A certificate from the wrong world: a test certificate in production,
	// or a production certificate in Test04, which requires test certificates.
	for i, s := range p.ITSystems {
		for j := range s.Credentials.OAuthCertificates {
			lc, err := env.Cert(i, j)
			if err != nil {
				continue // cred.cert-valid reports it
			}
			subj := profile.CertificateSubject(i, j)
			switch {
			case name == "prod" && lc.IsTestCertificate():
				out = append(out, row(Fail, subj, fmt.Sprintf("A test certificate (issuer %s) is used for production", redact.Local(lc.Issuer)),
					"Use a production OCES3 certificate in production; test certificates belong to the test environments.").with("issuer", redact.Local(lc.Issuer).String()))
			case name == "test04" && !lc.IsTestCertificate():
				out = append(out, row(Warn, subj, fmt.Sprintf("Test04 requires test certificates, and this one (issuer %s) does not look like one", redact.Local(lc.Issuer)),
					"Upload an OCES3 test certificate in Test04's Administration (test04-portal.datafordeler.dk).").with("issuer", redact.Local(lc.Issuer).String()))
			}
		}
	}
	return out
}

// access.status
func checkStatus(env *Env) []Result {
	var out []Result
	for i, s := range env.P.ITSystems {
		d := s.DataAccess
		subj := profile.DataAccessSubject(i)
		if !d.Declared() {
			// An IT-system without an application can never read CPR:
			// access.status owns the finding (docs/checks.md says so).
			out = append(out, row(Fail, subj, fmt.Sprintf("IT-system %s declares no application (data_access is missing or empty): without an approved Dataadgang it cannot read CPR", q(s.Name)),
				fmt.Sprintf("Create the application under %s → Opret, then describe it under data_access: (register: CPR, entities, status, expires).", adminAccess(env, i))))
			continue
		}
		st := NormStatus(d.Status)
		ev := map[string]any{"status": st}
		add := func(status Status, msg, remedy string) {
			r := row(status, subj, msg, remedy)
			maps.Copy(r.Evidence, ev)
			out = append(out, r)
		}
		switch st {
		case "":
			if d.Status == "" {
				add(Fail, "The application's status is missing", fmt.Sprintf("Create the application under %s → Opret, then copy its status (Ny, Godkendt …) into status:.", adminAccess(env, i)))
			} else {
				add(Fail, fmt.Sprintf("status %s is not one of Ny, Afvist, Godkendt, Udløbet (new, rejected, approved, expired)", q(d.Status)), "Copy the status shown under Dataadgang.")
			}
		case StatusNy:
			add(Warn, "The application is pending (Ny): CPR has not approved it yet, so protected live checks are skipped",
				"Make sure the servicedesk ticket and the virk.dk application are done; CPR processes the application after that.")
		case StatusAfvist:
			add(Fail, "The application was rejected (Afvist)", "Read CPR's reason in the servicedesk ticket, correct it, and apply again under "+adminAccess(env, i)+".")
		case StatusUdloebet:
			add(Fail, "The data access has expired (Udløbet)", "Apply again, or ask CPR to extend it, under "+adminAccess(env, i)+".")
		case StatusGodkendt:
			switch {
			case d.Expires.IsZero():
				add(Pass, "The application is approved (Godkendt); no expiry date (Udløbsdato) recorded", "")
			case !d.Expires.Valid():
				// The date's format is the field's (its tags): the engine
				// reports it under this rule.
			default:
				ev["expires"] = d.Expires.String()
				status, days := expiryStatus(env.At, d.Expires.Time())
				ev["days_left"] = days
				switch status {
				case Fail:
					add(Fail, fmt.Sprintf("The approved access expired on %s (%s)", d.Expires, inDays(days)), "Ask CPR to extend the data access, or apply again, under "+adminAccess(env, i)+".")
				case Warn:
					add(Warn, fmt.Sprintf("The approved access expires on %s (%s); it can be extended", d.Expires, inDays(days)), "Extend the data access now under "+adminAccess(env, i)+".")
				default:
					add(Pass, fmt.Sprintf("The application is approved (Godkendt) until %s", d.Expires), "")
				}
			}
		}
	}
	return out
}

// access.attachment
func checkAttachment(env *Env) []Result {
	var out []Result
	for i, s := range env.P.ITSystems {
		if s.DataAccess == nil {
			continue
		}
		out = append(out, row(Info, profile.DataAccessSubject(i), "No attachment (bilag) is needed with a CPR application", ""))
	}
	return out
}
