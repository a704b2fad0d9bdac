package checks

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/profile"
)

func adminCred(env *Env, i int, tab string) string {
	return fmt.Sprintf("Administration → IT-systemer → %s → %s", redact.Local(env.P.ITSystems[i].Name), tab)
}

// cred.apikey-scope
func checkAPIKeyScope(env *Env) []Result {
	var out []Result
	for i, s := range env.P.ITSystems {
		c := s.Credentials
		oauth := len(c.OAuthSharedSecrets) + len(c.OAuthCertificates)
		subj := profile.ITSystemSubject(i)
		switch {
		case needsProtected(s) && oauth == 0 && len(c.APIKeys) > 0:
			out = append(out, row(Fail, subj, fmt.Sprintf("%s has only API keys, and API keys cannot fetch protected data (they fetch GraphQL schemas, also before access is granted)", sysName(env, i)),
				fmt.Sprintf("Create an OAuth Shared Secret or upload an OAuth Certificate under %s, and use it for CPR queries; keep the API key for schemas.", adminCred(env, i, profile.SharedSecretCred.Tab()))))
		case len(c.APIKeys) > 0:
			out = append(out, pass(subj, fmt.Sprintf("%s uses API keys for schemas only", sysName(env, i))))
		}
	}
	return out
}

// credTitle names a credential in messages: OAuth Shared Secret "Borgerservice".
func credTitle(c profile.Credential) string {
	if c.Name == "" {
		return c.Kind.String()
	}
	return fmt.Sprintf("%s %q", c.Kind, redact.Local(words.Limit(c.Name, 60)))
}

// MaxCredentialYears is the longest a credential can be valid.
const MaxCredentialYears = 2

// cred.expiry
func checkCredExpiry(env *Env) []Result {
	var out []Result
	for _, c := range env.P.AllCredentials() {
		where := adminCred(env, c.System, c.Kind.Tab())
		exp := c.Expires
		source := "expires"
		if c.Kind == profile.CertificateCred {
			if lc, err := env.Cert(c.System, c.Index); err == nil {
				na := profile.DateOf(lc.NotAfter)
				if exp.IsZero() || !exp.Valid() || na.Time().Before(exp.Time()) {
					exp, source = na, "the certificate's NotAfter"
				}
			}
		}
		if exp.IsZero() {
			out = append(out, row(Warn, c.Subject, fmt.Sprintf("%s has no expiry date recorded; every credential expires (at most after %d years)", credTitle(c), MaxCredentialYears),
				fmt.Sprintf("Copy the Udløbsdato from %s into expires:.", where)))
			continue
		}
		if fp := env.FieldProblem(c.Subject + ".expires"); fp != nil && source == "expires" {
			out = append(out, fieldRow(*fp))
			continue
		}
		status, days := expiryStatus(env.At, exp.Time())
		ev := map[string]any{"expires": exp.String(), "days_left": days, "source": source}
		if c.Kind == profile.SharedSecretCred {
			limit := env.At.AddDate(MaxCredentialYears, 0, 0)
			basis := "today"
			if c.Created.Valid() {
				limit, basis = c.Created.Time().AddDate(MaxCredentialYears, 0, 0), "its creation on "+c.Created.String()
			}
			if exp.Time().After(limit) {
				r := row(Fail, c.Subject, fmt.Sprintf("%s expires on %s, more than %d years after %s; a shared secret is valid at most %[3]d years", credTitle(c), exp, MaxCredentialYears, basis),
					fmt.Sprintf("Copy the real Udløbsdato from %s.", where))
				r.Evidence = ev
				out = append(out, r)
				continue
			}
		}
		var r Result
		switch status {
		case Fail:
			r = row(Fail, c.Subject, fmt.Sprintf("%s expired on %s (%s)", credTitle(c), exp, inDays(days)), c.Kind.Renewal(where))
		case Warn:
			r = row(Warn, c.Subject, fmt.Sprintf("%s expires on %s (%s)", credTitle(c), exp, inDays(days)), c.Kind.Renewal(where))
		default:
			r = pass(c.Subject, fmt.Sprintf("%s is valid until %s", credTitle(c), exp))
		}
		r.Evidence = ev
		out = append(out, r)
	}
	return out
}

// cred.client-id
func checkClientID(env *Env) []Result {
	var out []Result
	for _, c := range env.P.AllCredentials() {
		if c.Kind == profile.APIKeyCred {
			continue // an API key has no client ID
		}
		if fp := env.FieldProblem(c.Subject + ".client_id"); fp != nil {
			r := fieldRow(*fp)
			r.Remedy = fmt.Sprintf("Copy the Client ID from %s (a UUID like a4098663-0502-45ce-954c-b660160be961).", adminCred(env, c.System, c.Kind.Tab()))
			out = append(out, r)
			continue
		}
		out = append(out, pass(c.Subject, "client_id "+c.ClientID+" is a UUID"))
	}
	return out
}

func certEvidence(lc *profile.LoadedCert) map[string]any {
	return map[string]any{
		"subject": redact.Local(lc.Subject).String(), "issuer": redact.Local(lc.Issuer).String(),
		"not_before": lc.NotBefore.UTC().Format(time.RFC3339), "not_after": lc.NotAfter.UTC().Format(time.RFC3339),
		"sha1": lc.SHA1, "sha256": lc.SHA256,
	}
}

// cred.cert-valid
func checkCertValid(env *Env) []Result {
	var out []Result
	for i, s := range env.P.ITSystems {
		for j := range s.Credentials.OAuthCertificates {
			subj := profile.CertificateSubject(i, j)
			lc, err := env.Cert(i, j)
			if err != nil {
				remedy := "Name the PKCS#12 file under pkcs12: (with password:), or the PEM files under certificate: and private_key:."
				switch {
				case errors.Is(err, profile.ErrWrongPassword):
					remedy = "Check the password the PKCS#12 file was exported with (password: reference)."
				case errors.Is(err, profile.ErrKeyMismatch):
					remedy = "Use the private key that was generated with this certificate; the files do not belong together."
				}
				out = append(out, row(Fail, subj, err.Error(), remedy))
				continue
			}
			ev := certEvidence(lc)
			var r Result
			switch {
			case Day(lc.NotAfter).Before(env.At):
				r = row(Fail, subj, fmt.Sprintf("The certificate expired on %s", lc.NotAfter.UTC().Format(time.DateOnly)),
					fmt.Sprintf("Get a new OCES3 certificate and upload it under %s.", adminCred(env, i, profile.CertificateCred.Tab())))
			case Day(lc.NotBefore).After(env.At):
				r = row(Fail, subj, fmt.Sprintf("The certificate is not valid before %s", lc.NotBefore.UTC().Format(time.DateOnly)),
					"Wait until it is valid, or check the clock of the machine that issued it.")
			case certCVR(lc) != "" && env.FieldProblem("organisation.cvr") == nil && certCVR(lc) != env.P.Organisation.CVR:
				r = row(Warn, subj, fmt.Sprintf("%s, valid %s to %s, is issued to CVR %s, but the organisation is CVR %s: the certificate should be the IT-system owner's own", redact.Local(lc.Subject), lc.NotBefore.UTC().Format(time.DateOnly), lc.NotAfter.UTC().Format(time.DateOnly), certCVR(lc), env.P.Organisation.CVR),
					"Use an OCES3 certificate issued to the organisation's own CVR (a supplier's certificate belongs to the supplier).")
			case weakKey(lc) != "":
				r = row(Warn, subj, fmt.Sprintf("%s, valid %s to %s, but its key is weak (%s): OCES3 certificates use RSA 3072 bits or more, and TLS servers may refuse keys below 2048 bits", redact.Local(lc.Subject), lc.NotBefore.UTC().Format(time.DateOnly), lc.NotAfter.UTC().Format(time.DateOnly), weakKey(lc)),
					"Get a new OCES3 certificate (its key is generated with today's sizes) and upload it under "+adminCred(env, i, profile.CertificateCred.Tab())+".")
			default:
				r = pass(subj, fmt.Sprintf("%s, valid %s to %s, key matches", redact.Local(lc.Subject), lc.NotBefore.UTC().Format(time.DateOnly), lc.NotAfter.UTC().Format(time.DateOnly)))
			}
			r.Evidence = ev
			out = append(out, r)
		}
	}
	return out
}

// cvrInSubjectRe finds the CVR in an OCES3 subject: serialNumber
// "CVR:12345678-UID:…" or organizationIdentifier "NTRDK-12345678".
var cvrInSubjectRe = regexp.MustCompile(`(?:CVR:|NTRDK-)(\d{8})\b`)

// certCVR is the CVR a certificate is issued to ("" if it names none).
func certCVR(lc *profile.LoadedCert) string {
	if m := cvrInSubjectRe.FindStringSubmatch(lc.Subject); m != nil {
		return m[1]
	}
	return ""
}

// MinRSABits is the smallest RSA key cprready accepts without a warning.
const MinRSABits = 2048

// weakKey describes a certificate key below today's sizes ("" if fine).
func weakKey(lc *profile.LoadedCert) string {
	if k, ok := lc.Leaf.PublicKey.(*rsa.PublicKey); ok && k.N.BitLen() < MinRSABits {
		return fmt.Sprintf("RSA %d bits", k.N.BitLen())
	}
	return ""
}

// cred.cert-fingerprint
func checkCertFingerprint(env *Env) []Result {
	var out []Result
	for i, s := range env.P.ITSystems {
		for j, c := range s.Credentials.OAuthCertificates {
			subj := profile.CertificateSubject(i, j)
			where := adminCred(env, i, profile.CertificateCred.Tab())
			lc, err := env.Cert(i, j)
			if err != nil {
				r := row(Skip, subj, "The certificate cannot be read, so its fingerprint cannot be compared", "")
				r.BlockedBy = "cred.cert-valid"
				out = append(out, r)
				continue
			}
			ev := map[string]any{"sha1": lc.SHA1, "sha256": lc.SHA256}
			add := func(r Result) {
				maps.Copy(r.Evidence, ev)
				out = append(out, r)
			}
			if strings.TrimSpace(c.Fingerprint) == "" {
				add(row(Fail, subj, fmt.Sprintf("No fingerprint from Administration is recorded; the file's SHA-1 is %s", lc.SHA1),
					fmt.Sprintf("Copy the Fingeraftryk shown under %s into fingerprint:.", where)))
				continue
			}
			if fp := env.FieldProblem(subj + ".fingerprint"); fp != nil {
				r := fieldRow(*fp)
				r.Remedy = fmt.Sprintf("Copy the Fingeraftryk shown under %s (40 hex digits).", where)
				add(r)
				continue
			}
			want, _ := profile.NormalizeFingerprint(c.Fingerprint)
			ev["registered"] = want
			if want != lc.SHA1 {
				add(row(Fail, subj, fmt.Sprintf("The file's SHA-1 fingerprint %s differs from the one registered in Administration (%s): this is not the uploaded certificate", lc.SHA1, want),
					fmt.Sprintf("Use the certificate file that was uploaded under %s, or upload this one (Opret) and use its new client ID.", where)))
				continue
			}
			add(pass(subj, fmt.Sprintf("SHA-1 %s matches Administration (SHA-256 %s)", lc.SHA1, lc.SHA256)))
		}
	}
	return out
}

// cred.storage
func checkStorage(env *Env) []Result {
	var out []Result
	if r, ok := profileModeFinding(env.P); ok {
		out = append(out, r)
	}
	for _, c := range env.P.AllCredentials() {
		s := c.Secret
		if !s.IsSet() {
			if c.Kind == profile.CertificateCred {
				continue // a PEM pair or a password-less PKCS#12 needs none
			}
			out = append(out, row(Fail, c.Subject, fmt.Sprintf("%s has no %s", credTitle(c), c.Field),
				fmt.Sprintf("Set %s: to a reference: env:NAME, keyring:SERVICE/ACCOUNT or file:PATH.", c.Field)))
			continue
		}
		ev := map[string]any{"field": c.Field, "kind": s.Kind()}
		if s.Kind() == profile.KindLiteral {
			r := row(Warn, c.Subject, fmt.Sprintf("%s: the %s is written literally in the profile, and profiles get shared", credTitle(c), c.Field),
				fmt.Sprintf("Move it out of the profile: `cprready init` stores it in the OS keyring, or use %s: env:NAME or file:PATH.", c.Field))
			r.Evidence = ev
			out = append(out, r)
			continue
		}
		ev["reference"] = s.Reference()
		if _, err := env.Secret(s); err != nil {
			r := row(Fail, c.Subject, fmt.Sprintf("%s: %s cannot be resolved: %v", credTitle(c), s.Reference(), err), resolveHint(s))
			r.Evidence = ev
			out = append(out, r)
			continue
		}
		if s.Kind() == profile.KindFile {
			if r, ok := secretFileFinding(env, c, s, ev); ok {
				out = append(out, r)
				continue
			}
		}
		r := pass(c.Subject, fmt.Sprintf("%s: %s is read from %s", credTitle(c), c.Field, s.Reference()))
		r.Evidence = ev
		out = append(out, r)
	}
	return out
}

// profileModeFinding says when the profile can be read by other users
// (its mode on Unix, its access-control list on Windows). cprready never
// changes the user's files: it says so, with the command.
func profileModeFinding(p *profile.Profile) (Result, bool) {
	if p.Path == "" {
		return Result{}, false
	}
	pv, err := fsutil.CheckPrivate(p.Path)
	if err != nil || pv.Private {
		return Result{}, false
	}
	r := row(Warn, "profile", fmt.Sprintf("The profile %s can be read by %s; it names your credentials", p.Path, pv.Readers), pv.Fix)
	maps.Copy(r.Evidence, pv.Evidence)
	return r, true
}

// secretFileFinding looks at a file: secret that resolved: readable by
// others (warn, with the command), or outside the profile's folder (said
// in the message: the profile's folder is where secrets are expected).
func secretFileFinding(env *Env, c profile.Credential, s *profile.Secret, ev map[string]any) (Result, bool) {
	path := strings.TrimPrefix(s.Reference(), "file:")
	if !filepath.IsAbs(path) {
		path = filepath.Join(env.Resolver.BaseDir, path)
	}
	outside := ""
	if real, err := filepath.EvalSymlinks(path); err == nil {
		home, herr := env.baseDir()
		if rel, err := filepath.Rel(home, real); herr == nil && (err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))) {
			outside = real
			ev["outside_profile_folder"] = true
		}
	}
	if pv, err := fsutil.CheckPrivate(path); err == nil && !pv.Private {
		r := row(Warn, c.Subject, fmt.Sprintf("%s: the secret file %s can be read by %s", credTitle(c), path, pv.Readers), pv.Fix)
		maps.Copy(ev, pv.Evidence)
		r.Evidence = ev
		return r, true
	}
	if outside != "" {
		r := pass(c.Subject, fmt.Sprintf("%s: %s is read from %s, which lies outside the profile's folder (%s)", credTitle(c), c.Field, s.Reference(), outside))
		r.Evidence = ev
		return r, true
	}
	return Result{}, false
}

func resolveHint(s *profile.Secret) string {
	switch s.Kind() {
	case profile.KindEnv:
		return fmt.Sprintf("Export the variable before running cprready (export %s=…), e.g. from your secret store.", strings.TrimPrefix(s.Reference(), "env:"))
	case profile.KindKeyring:
		return "Store it with `cprready init` (edit mode), or use env:/file: where no keyring is available (headless servers, CI)."
	case profile.KindFile:
		return "Check the path (relative to the profile's folder) and that the file is readable by this user."
	}
	return ""
}

// HygieneProblems lists copy-paste mistakes in a secret value, never
// quoting it: a BOM, surrounding quotes, whitespace or line breaks.
func HygieneProblems(v string) []string {
	var p []string
	if strings.HasPrefix(v, "\ufeff") {
		p = append(p, "starts with a byte-order mark (BOM)")
		v = strings.TrimPrefix(v, "\ufeff")
	}
	isSpace := func(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' || r == '\u00a0' }
	if strings.ContainsAny(v, "\r\n") {
		p = append(p, "contains a line break")
	}
	trimmed := strings.TrimFunc(v, isSpace)
	if trimmed != v {
		p = append(p, "has leading or trailing whitespace")
	}
	if strings.ContainsFunc(trimmed, func(r rune) bool { return unicode.IsControl(r) && r != '\r' && r != '\n' }) {
		p = append(p, "contains control characters (a tab, an escape, NUL)")
	}
	if strings.ContainsFunc(trimmed, func(r rune) bool {
		return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') || r == '\u200e' || r == '\u200f' || r == '\u061c' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff'
	}) {
		p = append(p, "contains invisible or bidirectional characters")
	}
	if len(trimmed) >= 2 {
		first, last := []rune(trimmed)[0], []rune(trimmed)[len([]rune(trimmed))-1]
		if (first == '"' && last == '"') || (first == '\'' && last == '\'') || (first == '“' && last == '”') || (first == '`' && last == '`') {
			p = append(p, "is wrapped in quotes")
		}
	}
	return p
}

// cred.secret-hygiene
func checkSecretHygiene(env *Env) []Result {
	var out []Result
	for _, c := range env.P.AllCredentials() {
		s := c.Secret
		if !s.IsSet() {
			continue
		}
		v, err := env.Secret(s)
		if err != nil {
			r := row(Skip, c.Subject, fmt.Sprintf("%s: the %s cannot be read, so it cannot be inspected", credTitle(c), c.Field), "")
			r.BlockedBy = "cred.storage"
			out = append(out, r)
			continue
		}
		if p := HygieneProblems(v); len(p) > 0 {
			out = append(out, row(Warn, c.Subject, fmt.Sprintf("%s: the %s %s; that is almost always a copy-paste error", credTitle(c), c.Field, words.JoinAnd(p)),
				"Copy the value again from Administration (it is shown once for a shared secret) and store it without quotes, spaces or line breaks.").with("problems", p))
			continue
		}
		out = append(out, pass(c.Subject, fmt.Sprintf("%s: the %s looks clean", credTitle(c), c.Field)))
	}
	return out
}
