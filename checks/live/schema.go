package live

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/diagnose"
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
			return skipRow(t.subject, checks.IDCredStorage, "the API key cannot be read")
		}
		svc, u := g.schemaService(kind)
		targets := []struct{ svc, url string }{{svc, u}}
		if d := g.env.P.ITSystems[i].DataAccess; kind == checks.KindPublic && d != nil && d.Events {
			targets = append(targets, struct{ svc, url string }{"events", g.ep.EventsSchema})
		}
		// The services' schemas are fetched at once: the run costs one round trip.
		type fetched struct {
			res      *datafordeler.SchemaResult
			attempts int
			err      error
		}
		results := make([]fetched, len(targets))
		var wg sync.WaitGroup
		fresh := k.Created.Valid() && diagnose.KeyIsNew(k.Created.Time(), g.env.At)
		for n, tg := range targets {
			wg.Go(func() {
				res, attempts, err := g.fetchSchema(ctx, tg.url, key, fresh)
				results[n] = fetched{res, attempts, err}
			})
		}
		wg.Wait()
		ev := map[string]any{}
		var timings []datafordeler.Timing
		var found []string
		retried := 0
		for n, tg := range targets {
			res, err := results[n].res, results[n].err
			retried = max(retried, results[n].attempts)
			if err != nil {
				d := g.diag(ctx, i, checks.IDSchemaAPIKey, profile.APIKeyCred)
				if k.Created.Valid() {
					d.KeyCreated = k.Created.Time()
				}
				d.KeyAttempts = results[n].attempts
				r := g.failRow(t, err, d, timings...)
				r.Evidence["service"] = tg.svc
				if d.KeyAttempts > 1 {
					r.Evidence["key_attempts"] = d.KeyAttempts
				}
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
		msg := fmt.Sprintf("The API key fetches the schema (%s)", strings.Join(found, ", "))
		if retried > 1 {
			msg += fmt.Sprintf(", after %d attempts: the key was created today and failed now and then, as a new key does for up to about an hour while it spreads to the platform's gateway; keep it (a new key starts over)", retried)
			ev["key_attempts"] = retried
		}
		r := passRow(t.subject, msg)
		r.Evidence = ev
		return r
	}
}

// fetchSchema fetches a schema with an API key. A key created on the
// evaluation day that answers 401 DAF-AUTH-0005 is tried again a few
// times, waiting longer each time: a new key fails now and then for up to
// about an hour while it spreads (platform.ConvNewKey). It never waits
// past the run's deadline. It returns the attempts made.
func (g *graph) fetchSchema(ctx context.Context, url, key string, fresh bool) (*datafordeler.SchemaResult, int, error) {
	wait := g.o.KeyRetry.Wait
	for n := 1; ; n++ {
		res, err := g.client.Schema(ctx, url, key, "")
		ce, ok := datafordeler.AsError(err)
		if err == nil || !fresh || !ok || ce.Cause != datafordeler.CauseNoCredential || n >= g.o.KeyRetry.Attempts {
			return res, n, err
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait+g.o.RequestTimeout {
			return res, n, err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return res, n, err
		case <-t.C:
		}
		wait *= 2
	}
}
