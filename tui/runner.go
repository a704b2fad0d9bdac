package tui

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/report"
)

// RunFunc runs the checks (all, or only some IDs), reporting progress.
type RunFunc func(ctx context.Context, only []string, progress func(checks.Progress)) (*checks.Report, error)

// SaveFunc writes the report in a format and returns where.
type SaveFunc func(rep *checks.Report, format string) (string, error)

// RunnerConfig configures the check runner.
type RunnerConfig struct {
	Title string // e.g. the profile path
	Run   RunFunc
	Save  SaveFunc
	// Redact cleans any text before it is shown (the redaction gate).
	Redact func(string) string
	// Names maps it_systems[N] to IT-system names, so rows keep their
	// group's name while they run.
	Names map[string]string
	// Strict and At are shown in the header (the run's options).
	Strict bool
	At     string
}

// rowState is where a row's check is: waiting for its dependencies,
// running, or done.
type rowState int

const (
	stateDone rowState = iota
	stateWaiting
	stateRunning
)

// Runner is the live check runner: every check a row with a spinner while
// it runs, a details pane, the timing waterfall, rerun and save keys, and
// the verdict always at the top.
type Runner struct {
	cfg      RunnerConfig
	styles   Styles
	rows     []checks.Result
	state    map[string]rowState // row key -> waiting or running
	report   *checks.Report
	err      error
	cursor   int // index into visible()
	offset   int // first visible row on screen
	failOnly bool
	spin     spinner.Model
	ticking  bool
	help     help.Model
	width    int
	height   int
	note     string
	events   chan tea.Msg
	runID    int
	ctx      context.Context
	cancel   context.CancelFunc
	quitting bool
	// interrupted is a quit (q, ctrl+c) before the run ended: exit 130.
	interrupted bool
	keys        RunnerKeys
}

// NewRunner makes a runner; Init starts the run.
func NewRunner(cfg RunnerConfig) *Runner {
	if cfg.Redact == nil {
		cfg.Redact = func(s string) string { return s }
	}
	sp := spinner.New()
	sp.Spinner = spinner.MiniDot
	ctx, cancel := context.WithCancel(context.Background())
	return NewRunnerContext(ctx, cancel, cfg, sp)
}

// NewRunnerContext is NewRunner bound to the caller's context (ctrl+c in
// the shell cancels the run too).
func NewRunnerContext(ctx context.Context, cancel context.CancelFunc, cfg RunnerConfig, sp spinner.Model) *Runner {
	if cfg.Redact == nil {
		cfg.Redact = func(s string) string { return s }
	}
	h := help.New()
	return &Runner{cfg: cfg, state: map[string]rowState{}, spin: sp, help: h, width: 80, height: 24, keys: DefaultRunnerKeys(), styles: DefaultStyles(), ctx: ctx, cancel: cancel}
}

// Interrupted reports a quit before the run ended (exit 130).
func (m *Runner) Interrupted() bool { return m.interrupted }

// Report is the final report (nil while running or if the run failed).
func (m *Runner) Report() *checks.Report { return m.report }

// Err is the run's error, if it could not run at all.
func (m *Runner) Err() error { return m.err }

func rowKey(r checks.Result) string { return r.ID + "\x00" + r.Subject }

// Messages of a run.
type (
	progressMsg struct {
		run int
		p   checks.Progress
	}
	doneMsg struct {
		run int
		rep *checks.Report
		err error
		// only is set for a rerun of some checks.
		only []string
	}
)

// Init starts the checks.
func (m *Runner) Init() tea.Cmd { return m.start(nil) }

// start runs the checks in the background and streams their progress;
// the spinner ticks only while something runs.
func (m *Runner) start(only []string) tea.Cmd {
	m.runID++
	id := m.runID
	ch := make(chan tea.Msg, 256)
	m.events = ch
	ctx := m.ctx
	run := m.cfg.Run
	go func() {
		rep, err := run(ctx, only, func(p checks.Progress) { ch <- progressMsg{run: id, p: p} })
		ch <- doneMsg{run: id, rep: rep, err: err, only: only}
		close(ch)
	}()
	if m.ticking {
		return waitFor(ch)
	}
	m.ticking = true
	return tea.Batch(m.spin.Tick, waitFor(ch))
}

func waitFor(ch chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

// Update handles keys, progress and window size.
func (m *Runner) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.clampScroll()
		return m, nil
	case spinner.TickMsg:
		if !m.busy() {
			m.ticking = false // nothing runs: stop redrawing
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case progressMsg:
		if msg.run != m.runID {
			return m, nil
		}
		m.apply(msg.p)
		return m, waitFor(m.events)
	case doneMsg:
		if msg.run != m.runID {
			return m, nil
		}
		m.finish(msg)
		m.clampScroll()
		return m, nil
	case tea.KeyMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m *Runner) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	vis := m.visible()
	page := max(m.listHeight()-2, 1)
	switch {
	case key.Matches(msg, k.Quit):
		m.quitting = true
		m.interrupted = m.busy()
		m.cancel()
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(msg, k.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(msg, k.Down):
		m.cursor = min(m.cursor+1, max(len(vis)-1, 0))
	case key.Matches(msg, k.PageUp):
		m.cursor = max(m.cursor-page, 0)
	case key.Matches(msg, k.PageDown):
		m.cursor = min(m.cursor+page, max(len(vis)-1, 0))
	case key.Matches(msg, k.Top):
		m.cursor = 0
	case key.Matches(msg, k.Bottom):
		m.cursor = max(len(vis)-1, 0)
	case key.Matches(msg, k.NextFail), key.Matches(msg, k.PrevFail):
		step := 1
		if key.Matches(msg, k.PrevFail) {
			step = -1
		}
		if i, ok := m.nextFailure(step); ok {
			m.cursor = i
		} else {
			m.note = "no failures"
		}
	case key.Matches(msg, k.Filter):
		cur := m.current()
		m.failOnly = !m.failOnly
		m.cursor, m.offset = 0, 0
		for i, r := range m.visible() {
			if cur != nil && rowKey(r) == rowKey(*cur) {
				m.cursor = i
			}
		}
		m.note = map[bool]string{true: "showing failures and warnings only (f: all)", false: "showing every check"}[m.failOnly]
	case key.Matches(msg, k.Rerun):
		cur := m.current()
		if m.busy() || cur == nil {
			m.note = "wait until the run ends"
			return m, nil
		}
		for _, r := range m.rows {
			if r.ID == cur.ID {
				m.state[rowKey(r)] = stateWaiting
			}
		}
		m.note = "rerunning " + cur.ID
		return m, m.start([]string{cur.ID})
	case key.Matches(msg, k.RerunAll):
		if m.busy() {
			m.note = "wait until the run ends"
			return m, nil
		}
		m.rows, m.report, m.cursor, m.offset = nil, nil, 0, 0
		m.state = map[string]rowState{}
		m.note = "rerunning every check"
		return m, m.start(nil)
	case key.Matches(msg, k.SaveJSON), key.Matches(msg, k.SaveMD):
		format := "json"
		if key.Matches(msg, k.SaveMD) {
			format = "markdown"
		}
		if m.report == nil || m.cfg.Save == nil {
			m.note = "nothing to save yet"
			return m, nil
		}
		path, err := m.cfg.Save(m.report, format)
		if err != nil {
			m.note = "could not save: " + m.cfg.Redact(err.Error())
		} else {
			m.note = "saved the " + format + " report to " + path
		}
	}
	m.clampScroll()
	return m, nil
}

// visible are the rows shown: all, or (f) failures and warnings only.
func (m *Runner) visible() []checks.Result {
	if !m.failOnly {
		return m.rows
	}
	var out []checks.Result
	for _, r := range m.rows {
		if m.state[rowKey(r)] == stateDone && (r.Status == checks.Fail || r.Status == checks.Warn) {
			out = append(out, r)
		}
	}
	return out
}

// current is the row under the cursor.
func (m *Runner) current() *checks.Result {
	vis := m.visible()
	if m.cursor < 0 || m.cursor >= len(vis) {
		return nil
	}
	r := vis[m.cursor]
	return &r
}

// nextFailure is the next (or previous) failing row from the cursor,
// wrapping around; warnings count when nothing fails.
func (m *Runner) nextFailure(step int) (int, bool) {
	vis := m.visible()
	n := len(vis)
	want := checks.Fail
	if m.countStatus(checks.Fail) == 0 {
		want = checks.Warn
	}
	for k := 1; k <= n; k++ {
		i := ((m.cursor+step*k)%n + n) % n
		if vis[i].Status == want && m.state[rowKey(vis[i])] == stateDone {
			return i, true
		}
	}
	return 0, false
}

func (m *Runner) countStatus(st checks.Status) int {
	n := 0
	for _, r := range m.rows {
		if r.Status == st && m.state[rowKey(r)] == stateDone {
			n++
		}
	}
	return n
}

func (m *Runner) busy() bool {
	for _, st := range m.state {
		if st != stateDone {
			return true
		}
	}
	return m.report == nil && m.err == nil
}

// apply merges progress into the rows.
func (m *Runner) apply(p checks.Progress) {
	for _, r := range p.Planned {
		k := rowKey(r)
		if !m.has(k) {
			m.rows = append(m.rows, r)
		}
		m.state[k] = stateWaiting
	}
	if p.Started != nil {
		m.state[rowKey(*p.Started)] = stateRunning
	}
	if p.Done != nil {
		k := rowKey(*p.Done)
		m.state[k] = stateDone
		for i := range m.rows {
			if rowKey(m.rows[i]) == k {
				m.rows[i] = *p.Done
				return
			}
		}
		m.rows = append(m.rows, *p.Done)
		m.sortRows()
	}
	if len(p.Planned) > 0 {
		m.sortRows()
	}
}

func (m *Runner) has(k string) bool {
	for _, r := range m.rows {
		if rowKey(r) == k {
			return true
		}
	}
	return false
}

// finish takes the final report as the truth.
func (m *Runner) finish(d doneMsg) {
	m.state = map[string]rowState{}
	if d.err != nil {
		m.err = d.err
		m.note = m.cfg.Redact(d.err.Error())
		return
	}
	if d.only == nil {
		m.report = d.rep
		m.rows = append([]checks.Result(nil), d.rep.Checks...)
		m.sortRows()
		m.note = ""
		// NOT READY opens on the first failure.
		if !d.rep.Ready {
			m.cursor = -1
			if i, ok := m.nextFailure(1); ok {
				m.cursor = i
			} else {
				m.cursor = 0
			}
			// the failure near the top, with the row above it for context
			m.offset = max(m.cursor-1, 0)
		}
		return
	}
	// A rerun of some checks: replace their rows, recompute the verdict.
	ids := map[string]bool{}
	for _, id := range d.only {
		ids[id] = true
	}
	var kept []checks.Result
	for _, r := range m.report.Checks {
		if !ids[r.ID] {
			kept = append(kept, r)
		}
	}
	rep := *m.report
	rep.Checks = append(kept, d.rep.Checks...)
	order := map[string]int{}
	for i, id := range checks.IDs() {
		order[id] = i
	}
	sort.SliceStable(rep.Checks, func(i, j int) bool { return order[rep.Checks[i].ID] < order[rep.Checks[j].ID] })
	rep.Finish()
	m.report = &rep
	m.rows = append([]checks.Result(nil), rep.Checks...)
	m.sortRows()
	m.note = "reran " + strings.Join(d.only, ", ")
}

// sortRows groups rows as the text report does: organisation, each
// IT-system, migration.
func (m *Runner) sortRows() {
	var out []checks.Result
	order := map[string]int{}
	for i, id := range checks.IDs() {
		order[id] = i
	}
	for _, g := range report.Groups(&checks.Report{Checks: m.rows}) {
		sort.SliceStable(g.Rows, func(i, j int) bool { return order[g.Rows[i].ID] < order[g.Rows[j].ID] })
		out = append(out, g.Rows...)
	}
	m.rows = out
	if n := len(m.visible()); m.cursor >= n {
		m.cursor = max(n-1, 0)
	}
}

// layout sizes: header 2 lines, footer 1, details pane, list the rest.
func (m *Runner) detailHeight() int { return max(min(10, m.height/3), 4) }

func (m *Runner) listHeight() int {
	return max(m.height-3-m.detailHeight()-lipgloss.Height(m.footer()), 3)
}

// clampScroll keeps the cursor's row on screen, counting group headings.
func (m *Runner) clampScroll() {
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	for m.offset < m.cursor && m.linesBetween(m.offset, m.cursor) > m.listHeight() {
		m.offset++
	}
}

// linesBetween is how many lines visible rows from..to take, headings
// included.
func (m *Runner) linesBetween(from, to int) int {
	vis := m.visible()
	n, group := 0, "\x00"
	for i := from; i <= to && i < len(vis); i++ {
		if g := groupOf(vis[i].Subject); g != group {
			group = g
			n++
		}
		n++
	}
	return n
}

// Run runs the runner full screen, at most fps frames a second, until the
// person leaves; Report, Err and Interrupted say how it ended.
func (m *Runner) Run(ctx context.Context, in io.Reader, out io.Writer, fps int) error {
	// The run is bound to the caller's context: a signal cancels it too.
	if m.cancel != nil {
		m.cancel()
	}
	m.ctx, m.cancel = context.WithCancel(ctx)
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out), tea.WithFPS(fps))
	if _, err := p.Run(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}
