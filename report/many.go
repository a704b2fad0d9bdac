package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/redact"
)

// Entry is one profile of a multi-profile run: its report, or why it has
// none (the profile does not load).
type Entry struct {
	Profile string
	Report  *checks.Report
	Err     error
}

// ManyReady reports whether every profile loaded and is ready.
func ManyReady(entries []Entry) bool {
	for _, e := range entries {
		if e.Report == nil || !e.Report.Ready {
			return false
		}
	}
	return len(entries) > 0
}

// ManyBytes renders several profiles' reports as one document in the
// chosen format, through the gate: text a summary table then each
// profile's findings, JSON one report per profile, JUnit a suite per
// profile, Markdown a section per profile.
func ManyBytes(entries []Entry, opts Options, gate *redact.Redactor) ([]byte, error) {
	gated := make([]Entry, len(entries))
	for i, e := range entries {
		gated[i] = Entry{Profile: gate.Value(e.Profile), Err: e.Err}
		if e.Err != nil {
			gated[i].Err = gatedError(gate.Value(e.Err.Error()))
		}
		if e.Report != nil {
			gated[i].Report = Gated(e.Report, gate, opts.StrictGate)
		}
	}
	entries = gated
	var buf bytes.Buffer
	var err error
	switch strings.ToLower(opts.Format) {
	case "", "text":
		err = manyText(&buf, entries, opts)
	case "json":
		err = manyJSON(&buf, entries)
	case "junit", "xml":
		err = manyJUnit(&buf, entries)
	case "markdown", "md":
		err = manyMarkdown(&buf, entries)
	default:
		return nil, fmt.Errorf("unknown format %q (use text, json, junit or markdown)", opts.Format)
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// gatedError is an error's text after the gate.
type gatedError string

func (e gatedError) Error() string { return string(e) }

func manyText(w io.Writer, entries []Entry, opts Options) error {
	st := newStyles(opts.Color)
	ready := 0
	pw := len("PROFILE")
	for _, e := range entries {
		pw = max(pw, len([]rune(clean(e.Profile))))
		if e.Report != nil && e.Report.Ready {
			ready++
		}
	}
	var b strings.Builder
	head := fmt.Sprintf("%d of %d profiles READY", ready, len(entries))
	if ready == len(entries) {
		b.WriteString(st.ready.Render("READY  "+head) + "\n\n")
	} else {
		b.WriteString(st.notReady.Render("NOT READY  "+head) + "\n\n")
	}
	fmt.Fprintf(&b, "  %s  %-9s  %s\n", pad("PROFILE", pw), "VERDICT", "FINDINGS")
	for _, e := range entries {
		verdict, counts := "ERROR", clean(errText(e.Err))
		glyph := st.fail.Render(Glyph(checks.Fail))
		if r := e.Report; r != nil {
			s := r.Summary
			verdict, counts = checks.VerdictNotReady, fmt.Sprintf("%d fail · %d warn · %d pass · %d skip", s.Fail, s.Warn, s.Pass, s.Skip)
			if r.Ready {
				verdict, glyph = checks.VerdictReady, st.pass.Render(Glyph(checks.Pass))
			}
		}
		fmt.Fprintf(&b, "%s %s  %-9s  %s\n", glyph, pad(clean(e.Profile), pw), verdict, counts)
	}
	for _, e := range entries {
		if e.Report == nil || (e.Report.Ready && !opts.Verbose) {
			continue
		}
		b.WriteString("\n" + st.head.Render("── "+clean(e.Profile)) + "\n")
		var one bytes.Buffer
		if err := Text(&one, e.Report, opts); err != nil {
			return err
		}
		b.Write(one.Bytes())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// manyJSON is {"schema_version", "ready", "reports": [...], "errors": [...]}.
func manyJSON(w io.Writer, entries []Entry) error {
	type loadError struct {
		Profile string `json:"profile"`
		Error   string `json:"error"`
	}
	var reps []json.RawMessage
	var errs []loadError
	for _, e := range entries {
		if e.Report == nil {
			errs = append(errs, loadError{Profile: e.Profile, Error: errText(e.Err)})
			continue
		}
		var one bytes.Buffer
		if err := JSON(&one, e.Report); err != nil {
			return err
		}
		reps = append(reps, json.RawMessage(bytes.TrimSpace(one.Bytes())))
	}
	if reps == nil {
		reps = []json.RawMessage{}
	}
	if errs == nil {
		errs = []loadError{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"schema_version": 1, "ready": ManyReady(entries), "reports": reps, "errors": errs})
}

func manyJUnit(w io.Writer, entries []Entry) error {
	all := junitSuites{Name: "cprready"}
	for _, e := range entries {
		if e.Report == nil {
			s := junitSuite{Name: "cprready " + e.Profile, Tests: 1, Failures: 1, Time: "0.000",
				Cases: []junitCase{{Classname: "cprready.profile", Name: "profile loads", Time: "0.000", Failure: &junitMessage{Message: clean(errText(e.Err)), Type: "error"}}}}
			all.Suites = append(all.Suites, s)
			all.Tests++
			all.Failures++
			continue
		}
		s := junitSuiteOf(e.Report)
		s.Name = "cprready " + e.Profile
		all.Suites = append(all.Suites, s)
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Skipped += s.Skipped
	}
	return writeJUnit(w, all)
}

func manyMarkdown(w io.Writer, entries []Entry) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# cprready: %d profile(s)\n\n| Profile | Verdict | Findings |\n|---|---|---|\n", len(entries))
	for _, e := range entries {
		verdict, counts := "ERROR", mdCell(errText(e.Err))
		if r := e.Report; r != nil {
			s := r.Summary
			verdict, counts = checks.VerdictNotReady, fmt.Sprintf("%d fail · %d warn · %d pass · %d skip", s.Fail, s.Warn, s.Pass, s.Skip)
			if r.Ready {
				verdict = checks.VerdictReady
			}
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", mdCode(e.Profile), verdict, counts)
	}
	for _, e := range entries {
		if e.Report == nil {
			continue
		}
		b.WriteString("\n")
		if err := Markdown(&b, e.Report); err != nil {
			return err
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// ManyExitCode is the worst exit code of the entries: 2 when a profile
// did not load, else 1 when one is not ready, else 0.
func ManyExitCode(entries []Entry) int {
	code := 0
	for _, e := range entries {
		switch {
		case e.Report == nil:
			return 2
		case !e.Report.Ready:
			code = 1
		}
	}
	return code
}
