package tui

import (
	"errors"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/profile"
)

// Where typed secrets go when no OS keyring is available.
const (
	storeFile = "file"
	storeEnv  = "env"
)

const (
	credAPIKey = "api_key"
	credSecret = "shared_secret"
	credCert   = "certificate"
)

func (w *Wizard) has(kind string) bool {
	return slices.Contains(w.credKinds, kind)
}

// credsForm edits the first credential of each kind; secrets are typed
// masked and kept out of the profile.
// The secret store's question, asked when there is no OS keyring.
const (
	storeTitle = "No OS keyring is available here: where do you keep the secrets you type?"
	storeDesc  = "cprready never writes a secret into the profile and never drops one you type."
)

func (w *Wizard) credsForm(i int) *huh.Form {
	c := &w.p.ITSystems[i].Credentials
	w.cred = credDraft{}
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
			return "No OS keyring here: what you type is kept in secrets/ beside the profile (" + fsutil.PrivateNote + "), never in the profile itself."
		}
		return "Typed masked; stored in the OS keyring, never in the profile."
	}
	keySubj := profile.APIKeySubject(i, 0)
	ssSubj := profile.SharedSecretSubject(i, 0)
	certSubj := profile.CertificateSubject(i, 0)
	sysName := w.p.ITSystems[i].Name
	// An API key fetches GraphQL schemas: a file-download IT-system has
	// no use for one (it is offered only when the profile already has one).
	kinds := []huh.Option[string]{huh.NewOption("API key: fetches GraphQL schemas only, also before access is granted", credAPIKey)}
	if checks.NormPurpose(w.p.ITSystems[i].Purpose) == checks.PurposeFileDownload {
		kinds = nil
		if len(c.APIKeys) > 0 {
			kinds = []huh.Option[string]{huh.NewOption("API key (file downloads do not use one: untick to remove it)", credAPIKey)}
		}
	}
	kinds = append(kinds,
		huh.NewOption("OAuth Shared Secret: client ID and secret, for protected data", credSecret),
		huh.NewOption("OAuth Certificate: an OCES3 certificate, mutual TLS, for protected data", credCert))
	return w.newForm(
		w.group(
			huh.NewMultiSelect[string]().Key("it_systems[].credentials").Title("Which credentials does this IT-system have?").Value(&w.credKinds).Options(kinds...).
				Description(w.fit("Protected CPR data needs an OAuth Shared Secret or an OAuth Certificate; an API key is never enough.")),
		),
		w.hideIf(w.group(
			huh.NewSelect[string]().Key("secret_store").Title(storeTitle).Value(&w.secretStore).Options(
				huh.NewOption("In protected files beside the profile (secrets/, "+fsutil.PrivateNote+")", storeFile),
				huh.NewOption("In environment variables that I set (nothing typed here is kept)", storeEnv),
			).Description(w.fit(storeDesc)).Height(w.selectHeight(storeTitle, storeDesc, 2)),
		), func() bool {
			return w.cfg.Keyring != nil || !w.has(credAPIKey) && !w.has(credSecret) && !w.has(credCert)
		}),
		w.hideIf(w.group(
			huh.NewInput().Key("it_systems[].credentials.api_keys[].name").Title("API key name").Value(&w.cred.KeyName).Placeholder("GraphQL Schema").
				Description(w.fit("As it is named under API-Keys in Administration.")),
		), func() bool { return !w.has(credAPIKey) }),
		w.hideIf(w.group(
			w.liveInput(w.secretInput("it_systems[].credentials.api_keys[].key", "API key", &w.cred.KeyValue), w.liveCred(i, keySubj, keep(len(c.APIKeys) > 0 && c.APIKeys[0].Key.IsSet()), checks.IDCredSecretHygiene)).
				Validate(gated(w, w.credValidator(i, func(v string) { w.cred.KeyValue = v }, keySubj, checks.IDCredSecretHygiene))),
		), func() bool { return !w.has(credAPIKey) || w.secretStore == storeEnv }),
		w.hideIf(w.group(
			w.liveInput(huh.NewInput().Key("it_systems[].credentials.api_keys[].expires").Title("Udløbsdato").Value(&w.cred.KeyExpires).Placeholder("2028-05-08"), w.liveCred(i, keySubj, "As API-Keys shows it; an API key lives at most about 2 years.", rules("it_systems[].credentials.api_keys[].expires")...)).
				Validate(gated(w, w.credValidator(i, func(v string) { w.cred.KeyExpires = v }, keySubj, rules("it_systems[].credentials.api_keys[].expires")...))),
		), func() bool { return !w.has(credAPIKey) }),
		w.hideIf(w.group(
			huh.NewInput().Key("it_systems[].credentials.oauth_shared_secrets[].name").Title("Shared secret name").Value(&w.cred.SsName).Placeholder(sysName),
			w.liveInput(huh.NewInput().Key("it_systems[].credentials.oauth_shared_secrets[].client_id").Title("Client ID").Value(&w.cred.SsClientID).Placeholder("a4098663-0502-45ce-954c-b660160be961"), w.liveCred(i, ssSubj, "The Client ID shown under OAuth Shared Secret (a UUID).", rules("it_systems[].credentials.oauth_shared_secrets[].client_id")...)).
				Validate(gated(w, w.credValidator(i, func(v string) { w.cred.SsClientID = v }, ssSubj, rules("it_systems[].credentials.oauth_shared_secrets[].client_id")...))),
		), func() bool { return !w.has(credSecret) }),
		w.hideIf(w.group(
			w.liveInput(w.secretInput("it_systems[].credentials.oauth_shared_secrets[].secret", "Secret", &w.cred.SsValue), w.liveCred(i, ssSubj, keep(len(c.OAuthSharedSecrets) > 0 && c.OAuthSharedSecrets[0].Secret.IsSet())+" It is shown once in Administration: copy it without spaces or quotes.", checks.IDCredSecretHygiene)).
				Validate(gated(w, w.credValidator(i, func(v string) { w.cred.SsValue = v }, ssSubj, checks.IDCredSecretHygiene))),
		), func() bool { return !w.has(credSecret) || w.secretStore == storeEnv }),
		w.hideIf(w.group(
			w.liveInput(huh.NewInput().Key("it_systems[].credentials.oauth_shared_secrets[].expires").Title("Udløbsdato").Value(&w.cred.SsExpires).Placeholder("2027-05-08"), w.liveCred(i, ssSubj, "As OAuth Shared Secret shows it; at most 2 years out.", rules("it_systems[].credentials.oauth_shared_secrets[].expires")...)).
				Validate(gated(w, w.credValidator(i, func(v string) { w.cred.SsExpires = v }, ssSubj, rules("it_systems[].credentials.oauth_shared_secrets[].expires")...))),
		), func() bool { return !w.has(credSecret) }),
		w.hideIf(w.group(
			huh.NewInput().Key("it_systems[].credentials.oauth_certificates[].name").Title("Certificate name").Value(&w.cred.CertName).Placeholder(sysName),
			w.liveInput(huh.NewInput().Key("it_systems[].credentials.oauth_certificates[].client_id").Title("Client ID").Value(&w.cred.CertClientID).Placeholder("9831e4b1-73ae-4e15-b8ba-e0377c4a21f1"), w.liveCred(i, certSubj, "The Client ID shown under OAuth Certifikat (a UUID).", rules("it_systems[].credentials.oauth_certificates[].client_id")...)).
				Validate(gated(w, w.credValidator(i, func(v string) { w.cred.CertClientID = v }, certSubj, rules("it_systems[].credentials.oauth_certificates[].client_id")...))),
			huh.NewInput().Key("it_systems[].credentials.oauth_certificates[].pkcs12").Title("PKCS#12 file").Value(&w.cred.CertPath).Placeholder("certs/graphql.p12").
				Description(w.fit("A path relative to the profile's folder (.p12 or .pfx: the certificate with its key).")),
			w.liveInput(w.secretInput("it_systems[].credentials.oauth_certificates[].password", "PKCS#12 password", &w.cred.CertPass), func() string {
				if err := w.certPasswordProblem(i); err != nil {
					return "✗ " + err.Error()
				}
				if w.secretStore == storeEnv && w.cfg.Keyring == nil {
					return "The password the file was exported with, typed hidden: used now to read the certificate, kept nowhere. The profile refers to env:" + w.envName(i, "p12-password") + "; set it before cprready check."
				}
				return "The password the file was exported with (typed hidden)."
			}).
				Validate(gated(w, func(v string) error {
					if !w.keeps(v) {
						w.cred.CertPass = v
					}
					return w.certPasswordProblem(i)
				})),
			w.liveInput(huh.NewInput().Key("it_systems[].credentials.oauth_certificates[].fingerprint").Title("Fingerprint shown in Administration (Fingeraftryk)").Value(&w.cred.CertFinger), func() string {
				info := certInfo(w.p, w.cred.CertPath, w.certPassword(i), w.cred.CertFinger)
				if msg := w.findingText(w.credFindings(i, certSubj, rules("it_systems[].credentials.oauth_certificates[].fingerprint", checks.IDCredCertValid)...)); msg != "" {
					return msg + "\n" + info
				}
				return info
			}).
				Validate(gated(w, w.credValidator(i, func(v string) { w.cred.CertFinger = v }, certSubj, rules("it_systems[].credentials.oauth_certificates[].fingerprint", checks.IDCredCertValid)...))),
		), func() bool { return !w.has(credCert) }),
	)
}

// certPasswordProblem is a wrong PKCS#12 password, as an error (not a
// description): the file is readable and the password does not open it.
func (w *Wizard) certPasswordProblem(i int) error {
	path := strings.TrimSpace(w.cred.CertPath)
	if path == "" {
		return nil
	}
	if _, err := os.Stat(w.p.ResolvePath(path)); err != nil {
		return nil // the file is not there yet: the path field says so
	}
	_, err := w.p.LoadCertificateContext(w.context(), &profile.Certificate{PKCS12: path}, w.certPassword(i))
	if errors.Is(err, profile.ErrWrongPassword) {
		return errors.New("the password does not open " + path + "; check the password it was exported with")
	}
	return nil
}

// credFindings fills the credential drafts into a scratch copy of the
// profile and runs the rules on it: what they say about subject.
func (w *Wizard) credFindings(i int, subject string, ids ...string) []checks.Result {
	saved := w.p.ITSystems[i].Credentials
	defer func() { w.p.ITSystems[i].Credentials = saved }()
	// The scratch copy starts from what is stored (an edited profile's
	// secrets are kept when a field is left empty), never from nothing.
	w.p.ITSystems[i].Credentials = profile.Credentials{
		APIKeys:            slices.Clone(saved.APIKeys),
		OAuthSharedSecrets: slices.Clone(saved.OAuthSharedSecrets),
		OAuthCertificates:  slices.Clone(saved.OAuthCertificates),
	}
	w.fillCreds(i, true)
	return w.findings(subject, ids...)
}

// liveCred is a credential field's description as the user types: what
// the rules say about the value now (failures, then warnings), else base.
func (w *Wizard) liveCred(i int, subject, base string, ids ...string) func() string {
	return func() string {
		if msg := w.findingText(w.credFindings(i, subject, ids...)); msg != "" {
			return msg
		}
		return base
	}
}

// findingText shows findings as a field's description: failures first.
func (w *Wizard) findingText(rs []checks.Result) string {
	sort.SliceStable(rs, func(a, b int) bool { return rs[a].Status == checks.Fail && rs[b].Status != checks.Fail })
	var lines []string
	for _, r := range rs {
		lines = append(lines, glyph(r.Status)+" "+r.Message)
	}
	return strings.Join(lines, "\n")
}

// certPassword is the typed password, or the stored one when editing.
func (w *Wizard) certPassword(i int) string {
	if w.cred.CertPass != "" {
		return w.cred.CertPass
	}
	c := &w.p.ITSystems[i].Credentials
	if len(c.OAuthCertificates) > 0 && c.OAuthCertificates[0].Password.IsSet() {
		pw := c.OAuthCertificates[0].Password
		if err := pw.Resolve(w.context(), w.resolver()); err == nil {
			v, _ := pw.Reveal()
			return v
		}
	}
	return ""
}

// credValidator applies the credential drafts to a scratch copy of the
// profile and runs the rule on it.
func (w *Wizard) credValidator(i int, set func(string), subject string, ids ...string) func(string) error {
	return func(v string) error {
		if !w.keeps(v) {
			set(v)
		}
		var msgs []string
		for _, r := range w.credFindings(i, subject, ids...) {
			if r.Status == checks.Fail {
				msgs = append(msgs, r.Message)
			}
		}
		if len(msgs) > 0 {
			return errors.New(strings.Join(msgs, "; "))
		}
		return nil
	}
}

// applyCreds writes the credential drafts into the profile.
func (w *Wizard) applyCreds(i int) { w.fillCreds(i, false) }

func (w *Wizard) fillCreds(i int, scratch bool) {
	c := &w.p.ITSystems[i].Credentials
	d := w.cred
	env := w.secretStore == storeEnv && w.cfg.Keyring == nil
	set := func(old profile.Secret, typed, kind string) profile.Secret {
		switch {
		case env && typed != "" && scratch:
			return profile.LiteralSecret(typed) // read now, kept nowhere
		case env && (typed != "" || !old.IsSet()):
			// "Environment variables": nothing typed is kept, anywhere.
			return profile.NewSecret("env:" + w.envName(i, kind))
		case env && strings.HasPrefix(old.Reference(), "file:") && !scratch:
			// A secret kept in a file before: the profile now refers to the
			// variable, and the file is left for its owner to move and delete.
			name := w.envName(i, kind)
			w.moved[old.Reference()] = name
			return profile.NewSecret("env:" + name)
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
		k := profile.APIKey{Name: orDefault(d.KeyName, "GraphQL Schema"), Key: set(old.Key, d.KeyValue, "api-key"), Created: old.Created, Expires: profile.NewDate(d.KeyExpires)}
		c.APIKeys = replaceFirst(c.APIKeys, k)
	} else if !scratch {
		c.APIKeys = nil
	}
	if w.has(credSecret) {
		var old profile.SharedSecret
		if len(c.OAuthSharedSecrets) > 0 {
			old = c.OAuthSharedSecrets[0]
		}
		k := profile.SharedSecret{Name: orDefault(d.SsName, w.p.ITSystems[i].Name), ClientID: strings.TrimSpace(d.SsClientID), Secret: set(old.Secret, d.SsValue, "secret"), Created: old.Created, Expires: profile.NewDate(d.SsExpires)}
		c.OAuthSharedSecrets = replaceFirst(c.OAuthSharedSecrets, k)
	} else if !scratch {
		c.OAuthSharedSecrets = nil
	}
	if w.has(credCert) {
		var old profile.Certificate
		if len(c.OAuthCertificates) > 0 {
			old = c.OAuthCertificates[0]
		}
		old.Name, old.ClientID, old.PKCS12, old.Fingerprint = orDefault(d.CertName, w.p.ITSystems[i].Name), strings.TrimSpace(d.CertClientID), d.CertPath, d.CertFinger
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
