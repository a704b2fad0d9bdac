package tui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/profile"
)

// answers is the accessible wizard's input answered by field key (the
// fields' huh keys, see keyedInput): each key's answers in the order the
// field asks, a failed validation asking the same field again. A field
// asked with no answer left ends the input, and the run says which.
type answers struct {
	mu      sync.Mutex
	left    map[string][]string
	key     string
	asked   []string
	starved string // the field asked with no answer left
	pending []byte
}

func newAnswers(script map[string][]string) *answers {
	left := map[string][]string{}
	for k, v := range script {
		left[k] = slices.Clone(v)
	}
	return &answers{left: left}
}

func (a *answers) Asking(key string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if key != "" {
		a.key = key
		a.asked = append(a.asked, key)
	}
}

func (a *answers) Read(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.pending) == 0 {
		q := a.left[a.key]
		if len(q) == 0 {
			a.starved = a.key
			return 0, io.EOF
		}
		a.pending, a.left[a.key] = []byte(q[0]+"\n"), q[1:]
	}
	n := copy(p, a.pending)
	a.pending = a.pending[n:]
	return n, nil
}

// unused lists the answers no field took.
func (a *answers) unused() []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(a.left)) {
		if len(a.left[k]) > 0 {
			out = append(out, fmt.Sprintf("%s: %q", k, a.left[k]))
		}
	}
	return out
}

// cleanScript answers the wizard to a rule-clean public profile: an
// IT-system for GraphQL with an address, an approved application with
// events, and an OAuth Shared Secret. Menus and selects are answered by
// number, as a person types them.
func cleanScript() map[string][]string {
	const ss = "it_systems[].credentials.oauth_shared_secrets[]."
	return map[string][]string{
		"organisation.kind": {"1"}, "organisation.name": {"Eksempel Kommune"}, "organisation.cvr": {"29189846"}, "organisation.mitid_erhverv": {"y"},
		"supplier":          {"n"},
		"environment":       {"1"},      // production
		"it_systems":        {"1", "1"}, // add an IT-system; then continue to the contact
		"it_systems[].name": {"Borgerservice GraphQL"}, "it_systems[].owner_cvr": {""}, "it_systems[].purpose": {"1"},
		"it_systems[].ip_whitelist":           {"1", "1"}, // add an address; then continue to the data access
		"it_systems[].ip_whitelist[].name":    {"Server"},
		"it_systems[].ip_whitelist[].address": {"80.62.117.23"},
		"it_systems[].ip_whitelist[].range":   {""},  // 32
		"it_systems[].data_access.entities":   {"0"}, // CustomPublicSectorPerson is preselected
		"it_systems[].data_access.status":     {"3"}, // Godkendt
		"it_systems[].data_access.expires":    {"2027-05-11"},
		"it_systems[].data_access.events":     {"y"},
		"it_systems[].credentials":            {"2", "0"}, // an OAuth Shared Secret
		ss + "name":                           {"Borgerservice"},
		ss + "client_id":                      {"a4098663-0502-45ce-954c-b660160be961"},
		ss + "secret":                         {"CANARY-s3cret-value"},
		ss + "expires":                        {"2027-05-08"},
		"contact.first_name":                  {"Simon"}, "contact.last_name": {"Sørensen"}, "contact.cvr": {""},
		"contact.email": {"it@eksempel.dk"}, "contact.phone": {""},
		"followup.servicedesk_ticket": {"CPR-1234"}, "followup.virk_application": {"y"},
		"summary": {"1"}, // save
	}
}

// with is script with some keys' answers replaced.
func with(script map[string][]string, kv ...any) map[string][]string {
	out := maps.Clone(script)
	for i := 0; i < len(kv); i += 2 {
		switch v := kv[i+1].(type) {
		case string:
			out[kv[i].(string)] = []string{v}
		case []string:
			out[kv[i].(string)] = v
		}
	}
	return out
}

// keyedRun runs the accessible wizard on a script in a fresh folder.
func keyedRun(t *testing.T, cfg WizardConfig, script map[string][]string) (*Wizard, *answers, string, error) {
	t.Helper()
	a := newAnswers(script)
	var out bytes.Buffer
	if cfg.Path == "" {
		cfg.Path = filepath.Join(t.TempDir(), "p.yaml")
	}
	cfg.Accessible, cfg.In, cfg.Out = true, a, &out
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	w := NewWizard(cfg)
	err := w.RunAccessible()
	if a.starved != "" {
		err = fmt.Errorf("%w (the wizard asked %s, which has no answer left)", err, a.starved)
	}
	return w, a, out.String(), err
}

// certScript is cleanScript with an OAuth Certificate too, its file and
// password in the profile's folder, and a private supplier.
func certScript(t *testing.T, dir string) map[string][]string {
	t.Helper()
	p12, err := os.ReadFile("../examples/certs/graphql.p12")
	if err != nil {
		t.Fatal(err)
	}
	pass, err := os.ReadFile("../examples/secrets/p12-password")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "certs"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "certs", "graphql.p12"), p12, 0o600); err != nil {
		t.Fatal(err)
	}
	const c = "it_systems[].credentials.oauth_certificates[]."
	const k = "it_systems[].credentials.api_keys[]."
	return with(cleanScript(),
		"supplier", "y", "supplier.name", "Drift A/S", "supplier.cvr", "13748136", "supplier.data_processing_agreement", "1",
		"it_systems[].credentials", []string{"1", "2", "3", "0"},
		k+"name", "Skema", k+"key", "CANARY-api-key-value", k+"expires", "2028-05-08",
		c+"name", "GraphQL", c+"client_id", "9831e4b1-73ae-4e15-b8ba-e0377c4a21f1",
		c+"pkcs12", "certs/graphql.p12", c+"password", strings.TrimSpace(string(pass)),
		c+"fingerprint", "D25276D04F0D9CE25F8E4DC6ECC3B58C062BB5EC",
		"contact.phone", "+45 22 47 50 18",
	)
}

// goodValues are valid values of each format, typed after a refused one
// where the script's own answer is empty (an empty answer would keep the
// refused value).
var goodValues = map[string]string{
	"cvr": "29189846", "email": "it@eksempel.dk", "dk_phone": "+45 22 47 50 18", "ip_address": "80.62.117.23",
	"date": "2027-05-11", "uuid": "a4098663-0502-45ce-954c-b660160be961", "sha1_fingerprint": "D25276D04F0D9CE25F8E4DC6ECC3B58C062BB5EC",
}

// The wizard asks every field the model gives a format, and judges it
// by its tags: a value that breaks the format is refused with the
// format's words and asked again, and the value then given is the one
// saved. Fields the wizard never asks are named here with the reason.
func TestWizardJudgesEveryTaggedFieldByItsTags(t *testing.T) {
	notAsked := map[string]string{
		"it_systems[].credentials.api_keys[].created":             "Administration shows no creation date for an API key to copy",
		"it_systems[].credentials.oauth_shared_secrets[].created": "the wizard writes no creation date; cred.expiry counts a shared secret's 2 years from today without one",
		"it_systems[].credentials.oauth_certificates[].expires":   "read from the certificate file itself",
	}
	bad := map[string]string{
		"cvr": "29189847", "email": "it(at)eksempel.dk", "dk_phone": "12", "ip_address": "80.62.117",
		"date": "30-02-2027", "uuid": "not-a-uuid", "sha1_fingerprint": "XYZ",
	}
	dir := t.TempDir()
	script := certScript(t, dir)
	kr := &fakeKeyring{m: map[string]string{}}
	_, a, out, err := keyedRun(t, WizardConfig{Path: filepath.Join(dir, "p.yaml"), Keyring: kr.set}, script)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for key, f := range profile.TaggedFields() {
		if why, ok := notAsked[key]; ok {
			if slices.Contains(a.asked, key) {
				t.Errorf("%s is asked, but notAsked says: %s", key, why)
			}
			continue
		}
		if !slices.Contains(a.asked, key) {
			t.Errorf("the wizard never asks %s (validate:%q): give a field the key, or say in notAsked why not", key, f.Validate)
			continue
		}
		parts := strings.Split(f.Validate, ",")
		format, _, _ := strings.Cut(parts[len(parts)-1], "=")
		value, ok := bad[format]
		if !ok {
			t.Errorf("%s: no bad value for %q", key, format)
			continue
		}
		t.Run(key, func(t *testing.T) {
			dir := t.TempDir()
			script := certScript(t, dir)
			good := script[key]
			if len(good) == 1 && good[0] == "" {
				// An empty answer keeps what the field holds: the refused
				// value. A person types the right one.
				good = []string{goodValues[format]}
			}
			script[key] = append([]string{value}, good...)
			kr := &fakeKeyring{m: map[string]string{}}
			w, a, out, err := keyedRun(t, WizardConfig{Path: filepath.Join(dir, "p.yaml"), Keyring: kr.set}, script)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if u := a.unused(); len(u) > 0 {
				t.Errorf("%q was taken: the answer after it was never asked for (%v)", value, u)
			}
			why := profile.ValidateAs(key, value)
			if why == nil {
				t.Fatalf("%q does not break %s", value, f.Validate)
			}
			if flat := strings.Join(strings.Fields(redact.StripMarks(why.Error())), " "); !strings.Contains(strings.Join(strings.Fields(out), " "), flat) {
				t.Errorf("the wizard did not refuse %q with %q:\n%s", value, why, out)
			}
			if !w.Result().Saved {
				t.Fatal("not saved")
			}
			p, err := profile.Load(w.Result().Path)
			if err != nil {
				t.Fatal(err)
			}
			if fe := p.FieldErrors(); len(fe) > 0 {
				t.Errorf("saved with fields breaking their tags: %v", fe)
			}
		})
	}
	if u := a.unused(); len(u) > 0 {
		t.Errorf("answers no field took: %v", u)
	}
}

// A date refused at the approved application's expiry, then the status
// changed so that the expiry is no longer asked: the refused date is not
// saved (it was, and check then failed on it).
func TestRefusedExpiryIsNotSavedWhenNoLongerAsked(t *testing.T) {
	script := with(cleanScript(), "secret_store", "1",
		"it_systems[].data_access.status", []string{"3", "2"}, // Godkendt, then Ny
		"it_systems[].data_access.expires", []string{"2027-02-29", "back"},
		"it_systems[].data_access.entities", []string{"0", "0"},
		"it_systems[].ip_whitelist", []string{"1", "1", "1"})
	w, a, out, err := keyedRun(t, WizardConfig{}, script)
	if err != nil || !w.Result().Saved {
		t.Fatalf("%v (unused %v)\n%s", err, a.unused(), out)
	}
	d := w.Profile().ITSystems[0].DataAccess
	if d == nil || d.Status != checks.StatusNy || !d.Expires.IsZero() {
		t.Fatalf("saved %+v", d)
	}
}

// A credential's created date the wizard does not ask, broken in the
// profile being edited, does not refuse the expiry the person types: it
// is the Summary's to show.
func TestUnaskedFieldDoesNotRefuseAnother(t *testing.T) {
	p, err := profile.Load("../examples/public.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p.ITSystems[0].Credentials.OAuthSharedSecrets[0].Created = profile.NewDate("2026-02-30")
	w := NewWizard(WizardConfig{Path: filepath.Join(t.TempDir(), "p.yaml"), Draft: p, Now: func() time.Time { return testNow }})
	w.cur = state{step: stepCreds, sys: 0}
	w.form = w.build()
	subj := profile.SharedSecretSubject(0, 0)
	for _, r := range w.credFindings(0, subj, rules("it_systems[].credentials.oauth_shared_secrets[].expires")...) {
		if r.Status == checks.Fail {
			t.Errorf("the expiry is refused for another field: %s", r.Message)
		}
	}
	// The Summary still shows it.
	env := checks.NewEnv(context.Background(), p, testNow, profile.Resolver{BaseDir: p.Dir()})
	found := false
	for _, r := range checks.RunOffline(env, checks.Registry()) {
		found = found || r.Status == checks.Fail && strings.Contains(r.Message, "2026-02-30")
	}
	if !found {
		t.Error("the broken created date is reported nowhere")
	}
}
