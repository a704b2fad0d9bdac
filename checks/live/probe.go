package live

import (
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/datafordeler"
)

// Probe runs the live checks among selected on env's profile: every probe
// as soon as its dependencies are done, so the run costs about one chain
// (token, then query). progress, when set, hears each row planned, started
// and done.
func (p *Prober) Probe(env *checks.Env, selected []*checks.Check, progress func(checks.Progress)) []checks.Result {
	o := p.o
	want := map[string]bool{}
	for _, c := range selected {
		if c.Live {
			want[c.ID] = true
		}
	}
	if len(want) == 0 {
		return nil
	}
	for _, v := range env.P.EndpointCredentials() {
		o.Redactor.Add(v)
	}
	ep, err := datafordeler.ResolveEndpoints(env.P)
	if err != nil {
		return finishLive([]checks.Result{checks.NewResult(checks.Fail, "endpoints", "The live checks cannot start: "+err.Error(), "Fix endpoints: in the profile (absolute https URLs).")}, checks.IDNetReach)
	}
	client, err := datafordeler.New(datafordeler.Options{CAFile: ep.CAFile, Redactor: o.Redactor, RequestTimeout: o.RequestTimeout, Retry: o.Retry, Now: o.Now})
	if err != nil {
		return finishLive([]checks.Result{checks.NewResult(checks.Fail, "endpoints", err.Error(), "Point endpoints.ca_file at a readable PEM bundle.")}, checks.IDNetReach)
	}
	defer client.Close()
	g := &graph{env: env, o: o, ep: ep, client: client, reach: map[string]*task{}}
	g.build()
	if progress != nil {
		var planned []checks.Result
		for _, c := range checks.Registry() {
			if !want[c.ID] {
				continue
			}
			for _, t := range g.tasks {
				if t.id == c.ID {
					planned = append(planned, checks.Result{ID: c.ID, Title: c.Title, Subject: t.subject, Docs: c.Docs(), Evidence: map[string]any{}})
				}
			}
		}
		progress(checks.Progress{Planned: planned})
	}
	g.execute(env.Ctx, func(t *task) {
		if progress == nil || !want[t.id] {
			return
		}
		progress(checks.Progress{Started: &checks.Result{ID: t.id, Subject: t.subject}})
	}, func(t *task) {
		if progress == nil || !want[t.id] {
			return
		}
		r := checks.Lookup(t.id).Finish([]checks.Result{t.res})[0]
		progress(checks.Progress{Done: &r})
	})
	g.reconcile()
	// How many connections the whole run opened (HTTP/2 shares one per host).
	for _, t := range g.tasks {
		if t.id == checks.IDNetReach && t.res.Evidence != nil {
			t.res.Evidence["connections_in_run"] = client.NewConnections()
		}
	}

	var out []checks.Result
	for _, c := range checks.Registry() {
		if !want[c.ID] {
			continue
		}
		var rs []checks.Result
		for _, t := range g.tasks {
			if t.id == c.ID {
				rs = append(rs, t.res)
			}
		}
		out = append(out, c.Finish(rs)...)
	}
	return out
}
