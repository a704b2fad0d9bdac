package live

import (
	"context"
	"strings"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/diagnose"
	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/profile"
)

func (g *graph) diag(ctx context.Context, i int, check string, kind profile.CredKind) diagnose.Context {
	d := diagnose.Context{Check: check, CredKind: kind, At: g.env.At, Env: strings.ToLower(g.env.P.Environment), Timeout: g.o.RequestTimeout}
	if i >= 0 && i < len(g.env.P.ITSystems) {
		d.System = g.env.P.ITSystems[i].Name
		d.Whitelist = checks.WhitelistPrefixes(g.env.P, i)
	}
	if !g.o.NoEgress {
		if a, _, err := g.egressAddr(ctx); err == nil {
			d.Egress = a
		}
	}
	return d
}

// server is text a server sent, as it enters the report: masked by the
// rules of server text now, and marked so that the final gate masks it by
// them again (a token learned later).
func (g *graph) server(s string) string { return g.o.Redactor.Enter(redact.Server(s).String()) }

// failRow makes a failure row from a classified error, with its diagnosis.
func (g *graph) failRow(t *task, err error, d diagnose.Context, timings ...datafordeler.Timing) checks.Result {
	ce, ok := datafordeler.AsError(err)
	if !ok {
		return checks.NewResult(checks.Fail, t.subject, g.o.Redactor.Error(err), "")
	}
	dg := diagnose.Diagnose(ce, d)
	r := checks.NewResult(checks.Fail, t.subject, g.o.Redactor.String(dg.Message), g.o.Redactor.String(dg.Remedy))
	for k, v := range ce.Evidence() {
		if s, ok := v.(string); ok {
			v = g.o.Redactor.String(s)
		}
		r.Evidence[k] = v
	}
	timings = append(timings, ce.Meta.Timings()...)
	if ce.Meta.Attempts > 1 {
		var total int64
		for _, t := range ce.Meta.Timings() {
			total = max(total, t.StartUnixMS+t.TotalMS)
		}
		if first := ce.Meta.Timings(); len(first) > 0 && first[0].StartUnixMS > 0 {
			r.Evidence["elapsed_ms"] = total - first[0].StartUnixMS
		}
	}
	if len(timings) > 0 {
		r.Evidence["timings"] = timings
	}
	switch ce.Cause {
	case datafordeler.CauseDNS, datafordeler.CauseRefused, datafordeler.CauseTLSUnknownAuthority, datafordeler.CauseTLSHostname, datafordeler.CauseTLSExpired, datafordeler.CauseProxy, datafordeler.CauseNetwork, datafordeler.CauseUnreachable:
		t.transport = true
	case datafordeler.CauseTimeout:
		t.transport = ce.Phase == "dns" || ce.Phase == "connect" || ce.Phase == "tls"
	}
	return r
}
