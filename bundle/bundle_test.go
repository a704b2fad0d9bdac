package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/profile"
)

const (
	canaryLit  = "CANARY-LIT-0a1b2c3d"
	canaryEnv  = "CANARY-ENV-4e5f6a7b"
	canaryFile = "CANARY-FILE-8c9d0e1f"
	canaryTok  = "CANARY-TOKEN-2a3b4c5d"
	canaryProx = "CANARY-PROXY-6e7f8a9b"
)

func canaryProfile(t testing.TB, contactName string) (*profile.Profile, *redact.Redactor) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "secret"), []byte(canaryFile+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	y := `version: 1
environment: prod
organisation: {name: K, cvr: "29189846", kind: public, mitid_erhverv: true}
contact: {first_name: ` + contactName + `, last_name: B, cvr: "29189846", email: a@b.dk}
it_systems:
  - name: S
    owner_cvr: "29189846"
    purpose: graphql
    ip_whitelist: [{address: 80.62.117.23, range: 32}]
    data_access: {register: CPR, entities: [CustomPublicSectorPerson], status: Godkendt}
    credentials:
      api_keys: [{name: k, key: "` + canaryLit + `"}, {name: e, key: env:CANARY_ENV}]
      oauth_shared_secrets: [{client_id: a4098663-0502-45ce-954c-b660160be961, secret: file:secret}]
followup: {servicedesk_ticket: "1", virk_application: true}
`
	path := filepath.Join(dir, "p.yaml")
	if err := os.WriteFile(path, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := profile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	r := profile.Resolver{BaseDir: dir, LookupEnv: func(k string) (string, bool) { return canaryEnv, k == "CANARY_ENV" }}
	gate := redact.New(canaryTok)
	for _, ns := range p.Secrets() {
		if err := ns.Secret.Resolve(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		v, _ := ns.Secret.Reveal()
		gate.Add(v)
	}
	return p, gate
}

func sampleReport(p *profile.Profile) *checks.Report {
	rep, _ := checks.Evaluate(context.Background(), p, checks.Options{Offline: true}, profile.Resolver{})
	// As if a diagnosis had quoted a token and a secret.
	rep.Checks = append(rep.Checks, checks.Result{ID: "clock.skew", Status: checks.Pass, Subject: "environment", Message: "token " + canaryTok + " and " + canaryEnv, Evidence: map[string]any{"skew_s": 1.0}})
	rep.Finish()
	return rep
}

func readAll(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(tr)
		all.WriteString(h.Name + "\n" + buf.String())
	}
	return all.String()
}

// The bundle of a profile full of secrets contains none of them.
func TestBundleHasNoSecrets(t *testing.T) {
	p, gate := canaryProfile(t, "Simon")
	env := map[string]string{"HTTPS_PROXY": "http://user:" + canaryProx + "@proxy:3128", "NO_PROXY": "localhost"}
	files, m, err := Build(Options{Profile: p, Report: sampleReport(p), Tool: "cprready test", Getenv: func(k string) string { return env[k] }, Now: time.Now(), Gate: gate})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "b.tar.gz")
	if err := Write(path, files, time.Now()); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}
	all := readAll(t, path)
	for _, c := range []string{canaryLit, canaryEnv, canaryFile, canaryTok, canaryProx} {
		if strings.Contains(all, c) {
			t.Errorf("%s is in the bundle", c)
		}
	}
	for _, want := range []string{"manifest.json", "profile.redacted.yaml", "report.json", "report.md", "environment.txt",
		"proxy variables set (names only): HTTPS_PROXY, NO_PROXY", "clock offset: 1 s", "key: env:CANARY_ENV", "secret: file:secret"} {
		if !strings.Contains(all, want) {
			t.Errorf("bundle lacks %q", want)
		}
	}
	if len(m.Redacted) != 1 || !strings.Contains(m.Redacted[0], "api_keys[0].key") {
		t.Errorf("manifest redacted: %v", m.Redacted)
	}
	in, err := Inspect(path)
	if err != nil || len(in.Report.Checks) == 0 || in.Manifest.Tool != "cprready test" || in.Report.Names["it_systems[0]"] != "S" {
		t.Fatalf("inspect: %v %+v", err, in)
	}
	if len(in.Problems) != 0 {
		t.Fatalf("a bundle as written must verify: %v", in.Problems)
	}
}

// A secret that also appears in an ordinary field is masked there, and
// the manifest says so: the bundle is never refused for it.
func TestBundleMasksASecretInAnotherField(t *testing.T) {
	p, gate := canaryProfile(t, canaryLit) // the contact's first name is the literal key
	files, m, err := Build(Options{Profile: p, Report: sampleReport(p), Tool: "t", Now: time.Now(), Gate: gate})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.Contains(string(f.Data), canaryLit) {
			t.Fatalf("%s holds the secret", f.Name)
		}
	}
	if len(m.Masked) == 0 || m.Masked[0].Name != "profile.redacted.yaml" {
		t.Fatalf("the manifest does not say what was masked: %+v", m.Masked)
	}
}

// A LeakError (a defect: a secret's form outside the values) never names
// the value.
func TestScanNamesThePlaceNotTheValue(t *testing.T) {
	p, gate := canaryProfile(t, "Simon")
	m, _ := json.Marshal(Manifest{Profile: "p-" + strings.ToUpper(canaryLit) + ".yaml"})
	err := Scan([]File{{"manifest.json", m}}, p, gate)
	var leak *LeakError
	if !errors.As(err, &leak) || leak.File != "manifest.json" || leak.Secret != "it_systems[0].credentials.api_keys[0].key" {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), canaryLit) {
		t.Fatal("the error names the secret's value")
	}
}

func TestReadHostileBundles(t *testing.T) {
	dir := t.TempDir()
	notGzip := filepath.Join(dir, "x.tar.gz")
	_ = os.WriteFile(notGzip, []byte("hello"), 0o600)
	if _, err := Read(notGzip); err == nil || !strings.Contains(err.Error(), "not gzip") {
		t.Fatalf("got %v", err)
	}
	noReport := filepath.Join(dir, "y.tar.gz")
	if err := Write(noReport, []File{{"a.txt", []byte("x")}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(noReport); err == nil || !strings.Contains(err.Error(), "no report.json") {
		t.Fatalf("got %v", err)
	}
	badJSON := filepath.Join(dir, "z.tar.gz")
	_ = Write(badJSON, []File{{"report.json", []byte("{")}}, time.Now())
	if _, err := Inspect(badJSON); err == nil {
		t.Fatal("bad report.json accepted")
	}
}

// An edited bundle is caught: a changed file, a forged verdict, escapes
// in every field, an added file.
func TestInspectCatchesEditedBundles(t *testing.T) {
	p, gate := canaryProfile(t, "")
	rep := sampleReport(p)
	files, _, err := Build(Options{Profile: p, Report: rep, Tool: "cprready test", Now: time.Now(), Gate: gate})
	if err != nil {
		t.Fatal(err)
	}
	// Forge: every row passes on paper, the verdict says READY, and the
	// texts carry terminal escapes (OSC 0 title, OSC 52 clipboard).
	var doc map[string]any
	for i, f := range files {
		if f.Name != "report.json" {
			continue
		}
		if err := json.Unmarshal(f.Data, &doc); err != nil {
			t.Fatal(err)
		}
		doc["ready"] = true
		doc["evaluated_at"] = "\x1b]0;owned\x07 2026"
		for _, c := range doc["checks"].([]any) {
			row := c.(map[string]any)
			row["subject"] = "\x1b]52;c;cHduZWQ=\x07subject"
			row["blocked_by"] = "\x1b]0;title\x07"
		}
		files[i].Data, _ = json.Marshal(doc)
	}
	files = append(files, File{"extra.sh", []byte("rm -rf /")})
	path := filepath.Join(t.TempDir(), "forged.tar.gz")
	if err := Write(path, files, time.Now()); err != nil {
		t.Fatal(err)
	}
	in, err := Inspect(path)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(in.Problems, "\n")
	for _, want := range []string{"report.json was changed", "extra.sh is not in the manifest", "does not match its own rows"} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q: %v", want, in.Problems)
		}
	}
	if in.Report.Ready {
		t.Error("the forged READY survived")
	}
	b, _ := json.Marshal(in.Report)
	if strings.Contains(string(b), "\\u001b") || strings.Contains(string(b), "\\u0007") {
		t.Errorf("escapes survived: %s", b)
	}
}

func FuzzInspect(f *testing.F) {
	p, gate := canaryProfile(f, "")
	files, _, err := Build(Options{Profile: p, Report: sampleReport(p), Tool: "t", Now: time.Now(), Gate: gate})
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	path := filepath.Join(f.TempDir(), "b.tar.gz")
	if err := Write(path, files, time.Now()); err != nil {
		f.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	buf.Write(good)
	f.Add(buf.Bytes())
	f.Add([]byte("\x1f\x8b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "x.tar.gz")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		in, err := Inspect(p)
		if err != nil {
			return
		}
		b, _ := json.Marshal(in.Report)
		if bytes.Contains(b, []byte("\\u001b")) {
			t.Fatalf("an escape survived inspection")
		}
	})
}

// The redacted profile carries no comments (old secrets live there) and
// no parameter values in endpoint URLs, whatever their names.
func TestRedactedProfileDropsCommentsAndURLValues(t *testing.T) {
	p, err := profile.Parse([]byte(`version: 1
environment: custom
endpoints:
  graphql: https://gw.example/graphql
  egress_echo: https://gw.example/egress?x-api-key=QueryKeyValue12345&subscription-key=SubKey987654321#frag
# old secret: OldRot4t3dS3cretValue9999 (rotated 2026-10)
organisation: {name: K, cvr: "29189846", kind: public} # secret: AnotherOldOne88887777
`), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, redacted, err := RedactedProfile(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"OldRot4t3dS3cretValue9999", "AnotherOldOne88887777", "QueryKeyValue12345", "SubKey987654321", "frag"} {
		if strings.Contains(string(out), s) {
			t.Fatalf("the redacted profile keeps %q:\n%s", s, out)
		}
	}
	if !strings.Contains(string(out), "x-api-key=") || len(redacted) != 1 {
		t.Fatalf("parameter names should stay and the redaction be listed: %v\n%s", redacted, out)
	}
}
