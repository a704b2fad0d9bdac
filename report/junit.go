package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/textsafe"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",chardata"`
}

// JUnit writes one testcase per report row: fail as failure, skip as
// skipped, the remedy in the message. With --strict a warning fails too.
func JUnit(w io.Writer, rep *checks.Report) error {
	suite := junitSuiteOf(rep)
	doc := junitSuites{Name: "cprready", Tests: suite.Tests, Failures: suite.Failures, Skipped: suite.Skipped, Suites: []junitSuite{suite}}
	return writeJUnit(w, doc)
}

// junitSuiteOf is a report as one test suite.
func junitSuiteOf(rep *checks.Report) junitSuite {
	suite := junitSuite{Name: "cprready " + rep.Environment, Timestamp: junitTime(rep)}
	var total float64
	for _, r := range rep.Checks {
		c := junitCase{
			Classname: "cprready." + area(r.ID),
			Name:      r.ID + " " + r.Subject,
			Time:      fmt.Sprintf("%.3f", float64(r.DurationMS)/1000),
		}
		total += float64(r.DurationMS) / 1000
		body := clean(r.Message)
		if r.Remedy != "" {
			body += "\nFix: " + clean(r.Remedy)
		}
		body += "\nDocs: " + r.Docs
		switch {
		case r.Status == checks.Fail || (r.Status == checks.Warn && rep.Strict):
			// The message is what was found (CI shows it as the failure's
			// line); the body adds the fix and the docs.
			msg := clean(r.Message)
			c.Failure = &junitMessage{Message: msg, Type: string(r.Status), Body: body}
			suite.Failures++
		case r.Status == checks.Skip:
			reason := clean(r.Message)
			if r.BlockedBy != "" {
				reason = "blocked by " + r.BlockedBy + ": " + reason
			}
			c.Skipped = &junitMessage{Message: reason}
			suite.Skipped++
		default:
			c.SystemOut = strings.ToUpper(string(r.Status)) + ": " + body
		}
		suite.Cases = append(suite.Cases, c)
	}
	suite.Tests = len(suite.Cases)
	suite.Time = fmt.Sprintf("%.3f", total)
	return suite
}

func writeJUnit(w io.Writer, doc junitSuites) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitTime is when the run started as JUnit writes it (ISO 8601, UTC,
// no zone: the JUnit schema's form); the evaluation day's start for a
// report that does not record it.
func junitTime(rep *checks.Report) string {
	if t, err := time.Parse(time.RFC3339, rep.RanAt); err == nil {
		return t.UTC().Format("2006-01-02T15:04:05")
	}
	if rep.EvaluatedAt != "" {
		return rep.EvaluatedAt + "T00:00:00"
	}
	return ""
}

func area(id string) string {
	a, _, _ := strings.Cut(id, ".")
	return a
}

// clean makes text safe for terminals and documents: no escape sequences
// or control characters.
func clean(s string) string { return textsafe.Clean(s, 0) }
