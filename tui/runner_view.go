package tui

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/report"
)

// View renders the runner.
func (m *Runner) View() string {
	if m.quitting {
		return ""
	}
	var b strings.Builder
	b.WriteString(m.header() + "\n")
	b.WriteString(m.styles.Rule.Render(strings.Repeat("─", max(m.width, 20))) + "\n")
	b.WriteString(m.list() + "\n")
	b.WriteString(m.styles.Rule.Render(strings.Repeat("─", max(m.width, 20))) + "\n")
	b.WriteString(m.details() + "\n")
	b.WriteString(m.footer())
	return b.String()
}

func (m *Runner) counts() checks.Summary {
	var s checks.Summary
	for _, r := range m.rows {
		switch {
		case m.state[rowKey(r)] != stateDone:
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
		verdict = m.styles.NotReady.Render("ERROR")
	case m.busy():
		verdict = m.styles.Running.Render("CHECKING " + m.spin.View())
	case m.report.Ready:
		verdict = m.styles.Ready.Render(checks.VerdictReady)
	default:
		verdict = m.styles.NotReady.Render(checks.VerdictNotReady)
	}
	s := m.counts()
	running, waiting := 0, 0
	for _, st := range m.state {
		switch st {
		case stateRunning:
			running++
		case stateWaiting:
			waiting++
		}
	}
	counts := fmt.Sprintf("%d fail · %d warn · %d pass · %d skip", s.Fail, s.Warn, s.Pass, s.Skip)
	if running > 0 {
		counts += fmt.Sprintf(" · %d running", running)
	}
	if waiting > 0 {
		counts += fmt.Sprintf(" · %d waiting", waiting)
	}
	var opts []string
	if m.cfg.Strict {
		opts = append(opts, "strict")
	}
	if m.cfg.At != "" {
		opts = append(opts, "as of "+m.cfg.At)
	}
	if len(opts) > 0 {
		counts += " · " + strings.Join(opts, " · ")
	}
	left := verdict + "  " + counts
	title := m.styles.Dim.Render(words.Limit(textsafe.Line(m.cfg.Title), max(m.width-lipgloss.Width(left)-3, 0)))
	gap := max(m.width-lipgloss.Width(left)-lipgloss.Width(title), 1)
	return left + strings.Repeat(" ", gap) + title
}

func (m *Runner) list() string {
	h := m.listHeight()
	vis := m.visible()
	if len(vis) == 0 {
		if m.failOnly && len(m.rows) > 0 {
			return padLines(m.styles.Dim.Render("  nothing fails or warns (f: show every check)"), h)
		}
		return padLines(m.styles.Dim.Render("  starting…"), h)
	}
	idw := 0
	for _, r := range m.rows {
		idw = max(idw, len(r.ID))
	}
	var lines []string
	group := "\x00"
	for i := m.offset; i < len(vis) && len(lines) < h; i++ {
		r := vis[i]
		if g := groupOf(r.Subject); g != group {
			group = g
			if len(lines) > 0 || i == m.offset {
				if len(lines) >= h-1 {
					break
				}
				lines = append(lines, m.styles.Group.Render(m.groupTitle(g)))
			}
		}
		lines = append(lines, m.rowLine(i, r, idw))
	}
	return padLines(strings.Join(lines, "\n"), h)
}

func (m *Runner) groupTitle(g string) string {
	names := m.cfg.Names
	if m.report != nil && len(m.report.Names) > 0 {
		names = m.report.Names
	}
	return report.GroupTitle(names, g)
}

func groupOf(subject string) string { return report.GroupKey(subject) }

func (m *Runner) rowLine(i int, r checks.Result, idw int) string {
	g := glyph(r.Status)
	st := m.styles.Status[r.Status]
	state := m.state[rowKey(r)]
	switch state {
	case stateRunning:
		g, st = m.spin.View(), m.styles.Running
	case stateWaiting:
		g, st = "·", m.styles.Dim
	}
	subj := r.Subject
	if grp := groupOf(subj); strings.HasPrefix(grp, "it_systems") {
		subj = strings.TrimPrefix(strings.TrimPrefix(subj, grp), ".")
	}
	msg := r.Message
	switch {
	case state == stateRunning:
		msg = "running…"
	case state == stateWaiting:
		msg = "waiting for the checks it depends on"
	case r.BlockedBy != "":
		msg = "blocked by " + r.BlockedBy + ": " + msg
	}
	text := fmt.Sprintf("%-*s  %s", idw, r.ID, m.cfg.Redact(textsafe.Line(joinNonEmpty(subj, msg))))
	if i == m.cursor {
		// The marker shows the cursor without colour (NO_COLOR, screen readers).
		return m.styles.Cursor.Render(padRight("›"+g+" "+words.Limit(text, max(m.width-4, 10)), m.width))
	}
	return " " + st.Render(g) + " " + words.Limit(text, max(m.width-4, 10))
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + ": " + b
}

func (m *Runner) details() string {
	h := m.detailHeight()
	cur := m.current()
	if cur == nil {
		return padLines("", h)
	}
	r := *cur
	w := max(m.width-2, 20)
	var lines []string
	status := string(r.Status)
	switch m.state[rowKey(r)] {
	case stateRunning:
		status = "running"
	case stateWaiting:
		status = "waiting"
	}
	lines = append(lines, m.styles.Title.Render(words.Limit(fmt.Sprintf("%s %s · %s · %s", glyph(r.Status), r.ID, status, r.Subject), w)))
	// The title says what is checked; the message what was found: "Checks:"
	// keeps a failure from reading as its own contradiction.
	for _, l := range wrapText("Checks: "+r.Title, w) {
		lines = append(lines, m.styles.Dim.Render(l))
	}
	lines = append(lines, wrapText(m.cfg.Redact(textsafe.Clean(r.Message, 0)), w)...)
	if r.BlockedBy != "" {
		lines = append(lines, m.styles.Dim.Render("Blocked by "+r.BlockedBy+" (fix that first)."))
	}
	if r.Remedy != "" {
		for _, l := range wrapText("Fix: "+m.cfg.Redact(textsafe.Clean(r.Remedy, 0)), w) {
			lines = append(lines, m.styles.Fix.Render(l))
		}
	}
	if ev := evidenceLine(r); ev != "" {
		lines = append(lines, wrapText("Evidence: "+m.cfg.Redact(ev), w)...)
	}
	if wf := report.WaterfallPlain(r, w); wf != "" {
		for l := range strings.SplitSeq(strings.TrimRight(wf, "\n"), "\n") {
			lines = append(lines, words.Limit(l, w))
		}
	}
	if r.Docs != "" {
		docs := "Docs: " + r.Docs
		if len([]rune(docs)) > w {
			docs = "Docs: " + strings.TrimPrefix(r.Docs, "https://github.com/cprready/cprready/blob/main/")
		}
		lines = append(lines, m.styles.Dim.Render(words.Limit(docs, w)))
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

// footer is a note (what just happened), then the keys from the key map.
func (m *Runner) footer() string {
	m.help.Width = max(m.width-1, 10)
	keys := m.help.View(m.keys)
	if !m.help.ShowAll {
		// bubbles/help keeps an item that does not fit when its ellipsis
		// does not fit either: drop keys (never ? and q) until it fits.
		short := m.keys.ShortHelp()
		for len(short) > 2 && lipgloss.Width(keys) > m.help.Width {
			short = short[1:]
			keys = m.help.ShortHelpView(short)
		}
	}
	if m.note == "" {
		return keys
	}
	return m.styles.Dim.Render(words.Limit(m.note, max(m.width-1, 10))) + "\n" + keys
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

func wrapText(s string, w int) []string { return report.Wrap(s, w) }
