package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/cprready/cprready/internal/golden"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/internal/redact"
)

const canary = "CANARY-7a6b5c4d3e2f"

// sample is a report whose text carries a canary as if something had
// leaked it, plus hostile terminal text.
func sample() *checks.Report {
	rep := &checks.Report{
		SchemaVersion: 1, Tool: checks.Tool{Name: "cprready", Version: "v0.1.0"},
		Profile: "cprready.yaml", Environment: "prod", EvaluatedAt: "2026-11-26",
		Names: map[string]string{"it_systems[0]": "Borgerservice"},
		Checks: []checks.Result{
			{ID: "org.cvr", Status: checks.Pass, Title: "CVR", Subject: "organisation", Message: "ok", Docs: "d", Evidence: map[string]any{}},
			{ID: "ip.prefix-range", Status: checks.Fail, Title: "Range", Subject: "it_systems[0].ip_whitelist[1]", Message: "80.62.116.0/23 is wider than /24 " + canary, Remedy: "Split it | now", Docs: "d", Evidence: map[string]any{"token": canary, "url": "https://h/schema?apiKey=" + canary}},
			{ID: "cred.storage", Status: checks.Warn, Title: "Storage", Subject: "it_systems[0].credentials.api_keys[0]", Message: "literal \x1b]0;pwned\x07 value", Docs: "d", Evidence: map[string]any{}},
			{ID: "graphql.protected", Status: checks.Skip, Title: "Query", Subject: "it_systems[0].credentials.oauth_shared_secrets[0]", Message: "token failed", BlockedBy: "oauth.token", Docs: "d", Evidence: map[string]any{
				"timings": []datafordeler.Timing{{Label: "token", DNSMS: 1, ConnectMS: 2, TLSMS: 3, WaitMS: 40, TotalMS: 46}}}},
			{ID: "access.attachment", Status: checks.Info, Title: "Bilag", Subject: "it_systems[0].data_access", Message: "none", Docs: "d", Evidence: map[string]any{}},
		},
	}
	rep.Finish()
	return rep
}

func TestEveryFormatRedactsCanary(t *testing.T) {
	gate := redact.New(canary)
	for _, f := range Formats {
		var buf bytes.Buffer
		if err := Render(&buf, sample(), Options{Format: f, Color: true}, gate); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out := buf.String()
		if strings.Contains(out, canary) {
			t.Errorf("%s: canary leaked:\n%s", f, out)
		}
		if !strings.Contains(out, redact.Mask) {
			t.Errorf("%s: no redaction mark", f)
		}
		if f != "json" && strings.Contains(out, "\x1b]0;") {
			t.Errorf("%s: OSC escape passed through", f)
		}
	}
}

func TestJSONShape(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema_version", "tool", "profile", "environment", "evaluated_at", "ready", "summary", "checks", "options"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("missing %s", k)
		}
	}
	if len(doc) != 9 {
		t.Errorf("unexpected top-level keys: %v", doc)
	}
	row := doc["checks"].([]any)[1].(map[string]any)
	for _, k := range []string{"id", "status", "title", "subject", "message", "remedy", "docs", "blocked_by", "duration_ms", "evidence"} {
		if _, ok := row[k]; !ok {
			t.Errorf("row missing %s", k)
		}
	}
	if len(row) != 10 {
		t.Errorf("unexpected row keys: %v", row)
	}
	sum := doc["summary"].(map[string]any)
	if sum["pass"].(float64) != 1 || sum["fail"].(float64) != 1 || sum["warn"].(float64) != 1 || sum["skip"].(float64) != 1 || sum["info"].(float64) != 1 {
		t.Errorf("summary %v", sum)
	}
	if doc["ready"] != false {
		t.Error("a fail must make ready false")
	}
}

func TestJUnit(t *testing.T) {
	var buf bytes.Buffer
	if err := JUnit(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, buf.String())
	}
	s := doc.Suites[0]
	if s.Tests != 5 || s.Failures != 1 || s.Skipped != 1 || len(s.Cases) != 5 {
		t.Fatalf("suite %+v", s)
	}
	if f := s.Cases[1].Failure; f == nil || !strings.HasPrefix(f.Message, "80.62.116.0/23 is wider than /24") || !strings.Contains(f.Body, "Fix: Split it | now") {
		t.Errorf("the failure's message is the finding, its body the fix: %+v", s.Cases[1].Failure)
	}
	if s.Cases[3].Skipped == nil || !strings.Contains(s.Cases[3].Skipped.Message, "blocked by oauth.token") {
		t.Errorf("skip: %+v", s.Cases[3].Skipped)
	}
	strict := sample()
	strict.Strict = true
	buf.Reset()
	_ = JUnit(&buf, strict)
	var sdoc junitSuites
	_ = xml.Unmarshal(buf.Bytes(), &sdoc)
	if sdoc.Suites[0].Failures != 2 {
		t.Errorf("--strict: warnings are failures, got %d", sdoc.Suites[0].Failures)
	}
}

func TestMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := Markdown(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "## cprready: NOT READY") || !strings.Contains(out, `Split it \| now`) {
		t.Fatalf("markdown:\n%s", out)
	}
	if n := strings.Count(out, "\n| "); n != 7 { // two tables' headers + 5 rows
		t.Errorf("want 7 table lines, got %d", n)
	}
	// What fails and warns comes before every pass (a PR comment's reader
	// sees the findings, not sixty passes).
	if fix, pass := strings.Index(out, "### What to fix"), strings.Index(out, "✓ pass"); fix < 0 || pass < fix || !strings.Contains(out, "<details>") {
		t.Errorf("the findings are not first:\n%s", out)
	}
}

func TestTextGroupsAndWaterfall(t *testing.T) {
	var buf bytes.Buffer
	if err := Text(&buf, sample(), Options{Verbose: true}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "NOT READY  1 fail · 1 warn · 1 pass · 1 skip · 1 info\n") {
		t.Fatalf("first line: %q", strings.SplitN(out, "\n", 2)[0])
	}
	for _, want := range []string{`IT-system "Borgerservice" (it_systems[0])`, "fix: Split it | now", "blocked by oauth.token", "46ms dns 1 · tcp 2 · tls 3 · wait 40"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("plain text must have no ANSI codes")
	}
	buf.Reset()
	_ = Text(&buf, sample(), Options{Color: true})
	if !strings.Contains(buf.String(), "\x1b[") {
		t.Error("colour text should have ANSI codes")
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := Render(&bytes.Buffer{}, sample(), Options{Format: "yaml"}, nil); err == nil {
		t.Fatal("unknown format must fail")
	}
}

// Text from a profile (an IT-system's name) cannot drive the terminal.
func TestTextCleansProfileText(t *testing.T) {
	rep := sample()
	rep.Names["it_systems[0]"] = "Evil\x1b]52;c;cGF5bG9hZA==\x07\x1b[2J"
	var buf bytes.Buffer
	if err := Text(&buf, rep, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "\x1b") {
		t.Fatalf("escape sequence in the report: %q", buf.String())
	}
}

// Every format renders the sample exactly as its golden file holds
// (go test ./report -update rewrites them).
func TestGoldenReports(t *testing.T) {
	for name, opts := range map[string]Options{
		"text-compact.golden": {Format: "text"},
		"text-verbose.golden": {Format: "text", Verbose: true},
		"markdown.golden":     {Format: "markdown"},
		"junit.golden":        {Format: "junit"},
		"json.golden":         {Format: "json"},
	} {
		var buf bytes.Buffer
		if err := Render(&buf, sample(), opts, nil); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, name, buf.Bytes())
	}
}

// The row-at-a-time JSON is byte for byte what one indented encoder run
// writes.
func TestJSONStreamingMatchesEncoder(t *testing.T) {
	for _, rep := range []*checks.Report{sample(), {SchemaVersion: 1}} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		r := *rep
		if r.Checks == nil {
			r.Checks = []checks.Result{}
		}
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := JSON(&got, rep); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("differs:\n%s\n---\n%s", got.String(), want.String())
		}
	}
}
