package checks

import (
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
)

// Report is the outcome of a run, in the contract's JSON shape.
type Report struct {
	SchemaVersion int    `json:"schema_version"`
	Tool          Tool   `json:"tool"`
	Profile       string `json:"profile"`
	// ProfileSHA256 is the SHA-256 of the profile file the run read.
	ProfileSHA256 string `json:"profile_sha256,omitempty"`
	Environment   string `json:"environment"`
	EvaluatedAt   string `json:"evaluated_at"`
	// RanAt is when the run started, with the machine's zone (RFC 3339):
	// EvaluatedAt is the day the dates were judged as of (--at).
	RanAt   string   `json:"ran_at,omitempty"`
	Ready   bool     `json:"ready"`
	Summary Summary  `json:"summary"`
	Checks  []Result `json:"checks"`
	// Options are the options the report was made under, so that a
	// pipeline (and support staff) can tell why it says what it says.
	Options RunOptions `json:"options"`
	Strict  bool       `json:"-"`
	// Names maps it_systems[N] to the IT-system's name, for grouping.
	Names map[string]string `json:"-"`
}

// RunOptions records a run's options in the report.
type RunOptions struct {
	Strict  bool     `json:"strict"`
	Offline bool     `json:"offline"`
	Only    []string `json:"only"`
	At      string   `json:"at"`                // the evaluation day, YYYY-MM-DD
	Timeout string   `json:"timeout,omitempty"` // the live run's bound, e.g. 2m0s
	// Partial is true when only some checks ran (--only): such a report
	// can never be a complete verdict.
	Partial bool `json:"partial"`
	// Cancelled is true when the run was interrupted or hit --timeout.
	Cancelled bool `json:"cancelled"`
}

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Summary counts rows by status.
type Summary struct {
	Pass int `json:"pass"`
	Warn int `json:"warn"`
	Fail int `json:"fail"`
	Skip int `json:"skip"`
	Info int `json:"info"`
}

// Finish computes the summary and the verdict.
func (r *Report) Finish() {
	r.Summary = Summary{}
	for _, c := range r.Checks {
		switch c.Status {
		case Pass:
			r.Summary.Pass++
		case Warn:
			r.Summary.Warn++
		case Fail:
			r.Summary.Fail++
		case Skip:
			r.Summary.Skip++
		case Info:
			r.Summary.Info++
		}
	}
	r.Ready = r.Summary.Fail == 0 && (!r.Strict || r.Summary.Warn == 0)
}

// Sanitize makes every text of a report read from elsewhere (a bundle, a
// saved file) safe for a terminal: escapes and control characters go.
func Sanitize(r *Report) {
	// Marks of outside text are cprready's own, never interchanged: a file
	// that carries them is forged; they go with the escapes.
	line := func(s string) string { return textsafe.Line(redact.StripMarks(s)) }
	r.Profile, r.ProfileSHA256, r.Environment, r.EvaluatedAt, r.RanAt = line(r.Profile), line(r.ProfileSHA256), line(r.Environment), line(r.EvaluatedAt), line(r.RanAt)
	r.Tool.Name, r.Tool.Version = line(r.Tool.Name), line(r.Tool.Version)
	r.Options.At, r.Options.Timeout = line(r.Options.At), line(r.Options.Timeout)
	for i := range r.Options.Only {
		r.Options.Only[i] = line(r.Options.Only[i])
	}
	for i := range r.Checks {
		c := &r.Checks[i]
		c.ID, c.Title, c.Subject, c.Docs, c.BlockedBy = line(c.ID), line(c.Title), line(c.Subject), line(c.Docs), line(c.BlockedBy)
		c.Message, c.Remedy = textsafe.Clean(redact.StripMarks(c.Message), 4000), textsafe.Clean(redact.StripMarks(c.Remedy), 4000)
		c.Status = Status(line(string(c.Status)))
		ev := make(map[string]any, len(c.Evidence))
		for k, v := range c.Evidence {
			ev[line(k)] = sanitizeValue(v, 0)
		}
		c.Evidence = ev
	}
}

func sanitizeValue(v any, depth int) any {
	if depth > 16 {
		return nil
	}
	switch x := v.(type) {
	case string:
		return textsafe.Line(redact.StripMarks(x))
	case []any:
		for i := range x {
			x[i] = sanitizeValue(x[i], depth+1)
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[textsafe.Line(redact.StripMarks(k))] = sanitizeValue(e, depth+1)
		}
		return out
	}
	return v
}

// The verdicts every output shows first.
const (
	VerdictReady    = "READY"
	VerdictNotReady = "NOT READY"
)

// VerdictWord is READY or NOT READY.
func VerdictWord(ready bool) string {
	if ready {
		return VerdictReady
	}
	return VerdictNotReady
}

// Verdict is the report's verdict: READY or NOT READY.
func (r *Report) Verdict() string { return VerdictWord(r.Ready) }

// ExitCode is 0 when ready, 1 when not.
func (r *Report) ExitCode() int {
	if r.Ready {
		return 0
	}
	return 1
}
