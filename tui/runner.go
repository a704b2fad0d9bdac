package tui

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/textsafe"
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
}

// Runner is the live check runner: every check a row with a spinner while
// it runs, a details pane, the timing waterfall, rerun and save keys, and
// the verdict always at the top.
type Runner struct {
	cfg      RunnerConfig
	rows     []checks.Result
	running  map[string]bool // row key -> running
	report   *checks.Report
	err      error
	cursor   int
	offset   int
	spin     spinner.Model
	width    int
	height   int
	note     string
	events   chan tea.Msg
	runID    int
	ctx      context.Context
	cancel   context.CancelFunc
	quitting bool
	keys     runnerKeys
}

type runnerKeys struct {
	up, down, top, bottom, rerun, rerunAll, saveJSON, saveMD, quit key.Binding
}

func defaultRunnerKeys() runnerKeys {
	return runnerKeys{
		up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		top:      key.NewBinding(key.WithKeys("home", "g")),
		bottom:   key.NewBinding(key.WithKeys("end", "G")),
		rerun:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "rerun check")),
		rerunAll: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "rerun all")),
		saveJSON: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save JSON")),
		saveMD:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "save Markdown")),
		quit:     key.NewBinding(key.WithKeys("q", "ctrl+c", "esc"), key.WithHelp("q", "quit")),
	}
}

// NewRunner makes a runner; Init starts the run.
func NewRunner(cfg RunnerConfig) *Runner {
	if cfg.Redact == nil {
		cfg.Redact = func(s string) string { return s }
	}
	sp := spinner.New()
	sp.Spinner = spinner.MiniDot
	ctx, cancel := context.WithCancel(context.Background())
	return &Runner{cfg: cfg, running: map[string]bool{}, spin: sp, width: 80, height: 24, keys: defaultRunnerKeys(), ctx: ctx, cancel: cancel}
}

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
func (m *Runner) Init() tea.Cmd { return tea.Batch(m.spin.Tick, m.start(nil)) }

// start runs the checks in the background and streams their progress.
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
	return waitFor(ch)
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
	switch {
	case key.Matches(msg, k.quit):
		m.quitting = true
		m.cancel()
		return m, tea.Quit
	case key.Matches(msg, k.up):
		if m.cursor > 0 {
			m.cursor--
		}
	case key.Matches(msg, k.down):
		if m.cursor < len(m.rows)-1 {
			m.cursor++
		}
	case key.Matches(msg, k.top):
		m.cursor = 0
	case key.Matches(msg, k.bottom):
		m.cursor = max(len(m.rows)-1, 0)
	case key.Matches(msg, k.rerun):
		if m.busy() || len(m.rows) == 0 {
			m.note = "wait until the run ends"
			return m, nil
		}
		id := m.rows[m.cursor].ID
		for _, r := range m.rows {
			if r.ID == id {
				m.running[rowKey(r)] = true
			}
		}
		m.note = "rerunning " + id
		return m, m.start([]string{id})
	case key.Matches(msg, k.rerunAll):
		if m.busy() {
			m.note = "wait until the run ends"
			return m, nil
		}
		m.rows, m.report, m.cursor, m.offset = nil, nil, 0, 0
		m.running = map[string]bool{}
		m.note = "rerunning every check"
		return m, m.start(nil)
	case key.Matches(msg, k.saveJSON), key.Matches(msg, k.saveMD):
		format := "json"
		if key.Matches(msg, k.saveMD) {
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

func (m *Runner) busy() bool {
	for _, r := range m.running {
		if r {
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
		m.running[k] = true
	}
	if p.Done != nil {
		k := rowKey(*p.Done)
		m.running[k] = false
		for i := range m.rows {
			if rowKey(m.rows[i]) == k {
				m.rows[i] = *p.Done
				return
			}
		}
		m.rows = append(m.rows, *p.Done)
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
	m.running = map[string]bool{}
	if d.err != nil {
		m.err = d.err
		m.note = m.cfg.Redact(d.err.Error())
		return
	}
	if d.only == nil {
		m.report = d.rep
		m.rows = append([]checks.Result(nil), d.rep.Checks...)
		m.sortRows()
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
	for _, g := range report.Groups(&checks.Report{Checks: m.rows}) {
		out = append(out, g.Rows...)
	}
	m.rows = out
	if m.cursor >= len(m.rows) {
		m.cursor = max(len(m.rows)-1, 0)
	}
}

// layout sizes: header 2 lines, footer 1, details pane, list the rest.
func (m *Runner) detailHeight() int { return max(min(10, m.height/3), 4) }

func (m *Runner) listHeight() int { return max(m.height-3-m.detailHeight()-1, 3) }

// clampScroll keeps the cursor's row on screen, counting group headings.
func (m *Runner) clampScroll() {
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	for m.offset < m.cursor && m.linesBetween(m.offset, m.cursor) > m.listHeight() {
		m.offset++
	}
}

// linesBetween is how many lines rows from..to take, headings included.
func (m *Runner) linesBetween(from, to int) int {
	n, group := 0, "\x00"
	for i := from; i <= to && i < len(m.rows); i++ {
		if g := groupOf(m.rows[i].Subject); g != group {
			group = g
			n++
		}
		n++
	}
	return n
}

// View renders the runner.
func (m *Runner) View() string {
	if m.quitting {
		return ""
	}
	var b strings.Builder
	b.WriteString(m.header() + "\n")
	b.WriteString(styleRule.Render(strings.Repeat("─", max(m.width, 20))) + "\n")
	b.WriteString(m.list() + "\n")
	b.WriteString(styleRule.Render(strings.Repeat("─", max(m.width, 20))) + "\n")
	b.WriteString(m.details() + "\n")
	b.WriteString(m.footer())
	return b.String()
}

func (m *Runner) counts() checks.Summary {
	var s checks.Summary
	for _, r := range m.rows {
		switch {
		case m.running[rowKey(r)]:
		case r.Status == checks.Pass:
			s.Pass++
		case r.Status == checks.Warn:
			s.Warn++
		case r.Status == checks.Fail:
			s.Fail++
		case r.Status == checks.Skip:
			s.Skip++
		case r.Status == checks.Info:
			s.Info++
		}
	}
	return s
}

func (m *Runner) header() string {
	var verdict string
	switch {
	case m.err != nil:
		verdict = styleNotReady.Render("ERROR")
	case m.busy():
		verdict = styleRunning.Render("CHECKING " + m.spin.View())
	case m.report.Ready:
		verdict = styleReady.Render("READY")
	default:
		verdict = styleNotReady.Render("NOT READY")
	}
	s := m.counts()
	running := 0
	for _, r := range m.running {
		if r {
			running++
		}
	}
	counts := fmt.Sprintf("%d fail · %d warn · %d pass · %d skip", s.Fail, s.Warn, s.Pass, s.Skip)
	if running > 0 {
		counts += fmt.Sprintf(" · %d running", running)
	}
	left := verdict + "  " + counts
	title := styleDim.Render(truncate(textsafe.Line(m.cfg.Title), max(m.width-lipgloss.Width(left)-3, 0)))
	gap := max(m.width-lipgloss.Width(left)-lipgloss.Width(title), 1)
	return left + strings.Repeat(" ", gap) + title
}

func (m *Runner) list() string {
	h := m.listHeight()
	if len(m.rows) == 0 {
		return padLines(styleDim.Render("  starting…"), h)
	}
	idw := 0
	for _, r := range m.rows {
		idw = max(idw, len(r.ID))
	}
	var lines []string
	group := "\x00"
	for i := m.offset; i < len(m.rows) && len(lines) < h; i++ {
		r := m.rows[i]
		if g := groupOf(r.Subject); g != group {
			group = g
			if len(lines) > 0 || i == m.offset {
				if len(lines) >= h-1 {
					break
				}
				lines = append(lines, styleGroup.Render(m.groupTitle(g)))
			}
		}
		lines = append(lines, m.rowLine(i, r, idw))
	}
	return padLines(strings.Join(lines, "\n"), h)
}

func (m *Runner) groupTitle(g string) string {
	var names map[string]string
	if m.report != nil {
		names = m.report.Names
	}
	return report.GroupTitle(names, g)
}

func groupOf(subject string) string { return report.GroupKey(subject) }

func (m *Runner) rowLine(i int, r checks.Result, idw int) string {
	g := glyph(r.Status)
	st := styleStatus[r.Status]
	if m.running[rowKey(r)] {
		g, st = m.spin.View(), styleRunning
	}
	subj := r.Subject
	if grp := groupOf(subj); strings.HasPrefix(grp, "it_systems") {
		subj = strings.TrimPrefix(strings.TrimPrefix(subj, grp), ".")
	}
	msg := r.Message
	if m.running[rowKey(r)] {
		msg = "running…"
	} else if r.BlockedBy != "" {
		msg = "blocked by " + r.BlockedBy + ": " + msg
	}
	text := fmt.Sprintf("%-*s  %s", idw, r.ID, m.cfg.Redact(textsafe.Line(joinNonEmpty(subj, msg))))
	if i == m.cursor {
		// The marker shows the cursor without colour (NO_COLOR, screen readers).
		return styleCursor.Render(padRight("›"+g+" "+truncate(text, max(m.width-4, 10)), m.width))
	}
	return " " + st.Render(g) + " " + truncate(text, max(m.width-4, 10))
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + ": " + b
}

func (m *Runner) details() string {
	h := m.detailHeight()
	if len(m.rows) == 0 {
		return padLines("", h)
	}
	r := m.rows[m.cursor]
	w := max(m.width-2, 20)
	var lines []string
	status := string(r.Status)
	if m.running[rowKey(r)] {
		status = "running"
	}
	lines = append(lines, styleTitle.Render(truncate(fmt.Sprintf("%s %s · %s · %s", glyph(r.Status), r.ID, status, r.Subject), w)))
	lines = append(lines, wrapText(m.cfg.Redact(textsafe.Clean(r.Title+". "+r.Message, 0)), w)...)
	if r.BlockedBy != "" {
		lines = append(lines, styleDim.Render("Blocked by "+r.BlockedBy+" (fix that first)."))
	}
	if r.Remedy != "" {
		for _, l := range wrapText("Fix: "+m.cfg.Redact(textsafe.Clean(r.Remedy, 0)), w) {
			lines = append(lines, styleFix.Render(l))
		}
	}
	if ev := evidenceLine(r); ev != "" {
		lines = append(lines, wrapText("Evidence: "+m.cfg.Redact(ev), w)...)
	}
	if wf := report.WaterfallPlain(r, w); wf != "" {
		for _, l := range strings.Split(strings.TrimRight(wf, "\n"), "\n") {
			lines = append(lines, truncate(l, w))
		}
	}
	if r.Docs != "" {
		docs := "Docs: " + r.Docs
		if len([]rune(docs)) > w {
			docs = "Docs: " + strings.TrimPrefix(r.Docs, "https://github.com/cprready/cprready/blob/main/")
		}
		lines = append(lines, styleDim.Render(truncate(docs, w)))
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return padLines(strings.Join(lines, "\n"), h)
}

// evidenceLine shows the evidence compactly, timings drawn separately.
func evidenceLine(r checks.Result) string {
	keys := make([]string, 0, len(r.Evidence))
	for k := range r.Evidence {
		if k != "timings" && k != "date_at" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		b, err := json.Marshal(r.Evidence[k])
		if err != nil {
			continue
		}
		v := string(b)
		if s, ok := r.Evidence[k].(string); ok {
			v = s
		}
		parts = append(parts, k+"="+textsafe.Line(v))
	}
	return strings.Join(parts, " · ")
}

func (m *Runner) footer() string {
	help := "↑/↓ move · r rerun · R rerun all · s save JSON · m save Markdown · q quit"
	if m.note != "" {
		help = m.note + " · " + help
	}
	return styleDim.Render(truncate(help, max(m.width-1, 10)))
}

func padLines(s string, h int) string {
	lines := strings.Split(s, "\n")
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:h], "\n")
}

func padRight(s string, w int) string {
	if n := lipgloss.Width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	if w == 1 {
		return "…"
	}
	return string(r[:w-1]) + "…"
}

func wrapText(s string, w int) []string { return report.Wrap(s, w) }
