package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/sheet"
)

const (
	credAPIKey = "api_key"
	credSecret = "shared_secret"
	credCert   = "certificate"
)

func (w *Wizard) has(kind string) bool {
	for _, k := range w.credKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// credsForm edits the first credential of each kind; secrets are typed
// masked and kept out of the profile.
func (w *Wizard) credsForm(i int) *huh.Form {
	c := &w.p.ITSystems[i].Credentials
	w.cred = credDraft{KeyName: "GraphQL Schema", SsName: w.p.ITSystems[i].Name, CertName: w.p.ITSystems[i].Name}
	w.credKinds = nil
	if len(c.APIKeys) > 0 {
		k := c.APIKeys[0]
		w.credKinds = append(w.credKinds, credAPIKey)
		w.cred.KeyName, w.cred.KeyExpires = k.Name, k.Expires.String()
	}
	if len(c.OAuthSharedSecrets) > 0 {
		k := c.OAuthSharedSecrets[0]
		w.credKinds = append(w.credKinds, credSecret)
		w.cred.SsName, w.cred.SsClientID, w.cred.SsExpires = k.Name, k.ClientID, k.Expires.String()
	}
	if len(c.OAuthCertificates) > 0 {
		k := c.OAuthCertificates[0]
		w.credKinds = append(w.credKinds, credCert)
		w.cred.CertName, w.cred.CertClientID, w.cred.CertPath, w.cred.CertFinger = k.Name, k.ClientID, k.PKCS12, k.Fingerprint
	}
	keep := func(stored bool) string {
		if stored {
			return "Leave empty to keep the one already stored."
		}
		if w.cfg.Keyring == nil {
			return "No OS keyring here: what you type is kept in secrets/ beside the profile (mode 0600), never in the profile itself."
		}
		return "Typed masked; stored in the OS keyring, never in the profile."
	}
	ssSubj := profile.SharedSecretSubject(i, 0)
	certSubj := profile.CertificateSubject(i, 0)
	return w.newForm(
		huh.NewGroup(
			huh.NewMultiSelect[string]().Title("Which credentials does this IT-system have?").Value(&w.credKinds).Options(
				huh.NewOption("API key: fetches GraphQL schemas only, also before access is granted", credAPIKey),
				huh.NewOption("OAuth Shared Secret: client ID and secret, for protected data", credSecret),
				huh.NewOption("OAuth Certificate: an OCES3 certificate, mutual TLS, for protected data", credCert),
			).Description("Protected CPR data needs an OAuth Shared Secret or an OAuth Certificate; an API key is never enough."),
		),
		w.hideIf(huh.NewGroup(
			huh.NewInput().Title("API key name").Value(&w.cred.KeyName),
			huh.NewInput().Title("API key").Value(&w.cred.KeyValue).EchoMode(w.secretEcho()).Description(keep(len(c.APIKeys) > 0 && c.APIKeys[0].Key.IsSet())),
			huh.NewInput().Title("Udløbsdato").Value(&w.cred.KeyExpires).Placeholder("2028-05-08").Validate(dateValidator),
		), func() bool { return !w.has(credAPIKey) }),
		w.hideIf(huh.NewGroup(
			huh.NewInput().Title("Shared secret name").Value(&w.cred.SsName),
			huh.NewInput().Title("Client ID").Value(&w.cred.SsClientID).Placeholder("a4098663-0502-45ce-954c-b660160be961").
				Validate(w.credValidator(i, credSecret, func(v string) { w.cred.SsClientID = v }, ssSubj, "cred.client-id")),
			huh.NewInput().Title("Secret").Value(&w.cred.SsValue).EchoMode(w.secretEcho()).
				Description(keep(len(c.OAuthSharedSecrets) > 0 && c.OAuthSharedSecrets[0].Secret.IsSet())+" It is shown once in Administration: copy it without spaces or quotes.").
				Validate(func(v string) error {
					if p := checks.HygieneProblems(v); len(p) > 0 && v != "" {
						return fmt.Errorf("the secret %s; copy it again", strings.Join(p, ", "))
					}
					return nil
				}),
			huh.NewInput().Title("Udløbsdato").Value(&w.cred.SsExpires).Placeholder("2027-05-08").
				Validate(w.credValidator(i, credSecret, func(v string) { w.cred.SsExpires = v }, ssSubj, "cred.expiry")),
		), func() bool { return !w.has(credSecret) }),
		w.hideIf(huh.NewGroup(
			huh.NewInput().Title("Certificate name").Value(&w.cred.CertName),
			huh.NewInput().Title("Client ID").Value(&w.cred.CertClientID).
				Validate(w.credValidator(i, credCert, func(v string) { w.cred.CertClientID = v }, certSubj, "cred.client-id")),
			huh.NewInput().Title("PKCS#12 file").Value(&w.cred.CertPath).Placeholder("certs/graphql.p12").
				Description("A path relative to the profile's folder."),
			huh.NewInput().Title("PKCS#12 password").Value(&w.cred.CertPass).EchoMode(w.secretEcho()),
			huh.NewInput().Title("Fingerprint shown in Administration (Fingeraftryk)").Value(&w.cred.CertFinger).
				DescriptionFunc(func() string {
					return certInfo(w.p, w.cred.CertPath, w.certPassword(i), w.cred.CertFinger)
				}, &w.cred).
				Validate(func(v string) error {
					if v == "" {
						return nil
					}
					if _, err := profile.NormalizeFingerprint(v); err != nil {
						return err
					}
					return nil
				}),
		), func() bool { return !w.has(credCert) }),
	)
}

func dateValidator(v string) error {
	if d := profile.NewDate(v); !d.IsZero() && !d.Valid() {
		return d.Err()
	}
	return nil
}

// certPassword is the typed password, or the stored one when editing.
func (w *Wizard) certPassword(i int) string {
	if w.cred.CertPass != "" {
		return w.cred.CertPass
	}
	c := &w.p.ITSystems[i].Credentials
	if len(c.OAuthCertificates) > 0 && c.OAuthCertificates[0].Password.IsSet() {
		pw := c.OAuthCertificates[0].Password
		if err := pw.Resolve(context.Background(), w.resolver()); err == nil {
			v, _ := pw.Reveal()
			return v
		}
	}
	return ""
}

// credValidator applies the credential drafts to a scratch copy of the
// profile and runs the rule on it.
func (w *Wizard) credValidator(i int, kind string, set func(string), subject string, ids ...string) func(string) error {
	return func(v string) error {
		if !w.keeps(v) {
			set(v)
		}
		saved := w.p.ITSystems[i].Credentials
		defer func() { w.p.ITSystems[i].Credentials = saved }()
		w.p.ITSystems[i].Credentials = profile.Credentials{}
		w.fillCreds(i, true)
		return w.failures(subject, ids...)
	}
}

// applyCreds writes the credential drafts into the profile.
func (w *Wizard) applyCreds(i int) { w.fillCreds(i, false) }

func (w *Wizard) fillCreds(i int, scratch bool) {
	c := &w.p.ITSystems[i].Credentials
	d := w.cred
	set := func(old profile.Secret, typed, kind string) profile.Secret {
		switch {
		case typed != "" && scratch:
			return profile.LiteralSecret(typed)
		case typed != "":
			return w.secretRef(i, kind, typed)
		}
		return old
	}
	if w.has(credAPIKey) {
		var old profile.APIKey
		if len(c.APIKeys) > 0 {
			old = c.APIKeys[0]
		}
		k := profile.APIKey{Name: d.KeyName, Key: set(old.Key, d.KeyValue, "api-key"), Created: old.Created, Expires: profile.NewDate(d.KeyExpires)}
		c.APIKeys = replaceFirst(c.APIKeys, k)
	} else if !scratch {
		c.APIKeys = nil
	}
	if w.has(credSecret) {
		var old profile.SharedSecret
		if len(c.OAuthSharedSecrets) > 0 {
			old = c.OAuthSharedSecrets[0]
		}
		k := profile.SharedSecret{Name: d.SsName, ClientID: strings.TrimSpace(d.SsClientID), Secret: set(old.Secret, d.SsValue, "secret"), Created: old.Created, Expires: profile.NewDate(d.SsExpires)}
		c.OAuthSharedSecrets = replaceFirst(c.OAuthSharedSecrets, k)
	} else if !scratch {
		c.OAuthSharedSecrets = nil
	}
	if w.has(credCert) {
		var old profile.Certificate
		if len(c.OAuthCertificates) > 0 {
			old = c.OAuthCertificates[0]
		}
		old.Name, old.ClientID, old.PKCS12, old.Fingerprint = d.CertName, strings.TrimSpace(d.CertClientID), d.CertPath, d.CertFinger
		if n, err := profile.NormalizeFingerprint(d.CertFinger); err == nil {
			old.Fingerprint = n // as Administration shows it
		}
		old.Certificate, old.PrivateKey = "", ""
		old.Password = set(old.Password, d.CertPass, "p12-password")
		c.OAuthCertificates = replaceFirst(c.OAuthCertificates, old)
	} else if !scratch {
		c.OAuthCertificates = nil
	}
}

func replaceFirst[T any](list []T, v T) []T {
	if len(list) == 0 {
		return []T{v}
	}
	out := append([]T(nil), list...)
	out[0] = v
	return out
}

func (w *Wizard) contactForm() *huh.Form {
	c := &w.p.Contact
	if c.CVR == "" {
		c.CVR = w.p.Organisation.CVR
	}
	field := func(name string) func(string) error {
		return func(string) error {
			for _, r := range w.findings("contact", "contact.complete") {
				for _, part := range strings.Split(r.Message, "; ") {
					if strings.HasPrefix(part, name+": ") {
						return errors.New(strings.TrimPrefix(part, name+": "))
					}
				}
			}
			return nil
		}
	}
	required := func(what string, set func(string), rest func(string) error) func(string) error {
		return func(v string) error {
			if w.keeps(v) {
				return nil
			}
			set(v)
			if strings.TrimSpace(v) == "" {
				return errors.New(what + " is required")
			}
			if rest != nil {
				return rest(v)
			}
			return nil
		}
	}
	return w.newForm(huh.NewGroup(
		huh.NewNote().Title("Contact for the application").Description("Sent to CPR with the application (Dataadgang → Kontakt). First name, last name, CVR and e-mail are required."),
		huh.NewInput().Title("First name (Fornavn)").Value(&c.FirstName).Validate(required("first name", func(v string) { c.FirstName = v }, nil)),
		huh.NewInput().Title("Last name (Efternavn)").Value(&c.LastName).Validate(required("last name", func(v string) { c.LastName = v }, nil)),
		huh.NewInput().Title("CVR").Value(&c.CVR).Validate(w.validator(func(v string) { c.CVR = v }, "contact", "org.cvr")),
		huh.NewInput().Title("E-mail").Value(&c.Email).Validate(required("e-mail", func(v string) { c.Email = v }, field("email"))),
		huh.NewInput().Title("Phone (optional)").Value(&c.Phone).Validate(func(v string) error { c.Phone = v; return field("phone")(v) }),
	))
}

func (w *Wizard) followupForm() *huh.Form {
	w.ticket = w.p.Followup.ServicedeskTicket
	return w.newForm(huh.NewGroup(
		huh.NewNote().Title("Follow-up with CPR").Description(
			"After creating the application in Administration:\n\n"+
				"1. Create a ticket of type \"Ansøgning\" in CPR's servicedesk:\n   "+checks.ServicedeskURL+"\n"+
				"2. Fill in the application on virk.dk with MitID Erhverv:\n   "+checks.VirkURL+"\n"+
				"   Choose \"Datafordeler GraphQL og Fildownload\" under Produkter and cite the ticket number.\n\n"+
				"Then CPR has everything it needs to process the application."),
		huh.NewInput().Title("Servicedesk ticket number").Value(&w.ticket).Description("Leave empty until you have created it."),
		huh.NewConfirm().Title("Have you submitted the application on virk.dk?").Value(&w.p.Followup.VirkApplication).Affirmative("Yes").Negative("Not yet"),
	))
}

func (w *Wizard) summaryForm() *huh.Form {
	env := checks.NewEnv(context.Background(), w.p, w.cfg.Now(), w.resolver())
	var lines []string
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
		lines = append(lines, fmt.Sprintf("%s %s (%s): %s", glyph(r.Status), r.ID, r.Subject, r.Message))
	}
	verdict := fmt.Sprintf("The profile is rule-clean: %d warnings.", warns)
	if fails > 0 {
		verdict = fmt.Sprintf("%d finding(s) still fail and %d warn; you can save now and come back (cprready init --profile %s).", fails, warns, w.cfg.Path)
	}
	if len(lines) > 12 {
		lines = append(lines[:12], fmt.Sprintf("… and %d more (cprready check --offline)", len(lines)-12))
	}
	plain := strings.NewReplacer("`", "", "**", "").Replace(sheet.Markdown(w.p, open, w.cfg.Now()))
	preview := strings.Split(plain, "\n")
	if len(preview) > 10 {
		preview = append(preview[:10], "…")
	}
	w.choice = "save"
	return w.newForm(huh.NewGroup(
		huh.NewNote().Title("Summary").Description(verdict+"\n\n"+strings.Join(lines, "\n")),
		huh.NewNote().Title("Application sheet (saved beside the profile)").Description(strings.Join(preview, "\n")),
		huh.NewSelect[string]().Title("Save "+w.cfg.Path+"?").Value(&w.choice).Options(
			huh.NewOption("Save the profile and the application sheet", "save"),
			huh.NewOption("Go back", "back"),
			huh.NewOption("Quit without saving", "quit"),
		),
	))
}

// secretEcho masks secrets, except in accessible mode without a terminal
// (scripts, pipes), where huh cannot read a password without echo and
// nothing echoes anyway.
func (w *Wizard) secretEcho() huh.EchoMode {
	if w.cfg.Accessible && !w.inputIsTerminal() {
		return huh.EchoModeNormal
	}
	return huh.EchoModePassword
}
