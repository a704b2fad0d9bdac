package tui

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/sheet"
)

func (w *Wizard) contactForm() *huh.Form {
	c := &w.p.Contact
	if c.CVR == "" {
		c.CVR = w.p.Organisation.CVR
	}
	field := func(name string) func(string) error {
		return func(string) error {
			// The field's own row (its format, from the model's tags).
			for _, r := range w.findings("contact", rules("contact."+name, checks.IDContactComplete)...) {
				if r.Evidence["field"] == "contact."+name {
					return errors.New(strings.TrimPrefix(r.Message, name+": "))
				}
			}
			return nil
		}
	}
	required := func(what string, field *string, rest func(string) error) func(string) error {
		return func(v string) error {
			if w.keepsValue(v, *field) {
				return nil
			}
			*field = strings.TrimSpace(v) // the form saves it without spaces around
			if *field == "" {
				return errors.New(what + " is required")
			}
			if rest != nil {
				return rest(v)
			}
			return nil
		}
	}
	return w.newForm(w.group(
		huh.NewNote().Title("Contact for the application").Description(w.md("Sent to CPR with the application (Dataadgang → Kontakt). First name, last name, CVR and e-mail are required.")),
		huh.NewInput().Key("contact.first_name").Title("First name (Fornavn)").Value(&c.FirstName).Validate(gated(w, required("first name", &c.FirstName, nil))),
		huh.NewInput().Key("contact.last_name").Title("Last name (Efternavn)").Value(&c.LastName).Validate(gated(w, required("last name", &c.LastName, nil))),
		w.liveInput(huh.NewInput().Key("contact.cvr").Title("CVR").Value(&c.CVR), w.live("contact", "The contact's organisation's CVR.", rules("contact.cvr")...)).
			Validate(gated(w, w.validator(func(v string) { c.CVR = v }, "contact", rules("contact.cvr")...))),
		w.liveInput(huh.NewInput().Key("contact.email").Title("E-mail").Value(&c.Email).Placeholder("it@eksempel.dk"), func() string {
			if c.Email == "" {
				return "Required."
			}
			if err := field("email")(c.Email); err != nil {
				return "✗ " + err.Error()
			}
			return "✓ a well-formed address"
		}).
			Validate(gated(w, required("e-mail", &c.Email, field("email")))),
		w.liveInput(huh.NewInput().Key("contact.phone").Title("Phone (optional)").Value(&c.Phone), func() string {
			if c.Phone == "" {
				return "Optional."
			}
			if err := field("phone")(c.Phone); err != nil {
				return "✗ " + err.Error()
			}
			return ""
		}).
			Validate(gated(w, func(v string) error { c.Phone = strings.TrimSpace(v); return field("phone")(v) })),
	))
}

func (w *Wizard) followupForm() *huh.Form {
	w.ticket = w.p.Followup.ServicedeskTicket
	return w.newForm(w.group(
		huh.NewNote().Title("Follow-up with CPR").Description(w.md(
			"After creating the application in Administration:\n\n"+
				"1. Create a ticket of type \"Ansøgning\" in CPR's servicedesk:\n   "+checks.ServicedeskURL+"\n"+
				"2. Fill in the application on virk.dk with MitID Erhverv:\n   "+checks.VirkURL+"\n"+
				"   Choose \"Datafordeler GraphQL og Fildownload\" under Produkter and cite the ticket number.\n\n"+
				"Then CPR has everything it needs to process the application.")),
		huh.NewInput().Key("followup.servicedesk_ticket").Title("Servicedesk ticket number").Value(&w.ticket).Description(w.fit("Leave empty until you have created it.")),
		huh.NewConfirm().Key("followup.virk_application").Title("Have you submitted the application on virk.dk?").Value(&w.p.Followup.VirkApplication).Affirmative("Yes").Negative("Not yet"),
	))
}

func (w *Wizard) summaryForm() *huh.Form {
	env := checks.NewEnv(w.context(), w.p, w.cfg.Now(), w.resolver())
	var open []checks.Result
	fails, warns := 0, 0
	for _, r := range checks.RunOffline(env, checks.Registry()) {
		switch r.Status {
		case checks.Fail:
			fails++
		case checks.Warn:
			warns++
		default:
			continue
		}
		open = append(open, r)
	}
	// What fails first, then what warns.
	sort.SliceStable(open, func(a, b int) bool { return open[a].Status == checks.Fail && open[b].Status != checks.Fail })
	var lines []string
	gate := w.redactor()
	for _, r := range open {
		lines = append(lines, fmt.Sprintf("%s %s (%s): %s", glyph(r.Status), r.ID, r.Subject, gate.Value(r.Message)))
	}
	verdict := fmt.Sprintf("The profile is rule-clean: %d warnings.", warns)
	if fails > 0 {
		verdict = fmt.Sprintf("%d finding(s) still fail and %d warn; you can save now and come back (cprready init --profile %s).", fails, warns, w.cfg.Path)
	}
	plain := w.redactor().String(strings.NewReplacer("`", "", "**", "").Replace(sheet.Markdown(w.p, open, w.cfg.Now())))
	w.choice = menuChoice{act: actSave}
	choose := huh.NewSelect[menuChoice]().Key("summary").Title("Save "+w.cfg.Path+"?").Value(&w.choice).Options(
		huh.NewOption("Save the profile and the application sheet", menuChoice{act: actSave}),
		huh.NewOption("Go back", menuChoice{act: actBack}),
		huh.NewOption("Quit without saving", menuChoice{act: actQuit}),
	)
	if w.cfg.Accessible {
		return w.newForm(w.group(
			huh.NewNote().Title("Summary").Description(w.fit(verdict+"\n\n"+strings.Join(lines, "\n"))),
			huh.NewNote().Title("Application sheet (saved beside the profile)").Description(w.fit(plain)),
			choose,
		))
	}
	// In the terminal UI the summary scrolls above the choice (PgUp/PgDn).
	w.summaryText = w.styles.Title.Render("Summary") + "\n" + verdict + "\n\n" + strings.Join(lines, "\n") +
		"\n\n" + w.styles.Title.Render("Application sheet (saved beside the profile)") + "\n" + plain
	w.sizeSummary()
	return w.newForm(w.group(choose))
}
