package live

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/diagnose"
	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
)

func (g *graph) reachRun(base string, names []string) func(context.Context) checks.Result {
	return func(ctx context.Context) checks.Result {
		t := &task{}
		meta, err := g.client.Probe(ctx, base)
		subj := "endpoints." + names[0]
		if err != nil {
			r := g.failRow(t, err, diagnose.Context{Check: checks.IDNetReach})
			r.Subject = subj
			r.Evidence["host"] = platform.HostOf(base)
			r.Evidence["endpoints"] = names
			return r
		}
		r := passRow(subj, fmt.Sprintf("%s answers (DNS %dms, connect %dms, TLS %dms, total %dms)", platform.HostOf(base), meta.Timing.DNSMS, meta.Timing.ConnectMS, meta.Timing.TLSMS, meta.Timing.TotalMS))
		r.Evidence["host"] = platform.HostOf(base)
		r.Evidence["endpoints"] = names
		r.Evidence["timings"] = []datafordeler.Timing{meta.Timing}
		r.Evidence["server_date"] = g.server(meta.DateRaw)
		r.Evidence["date_at"] = g.o.Now().UTC().Format(time.RFC3339)
		if len(g.ep.Guessed) > 0 {
			r.Evidence["guessed_endpoints"] = g.ep.Guessed
		}
		return r
	}
}

func (g *graph) clockRun(reach *task) checks.Result {
	raw, _ := reach.res.Evidence["server_date"].(string) // marked server text
	at, _ := reach.res.Evidence["date_at"].(string)
	server, err1 := time.Parse(time.RFC1123, redact.StripMarks(raw))
	local, err2 := time.Parse(time.RFC3339, at)
	if raw == "" || err1 != nil || err2 != nil {
		return checks.NewResult(checks.Warn, "environment", "The server sent no readable Date header, so the clock cannot be compared", "Keep the clock synchronised with NTP (timedatectl set-ntp true).")
	}
	skew := local.Sub(server)
	ev := map[string]any{"server_date": raw, "local": at, "skew_s": skew.Round(time.Second).Seconds()}
	abs := skew
	if abs < 0 {
		abs = -abs
	}
	// Date has a one-second resolution; allow for it.
	if abs > MaxClockSkew+time.Second {
		dir := "behind"
		if skew > 0 {
			dir = "ahead of"
		}
		r := checks.NewResult(checks.Fail, "environment", fmt.Sprintf("The local clock is %s %s the server's (Date: %s); tokens are time-bound and will look expired or not yet valid", abs.Round(time.Second), dir, raw),
			"Synchronise the clock with NTP (timedatectl set-ntp true, or w32tm /resync on Windows).")
		r.Evidence = ev
		return r
	}
	r := passRow("environment", fmt.Sprintf("The local clock is within %s of the server's", max(abs.Round(time.Second), time.Second)))
	r.Evidence = ev
	return r
}

func (g *graph) egressAddr(ctx context.Context) (netip.Addr, datafordeler.Meta, error) {
	g.egress.once.Do(func() {
		if g.ep.EgressEcho == "" {
			g.egress.err = errors.New("no echo URL")
			return
		}
		g.egress.addr, g.egress.meta, g.egress.err = g.client.EgressIP(ctx, g.ep.EgressEcho)
	})
	return g.egress.addr, g.egress.meta, g.egress.err
}

func (g *graph) egressRun(i int) func(context.Context) checks.Result {
	return func(ctx context.Context) checks.Result {
		subj := profile.ITSystemSubject(i)
		if g.o.NoEgress {
			return skipRow(subj, "", "the egress check is off (--no-egress-check)")
		}
		if g.ep.EgressEcho == "" {
			return skipRow(subj, "", "no echo URL is set (endpoints.egress_echo)")
		}
		addr, meta, err := g.egressAddr(ctx)
		name := g.env.P.ITSystems[i].Name
		wl := checks.WhitelistPrefixes(g.env.P, i)
		if err != nil {
			t := &task{}
			r := g.failRow(t, err, diagnose.Context{Check: checks.IDNetEgressIP})
			r.Subject = subj
			r.Message = "Your public address cannot be determined: " + r.Message
			return r
		}
		ev := map[string]any{"egress_ip": addr.String(), "whitelist": diagnose.Prefixes(wl), "timings": []datafordeler.Timing{meta.Timing}}
		for _, p := range wl {
			if p.Contains(addr) {
				r := passRow(subj, fmt.Sprintf("Your public address %s is in the whitelist of IT-system %q (%s)", addr, name, p))
				r.Evidence = ev
				return r
			}
		}
		r := checks.NewResult(checks.Fail, subj, fmt.Sprintf("Your public address %s is not in the whitelist of IT-system %q (%s)", addr, name, diagnose.Prefixes(wl)),
			fmt.Sprintf("Add %s/32 under Administration → IT-systemer → %s → IP-adresser (and under ip_whitelist:); a change can take a few minutes to apply.", addr, name))
		r.Evidence = ev
		return r
	}
}
