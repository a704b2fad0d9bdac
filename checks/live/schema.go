package live

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
)

// schemaService picks the service an API key's schema is fetched from.
func (g *graph) schemaService(kind string) (string, string) {
	if kind == checks.KindPrivate {
		return "private", g.ep.PrivateSchema
	}
	return "public", g.ep.PublicSchema
}

func (g *graph) schemaRun(t *task, i int, k *profile.APIKey, kind string) func(context.Context) checks.Result {
	return func(ctx context.Context) checks.Result {
		key, err := g.env.Secret(&k.Key)
		if err != nil {
			return skipRow(t.subject, "cred.storage", "the API key cannot be read")
		}
		svc, u := g.schemaService(kind)
		targets := []struct{ svc, url string }{{svc, u}}
		if d := g.env.P.ITSystems[i].DataAccess; kind == checks.KindPublic && d != nil && d.Events {
			targets = append(targets, struct{ svc, url string }{"events", g.ep.EventsSchema})
		}
		// The services' schemas are fetched at once: the run costs one round trip.
		type fetched struct {
			res *datafordeler.SchemaResult
			err error
		}
		results := make([]fetched, len(targets))
		var wg sync.WaitGroup
		for n, tg := range targets {
			wg.Go(func() {
				res, err := g.client.Schema(ctx, tg.url, key, "")
				results[n] = fetched{res, err}
			})
		}
		wg.Wait()
		ev := map[string]any{}
		var timings []datafordeler.Timing
		var found []string
		for n, tg := range targets {
			res, err := results[n].res, results[n].err
			if err != nil {
				d := g.diag(ctx, i, "schema.apikey", profile.APIKeyCred)
				if k.Created.Valid() {
					d.KeyCreated = k.Created.Time()
				}
				r := g.failRow(t, err, d, timings...)
				r.Evidence["service"] = tg.svc
				return r
			}
			timings = append(timings, res.Meta.Timing)
			root := platform.Service(tg.svc).RootField()
			sch, perr := g.parseSchema(tg.svc+".graphql", res.SDL)
			if perr != nil {
				r := checks.NewResult(checks.Fail, t.subject, fmt.Sprintf("The %s schema does not parse: %s", tg.svc, g.server(perr.Error())), "Fetch it again; if it persists, report it to Datafordeleren.")
				r.Evidence["timings"] = timings
				return r
			}
			if !slices.Contains(gql.RootFields(sch), root) {
				r := checks.NewResult(checks.Fail, t.subject, fmt.Sprintf("The %s schema has no root field %s", tg.svc, root), "Check endpoints.graphql and endpoints.service_version: the URL serves another service.")
				r.Evidence["timings"] = timings
				return r
			}
			found = append(found, root)
			ev[tg.svc+"_sdl_bytes"] = len(res.SDL)
			if g.o.SchemaCache != nil {
				for k2, v := range g.o.SchemaCache.Compare(tg.svc, res.SDL) {
					ev[tg.svc+"_"+k2] = v
				}
			}
		}
		ev["root_fields"] = found
		ev["timings"] = timings
		r := passRow(t.subject, fmt.Sprintf("The API key fetches the schema (%s)", strings.Join(found, ", ")))
		r.Evidence = ev
		return r
	}
}
