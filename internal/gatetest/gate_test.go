package gatetest_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"golang.org/x/net/html"

	"github.com/cprready/cprready/bundle"
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/buildinfo"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/report"
	"github.com/cprready/cprready/watch"
)

var day = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// fixture is a copy of examples/ and the public profile's offline report.
type fixture struct {
	dir, path string
	p         *profile.Profile
	rep       *checks.Report
	// outside is every text of the profile folder (the profile, secret
	// files, certificates): a secret found there is masked there, rightly.
	outside string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../examples")); err != nil {
		t.Fatal(err)
	}
	f := &fixture{dir: dir, path: filepath.Join(dir, "public.yaml")}
	var err error
	if f.p, err = profile.Load(f.path); err != nil {
		t.Fatal(err)
	}
	if f.rep, err = checks.Evaluate(context.Background(), f.p, checks.Options{At: day, Offline: true, Tool: checks.Tool{Name: "cprready", Version: "test"}}, profile.Resolver{BaseDir: dir}); err != nil {
		t.Fatal(err)
	}
	f.rep.EvaluatedAt = day.Format(time.RFC3339)
	var all strings.Builder
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p) // #nosec G304 -- the test's own copy
			all.Write(b)
			all.WriteString("\n" + p + "\n")
		}
		return nil
	})
	for _, r := range f.rep.Checks {
		for _, v := range r.Evidence {
			all.WriteString(fmt.Sprint(v) + "\n")
		}
	}
	f.outside = all.String()
	return f
}

// holds reports whether s, or a piece of it long enough to be masked
// anywhere, is in the profile's own files: then its masking there is
// right, not a change of the tool's text.
func (f *fixture) holds(s string) bool {
	low, in := strings.ToLower(s), strings.ToLower(f.outside)
	if strings.Contains(in, low) || strings.Contains(in, strings.Trim(low, `"',:;()[]{}<>`)) {
		return true
	}
	for i := 0; i+redact.LongLen <= len(low); i++ {
		if strings.Contains(in, low[i:i+redact.LongLen]) {
			return true
		}
	}
	return false
}

// longPieceIn reports whether b holds a piece of s LongLen long.
func longPieceIn(s string, b []byte) bool {
	for i := 0; i+redact.LongLen <= len(s); i++ {
		if bytes.Contains(b, []byte(s[i:i+redact.LongLen])) {
			return true
		}
	}
	return false
}

// echoes are the forms a hostile server echoes a secret in.
func echoes(s string) []string {
	u := func(v string) string {
		var b strings.Builder
		for _, r := range v {
			for _, c := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, `\u%04X`, c)
			}
		}
		return b.String()
	}
	pct := func(v string) string {
		var b strings.Builder
		for i := 0; i < len(v); i++ {
			fmt.Fprintf(&b, "%%%02X", v[i])
		}
		return b.String()
	}
	return []string{s, strings.ToUpper(s), strings.ToLower(s), hex.EncodeToString([]byte(s)), strings.ToUpper(hex.EncodeToString([]byte(s))),
		base32.StdEncoding.EncodeToString([]byte(s)), pct(s), u(s), url.QueryEscape(s)}
}

// withEchoes is rep plus a failed live row whose server echoed secret in
// every form, each between ⟦ and ⟧, in its message and its evidence.
func withEchoes(rep *checks.Report, secret string) *checks.Report {
	c := *rep
	c.Checks = slices.Clone(rep.Checks)
	var body strings.Builder
	for _, e := range echoes(secret) {
		body.WriteString(" ⟦" + e + "⟧")
	}
	r := checks.NewResult(checks.Fail, "it_systems[0].credentials.oauth_shared_secrets[0]",
		fmt.Sprintf("The token endpoint rejected the client: %s", redact.Server(`{"error":"invalid_client","echo":"`+body.String()+`"}`)), "Create a new secret.")
	r.ID, r.Title = "oauth.token", "OAuth token"
	r.Evidence["detail"] = redact.Server(body.String()).String()
	r.Evidence["status"] = 401
	c.Checks = append(c.Checks, r)
	c.Finish()
	return &c
}

var echoRe = regexp.MustCompile(`⟦([^⟧]*)⟧`)

// leftEchoes lists what survived between ⟦ and ⟧ other than a mask.
func leftEchoes(s string) []string {
	var out []string
	for _, m := range echoRe.FindAllStringSubmatch(s, -1) {
		if m[1] != redact.Mask {
			out = append(out, m[1])
		}
	}
	return out
}

var formats = []string{"json", "junit", "markdown", "text"}

func render(t *testing.T, rep *checks.Report, gate *redact.Redactor, format string) []byte {
	t.Helper()
	b, err := report.Bytes(rep, report.Options{Format: format, Verbose: true, Width: 100000}, gate)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// shape is what must never change: JSON key paths and check IDs, XML
// element and attribute names, the check IDs a document names.
func shape(t *testing.T, format string, b []byte) string {
	t.Helper()
	switch format {
	case "json":
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("the JSON report does not parse: %v", err)
		}
		var keys []string
		var walk func(string, any)
		walk = func(path string, v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					keys = append(keys, path+"."+k)
					walk(path+"."+k, e)
				}
			case []any:
				for _, e := range x {
					walk(path+"[]", e)
				}
			}
		}
		walk("", v)
		sort.Strings(keys)
		keys = slices.Compact(keys)
		var ids []string
		for _, c := range v.(map[string]any)["checks"].([]any) {
			ids = append(ids, fmt.Sprint(c.(map[string]any)["id"], " ", c.(map[string]any)["status"]))
		}
		return strings.Join(keys, "\n") + "\n--\n" + strings.Join(ids, "\n")
	case "junit":
		dec := xml.NewDecoder(bytes.NewReader(b))
		var out []string
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("the JUnit report is not well-formed XML: %v", err)
			}
			if se, ok := tok.(xml.StartElement); ok {
				names := []string{se.Name.Local}
				for _, a := range se.Attr {
					names = append(names, a.Name.Local)
					if se.Name.Local == "testcase" && a.Name.Local == "name" {
						id, _, _ := strings.Cut(a.Value, " ")
						names = append(names, "id="+id)
					}
				}
				out = append(out, strings.Join(names, " "))
			}
		}
		return strings.Join(out, "\n")
	}
	var ids []string
	for _, c := range checks.Registry() {
		if bytes.Contains(b, []byte(c.ID)) {
			ids = append(ids, c.ID)
		}
	}
	return strings.Join(ids, " ")
}

// vocabulary is every word cprready's outputs contain: a password made
// of them must change none of them.
func vocabulary(outputs ...[]byte) []string {
	seen := map[string]bool{}
	for _, b := range outputs {
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		sc.Split(bufio.ScanWords)
		for sc.Scan() {
			w := sc.Text()
			seen[w] = true
			for _, part := range regexp.MustCompile(`[\pL\pN_.-]+`).FindAllString(w, -1) {
				seen[part] = true
				for _, sub := range strings.FieldsFunc(part, func(r rune) bool { return r == '.' || r == '-' || r == '_' }) {
					seen[sub] = true
				}
			}
		}
	}
	var out []string
	for w := range seen {
		if len(w) >= redact.MinLen && w != redact.Mask && !strings.Contains(redact.Mask, w) {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}

func passwords(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("testdata/passwords.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for line := range strings.Lines(string(b)) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

func randomSecrets(n int) []string {
	rng := rand.New(rand.NewPCG(7, 11))
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!.+/=&%"
	var out []string
	for range n {
		b := make([]byte, 4+rng.IntN(44))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		out = append(out, string(b))
	}
	return out
}

// The report in every format stays valid and keeps its names and check
// IDs whatever the secret (common passwords, Danish ones, every word of
// cprready's own outputs, random ones); where the secret is not in the
// profile's own files, the tool's text is not changed at all; and what a
// server echoed of it, in any case or encoding, is masked.
func TestReportsStayValidWhateverTheSecret(t *testing.T) {
	f := newFixture(t)
	base := map[string][]byte{}
	baseShape := map[string]string{}
	neutral := redact.New("Zr8Qm2Xv6Lp4Kt9Wn3Hb")
	for _, format := range formats {
		base[format] = render(t, f.rep, neutral, format)
		baseShape[format] = shape(t, format, render(t, withEchoes(f.rep, "Zr8Qm2Xv6Lp4Kt9Wn3Hb"), neutral, format))
	}
	secrets := append(append(passwords(t), vocabulary(base["json"], base["junit"], base["markdown"], base["text"])...), randomSecrets(150)...)
	if len(secrets) < 400 {
		t.Fatalf("only %d secrets to try", len(secrets))
	}
	for _, s := range secrets {
		gate := redact.New(s)
		echoed := withEchoes(f.rep, s)
		inOutside := f.holds(s)
		for _, format := range formats {
			out := render(t, echoed, gate, format)
			if got := shape(t, format, out); got != baseShape[format] {
				t.Fatalf("secret %q changed the %s report's names or IDs:\n%s", s, format, diffLines(baseShape[format], got))
			}
			if redact.StripMarks(string(out)) != string(out) {
				t.Fatalf("secret %q: a mark reached the %s report", s, format)
			}
			if format != "text" && len(s) >= redact.MinLen {
				if left := leftEchoes(string(out)); len(left) > 0 {
					t.Fatalf("secret %q: the %s report keeps what a server echoed: %q", s, format, left)
				}
			}
			// A secret of LongLen or more whose long piece stands in the
			// report by coincidence (a date, a path) is masked there by
			// design: nothing 16 characters of a secret is left anywhere.
			if !inOutside && !longPieceIn(s, base[format]) {
				if plain := render(t, f.rep, gate, format); !bytes.Equal(plain, base[format]) {
					t.Fatalf("secret %q changed the tool's own text in the %s report:\n%s", s, format, diffLines(string(base[format]), string(plain)))
				}
			}
		}
	}
}

// The support bundle is never refused for a password, keeps every file
// valid, and holds no secret form in any value.
func TestBundleWhateverTheSecret(t *testing.T) {
	f := newFixture(t)
	secrets := append(passwords(t), randomSecrets(40)...)
	for _, s := range secrets {
		gate := redact.New(s)
		files, m, err := bundle.Build(bundle.Options{Profile: f.p, Report: withEchoes(f.rep, s), Tool: "cprready test", Now: day, Gate: gate})
		if err != nil {
			t.Fatalf("secret %q: the bundle was refused: %v", s, err)
		}
		for _, file := range files {
			switch filepath.Ext(file.Name) {
			case ".json":
				if !json.Valid(file.Data) {
					t.Fatalf("secret %q: %s is not JSON", s, file.Name)
				}
			case ".yaml":
				if _, err := profile.Parse(file.Data, file.Name); err != nil && !strings.Contains(err.Error(), redact.Mask) {
					t.Fatalf("secret %q: %s does not parse: %v", s, file.Name, err)
				}
			}
			if left := leftEchoes(string(file.Data)); len(left) > 0 && len(s) >= redact.MinLen {
				t.Fatalf("secret %q: %s keeps a server's echo: %q", s, file.Name, left)
			}
			if gate.Leaks(string(file.Data)) {
				t.Fatalf("secret %q: %s holds a long form of it", s, file.Name)
			}
		}
		if m.SecretsScanned == 0 && len(s) >= redact.MinLen {
			t.Fatalf("secret %q: the manifest says nothing was scanned", s)
		}
	}
}

// /metrics parses with Prometheus' own parser and the status page parses
// as HTML, with the same names, labels, check IDs, elements and CSS
// whatever the secret.
func TestWatchOutputsStayValidWhateverTheSecret(t *testing.T) {
	f := newFixture(t)
	get := func(s string) (metrics, page string) {
		gate := redact.New(s)
		w, err := watch.New(watch.Config{Profiles: []string{f.path}, Interval: time.Hour, Timeout: 10 * time.Second, Gate: gate, Build: buildinfo.Info{Name: "cprready", Version: "test"},
			Resolver: func(p *profile.Profile) profile.Resolver { return profile.Resolver{BaseDir: p.Dir()} }})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range w.Names() {
			w.RunOnce(context.Background(), n)
		}
		h := w.Handler()
		for _, p := range []string{"/metrics", "/"} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d", p, rec.Code)
			}
			if p == "/" {
				page = rec.Body.String()
			} else {
				metrics = rec.Body.String()
			}
		}
		return metrics, page
	}
	bm, bp := get("Zr8Qm2Xv6Lp4Kt9Wn3Hb")
	baseM, baseP := metricShape(t, bm), pageShape(t, bp)
	secrets := append(passwords(t), vocabulary([]byte(bm), []byte(bp))...)
	for i, s := range secrets {
		if testing.Short() && i%5 != 0 {
			continue
		}
		m, p := get(s)
		if got := metricShape(t, m); got != baseM {
			t.Fatalf("secret %q changed /metrics:\n%s", s, diffLines(baseM, got))
		}
		if got := pageShape(t, p); got != baseP {
			t.Fatalf("secret %q changed the status page's elements or CSS:\n%s", s, diffLines(baseP, got))
		}
		if redact.StripMarks(m+p) != m+p {
			t.Fatalf("secret %q: a mark reached /metrics or the page", s)
		}
	}
}

// metricShape parses an exposition with Prometheus' parser: family names,
// label names and the check label's values.
func metricShape(t *testing.T, body string) string {
	t.Helper()
	parser := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	var out []string
	for name, fam := range fams {
		if !strings.HasPrefix(name, "cprready_") {
			continue
		}
		for _, m := range fam.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName())
				if l.GetName() == "check" || l.GetName() == "version" {
					labels = append(labels, "="+l.GetValue())
				}
			}
			out = append(out, name+"{"+strings.Join(labels, ",")+"}")
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// pageShape tokenizes the page as HTML: every element, its attribute
// names, and the CSS.
func pageShape(t *testing.T, page string) string {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(page))
	var out []string
	inStyle := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if !errors.Is(z.Err(), io.EOF) {
				t.Fatalf("the page does not tokenize: %v", z.Err())
			}
			return strings.Join(out, "\n")
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			names := []string{tok.Data}
			for _, a := range tok.Attr {
				names = append(names, a.Key)
				if a.Key == "class" || a.Key == "style" {
					names = append(names, "="+a.Val)
				}
			}
			inStyle = tok.Data == "style"
			out = append(out, strings.Join(names, " "))
		case html.EndTagToken:
			inStyle = false
		case html.TextToken:
			if inStyle {
				out = append(out, "css:"+string(z.Text()))
			}
		}
	}
}

func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n want %q\n  got %q", i+1, a, b)
		}
	}
	return "(equal lines, different length)"
}
