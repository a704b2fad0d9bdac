package tui

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/live"
	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/emutest"
	"github.com/cprready/cprready/internal/golden"
	"github.com/cprready/cprready/profile"
)

// volatile are what differs between two runs against the emulator: its
// port, its state folder, timings and dates. The transcripts show them
// fixed, so docs/screens.md changes only when the screens do.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:8443"},
	{regexp.MustCompile(`/[^ "]*/public\.yaml`), "/tmp/cprready-demo/public.yaml"},
	{regexp.MustCompile(`\b\d+(\.\d+)?(ms|µs)\b`), "2ms"},
	{regexp.MustCompile(`within \d+s\b`), "within 1s"},
	{regexp.MustCompile(`\b20\d\d-\d\d-\d\d\b`), "2027-05-11"},
	{regexp.MustCompile(`\b\d\d-\d\d-20\d\d\b`), "11-05-2027"},
}

func steady(s string) string {
	for _, v := range volatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// demoReport is what `cprready demo` checks: the emulator's public
// profile, live, with faults; its volatile values fixed.
func demoReport(t *testing.T, faults ...string) *checks.Report {
	t.Helper()
	srv := emutest.Start(t, emulator.Config{Faults: faults})
	p, err := profile.Load(srv.PublicProfile())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := checks.Evaluate(ctx, p, checks.Options{Prober: live.New(live.Options{RequestTimeout: 5 * time.Second})}, profile.DefaultResolver(p))
	if err != nil {
		t.Fatal(err)
	}
	for i := range rep.Checks {
		r := &rep.Checks[i]
		r.Message, r.Remedy, r.Subject = steady(r.Message), steady(r.Remedy), steady(r.Subject)
		r.DurationMS = 2
		for k, v := range r.Evidence {
			switch v := v.(type) {
			case string:
				r.Evidence[k] = steady(v)
			case float64, int, int64, bool:
			default:
				delete(r.Evidence, k) // timings
			}
		}
	}
	return rep
}

// runnerScreen is the runner's screen at 80x24 after keys.
func runnerScreen(rep *checks.Report, keys ...string) string {
	m := NewRunner(RunnerConfig{Title: "/tmp/cprready-demo/public.yaml"})
	m.runID = 1
	feed(m, tea.WindowSizeMsg{Width: 80, Height: 24}, doneMsg{run: 1, rep: rep})
	for _, k := range keys {
		feed(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
	}
	return trimLines(ansi.Strip(m.View()))
}

func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return strings.Join(lines, "\n")
}

// docs/screens.md shows the screens as the tests draw them: the runner
// on the demo's report, the wizard's screens (TestWizardScreensAt80x24),
// a field refused in plain prompts.
func TestScreensDoc(t *testing.T) {
	ready := demoReport(t)
	notReady := demoReport(t, emulator.FaultIPNotWhitelisted)
	screen := func(name string) string {
		p, err := profile.Load("../examples/public.yaml")
		if err != nil {
			t.Fatal(err)
		}
		w := NewWizard(WizardConfig{Path: "/profiles/p.yaml", Draft: p, Now: func() time.Time { return testNow }})
		w.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		w.cur = state{step: map[string]step{"org": stepOrg, "access": stepAccess}[name]}
		w.form = w.build()
		w.form.Init()
		return trimLines(ansi.Strip(w.View()))
	}
	_, _, out, _ := keyedRun(t, WizardConfig{}, map[string][]string{
		"organisation.kind": {"1"}, "organisation.name": {"Eksempel Kommune"}, "organisation.cvr": {"2918984", "29189847", "29189846"},
	})
	i, j := strings.Index(out, "CVR number"), strings.Index(out, "Does the organisation have MitID Erhverv?")
	if i < 0 || j < i {
		t.Fatalf("no CVR prompt:\n%s", out)
	}
	golden.Blocks(t, "../docs/screens.md", "tui-", map[string]string{
		"tui-runner-ready":      runnerScreen(ready),
		"tui-runner-not-ready":  runnerScreen(notReady),
		"tui-runner-fails-only": runnerScreen(notReady, "f"),
		"tui-runner-help":       runnerScreen(notReady, "?"),
		"tui-init-organisation": screen("org"),
		"tui-init-data-access":  screen("access"),
		"tui-init-cvr-refused":  strings.TrimSpace(out[i:j]),
	})
}
