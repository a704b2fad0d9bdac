package watch_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cprready/cprready/internal/emutest"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/cprready/cprready/checks/live"
	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/buildinfo"
	"github.com/cprready/cprready/internal/httpguard"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/watch"
)

// syncBuffer is a log sink the watcher's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Reset()
}

type fixture struct {
	srv  *emulator.Server
	w    *watch.Watcher
	h    http.Handler
	logs *syncBuffer
	gate *redact.Redactor
}

func newFixture(t *testing.T, cfg emulator.Config, wcfg watch.Config) *fixture {
	t.Helper()
	srv := emutest.Start(t, cfg)
	f := &fixture{srv: srv, logs: &syncBuffer{}, gate: redact.New()}
	if wcfg.Profiles == nil {
		wcfg.Profiles = []string{srv.PublicProfile(), srv.PrivateProfile()}
	}
	if wcfg.Interval == 0 {
		wcfg.Interval = time.Hour // stepped by RunOnce unless a test runs the loop
	}
	if wcfg.Timeout == 0 {
		wcfg.Timeout = 20 * time.Second
	}
	wcfg.Gate = f.gate
	wcfg.Log = slog.New(slog.NewTextHandler(&redactedSink{w: f.logs, gate: f.gate}, nil))
	wcfg.LiveOptions = func(*profile.Profile) live.Options {
		return live.Options{RequestTimeout: 5 * time.Second}
	}
	wcfg.Build = buildinfo.Info{Name: "cprready", Version: "test", Revision: "abc123", GoVersion: "go1.26.8"}
	var err error
	f.w, err = watch.New(wcfg)
	if err != nil {
		t.Fatal(err)
	}
	f.h = f.w.Handler()
	return f
}

// redactedSink is what the CLI puts in front of the log: every line
// through the gate.
type redactedSink struct {
	w    io.Writer
	gate *redact.Redactor
}

func (r *redactedSink) Write(p []byte) (int, error) {
	_, err := r.w.Write(r.gate.Bytes(p))
	return len(p), err
}

func (f *fixture) get(t *testing.T, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func (f *fixture) step(t *testing.T) {
	t.Helper()
	for _, n := range f.w.Names() {
		if !f.w.RunOnce(context.Background(), n) {
			t.Fatalf("run of %s did not happen", n)
		}
	}
}

// value reads one series from /metrics: the sample whose labels include
// all of want; ok is false when there is none.
func (f *fixture) value(t *testing.T, name string, want map[string]string) (float64, bool) {
	t.Helper()
	_, body := f.get(t, "/metrics")
	parser := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v\n%s", err, body)
	}
	fam, ok := fams[name]
	if !ok {
		return 0, false
	}
next:
	for _, m := range fam.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		}
	}
	return 0, false
}

func (f *fixture) mustValue(t *testing.T, name string, want map[string]string) float64 {
	t.Helper()
	v, ok := f.value(t, name, want)
	if !ok {
		_, body := f.get(t, "/metrics")
		t.Fatalf("no %s%v in /metrics:\n%s", name, want, grepLines(body, name))
	}
	return v
}

func grepLines(s, sub string) string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// The "done when": ready while all is well; when the platform
// starts refusing the egress address, ready goes 0, graphql.protected 0,
// the page says NOT READY with the whitelist diagnosis and the log says
// so once; when the fault goes, it recovers.
func TestWatchNoticesAFaultAndRecovers(t *testing.T) {
	f := newFixture(t, emulator.Config{}, watch.Config{})
	f.step(t)
	pub := map[string]string{"profile": "public"}
	if v := f.mustValue(t, "cprready_ready", pub); v != 1 {
		t.Fatalf("cprready_ready = %v at the start, want 1\n%s", v, f.logs)
	}
	if !strings.Contains(f.logs.String(), "verdict: READY") {
		t.Fatalf("the first run logs the verdict:\n%s", f.logs)
	}
	_, page := f.get(t, "/")
	if !strings.Contains(page, "all 2 profiles READY") {
		t.Fatalf("page headline:\n%s", page)
	}

	// Nothing changes: no log line.
	f.logs.Reset()
	f.step(t)
	if f.logs.String() != "" {
		t.Fatalf("a run with no change logged:\n%s", f.logs)
	}

	if err := f.srv.SetFaults([]string{emulator.FaultIPNotWhitelisted}); err != nil {
		t.Fatal(err)
	}
	f.step(t)
	if v := f.mustValue(t, "cprready_ready", pub); v != 0 {
		t.Fatalf("cprready_ready = %v with the egress address refused, want 0", v)
	}
	prot := map[string]string{"profile": "public", "check": "graphql.protected", "subject": "it_systems[0].credentials.oauth_shared_secrets[0]", "it_system": "Borgerservice GraphQL"}
	if v := f.mustValue(t, "cprready_check_success", prot); v != 0 {
		t.Fatalf("graphql.protected success = %v, want 0", v)
	}
	code, page := f.get(t, "/")
	if code != 200 || !strings.Contains(page, "NOT READY") || !strings.Contains(page, "is not in the whitelist of IT-system Borgerservice GraphQL") ||
		!strings.Contains(page, "DAF-AUTH-0005") || !strings.Contains(page, "IP-adresser") {
		t.Fatalf("the page does not show the whitelist diagnosis and fix:\n%s", page)
	}
	if i, j := strings.Index(page, "NOT READY"), strings.Index(page, "whitelist"); i < 0 || i > j {
		t.Fatal("the verdict comes before the details")
	}
	logs := f.logs.String()
	for _, want := range []string{`msg="verdict: NOT READY" profile=public`, `msg="graphql.protected fails"`, "cause=ip-not-verified", "was=pass", "IP-adresser"} {
		if !strings.Contains(logs, want) {
			t.Fatalf("the log lacks %q:\n%s", want, logs)
		}
	}

	// Still failing: no new lines.
	f.logs.Reset()
	f.step(t)
	if f.logs.String() != "" {
		t.Fatalf("a run with no change logged:\n%s", f.logs)
	}

	if err := f.srv.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	f.step(t)
	if v := f.mustValue(t, "cprready_ready", pub); v != 1 {
		t.Fatalf("cprready_ready = %v after the fault went, want 1", v)
	}
	if v := f.mustValue(t, "cprready_check_success", prot); v != 1 {
		t.Fatalf("graphql.protected success = %v after recovery", v)
	}
	if logs := f.logs.String(); !strings.Contains(logs, `msg="graphql.protected recovered"`) || !strings.Contains(logs, `msg="verdict: READY"`) {
		t.Fatalf("recovery is not logged:\n%s", logs)
	}
	if v := f.mustValue(t, "cprready_runs_total", pub); v != 5 {
		t.Fatalf("runs_total = %v, want 5", v)
	}
	if v := f.mustValue(t, "cprready_run_errors_total", pub); v != 0 {
		t.Fatalf("run_errors_total = %v, want 0", v)
	}
}

// The loop itself: at a short interval the watcher notices a fault that
// appears while it runs, and stops cleanly when its context ends.
func TestWatchLoopNoticesWithinIntervals(t *testing.T) {
	f := newFixture(t, emulator.Config{}, watch.Config{Interval: 150 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.w.Run(ctx); close(done) }()
	pub := map[string]string{"profile": "public"}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s did not happen; logs:\n%s", what, f.logs)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	ready := func(want float64) func() bool {
		return func() bool { v, ok := f.value(t, "cprready_ready", pub); return ok && v == want }
	}
	waitFor("ready 1", ready(1))
	if code, body := f.get(t, "/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("/healthz while running: %d %q", code, body)
	}
	if err := f.srv.SetFaults([]string{emulator.FaultIPNotWhitelisted}); err != nil {
		t.Fatal(err)
	}
	waitFor("ready 0", ready(0))
	if err := f.srv.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	waitFor("ready 1 again", ready(1))
	cancel()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	if code, _ := f.get(t, "/healthz"); code != http.StatusServiceUnavailable {
		t.Fatalf("/healthz after stop: %d", code)
	}
}

// A profile that breaks while watched is reported as such; the others
// keep running; it counts as a run error; fixing it recovers.
func TestWatchProfileBreaksLater(t *testing.T) {
	dir := t.TempDir()
	f := newFixture(t, emulator.Config{StateDir: dir}, watch.Config{})
	f.step(t)
	path := f.srv.PrivateProfile()
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(good), "kind: private", "kind: [private", 1)
	if err := os.WriteFile(path, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	f.step(t)
	priv := map[string]string{"profile": "private"}
	if v := f.mustValue(t, "cprready_ready", priv); v != 0 {
		t.Fatal("a broken profile is not ready")
	}
	if v := f.mustValue(t, "cprready_profile_loaded", priv); v != 0 {
		t.Fatal("cprready_profile_loaded should be 0")
	}
	if v := f.mustValue(t, "cprready_run_errors_total", priv); v != 1 {
		t.Fatalf("run_errors_total = %v, want 1", v)
	}
	if _, ok := f.value(t, "cprready_check_success", priv); ok {
		t.Fatal("a profile that does not load keeps no stale check series")
	}
	if v := f.mustValue(t, "cprready_ready", map[string]string{"profile": "public"}); v != 1 {
		t.Fatal("the other profile keeps running")
	}
	_, page := f.get(t, "/")
	if !strings.Contains(page, "PROFILE ERROR") || !strings.Contains(page, "private.yaml:") || !strings.Contains(page, "does not load") {
		t.Fatalf("the page does not name the broken file:\n%s", page)
	}
	if !regexp.MustCompile(`level=ERROR msg="the profile does not load.*private\.yaml`).MatchString(f.logs.String()) {
		t.Fatalf("the log does not say the profile broke:\n%s", f.logs)
	}
	if err := os.WriteFile(path, good, 0o600); err != nil {
		t.Fatal(err)
	}
	f.step(t)
	if v := f.mustValue(t, "cprready_ready", priv); v != 1 {
		t.Fatal("the fixed profile recovers")
	}
	if !strings.Contains(f.logs.String(), "the profile loads again") {
		t.Fatalf("recovery of the file is not logged:\n%s", f.logs)
	}
}

// A profile that does not load at the start is an error naming the file.
func TestWatchRefusesABrokenProfileAtStart(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "kommune.yaml")
	if err := os.WriteFile(bad, []byte("version: 1\norganisation: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := watch.New(watch.Config{Profiles: []string{bad}, Interval: time.Minute, Timeout: time.Minute, Gate: redact.New()})
	var le *watch.LoadError
	if err == nil || !errors.As(err, &le) || le.Path != bad || !strings.Contains(err.Error(), "kommune.yaml:") {
		t.Fatalf("err = %v", err)
	}
}

// Never two runs of one profile at once: a second RunOnce while one is in
// flight does nothing.
func TestWatchNoOverlap(t *testing.T) {
	f := newFixture(t, emulator.Config{Latency: 300 * time.Millisecond}, watch.Config{})
	started := make(chan bool, 1)
	go func() { started <- f.w.RunOnce(context.Background(), "public") }()
	time.Sleep(100 * time.Millisecond)
	if f.w.RunOnce(context.Background(), "public") {
		t.Fatal("a second run of the same profile started while one was in flight")
	}
	if !<-started {
		t.Fatal("the first run did not happen")
	}
}

// A run bounded by the timeout counts as a run error, says so on the page
// and is not ready.
func TestWatchRunTimeout(t *testing.T) {
	f := newFixture(t, emulator.Config{Faults: []string{emulator.FaultTokenSlow}}, watch.Config{Timeout: 700 * time.Millisecond, Profiles: nil})
	f.w.RunOnce(context.Background(), "private")
	priv := map[string]string{"profile": "private"}
	if v := f.mustValue(t, "cprready_ready", priv); v != 0 {
		t.Fatal("a run cut short is not ready")
	}
	if v := f.mustValue(t, "cprready_run_errors_total", priv); v != 1 {
		t.Fatalf("run_errors_total = %v, want 1", v)
	}
	if _, page := f.get(t, "/"); !strings.Contains(page, "hit the timeout (700ms)") {
		t.Fatalf("the page does not say the run timed out:\n%s", page)
	}
}

// The exposition is valid and lint-clean: HELP and TYPE on every family,
// no duplicate series even where a profile names two credentials alike.
func TestMetricsAreLintClean(t *testing.T) {
	f := newFixture(t, emulator.Config{}, watch.Config{})
	// Two API keys with one name, and two IT-systems with one name: their
	// series would clash without de-duplication.
	path := f.srv.PublicProfile()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "name: Borgerservice Fildownload", "name: Borgerservice GraphQL", 1)
	s = strings.Replace(s, "      api_keys:\n        - name: GraphQL Schema\n", "      api_keys:\n        - name: GraphQL Schema\n          key: env:NOPE\n          expires: 2027-01-02\n        - name: GraphQL Schema\n", 1)
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	f.step(t)
	problems, err := testutil.GatherAndLint(f.w.Registry())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, "cprready_") {
			t.Errorf("lint: %s: %s", p.Metric, p.Text)
		}
	}
	_, body := f.get(t, "/metrics")
	for _, fam := range []string{"cprready_ready", "cprready_check_success", "cprready_check_warning", "cprready_credential_expiry_timestamp_seconds",
		"cprready_certificate_expiry_timestamp_seconds", "cprready_data_access_expiry_timestamp_seconds", "cprready_live_duration_seconds",
		"cprready_last_run_timestamp_seconds", "cprready_run_errors_total", "cprready_runs_total", "cprready_profile_loaded", "cprready_build_info"} {
		if !strings.Contains(body, "# HELP "+fam+" ") || !strings.Contains(body, "# TYPE "+fam+" ") {
			t.Errorf("%s lacks HELP or TYPE", fam)
		}
	}
	// The duplicate key's earlier expiry stands for both.
	want := float64(time.Date(2027, 1, 3, 0, 0, 0, 0, time.UTC).Unix())
	if v := f.mustValue(t, "cprready_credential_expiry_timestamp_seconds", map[string]string{"profile": "public", "kind": "api_key", "name": "GraphQL Schema"}); v != want {
		t.Fatalf("duplicate api key expiry = %v, want %v (the end of 2027-01-02)", v, want)
	}
}

// Expiries come from the same source as `cprready calendar`: the
// profile's dates, the certificate file's notAfter.
func TestExpiryMetrics(t *testing.T) {
	f := newFixture(t, emulator.Config{}, watch.Config{})
	f.step(t)
	p, err := profile.Load(f.srv.PublicProfile())
	if err != nil {
		t.Fatal(err)
	}
	sys := p.ITSystems[0]
	endOf := func(d profile.Date) float64 { return float64(d.Time().AddDate(0, 0, 1).Unix()) }
	if v := f.mustValue(t, "cprready_data_access_expiry_timestamp_seconds", map[string]string{"profile": "public", "it_system": sys.Name}); v != endOf(sys.DataAccess.Expires) {
		t.Fatalf("data access expiry %v, want %v", v, endOf(sys.DataAccess.Expires))
	}
	ss := sys.Credentials.OAuthSharedSecrets[0]
	if v := f.mustValue(t, "cprready_credential_expiry_timestamp_seconds", map[string]string{"profile": "public", "kind": "oauth_shared_secret", "name": ss.Name}); v != endOf(ss.Expires) {
		t.Fatalf("shared secret expiry %v, want %v", v, endOf(ss.Expires))
	}
	c := &sys.Credentials.OAuthCertificates[0]
	pw, err := os.ReadFile(filepath.Join(p.Dir(), "secrets", "p12-password"))
	if err != nil {
		t.Fatal(err)
	}
	lc, err := p.LoadCertificate(c, strings.TrimSpace(string(pw)))
	if err != nil {
		t.Fatal(err)
	}
	if v := f.mustValue(t, "cprready_certificate_expiry_timestamp_seconds", map[string]string{"profile": "public", "name": c.Name}); v != float64(lc.NotAfter.Unix()) {
		t.Fatalf("certificate notAfter %v, want %v", v, lc.NotAfter.Unix())
	}
}

// No secret reaches /metrics, the page or the logs, even where a profile
// puts one in a name that becomes a label value.
func TestWatchCanary(t *testing.T) {
	f := newFixture(t, emulator.Config{}, watch.Config{})
	creds := f.srv.Credentials()
	secrets := []string{creds.Public.APIKey, creds.Public.GraphQLSecret, creds.Public.FilesSecret, creds.Public.P12Password, creds.Private.APIKey, creds.Private.Secret}
	path := f.srv.PublicProfile()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The shared secret pasted into an IT-system's name and a credential's
	// name: both become label values.
	s := strings.Replace(string(b), "name: Borgerservice GraphQL", "name: Borgerservice "+creds.Public.GraphQLSecret, 1)
	s = strings.Replace(s, "name: GraphQL Schema", "name: key "+creds.Public.GraphQLSecret, 1)
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	f.step(t)
	_ = f.srv.SetFaults([]string{emulator.FaultIPNotWhitelisted})
	f.step(t)
	_ = f.srv.SetFaults([]string{emulator.FaultTokenInvalidClient})
	f.step(t)
	_, metrics := f.get(t, "/metrics")
	_, page := f.get(t, "/")
	outputs := map[string]string{"metrics": metrics, "page": page, "logs": f.logs.String()}
	for name, out := range outputs {
		for _, sec := range secrets {
			if sec == "" {
				t.Fatal("the emulator gave an empty secret")
			}
			for i := 0; i+redact.PieceLen <= len(sec); i++ {
				if strings.Contains(out, sec[i:i+redact.PieceLen]) {
					t.Fatalf("%s holds a piece of a secret (%q…)", name, sec[i:i+redact.PieceLen])
				}
			}
		}
	}
	// The emulator's tokens are "emu-at-" and 48 hex digits; the runs
	// obtained several, each masked by its run's gate.
	tokenPiece := regexp.MustCompile(`emu-at-|[0-9a-f]{24}`)
	for name, out := range outputs {
		if m := tokenPiece.FindString(out); m != "" {
			t.Fatalf("%s holds (a piece of) a token: %q", name, m)
		}
	}
	if !strings.Contains(metrics, `it_system="Borgerservice `) {
		t.Fatalf("the IT-system label is gone rather than redacted:\n%s", grepLines(metrics, "it_system="))
	}
}

// The example alert rules and scrape config name only metrics the
// watcher serves: the examples cannot drift from the code.
func TestExamplesNameServedMetrics(t *testing.T) {
	f := newFixture(t, emulator.Config{}, watch.Config{})
	f.step(t)
	_, body := f.get(t, "/metrics")
	files, err := filepath.Glob("../examples/prometheus/*.yml")
	if err != nil || len(files) < 3 {
		t.Fatalf("examples/prometheus: %v %v", files, err)
	}
	names := regexp.MustCompile(`cprready_[a-z_]+[a-z]`)
	seen := 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names.FindAllString(string(b), -1) {
			seen++
			if !strings.Contains(body, "# TYPE "+n+" ") {
				t.Errorf("%s names %s, which /metrics does not serve", filepath.Base(file), n)
			}
		}
	}
	if seen < 5 {
		t.Fatalf("only %d metric names found in the examples", seen)
	}
}

// A watcher runs for months: runs leave no goroutines (connections,
// timers) behind.
func TestWatchRunsLeakNothing(t *testing.T) {
	f := newFixture(t, emulator.Config{}, watch.Config{})
	f.step(t)
	f.step(t)
	time.Sleep(200 * time.Millisecond)
	before := runtime.NumGoroutine()
	secrets := f.gate.Len()
	for range 15 {
		f.step(t)
	}
	// Each run obtains new tokens; they are masked in that run's outputs
	// and forgotten with it, so the watcher's gate does not grow.
	if f.gate.Len() != secrets {
		t.Fatalf("the gate grew from %d to %d forms over 15 runs", secrets, f.gate.Len())
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		after := runtime.NumGoroutine()
		if after <= before+2 {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("goroutines grew from %d to %d over 15 runs:\n%s", before, after, buf[:n])
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The status page shows times in the zone asked for (--tz), with its
// name and offset; an unknown zone is refused.
func TestPageTimeZone(t *testing.T) {
	loc, err := watch.Location("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, emulator.Config{}, watch.Config{Location: loc, Now: func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }})
	f.step(t)
	if _, page := f.get(t, "/"); !strings.Contains(page, "2026-12-01 10:00:00 CET") {
		t.Fatalf("the page does not show Copenhagen's time:\n%s", grepLines(page, "2026-12-01"))
	}
	if _, err := watch.Location("Mars/Olympus"); err == nil {
		t.Fatal("an unknown zone was accepted")
	}
}

// serve runs the watcher's server on a loopback port until the test ends.
func serve(t *testing.T, f *fixture, cfg watch.Config) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Profiles = []string{f.srv.PublicProfile()}
	cfg.Interval, cfg.Timeout, cfg.Gate = time.Hour, 20*time.Second, redact.New()
	cfg.Hosts = httpguard.NewHosts(ln.Addr().String(), cfg.Hosts.Names()...)
	w, err := watch.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// A request for another Host name (DNS rebinding: evil.example resolved
// to 127.0.0.1) gets 421 and nothing of the page or the metrics; the
// listen address, loopback names and --allow-host are served.
func TestServeAnswersItsOwnHostsOnly(t *testing.T) {
	f := newFixture(t, emulator.Config{}, watch.Config{})
	addr := serve(t, f, watch.Config{Hosts: httpguard.NewHosts("", "prometheus.internal")})
	_, port, _ := net.SplitHostPort(addr)
	for host, want := range map[string]int{"evil.example": 421, "evil.example:" + port: 421, addr: 200, "localhost:" + port: 200, "prometheus.internal:" + port: 200} {
		for _, path := range []string{"/", "/metrics", "/healthz"} {
			req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
			req.Host = host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != want || want == 421 && (strings.Contains(string(body), "cprready_") || strings.Contains(string(body), "<html")) {
				t.Errorf("Host %s %s: %d (want %d)\n%s", host, path, resp.StatusCode, want, body)
			}
		}
	}
}

// An idle kept-alive connection is closed by the server: connections
// never pile up until descriptors run out.
func TestServeClosesIdleConnections(t *testing.T) {
	f := newFixture(t, emulator.Config{}, watch.Config{})
	addr := serve(t, f, watch.Config{IdleTimeout: 200 * time.Millisecond})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", resp, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	// Nothing more is sent: the server ends the connection (EOF) well
	// before the read deadline.
	if _, err := br.ReadByte(); !errors.Is(err, io.EOF) {
		t.Fatalf("the idle connection was kept: %v", err)
	}
}

// A profile too large to watch is refused at the start, naming the limit.
func TestWatchRefusesAProfileBeyondItsBudget(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("version: 1\nenvironment: prod\norganisation: {name: K, cvr: \"29189846\", kind: public, mitid_erhverv: true}\nit_systems:\n")
	for i := range watch.MaxITSystems + 1 {
		fmt.Fprintf(&b, "  - {name: S%d, owner_cvr: \"29189846\", purpose: graphql}\n", i)
	}
	path := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := watch.New(watch.Config{Profiles: []string{path}, Interval: time.Hour, Timeout: time.Minute, Gate: redact.New()})
	var le *watch.LoadError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "at most 100") {
		t.Fatalf("got %v", err)
	}
}

// cprready_build_info names the build as `cprready version` does: version,
// revision and Go version.
func TestBuildInfoMetric(t *testing.T) {
	f := newFixture(t, emulator.Config{}, watch.Config{})
	if v := f.mustValue(t, "cprready_build_info", map[string]string{"version": "test", "revision": "abc123", "goversion": "go1.26.8"}); v != 1 {
		t.Fatalf("cprready_build_info = %v", v)
	}
}
