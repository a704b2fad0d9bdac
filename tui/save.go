package tui

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/sheet"
)

func slug(s string) string {
	s = strings.Trim(slugRe.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if s == "" {
		return "profile"
	}
	return s
}

// secretRef plans a keyring reference for a typed secret:
// keyring:cprready/<IT-system>-<kind>.
func (w *Wizard) secretRef(i int, kind, value string) profile.Secret {
	name := w.p.ITSystems[i].Name
	if name == "" {
		name = fmt.Sprintf("it-system-%d", i+1)
	}
	ref := fmt.Sprintf("keyring:cprready/%s-%s", slug(name), kind)
	w.secrets[ref] = value
	return profile.NewSecret(ref)
}

// save stores typed secrets in the keyring or, where there is none, in
// protected files beside the profile (never in the profile, never
// dropped), writes the profile atomically (0600) and the application
// sheet beside it.
func (w *Wizard) save() {
	ctx := w.context()
	replace := map[string]string{}
	for ref, v := range w.secrets {
		spec := strings.TrimPrefix(ref, "keyring:")
		service, account, _ := strings.Cut(spec, "/")
		var err error
		if w.cfg.Keyring == nil {
			err = profile.ErrNoKeyring
		} else {
			err = w.cfg.Keyring(ctx, service, account, v)
		}
		if err != nil {
			rel := filepath.Join("secrets", account)
			if werr := writeSecretFile(filepath.Join(w.p.Dir(), rel), v); werr != nil {
				w.err = fmt.Errorf("no OS keyring is available and the secret file cannot be written: %w", werr)
				return
			}
			replace[ref] = "file:" + filepath.ToSlash(rel)
			w.result.Notes = append(w.result.Notes, fmt.Sprintf("No OS keyring is available, so the secret you typed is kept in %s beside the profile (%s), and the profile refers to it as file:%s. Keep that folder out of version control and shared backups.", rel, fsutil.PrivateNote, filepath.ToSlash(rel)))
		}
	}
	for _, ref := range slices.Sorted(maps.Keys(w.moved)) {
		w.result.Notes = append(w.result.Notes, fmt.Sprintf("The profile now refers to the environment variable %s instead of %s, as you chose; the file was left as it is: set %s from it, then delete the file.", w.moved[ref], ref, w.moved[ref]))
	}
	for _, ns := range w.p.Secrets() {
		if file, ok := replace[ns.Secret.Reference()]; ok {
			*ns.Secret = profile.NewSecret(file)
		}
	}
	if err := w.p.Save(w.cfg.Path); err != nil {
		w.err = err
		return
	}
	w.result.Saved, w.result.Path = true, w.cfg.Path
	env := checks.NewEnv(ctx, w.p, w.cfg.Now(), w.resolver())
	var open []checks.Result
	for _, r := range checks.RunOffline(env, checks.Registry()) {
		if r.Status == checks.Fail || r.Status == checks.Warn {
			open = append(open, r)
		}
	}
	sheetPath, err := writeSheet(w.p, strings.TrimSuffix(w.cfg.Path, filepath.Ext(w.cfg.Path))+".application.md",
		w.redactor().Bytes([]byte(sheet.Markdown(w.p, open, w.cfg.Now()))))
	if err != nil {
		w.err = err
		return
	}
	if sheetPath != strings.TrimSuffix(w.cfg.Path, filepath.Ext(w.cfg.Path))+".application.md" {
		w.result.Notes = append(w.result.Notes, "A file of that name that is not an application sheet was kept; the sheet is "+sheetPath+".")
	}
	w.result.SheetPath = sheetPath
}

// writeSecretFile writes a typed secret owner-only, in an owner-only folder.
func writeSecretFile(path, value string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(path, []byte(value+"\n"))
}

// normalised is ip.host-bits' suggestion for an entry, if any.
func normalised(p *profile.Profile, i, j int, now time.Time) string {
	env := checks.NewEnv(context.Background(), p, now, profile.Resolver{})
	for _, r := range checks.RunOffline(env, []*checks.Check{checks.Lookup(checks.IDIPHostBits)}) {
		if r.Subject == profile.IPSubject(i, j) && r.Status == checks.Warn {
			if n, ok := r.Evidence["normalised"].(string); ok {
				return n
			}
		}
	}
	return ""
}

// certInfo describes a certificate file as soon as it is readable.
func certInfo(p *profile.Profile, path, password, fingerprint string) string {
	if strings.TrimSpace(path) == "" {
		return "The PKCS#12 file (.p12/.pfx) with the certificate and its key."
	}
	c := &profile.Certificate{PKCS12: path}
	if strings.HasSuffix(strings.ToLower(path), ".pem") || strings.HasSuffix(strings.ToLower(path), ".crt") {
		return "Give the PKCS#12 file (openssl pkcs12 -export makes one from PEM)."
	}
	if _, err := os.Stat(p.ResolvePath(path)); err != nil {
		return "Not readable yet: " + p.ResolvePath(path)
	}
	lc, err := p.LoadCertificateContext(context.Background(), c, password) // bounded by MaxDecodeTime
	if err != nil {
		return err.Error()
	}
	s := fmt.Sprintf("%s\nSHA-1   %s\nSHA-256 %s\nValid   %s to %s", lc.Subject, lc.SHA1, lc.SHA256, lc.NotBefore.Format("2006-01-02"), lc.NotAfter.Format("2006-01-02"))
	if fingerprint != "" {
		if n, err := profile.NormalizeFingerprint(fingerprint); err == nil && n == lc.SHA1 {
			s += "\n✓ matches the fingerprint from Administration"
		} else if err == nil {
			s += "\n✗ differs from the fingerprint from Administration"
		}
	}
	return s
}

// writeSheet writes the application sheet to path, replacing only an
// earlier sheet; any other file there (notes of the user's, or a link onto
// one of the profile's files) is kept and the sheet gets a new name.
func writeSheet(p *profile.Profile, path string, data []byte) (string, error) {
	out := fsutil.Output{Path: path, Kind: "application sheet", Is: sheet.Recognise}
	for _, in := range p.InputFiles() {
		out.Inputs = append(out.Inputs, fsutil.Input{Path: in.Path, What: in.What})
	}
	if out.Check() == nil {
		return path, out.Write(data)
	}
	return fsutil.CreateUnique(strings.TrimSuffix(path, ".md"), ".md", data)
}
