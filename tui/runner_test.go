package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/cprready/cprready/checks"
)

func init() {
	// Goldens hold on any machine: no colour, whatever the terminal.
	lipgloss.SetColorProfile(termenv.Ascii)
}

func row(id, subject string, msg string) checks.Result {
	st := checks.Pass
	c := checks.Lookup(id)
	return checks.Result{ID: id, Title: c.Title, Subject: subject, Status: st, Message: msg, Docs: c.Docs(), Evidence: map[string]any{}}
}

func fixedReport(ready bool) *checks.Report {
	rows := []checks.Result{
		row("org.cvr", "organisation", "organisation.cvr 29189846 is a valid CVR number"),
		row("net.reach", "endpoints.graphql", "127.0.0.1:8443 answers"),
		row("ip.prefix-range", "it_systems[0].ip_whitelist[0]", "80.62.117.23/32 is between /24 and /32"),
		row("oauth.token", "it_systems[0].credentials.oauth_shared_secrets[0]", "OAuth Shared Secret: token obtained"),
		row("graphql.protected", "it_systems[0].credentials.oauth_shared_secrets[0]", "A protected query on CustomPublicSectorPerson returns data"),
	}
	if !ready {
		rows[4].Status = checks.Fail
		rows[4].Message = "Your public address 93.184.216.34 is not in the whitelist of IT-system Borgerservice (80.62.117.23/32)"
		rows[4].Remedy = "Add 93.184.216.34/32 under Administration → IT-systemer → Borgerservice → IP-adresser"
		rows[4].Evidence = map[string]any{"cause": "ip-not-verified", "errorCode": "DAF-AUTH-0005", "status": 401}
	}
	rep := &checks.Report{SchemaVersion: 1, Profile: "emu/public.yaml", Environment: "custom", Checks: rows, Names: map[string]string{"it_systems[0]": "Borgerservice"}}
	rep.Finish()
	return rep
}

func feed(m *Runner, msgs ...tea.Msg) {
	for _, msg := range msgs {
		m.Update(msg)
	}
}

// The runner's screen, as a golden file.
func TestRunnerViewGolden(t *testing.T) {
	for _, ready := range []bool{true, false} {
		name := map[bool]string{true: "ready", false: "not-ready"}[ready]
		t.Run(name, func(t *testing.T) {
			m := NewRunner(RunnerConfig{Title: "emu/public.yaml"})
			m.runID = 1
			rep := fixedReport(ready)
			feed(m, tea.WindowSizeMsg{Width: 80, Height: 24}, doneMsg{run: 1, rep: rep})
			if !ready {
				feed(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("G")})
			}
			teatest.RequireEqualOutput(t, []byte(m.View()))
		})
	}
}

// Rows with spinners while running, then the verdict; keys move, rerun, quit.
func TestRunnerProgressAndKeys(t *testing.T) {
	var mu sync.Mutex
	var calls [][]string
	m := NewRunner(RunnerConfig{Title: "p.yaml", Run: func(_ context.Context, only []string, _ func(checks.Progress)) (*checks.Report, error) {
		mu.Lock()
		calls = append(calls, only)
		mu.Unlock()
		return fixedReport(true), nil
	}})
	m.runID = 1
	planned := fixedReport(true).Checks
	for i := range planned {
		planned[i].Status = ""
	}
	feed(m, tea.WindowSizeMsg{Width: 80, Height: 24}, progressMsg{run: 1, p: checks.Progress{Planned: planned}})
	v := m.View()
	if !strings.Contains(v, "CHECKING") || !strings.Contains(v, "waiting for the checks") || !strings.Contains(v, "5 waiting") || strings.Contains(v, "running") {
		t.Fatalf("waiting view:\n%s", v)
	}
	started := planned[3]
	feed(m, progressMsg{run: 1, p: checks.Progress{Started: &started}})
	if v := m.View(); !strings.Contains(v, "1 running · 4 waiting") || !strings.Contains(v, "running…") {
		t.Fatalf("one running:\n%s", v)
	}
	done := planned[0]
	done.Status, done.Message = checks.Pass, "ok"
	feed(m, progressMsg{run: 1, p: checks.Progress{Done: &done}})
	if !strings.Contains(m.View(), "1 running · 3 waiting") {
		t.Fatalf("after one:\n%s", m.View())
	}
	feed(m, doneMsg{run: 1, rep: fixedReport(true)})
	if v := m.View(); !strings.HasPrefix(v, "READY") || strings.Contains(v, "running") {
		t.Fatalf("final view:\n%s", v)
	}
	feed(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")}, tea.KeyMsg{Type: tea.KeyDown})
	if m.cursor != 2 {
		t.Fatalf("cursor %d", m.cursor)
	}
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("r")})
	if cmd == nil || !strings.Contains(m.View(), "rerunning ip.prefix-range") {
		t.Fatalf("rerun:\n%s", m.View())
	}
	msg := drain(t, m, cmd)
	feed(m, msg)
	mu.Lock()
	if len(calls) != 1 || len(calls[0]) != 1 || calls[0][0] != "ip.prefix-range" {
		t.Fatalf("rerun ran %v", calls)
	}
	mu.Unlock()
	if !strings.Contains(m.View(), "reran ip.prefix-range") {
		t.Fatalf("after rerun:\n%s", m.View())
	}
	if _, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")}); cmd == nil || cmd() != tea.Quit() {
		t.Fatal("q must quit")
	}
}

// The runner in a real (virtual) terminal: it reaches its verdict, saves,
// and quits with q.
func TestRunnerTeatest(t *testing.T) {
	saved := make(chan string, 2)
	m := NewRunner(RunnerConfig{
		Title: "p.yaml",
		Run: func(_ context.Context, _ []string, progress func(checks.Progress)) (*checks.Report, error) {
			rep := fixedReport(false)
			progress(checks.Progress{Planned: rep.Checks})
			time.Sleep(50 * time.Millisecond)
			return rep, nil
		},
		Save: func(_ *checks.Report, format string) (string, error) { saved <- format; return "report." + format, nil },
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), "NOT READY") }, teatest.WithDuration(5*time.Second))
	tm.Type("s")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), "saved the json report") }, teatest.WithDuration(5*time.Second))
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Runner)
	if fm.Report() == nil || fm.Report().Ready {
		t.Fatal("final report missing or ready")
	}
	if f := <-saved; f != "json" {
		t.Fatalf("saved %s", f)
	}
}

// At 80x24 and on resize the layout holds: no line wider than the terminal.
func TestRunnerLayoutWidths(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 20}} {
		m := NewRunner(RunnerConfig{Title: "a/very/long/path/to/a/profile/that/does/not/fit/cprready.yaml"})
		m.runID = 1
		feed(m, tea.WindowSizeMsg{Width: size[0], Height: size[1]}, doneMsg{run: 1, rep: fixedReport(false)})
		lines := strings.Split(m.View(), "\n")
		if len(lines) > size[1] {
			t.Errorf("%v: %d lines", size, len(lines))
		}
		for _, l := range lines {
			if w := lipgloss.Width(l); w > size[0] {
				t.Errorf("%v: line of width %d: %q", size, w, l)
			}
		}
	}
}

// Secrets never reach the screen, and server or file text cannot drive the
// terminal: the runner shows everything through the redaction gate and
// strips escape sequences.
func TestRunnerRedactsAndCleans(t *testing.T) {
	const canary = "CANARY-TUI-7d6c5b4a"
	m := NewRunner(RunnerConfig{Title: "p.yaml", Redact: func(s string) string { return strings.ReplaceAll(s, canary, "[REDACTED]") }})
	m.runID = 1
	rep := fixedReport(false)
	rep.Checks[4].Message = "token " + canary + " \x1b]0;owned\x07 \x1b[31mred"
	rep.Checks[4].Remedy = "use " + canary
	rep.Checks[4].Evidence["detail"] = "server said " + canary
	rep.Names["it_systems[0]"] = "Evil\x1b[2J"
	feed(m, tea.WindowSizeMsg{Width: 100, Height: 30}, doneMsg{run: 1, rep: rep}, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("G")})
	v := m.View()
	if strings.Contains(v, canary) {
		t.Fatalf("canary on screen:\n%s", v)
	}
	if strings.Contains(v, "\x1b]") || strings.Contains(v, "\x1b[2J") || strings.Contains(v, "\x1b[31m") {
		t.Fatalf("escape sequence from the data reached the screen: %q", v)
	}
}

// drain runs a command chain (batches included) until the run's doneMsg,
// feeding every progress message to the runner.
func drain(t *testing.T, m *Runner, cmd tea.Cmd) tea.Msg {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case doneMsg:
			return msg
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case spinner.TickMsg:
			// the spinner: not needed to reach the end
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
	t.Fatal("the run never ended")
	return nil
}
