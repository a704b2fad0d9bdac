package profile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name, yaml string
		line       int
		field      string
		contains   []string
	}{
		{"unknown key with suggestion", "version: 1\norganisation:\n  nam: x\n", 3, "organisation.nam", []string{`unknown key "nam"`, `did you mean "name"?`}},
		{"unknown nested in list", "version: 1\nit_systems:\n  - name: x\n    ip_whitelst: []\n", 4, "it_systems[0].ip_whitelst", []string{`did you mean "ip_whitelist"?`}},
		{"unknown top-level", "version: 1\nitsystems: []\n", 2, "itsystems", []string{`did you mean "it_systems"?`}},
		{"unknown, nothing close", "version: 1\nzzzzzz: 1\n", 2, "zzzzzz", []string{`unknown key "zzzzzz"`}},
		{"list where a string belongs", "version: 1\norganisation:\n  cvr: [1, 2]\n", 3, "organisation.cvr", []string{"expected text", "a list"}},
		{"list for range", "version: 1\nit_systems:\n  - ip_whitelist:\n    - range: [1]\n", 4, "it_systems[0].ip_whitelist[0].range", []string{"prefix length"}},
		{"mapping for a secret", "version: 1\nit_systems:\n  - credentials:\n      api_keys:\n        - key: {a: b}\n", 5, "it_systems[0].credentials.api_keys[0].key", []string{"secret reference", "a mapping"}},
		{"string for a bool", "version: 1\norganisation:\n  mitid_erhverv: maybe\n", 3, "organisation.mitid_erhverv", []string{"true or false"}},
		{"string for a list", "version: 1\nit_systems: foo\n", 2, "it_systems", nil},
		{"syntax error", "version: 1\norganisation:\n  name: 'x\n", 3, "", []string{"syntax"}},
		{"tab indentation", "version: 1\n\tfoo: 1\n", 2, "", []string{"syntax"}},
		{"duplicate key", "version: 1\norganisation:\n  name: x\n  name: y\n", 4, "", []string{"already defined"}},
		{"not a mapping", "- a\n- b\n", 1, "", []string{"mapping"}},
		{"empty", "\n\n", 1, "", []string{"empty"}},
		{"comment only", "# nothing\n", 1, "", []string{"empty"}},
		{"unknown version", "version: 2\n", 1, "version", []string{"version 2"}},
		{"two documents", "version: 1\n---\nversion: 1\n", 3, "", []string{"more than one"}},
	}
	for _, c := range cases {
		_, err := Parse([]byte(c.yaml), "p.yaml")
		var le *LoadError
		if !errors.As(err, &le) {
			t.Errorf("%s: want *LoadError, got %v", c.name, err)
			continue
		}
		if le.File != "p.yaml" || le.Line != c.line || (c.field != "" && le.Field != c.field) {
			t.Errorf("%s: got file %q line %d field %q (%v); want line %d field %q", c.name, le.File, le.Line, le.Field, err, c.line, c.field)
		}
		for _, s := range c.contains {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: %q lacks %q", c.name, err.Error(), s)
			}
		}
	}
}

// A value of the right type that breaks a rule is never a load error.
func TestRuleBreakingValuesLoad(t *testing.T) {
	y := `version: 1
environment: staging
organisation: {cvr: "123", kind: semi}
contact: {email: nope}
it_systems:
  - purpose: both
    ip_whitelist: [{address: "::1", range: 33}, {address: 1.2.3.4, range: "/x"}]
    data_access: {register: CVR, entities: [Nope], status: maybe, expires: someday}
    credentials:
      oauth_shared_secrets: [{client_id: nope, secret: plain, expires: 2027-13-45}]
`
	p, err := Parse([]byte(y), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.ITSystems[0].IPWhitelist[0].Range.Raw() != "33" || p.ITSystems[0].DataAccess.Expires.Valid() {
		t.Fatalf("values not kept: %+v", p.ITSystems[0])
	}
	if p.Line("it_systems[0].ip_whitelist[1]") != 7 || p.Line("it_systems[0].ip_whitelist[1].address") != 7 {
		t.Fatalf("line index: %d", p.Line("it_systems[0].ip_whitelist[1]"))
	}
}

func TestLoadFileErrors(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.yaml"))
	var le *LoadError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "missing.yaml") {
		t.Fatalf("got %v", err)
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(big, []byte("version: 1\n"+strings.Repeat("# x\n", MaxSize/4+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Fatalf("got %v", err)
	}
}

func TestRelativePaths(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.MkdirAll(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "secret"), []byte("from-the-profile-folder\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(sub, "p.yaml")
	y := "version: 1\nit_systems:\n  - credentials:\n      api_keys: [{key: file:secret}]\n      oauth_certificates: [{pkcs12: certs/x.p12}]\n"
	if err := os.WriteFile(path, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.ResolvePath("certs/x.p12"); got != filepath.Join(sub, "certs", "x.p12") {
		t.Fatalf("ResolvePath: %s", got)
	}
	s := &p.ITSystems[0].Credentials.APIKeys[0].Key
	if err := s.Resolve(t.Context(), DefaultResolver(p)); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Reveal(); v != "from-the-profile-folder" {
		t.Fatalf("got %q", v)
	}
}

func TestDates(t *testing.T) {
	for in, want := range map[string]string{
		"2027-05-11":           "2027-05-11",
		"11-05-2027":           "2027-05-11",
		"24.10.2026, 12.09.27": "2026-10-24",
		"2026-10-24T12:09:27Z": "2026-10-24",
	} {
		d := NewDate(in)
		if !d.Valid() || d.String() != want {
			t.Errorf("%q: got %v %v", in, d, d.Err())
		}
	}
	for _, bad := range []string{"2027-13-01", "31-02-2027", "soon", "2027/05/11"} {
		if NewDate(bad).Valid() {
			t.Errorf("%q parsed", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	seeds := []string{
		"version: 1\n",
		"version: 1\norganisation: {cvr: \"29189846\"}\n",
		"version: 1\nit_systems:\n  - ip_whitelist: [{address: 1.2.3.4, range: 32}]\n",
		"a: &x [*x]\n",
		"version: 1\nit_systems: [{credentials: {api_keys: [{key: env:X}]}}]\n",
		"{{{{",
		"- - - -",
		"version: !!binary aGVsbG8=\n",
		"<<: *a\n",
	}
	if b, err := os.ReadFile("../examples/findings.yaml"); err == nil {
		seeds = append(seeds, string(b))
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz.yaml")
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error is not a *LoadError: %T %v", err, err)
			}
			return
		}
		if p == nil {
			t.Fatal("nil profile without error")
		}
	})
}
