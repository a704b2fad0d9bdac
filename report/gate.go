package report

import (
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/redact"
)

// Gated is a copy of rep with every text value passed through the final
// gate (outside text masked by its origin's rules, the marks removed),
// ready for any renderer. The tool's identifiers (check IDs, statuses,
// subjects (it_systems[0].credentials…: paths into the profile), docs
// links, blocked-by IDs, the tool's name, the time of the run) are
// not values a secret can reach, and stay as they are. Evidence keys are names: only their
// values are gated. strict treats every value as outside text (a support
// bundle: see redact.Redactor.Strict).
func Gated(rep *checks.Report, gate *redact.Redactor, strict bool) *checks.Report {
	if strict {
		return GatedWith(rep, gate.Strict)
	}
	return GatedWith(rep, gate.Value)
}

// GatedWith is Gated with the gate given as a function of one value.
func GatedWith(rep *checks.Report, v func(string) string) *checks.Report {
	c := *rep
	c.Profile, c.Environment = v(rep.Profile), v(rep.Environment)
	c.Options.At, c.Options.Timeout = v(rep.Options.At), v(rep.Options.Timeout)
	c.Options.Only = nil
	for _, id := range rep.Options.Only {
		c.Options.Only = append(c.Options.Only, v(id))
	}
	if rep.Names != nil {
		c.Names = make(map[string]string, len(rep.Names))
		for k, n := range rep.Names {
			c.Names[k] = v(redact.Local(n).String()) // an IT-system's name: the profile's text
		}
	}
	c.Checks = make([]checks.Result, len(rep.Checks))
	for i, r := range rep.Checks {
		r.Title, r.Message, r.Remedy = v(r.Title), v(r.Message), v(r.Remedy)
		if r.Evidence != nil {
			ev := make(map[string]any, len(r.Evidence))
			for k, x := range r.Evidence {
				ev[k] = gateAny(x, v)
			}
			r.Evidence = ev
		}
		c.Checks[i] = r
	}
	return &c
}

// gateAny gates every string inside an evidence value, whatever its type
// (a timing, a list, a map), and keeps the type: the JSON report shows
// typed evidence as it always has.
func gateAny(x any, v func(string) string) any { return redact.Deep(x, v) }
