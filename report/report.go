// Package report renders a checks.Report as text, JSON, JUnit XML or
// Markdown. Every renderer writes through one redaction gate.
package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/profile"
)

// DefaultWidth is the text report's width when the terminal's is unknown.
const DefaultWidth = 80

// Formats the contract names.
var Formats = []string{"text", "json", "junit", "markdown"}

// Options for rendering.
type Options struct {
	Format string
	Color  bool // text only: colours and styles (the caller decides: terminal, NO_COLOR)
	Width  int  // text only: wrap width (0 = DefaultWidth)
	// Verbose (text only) shows every check; the default is a summary: a
	// line per area and IT-system, details only for what fails or warns.
	Verbose bool
	// StrictGate passes every value through the strict gate (a support
	// bundle: redact.Redactor.Strict).
	StrictGate bool
}

// Render writes rep in the chosen format through the redaction gate.
func Render(w io.Writer, rep *checks.Report, opts Options, gate *redact.Redactor) error {
	b, err := Bytes(rep, opts, gate)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Bytes passes rep's values through the redaction gate (Gated) and
// renders it in the chosen format, once: the caller may write the bytes to
// several places. The gate never sees the format's own syntax.
func Bytes(rep *checks.Report, opts Options, gate *redact.Redactor) ([]byte, error) {
	rep = Gated(rep, gate, opts.StrictGate)
	var buf bytes.Buffer
	buf.Grow(4096 + 512*len(rep.Checks)) // about a row's JSON: one allocation, not a doubling series
	var err error
	switch strings.ToLower(opts.Format) {
	case "", "text":
		err = Text(&buf, rep, opts)
	case "json":
		err = JSON(&buf, rep)
	case "junit", "xml":
		err = JUnit(&buf, rep)
	case "markdown", "md":
		err = Markdown(&buf, rep)
	default:
		return nil, fmt.Errorf("unknown format %q (use text, json, junit or markdown)", opts.Format)
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// FormatForFile is the format a file name's extension asks for (text
// when it says nothing: no file, .txt or an unknown extension).
func FormatForFile(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return "json"
	case ".xml":
		return "junit"
	case ".md", ".markdown":
		return "markdown"
	}
	return "text"
}

// Extension is the usual file extension of a format.
func Extension(format string) string {
	switch strings.ToLower(format) {
	case "json":
		return "json"
	case "junit", "xml":
		return "xml"
	case "markdown", "md":
		return "md"
	}
	return "txt"
}

// ValidFormat reports a known format name.
func ValidFormat(f string) bool {
	switch strings.ToLower(f) {
	case "text", "json", "junit", "xml", "markdown", "md":
		return true
	}
	return false
}

// SaveTimestamped writes the report as cprready-report-<time>.<ext> in the
// current folder (owner-only) and returns its name: a new file, never a
// replacement (-2, -3 … when the name is taken).
func SaveTimestamped(rep *checks.Report, format string, now time.Time, gate *redact.Redactor) (string, error) {
	b, err := Bytes(rep, Options{Format: format}, gate)
	if err != nil {
		return "", err
	}
	return fsutil.CreateUnique("cprready-report-"+now.Format("20060102-150405"), "."+Extension(format), b)
}

// CheckOutput checks a format and an output file before any work: a
// known format, and an output that is not a folder.
func CheckOutput(format, output string) error {
	if !ValidFormat(format) {
		return fmt.Errorf("--format %q: use text, json, junit or markdown", format)
	}
	if output != "" {
		if fi, err := os.Stat(output); err == nil && fi.IsDir() {
			return fmt.Errorf("--output %s is a folder; name a file, e.g. %s", output, filepath.Join(output, "report."+Extension(format)))
		}
	}
	return nil
}

// Recognise tells an earlier cprready report in format from the start of
// a file: such a file may be replaced by --output; any other needs --force.
func Recognise(format string) func([]byte) bool {
	return func(head []byte) bool {
		s := strings.TrimLeft(string(head), "\ufeff \t\r\n")
		switch strings.ToLower(format) {
		case "json":
			return strings.HasPrefix(s, "{") && (strings.Contains(s, `"name": "cprready"`) || strings.Contains(s, `"reports": [`) && strings.Contains(s, `"ready": `))
		case "junit", "xml":
			return strings.HasPrefix(s, "<?xml") && strings.Contains(s[:min(len(s), 4096)], `<testsuites name="cprready"`)
		case "markdown", "md":
			return strings.HasPrefix(s, "## cprready: ") || strings.HasPrefix(s, "# cprready: ")
		}
		return strings.HasPrefix(s, checks.VerdictReady+" ") || strings.HasPrefix(s, checks.VerdictNotReady+" ")
	}
}

// Output is the guard of --output for a report in format: never over one
// of the run's inputs, never over a file that is not a cprready report
// of that format unless force.
func Output(path, format string, force bool, inputs []profile.InputFile) fsutil.Output {
	o := fsutil.Output{Path: path, Kind: format + " report", Is: Recognise(format), Force: force}
	for _, in := range inputs {
		o.Inputs = append(o.Inputs, fsutil.Input{Path: in.Path, What: in.What})
	}
	return o
}

// Deliver writes rendered bytes to stdout when out names no file, else
// through out's guard to the file (atomically), and tells status what it
// wrote where.
func Deliver(stdout, status io.Writer, out fsutil.Output, data []byte, what, note string) error {
	if out.Path == "" {
		_, err := stdout.Write(data)
		return err
	}
	if err := out.Write(data); err != nil {
		return err
	}
	fmt.Fprintf(status, "cprready: wrote %s to %s%s\n", what, out.Path, note)
	return nil
}
