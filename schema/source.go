package schema

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cprready/cprready/checks/diagnose"
	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/profile"
)

// Source is where a profile says a service's schema is: the endpoints,
// the service, the SDL's URL, the API key (when asked for) and the cache.
type Source struct {
	P         *profile.Profile
	Endpoints datafordeler.Endpoints
	Service   string
	URL       string
	Key       string
	Cache     *Cache
}

// Open locates a service's schema for a loaded profile ("": the
// organisation's custom service); with res, it resolves the profile's
// first API key too. Errors name the profile's file.
func Open(ctx context.Context, p *profile.Profile, service string, res *profile.Resolver) (*Source, error) {
	ep, service, u, err := Locate(p, service)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	cache, err := DefaultCache()
	if err != nil {
		return nil, err
	}
	s := &Source{P: p, Endpoints: ep, Service: service, URL: u, Cache: cache}
	if res != nil {
		if s.Key, err = p.FirstAPIKey(ctx, *res); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Path, err)
		}
	}
	return s, nil
}

// Fetcher fetches the live SDL with the API key, the gate told of every
// secret the client meets.
func (s *Source) Fetcher(ctx context.Context, gate *redact.Redactor) (FetchFunc, error) {
	c, err := datafordeler.New(datafordeler.Options{CAFile: s.Endpoints.CAFile, Redactor: gate})
	if err != nil {
		return nil, err
	}
	return func(etag string) (Fetched, error) {
		res, err := c.Schema(ctx, s.URL, s.Key, etag)
		if err != nil {
			return Fetched{}, err
		}
		return Fetched{SDL: res.SDL, ETag: res.ETag, URL: res.Meta.URL, NotModified: res.NotModified}, nil
	}, nil
}

// Failure explains a fetch's error: the platform's refusals with the
// live checks' diagnosis and a schema that does not parse make the
// profile not ready (notReady); anything else (the cache) is the user's
// to fix before a run.
func (s *Source) Failure(err error) (notReady bool, explained error) {
	if ce, ok := datafordeler.AsError(err); ok {
		d := diagnose.Diagnose(ce, diagnose.Context{Check: "schema.apikey", At: time.Now(), Env: s.P.Environment})
		return true, fmt.Errorf("%s\nfix: %s", d.Message, d.Remedy)
	}
	if errors.Is(err, ErrUnparsable) {
		return true, err
	}
	if errors.Is(err, ErrNotCached) {
		return false, fmt.Errorf("no cached %s schema: run `cprready schema fetch --service %s` first", s.Service, s.Service)
	}
	return false, err
}
