package checks

import (
	"fmt"
	"strings"
	"time"

	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/migrate"
)

// Links from the seed.
const (
	ServicedeskURL = "https://www.cpr.dk/kunder/support/link-til-cpr-servicedesk"
	VirkURL        = "https://virk.dk/myndigheder/stat/CPR/selvbetjening/Ansoegning_om_adgang_til_CPR/"
)

// followup.servicedesk
func checkServicedesk(env *Env) []Result {
	t := strings.TrimSpace(env.P.Followup.ServicedeskTicket)
	if t == "" {
		return []Result{row(Warn, "followup", "No ticket of type \"Ansøgning\" in CPR's servicedesk is recorded",
			fmt.Sprintf("After creating the application, create a ticket \"Ansøgning\" in CPR's servicedesk (%s) and set followup.servicedesk_ticket to its number.", ServicedeskURL))}
	}
	return []Result{pass("followup", fmt.Sprintf("Servicedesk ticket %s is recorded", words.Limit(t, 40)))}
}

// followup.virk
func checkVirk(env *Env) []Result {
	f := env.P.Followup
	if !f.VirkApplication {
		return []Result{row(Warn, "followup", "The application on virk.dk is not marked as submitted",
			fmt.Sprintf("Fill in the application on virk.dk with MitID Erhverv (%s), choose \"Datafordeler GraphQL og Fildownload\" under Produkter, cite the servicedesk ticket number, then set followup.virk_application: true.", VirkURL))}
	}
	if strings.TrimSpace(f.ServicedeskTicket) == "" {
		return []Result{row(Warn, "followup", "The virk.dk application is submitted, but no servicedesk ticket number is recorded to cite",
			"Record the servicedesk ticket number in followup.servicedesk_ticket and make sure the virk.dk application cites it.")}
	}
	return []Result{pass("followup", "The virk.dk application is submitted")}
}

// rest.retired
func checkRESTRetired(env *Env) []Result {
	rest := env.P.LegacyREST
	if len(rest) == 0 {
		return []Result{pass("legacy_rest", "No retired REST service is in use")}
	}
	var date time.Time
	var out []Result
	switch d := env.P.RESTRetirement; {
	case d.Valid():
		date = d.Time()
	case !d.IsZero():
		out = append(out, row(Warn, "rest_retirement", fmt.Sprintf("rest_retirement: %v; the platform's wording is used instead", d.Err()), "Write the announced day as 31-12-2026 or 2026-12-31."))
	}
	when := migrate.Retirement(date, env.At)
	kind := NormKind(env.P.Organisation.Kind)
	for k, name := range rest {
		subj := fmt.Sprintf("legacy_rest[%d]", k)
		svc, ok := migrate.Lookup(name)
		if !ok {
			out = append(out, row(Warn, subj, fmt.Sprintf("%s is not one of CPR's REST services on Datafordeleren; %s", q(name), when),
				"Known services: "+strings.Join(migrate.Names(), ", ")+"."))
			continue
		}
		msg := fmt.Sprintf("%s: %s; move to GraphQL %s (%s)", svc.Name, when, svc.Entity, svc.Root)
		if kind != "" && kind != svc.Kind {
			msg += fmt.Sprintf("; note that %s is a %s-sector service but the organisation is %s", svc.Name, svc.Kind, kind)
		}
		out = append(out, row(Warn, subj, msg,
			fmt.Sprintf("Run `cprready migrate %s` for the GraphQL service to apply for and a starting query.", svc.Name)).with("replacement", svc.Entity))
	}
	return out
}
