package report

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/cprready/cprready/checks"
)

// Styles of the text report; plain when colour is off.
type styles struct {
	ready, notReady, head, dim, id         lipgloss.Style
	pass, warn, fail, skip, info, fix, bar lipgloss.Style
}

func newStyles(color bool) styles {
	r := lipgloss.NewRenderer(io.Discard)
	if color {
		r.SetColorProfile(termenv.ANSI256)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	return styles{
		ready:    r.NewStyle().Bold(true).Foreground(lipgloss.Color("2")),
		notReady: r.NewStyle().Bold(true).Foreground(lipgloss.Color("1")),
		head:     r.NewStyle().Bold(true),
		dim:      r.NewStyle().Faint(true),
		id:       r.NewStyle().Foreground(lipgloss.Color("6")),
		pass:     r.NewStyle().Foreground(lipgloss.Color("2")),
		warn:     r.NewStyle().Foreground(lipgloss.Color("3")),
		fail:     r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		skip:     r.NewStyle().Faint(true),
		info:     r.NewStyle().Foreground(lipgloss.Color("4")),
		fix:      r.NewStyle().Foreground(lipgloss.Color("3")),
		bar:      r.NewStyle().Foreground(lipgloss.Color("4")),
	}
}

func (s styles) status(st checks.Status) lipgloss.Style {
	switch st {
	case checks.Pass:
		return s.pass
	case checks.Warn:
		return s.warn
	case checks.Fail:
		return s.fail
	case checks.Skip:
		return s.skip
	}
	return s.info
}

// Verdict is the report's first line: READY or NOT READY with counts.
func Verdict(rep *checks.Report) string {
	v := "NOT READY"
	if rep.Ready {
		v = "READY"
	}
	s := rep.Summary
	return fmt.Sprintf("%s  %d fail · %d warn · %d pass · %d skip · %d info", v, s.Fail, s.Warn, s.Pass, s.Skip, s.Info)
}

var itSystemRe = regexp.MustCompile(`^it_systems\[(\d+)\]`)

// Group is a section of the text report.
type Group struct {
	Key   string // "" for the organisation, it_systems[N], legacy_rest
	Title string
	Rows  []checks.Result
}

// Groups splits rows into the organisation, each IT-system, and migration,
// keeping the report's order within each.
func Groups(rep *checks.Report) []Group {
	var order []string
	byKey := map[string]*Group{}
	for _, r := range rep.Checks {
		key := GroupKey(r.Subject)
		g, ok := byKey[key]
		if !ok {
			g = &Group{Key: key, Title: groupTitle(rep, key)}
			byKey[key] = g
			order = append(order, key)
		}
		g.Rows = append(g.Rows, r)
	}
	// Organisation first, IT-systems in index order, migration last.
	var out []Group
	if g, ok := byKey[""]; ok {
		out = append(out, *g)
	}
	var its []string
	for _, k := range order {
		if strings.HasPrefix(k, "it_systems") {
			its = append(its, k)
		}
	}
	sortSubjects(its)
	for _, k := range its {
		out = append(out, *byKey[k])
	}
	if g, ok := byKey["legacy_rest"]; ok {
		out = append(out, *g)
	}
	return out
}

func sortSubjects(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && subjectIndex(s[j]) < subjectIndex(s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func subjectIndex(s string) int {
	m := itSystemRe.FindStringSubmatch(s)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func groupTitle(rep *checks.Report, key string) string {
	t := GroupTitle(rep.Names, key)
	if strings.HasPrefix(key, "it_systems") && rep.Names[key] != "" {
		t += " (" + key + ")"
	}
	return t
}

// GroupKey is the section a subject belongs to: "" (organisation and
// application), it_systems[N], or legacy_rest.
func GroupKey(subject string) string {
	switch {
	case itSystemRe.MatchString(subject):
		return itSystemRe.FindString(subject)
	case strings.HasPrefix(subject, "legacy_rest"):
		return "legacy_rest"
	}
	return ""
}

// GroupTitle names a section; names maps it_systems[N] to IT-system names.
func GroupTitle(names map[string]string, key string) string {
	switch key {
	case "":
		return "Organisation and application"
	case "legacy_rest":
		return "Migration from REST"
	}
	if name := names[key]; name != "" {
		return fmt.Sprintf("IT-system %q", clean(name))
	}
	return "IT-system " + key
}

// Text writes the human report.
func Text(w io.Writer, rep *checks.Report, opts Options) error {
	st := newStyles(opts.Color)
	width := opts.Width
	if width <= 0 {
		width = 100
	}
	var b strings.Builder
	verdict := Verdict(rep)
	if rep.Ready {
		b.WriteString(st.ready.Render(verdict))
	} else {
		b.WriteString(st.notReady.Render(verdict))
	}
	b.WriteString("\n")
	meta := fmt.Sprintf("profile %s · environment %s · as of %s", clean(rep.Profile), clean(rep.Environment), rep.EvaluatedAt)
	if rep.Strict {
		meta += " · strict (warnings fail)"
	}
	b.WriteString(st.dim.Render(meta) + "\n")
	idw := 0
	for _, r := range rep.Checks {
		idw = max(idw, len(r.ID))
	}
	for _, g := range Groups(rep) {
		b.WriteString("\n" + st.head.Render(g.Title) + "\n")
		for _, r := range g.Rows {
			writeRow(&b, st, r, g.Key, idw, width)
		}
	}
	if !rep.Ready {
		b.WriteString("\n" + st.dim.Render("Explain any check: cprready explain <ID>") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeRow(b *strings.Builder, st styles, r checks.Result, group string, idw, width int) {
	subj := r.Subject
	if strings.HasPrefix(group, "it_systems") {
		subj = strings.TrimPrefix(strings.TrimPrefix(r.Subject, group), ".")
	}
	head := fmt.Sprintf("  %s %s ", st.status(r.Status).Render(Glyph(r.Status)), st.id.Render(pad(r.ID, idw)))
	indent := strings.Repeat(" ", 5+idw)
	msg := clean(r.Message)
	if subj != "" && subj != group {
		msg = subj + ": " + msg
	}
	if r.BlockedBy != "" {
		msg = "blocked by " + r.BlockedBy + ": " + msg
	}
	lines := Wrap(msg, width-len(indent))
	for i, l := range lines {
		if i == 0 {
			b.WriteString(head)
		} else {
			b.WriteString(indent)
		}
		if r.Status == checks.Pass || r.Status == checks.Skip {
			l = st.dim.Render(l)
		}
		b.WriteString(l + "\n")
	}
	if r.Status == checks.Fail || r.Status == checks.Warn {
		if r.Remedy != "" {
			for i, l := range Wrap(clean(r.Remedy), width-len(indent)-5) {
				prefix := "fix: "
				if i > 0 {
					prefix = "     "
				}
				b.WriteString(indent + st.fix.Render(prefix+l) + "\n")
			}
		}
		b.WriteString(indent + st.dim.Render("docs: "+r.Docs) + "\n")
	}
	if wf := Waterfall(r, st, width-len(indent)); wf != "" {
		for _, l := range strings.Split(strings.TrimRight(wf, "\n"), "\n") {
			b.WriteString(indent + l + "\n")
		}
	}
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

// Wrap breaks text at spaces to width (at least 30), keeping line breaks.
func Wrap(s string, width int) []string {
	width = max(width, 30)
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		line := ""
		for _, w := range words {
			switch {
			case line == "":
				line = w
			case len([]rune(line))+1+len([]rune(w)) > width:
				lines = append(lines, line)
				line = w
			default:
				line += " " + w
			}
		}
		lines = append(lines, line)
	}
	return lines
}
