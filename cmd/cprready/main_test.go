package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/internal/redact"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"cprready": func() {
			std := newStdio()
			std.out, std.err = markGuard{std.out}, markGuard{std.err}
			os.Exit(run(os.Args[1:], std))
		},
	})
}

// markGuard fails a script whose output holds a mark of outside text
// (redact's noncharacters): every output must have passed the final gate.
type markGuard struct{ w io.Writer }

func (g markGuard) Write(p []byte) (int, error) {
	if redact.StripMarks(string(p)) != string(p) {
		fmt.Fprintf(os.Stderr, "cprready test: an output holds a redaction mark (it skipped the final gate): %q\n", p)
		os.Exit(97)
	}
	return g.w.Write(p)
}

func TestScripts(t *testing.T) {
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	fixtures, _ := filepath.Abs("../../gql/testdata/platform")
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			// Phrases stay on one line; width.txtar sets its own.
			env.Setenv("COLUMNS", "1000")
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			// Windows' config and cache folders (os.UserConfigDir, os.UserCacheDir).
			env.Setenv("APPDATA", filepath.Join(env.WorkDir, ".config"))
			env.Setenv("LOCALAPPDATA", filepath.Join(env.WorkDir, ".cache"))
			env.Setenv("FIXTURES", fixtures)
			return copyTree(examples, filepath.Join(env.WorkDir, "examples"))
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// mode FILE PERM: the file's permission bits are PERM (octal).
			// Windows has no mode bits: there 600 is an owner-only ACL and
			// 644 an ACL that lets others read (perm_windows_test.go).
			"mode": func(ts *testscript.TestScript, neg bool, args []string) {
				got, err := permOf(ts.MkAbs(args[0]))
				ts.Check(err)
				if (got == args[1]) == neg {
					ts.Fatalf("mode of %s is %s", args[0], got)
				}
			},
			// noglob PATTERN: nothing matches PATTERN (filepath.Glob).
			"noglob": func(ts *testscript.TestScript, neg bool, args []string) {
				m, err := filepath.Glob(ts.MkAbs(args[0]))
				ts.Check(err)
				if (len(m) == 0) == neg {
					ts.Fatalf("%s matches %v", args[0], m)
				}
			},
			// chmod644 FILE: let other users read FILE.
			"chmod644": func(ts *testscript.TestScript, _ bool, args []string) {
				ts.Check(shareWithOthers(ts.MkAbs(args[0])))
			},
			// emulator DIR [FAULT…]: start an emulator for the rest of the
			// script, its state in DIR; $EMU_URL is its address.
			"emulator": func(ts *testscript.TestScript, _ bool, args []string) {
				srv, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: ts.MkAbs(args[0]), Faults: args[1:]})
				ts.Check(err)
				ts.Setenv("EMU_URL", srv.URL())
				ts.Defer(func() { _ = srv.Close() })
			},
		},
	})
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o600)
	})
}

// testIO is a stdio over buffers with a clean environment.
func testIO(env map[string]string) (*stdio, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &stdio{in: strings.NewReader(""), out: &out, err: &errb, getenv: func(k string) string { return env[k] }, gate: redact.New()}, &out, &errb
}

func TestExplainEveryID(t *testing.T) {
	for _, id := range checks.IDs() {
		std, out, _ := testIO(nil)
		if code := run([]string{"explain", id}, std); code != 0 {
			t.Errorf("explain %s: exit %d", id, code)
		}
		for _, want := range []string{id, "What it checks", "Why", "How to fix it", "Where", "Docs: https://"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("explain %s lacks %q", id, want)
			}
		}
	}
}

// Canary secrets in env, file and literal references never reach any
// output, in any format, on success or failure paths.
func TestCanarySecretsNeverLeak(t *testing.T) {
	dir := t.TempDir()
	const (
		envCanary  = "CANARY-ENV-5d1f0a9c"
		fileCanary = "CANARY-FILE-3b7e2c81"
		litCanary  = "CANARY-LIT-8c4a6e20"
		p12Canary  = "CANARY-P12-9e1d3f57"
	)
	if err := os.WriteFile(filepath.Join(dir, "secret"), []byte(fileCanary+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pw"), []byte(p12Canary), 0o600); err != nil {
		t.Fatal(err)
	}
	p12, err := os.ReadFile("../../profile/testdata/aes.p12")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "c.p12"), p12, 0o600); err != nil {
		t.Fatal(err)
	}
	profileYAML := `version: 1
environment: prod
organisation: {name: K, cvr: "29189846", kind: public, mitid_erhverv: true}
contact: {first_name: A, last_name: B, cvr: "29189846", email: a@b.dk}
it_systems:
  - name: S
    owner_cvr: "29189846"
    purpose: graphql
    ip_whitelist: [{name: x, address: 80.62.117.23, range: 32}]
    data_access: {register: CPR, entities: [CustomPublicSectorPerson], status: Godkendt}
    credentials:
      api_keys: [{name: k, key: env:CANARY_ENV, expires: 2027-01-01}, {name: l, key: "` + litCanary + `", expires: 2027-01-01}]
      oauth_shared_secrets: [{name: s, client_id: a4098663-0502-45ce-954c-b660160be961, secret: file:secret, expires: 2027-01-01}]
      oauth_certificates: [{name: c, client_id: 9831e4b1-73ae-4e15-b8ba-e0377c4a21f1, fingerprint: "00", pkcs12: c.p12, password: file:pw}]
followup: {servicedesk_ticket: "1", virk_application: true}
`
	path := filepath.Join(dir, "p.yaml")
	if err := os.WriteFile(path, []byte(profileYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"CANARY_ENV": envCanary}
	t.Setenv("CANARY_ENV", envCanary)
	for _, args := range [][]string{
		{"check", "--offline", "--profile", path},
		{"check", "--offline", "--profile", path, "--format", "json"},
		{"check", "--offline", "--profile", path, "--format", "junit"},
		{"check", "--offline", "--profile", path, "--format", "markdown"},
		{"check", "--offline", "--profile", path, "--strict", "--at", "2030-01-01"},
		{"check", "--offline", "--profile", path, "--format", "json", "--output", filepath.Join(dir, "r.json")},
		{"check", "--offline", "--profile", path, "--only", "nope"},
	} {
		std, out, errb := testIO(env)
		run(args, std)
		all := out.String() + errb.String()
		if b, err := os.ReadFile(filepath.Join(dir, "r.json")); err == nil {
			all += string(b)
		}
		for _, c := range []string{envCanary, fileCanary, litCanary, p12Canary} {
			if strings.Contains(all, c) {
				t.Errorf("%v: %s leaked", args, c)
			}
		}
	}
}

func TestNoTerminalRootIsUsageError(t *testing.T) {
	std, out, errb := testIO(nil)
	if code := run([]string{}, std); code != cmdutil.ExitUsage { // not nil: cobra would read the test binary's own flags
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out.String(), "Usage:") || !strings.Contains(errb.String(), "init --no-tui") {
		t.Fatalf("stdout %q stderr %q", out.String(), errb.String())
	}
}

// A panic prints a redacted crash report and where to send it.
func TestCrashReportRedacts(t *testing.T) {
	const canary = "CANARY-PANIC-1a2b3c4d"
	std, _, errb := testIO(nil)
	std.gate.Add(canary)
	code := cmdutil.Crash(std.err, std.gate, "boom with https://h/x?apiKey=KEY123456 and "+canary, "cprready test")
	out := errb.String()
	if code != 70 || strings.Contains(out, canary) || strings.Contains(out, "KEY123456") {
		t.Fatalf("exit %d, report:\n%s", code, out)
	}
	if !strings.Contains(out, "github.com/cprready/cprready/issues") || !strings.Contains(out, "goroutine") {
		t.Fatalf("crash report lacks where to send it or the stack:\n%s", out)
	}
}

// Completions offer values: check IDs, fault names, formats, services,
// versions, migrate targets, explain's codes.
func TestValueCompletions(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "check", "--only", ""}, "ip.prefix-range"},
		{[]string{"__complete", "check", "--only", "org.cvr,"}, "org.cvr,ip.public"},
		{[]string{"__complete", "demo", "--fault", ""}, "ip-not-whitelisted"},
		{[]string{"__complete", "check", "--format", ""}, "junit"},
		{[]string{"__complete", "schema", "fetch", "--service", ""}, "events"},
		{[]string{"__complete", "schema", "validate", "--version", ""}, "v1"},
		{[]string{"__complete", "migrate", ""}, "CprAuthorities"},
		{[]string{"__complete", "explain", ""}, "DAF-AUTH-0005"},
	} {
		std, out, _ := testIO(nil)
		run(c.args, std)
		if !strings.Contains(out.String(), c.want) {
			t.Errorf("%v: no %q in %q", c.args, c.want, out.String())
		}
	}
}

// Text reports and explanations fit the terminal: 80 columns when the
// width is unknown, $COLUMNS otherwise; a line is longer only where one
// word (a URL, a path) is, and no word is broken.
func TestTextFitsTheWidth(t *testing.T) {
	for _, cols := range []string{"", "60", "120"} {
		width := 80
		if cols != "" {
			width, _ = strconv.Atoi(cols)
		}
		for _, args := range [][]string{
			{"check", "--offline", "--profile", "../../examples/findings.yaml", "--at", "2026-12-01"},
			{"check", "--offline", "--profile", "../../examples/findings.yaml", "--at", "2026-12-01", "-v"},
			{"explain", "ip.prefix-range"},
			{"explain", "DAF-AUTH-0005"},
		} {
			std, out, _ := testIO(map[string]string{"COLUMNS": cols})
			run(args, std)
			for line := range strings.SplitSeq(out.String(), "\n") {
				if ansi.StringWidth(line) <= width {
					continue
				}
				// Over the width only by one word that fits no line: the
				// line's last word is longer than the room after its lead.
				last := line[strings.LastIndex(strings.TrimRight(line, " "), " ")+1:]
				lead := strings.TrimSuffix(line, last)
				if strings.TrimSpace(lead) != "" && ansi.StringWidth(last) <= width-ansi.StringWidth(lead) {
					t.Errorf("COLUMNS=%q %v: a line of %d cells with no unbreakable word:\n%s", cols, args, ansi.StringWidth(line), line)
				}
			}
		}
	}
}

// A name from outside (a bundle's file name) reaches the terminal without
// its escapes: no OSC title, no clear-screen.
func TestErrorsCarryNoEscapes(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "evil\x1b]0;owned\x07\x1b[2J.tar.gz")
	if err := os.WriteFile(name, []byte("not a bundle"), 0o600); err != nil {
		t.Skip("this file system refuses the name:", err)
	}
	for _, args := range [][]string{{"report", "--inspect", name}, {"check", "--offline", "--profile", name}} {
		std, out, errb := testIO(nil)
		if code := run(args, std); code != 2 {
			t.Errorf("%v: exit %d", args, code)
		}
		if strings.ContainsAny(out.String()+errb.String(), "\x1b\x07") {
			t.Errorf("%v: an escape reached the terminal: %q", args, errb.String())
		}
	}
}
