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
	"github.com/cprready/cprready/internal/words"
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
	s := rep.Summary
	return fmt.Sprintf("%s  %d fail · %d warn · %d pass · %d skip · %d info", rep.Verdict(), s.Fail, s.Warn, s.Pass, s.Skip, s.Info)
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
		width = DefaultWidth
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
	for _, l := range Wrap(meta, width) {
		b.WriteString(st.dim.Render(l) + "\n")
	}
	idw := 0
	for _, r := range rep.Checks {
		idw = max(idw, len(r.ID))
	}
	if !opts.Verbose {
		compact(&b, st, rep, idw, width)
		_, err := io.WriteString(w, b.String())
		return err
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
	writeRowDocs(b, st, r, group, idw, width, true)
}

// writeRowDocs writes one row; docs adds the docs link under a finding.
func writeRowDocs(b *strings.Builder, st styles, r checks.Result, group string, idw, width int, docs bool) {
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
		if docs {
			b.WriteString(indent + st.dim.Render("docs: "+r.Docs) + "\n")
		}
	}
	if wf := Waterfall(r, st, width-len(indent)); wf != "" {
		for l := range strings.SplitSeq(strings.TrimRight(wf, "\n"), "\n") {
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

// Wrap is words.Wrap: text reports wrap between words only.
func Wrap(s string, width int) []string { return words.Wrap(s, width) }

// compact writes the summary: a line per area and IT-system with its
// counts, then every failure and warning once, with what it blocks, and
// failures that repeat the same cause folded into one.
func compact(b *strings.Builder, st styles, rep *checks.Report, idw, width int) {
	groups := Groups(rep)
	tw := 0
	for _, g := range groups {
		tw = max(tw, len([]rune(g.Title)))
	}
	b.WriteString("\n")
	for _, g := range groups {
		worst := checks.Pass
		var sum checks.Summary
		for _, r := range g.Rows {
			count(&sum, r.Status)
			worst = worse(worst, r.Status)
		}
		if 4+tw+2+len([]rune(counts(sum))) > width {
			// Too narrow for the table: the counts under the title.
			fmt.Fprintf(b, "  %s %s\n    %s\n", st.status(worst).Render(Glyph(worst)), g.Title, st.dim.Render(counts(sum)))
			continue
		}
		fmt.Fprintf(b, "  %s %s  %s\n", st.status(worst).Render(Glyph(worst)), pad(g.Title, tw), st.dim.Render(counts(sum)))
	}
	shown := 0
	for _, g := range groups {
		var rows []checks.Result
		for _, r := range g.Rows {
			if r.Status == checks.Fail || r.Status == checks.Warn {
				rows = append(rows, r)
			}
		}
		if len(rows) == 0 {
			continue
		}
		if shown == 0 {
			title := "What to fix"
			if rep.Summary.Fail == 0 {
				title = "Warnings"
			}
			b.WriteString("\n" + st.head.Render(title) + "\n")
		}
		b.WriteString("\n  " + st.head.Render(g.Title) + "\n")
		folded := map[int]bool{}
		for i, r := range rows {
			if folded[i] {
				continue
			}
			shown++
			writeRowDocs(b, st, r, g.Key, idw, width, false)
			indent := strings.Repeat(" ", 5+idw)
			var same []string
			for j := i + 1; j < len(rows); j++ {
				if rows[j].Message == r.Message && rows[j].Remedy == r.Remedy {
					folded[j] = true
					same = append(same, rows[j].ID+" "+shortSubject(rows[j].Subject, g.Key))
				}
			}
			if len(same) > 0 {
				for k, l := range Wrap("same cause: "+strings.Join(same, ", "), width-len(indent)) {
					if k > 0 {
						l = "            " + l
					}
					b.WriteString(indent + st.dim.Render(l) + "\n")
				}
			}
			if blocked := blocks(rep, r); len(blocked) > 0 {
				for k, l := range Wrap("blocks: "+strings.Join(blocked, ", "), width-len(indent)) {
					if k > 0 {
						l = "        " + l
					}
					b.WriteString(indent + st.dim.Render(l) + "\n")
				}
			}
		}
	}
	b.WriteString("\n")
	if shown == 0 {
		b.WriteString(st.dim.Render("Nothing fails or warns. Every check: add --verbose.") + "\n")
		return
	}
	for _, l := range Wrap("Every check: add --verbose · explain one: cprready explain <ID>", width) {
		b.WriteString(st.dim.Render(l) + "\n")
	}
}

// blocks lists the skipped checks that r's failure blocked, by subject.
func blocks(rep *checks.Report, r checks.Result) []string {
	if r.Status != checks.Fail {
		return nil
	}
	var out []string
	for _, x := range rep.Checks {
		if x.Status == checks.Skip && x.BlockedBy == r.ID && (x.Subject == r.Subject || strings.HasPrefix(x.Subject, r.Subject+".") || r.ID == "net.reach") {
			out = append(out, x.ID+" "+shortSubject(x.Subject, GroupKey(x.Subject)))
		}
	}
	return out
}

func shortSubject(subject, group string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(subject, group), ".")
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

func count(s *checks.Summary, st checks.Status) {
	switch st {
	case checks.Pass:
		s.Pass++
	case checks.Warn:
		s.Warn++
	case checks.Fail:
		s.Fail++
	case checks.Skip:
		s.Skip++
	case checks.Info:
		s.Info++
	}
}

// worse orders statuses for an area's glyph: fail, warn, skip, pass.
func worse(a, b checks.Status) checks.Status {
	rank := map[checks.Status]int{checks.Fail: 4, checks.Warn: 3, checks.Skip: 2, checks.Pass: 1, checks.Info: 0}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

func counts(s checks.Summary) string {
	var parts []string
	for _, p := range []struct {
		n    int
		word string
	}{{s.Fail, "fail"}, {s.Warn, "warn"}, {s.Pass, "pass"}, {s.Skip, "skip"}, {s.Info, "info"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.word))
		}
	}
	return strings.Join(parts, " · ")
}
