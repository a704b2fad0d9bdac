package main

import (
	"archive/tar"
	"compress/gzip"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/internal/hostile"
	"github.com/cprready/cprready/internal/redact"
)

// The canary secrets of the live leak tests.
const (
	envCanary    = "CNRYenvQ7w2Zx9Lk4Pm"
	fileCanary   = "CNRYfileR8v3Yt6Nb1Hd"
	litCanary    = "CNRYlitS5u7Wq2Ej9Gc"
	urlCanary    = "CNRYurlT4r6Ui8Op0As"
	p12Canary    = "Test1234!" // the fixture's password: checked whole only
	pieceCanary7 = 7
)

// Every command, against a server that echoes the request back with the
// secret at every offset around the evidence cap, writes no piece of any
// secret (7 characters or more) to stdout, stderr, report files, the
// support bundle or the results cache.
func TestCanaryPiecesNeverLeakLive(t *testing.T) {
	secrets := []string{envCanary, fileCanary, litCanary, urlCanary}
	offsets := []int{0, datafordeler.MaxDetail - 40, datafordeler.MaxDetail - 12, datafordeler.MaxDetail - 3, datafordeler.MaxDetail}
	for _, pad := range offsets {
		for _, shape := range []hostile.Shape{hostile.Keycloak, hostile.ProblemJSON, hostile.HTML} {
			t.Run(fmt.Sprintf("shape%d-pad%d", shape, pad), func(t *testing.T) {
				srv := hostile.New(t, hostile.Echo(shape, pad))
				dir, path := canaryProfile(t, srv)
				all := canaryOutputs(t, dir, path)
				for _, s := range secrets {
					if p := hostile.Leak(all, s, pieceCanary7); p != "" {
						i := strings.Index(all, p)
						t.Fatalf("a piece %q of a secret leaked: …%s…", p, all[max(0, i-80):min(len(all), i+40)])
					}
				}
				if strings.Contains(all, p12Canary) {
					t.Fatal("the p12 password leaked")
				}
				if !strings.Contains(all, redact.Mask) {
					t.Fatal("the echo was never seen: the test proves nothing")
				}
			})
		}
	}
}

func untar(t *testing.T, b []byte) []byte {
	t.Helper()
	gz, err := gzip.NewReader(strings.NewReader(string(b)))
	if err != nil {
		return b
	}
	tr := tar.NewReader(gz)
	var out []byte
	for {
		h, err := tr.Next()
		if err != nil {
			return out
		}
		c, _ := io.ReadAll(io.LimitReader(tr, 32<<20))
		out = append(out, []byte("\n== "+h.Name+"\n")...)
		out = append(out, c...)
	}
}

// canaryProfile writes a profile whose every endpoint is srv, with the
// canary secrets as env:, file:, literal and URL credentials.
func canaryProfile(t *testing.T, srv *hostile.Server) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	cache := filepath.Join(dir, "cache")
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", dir)
	t.Setenv("CANARY_ENV", envCanary)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "secret"), []byte(fileCanary+"\n"), 0o600))
	profileYAML := `version: 1
environment: custom
endpoints:
  graphql: ` + srv.URL + `
  token: ` + srv.URL + `/token?token=` + urlCanary + `
  token_mtls: ` + srv.URL + `/mtls
  filedownload: ` + srv.URL + `/files
  egress_echo: ` + srv.URL + `/echo
  ca_file: ` + srv.CAFile + `
organisation: {name: K, cvr: "29189846", kind: public, mitid_erhverv: true}
contact: {first_name: A, last_name: B, cvr: "29189846", email: a@b.dk}
it_systems:
  - name: S
    owner_cvr: "29189846"
    purpose: graphql
    ip_whitelist: [{name: x, address: 80.62.117.23, range: 32}]
    data_access: {register: CPR, entities: [CustomPublicSectorPerson], status: Godkendt, events: true}
    credentials:
      api_keys: [{name: k, key: env:CANARY_ENV, expires: 2027-01-01}, {name: l, key: "` + litCanary + `", expires: 2027-01-01}]
      oauth_shared_secrets: [{name: s, client_id: a4098663-0502-45ce-954c-b660160be961, secret: file:secret, expires: 2027-01-01}]
followup: {servicedesk_ticket: "1", virk_application: true}
`
	path = filepath.Join(dir, "p.yaml")
	must(os.WriteFile(path, []byte(profileYAML), 0o600))
	return dir, path
}

// canaryOutputs runs every command that writes against the profile and
// returns everything written: stdout, stderr, report files, bundles (their
// members), the results cache.
func canaryOutputs(t *testing.T, dir, path string) string {
	t.Helper()
	var outputs []string
	for _, args := range [][]string{
		{"check", "--profile", path, "--timeout", "10s"},
		{"check", "--profile", path, "--format", "json", "--timeout", "10s"},
		{"check", "--profile", path, "--format", "junit", "--timeout", "10s"},
		{"check", "--profile", path, "--format", "markdown", "--timeout", "10s", "--output", filepath.Join(dir, "r.md")},
		{"report", "--profile", path, "--output", filepath.Join(dir, "b.tar.gz")},
		{"schema", "fetch", "--profile", path},
	} {
		std, out, errb := testIO(nil)
		run(args, std)
		outputs = append(outputs, out.String(), errb.String())
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == path || strings.HasSuffix(p, "secret") {
			return nil
		}
		b, _ := os.ReadFile(p)
		if strings.HasSuffix(p, ".tar.gz") {
			b = untar(t, b)
		}
		outputs = append(outputs, string(b))
		return nil
	})
	return strings.Join(outputs, "\n")
}

// A server that echoes the request upper-cased, in hex, base32, every
// byte percent-encoded or \u-escaped puts none of the secrets, in that
// form, into any output (report.json, the bundle and its manifest
// included).
func TestCanaryEncodedEchoesNeverLeak(t *testing.T) {
	secrets := []string{envCanary, fileCanary, litCanary, urlCanary}
	for name, enc := range hostile.Encodings {
		t.Run(name, func(t *testing.T) {
			srv := hostile.New(t, hostile.EchoEncoded(hostile.Keycloak, 3, enc))
			dir, path := canaryProfile(t, srv)
			all := canaryOutputs(t, dir, path)
			for _, s := range secrets {
				form := enc(s)
				if p := hostile.Leak(strings.ToLower(all), strings.ToLower(form), 12); p != "" {
					i := strings.Index(strings.ToLower(all), p)
					t.Fatalf("%s: a piece %q of a secret's echo leaked: …%s…", name, p, all[max(0, i-80):min(len(all), i+40)])
				}
			}
			if !strings.Contains(all, redact.Mask) {
				t.Fatal("the echo was never seen: the test proves nothing")
			}
		})
	}
}

// A server that echoes the secrets in the token answer's token_type, the
// Date header and the schema's type names (upper-cased, in hex) puts none
// of them into any output: they are text from a server wherever they
// stand.
func TestCanaryEchoesInAnswersNeverLeak(t *testing.T) {
	srv := hostile.New(t, hostile.EchoInAnswers())
	dir, path := canaryProfile(t, srv)
	all := canaryOutputs(t, dir, path)
	for _, s := range []string{envCanary, fileCanary, litCanary} {
		for _, form := range []string{strings.ToUpper(s), hex.EncodeToString([]byte(s))} {
			if p := hostile.Leak(strings.ToLower(all), strings.ToLower(form), 12); p != "" {
				i := strings.Index(strings.ToLower(all), p)
				t.Fatalf("a piece %q of an echoed secret leaked: …%s…", p, all[max(0, i-80):min(len(all), i+40)])
			}
		}
	}
	if !strings.Contains(all, redact.Mask) {
		t.Fatal("the echo was never seen: the test proves nothing")
	}
}
