package schema

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
)

// Fetched is what a fetch brought: the SDL (nil when the server said Not
// Modified), its ETag and the redacted URL it came from.
type Fetched struct {
	SDL         []byte
	ETag        string
	URL         string
	NotModified bool
}

// FetchFunc fetches a service's SDL, sending etag as If-None-Match.
type FetchFunc func(etag string) (Fetched, error)

// ErrUnparsable is a fetched schema that does not parse.
var ErrUnparsable = errors.New("the fetched schema does not parse")

// ErrNotCached is a service whose schema was never fetched.
var ErrNotCached = errors.New("no cached schema")

// CachedAndLive is a service's cached schema and its live one (fetched,
// not cached), to compare. A schema that does not parse wraps
// ErrUnparsable (its text marked as a server's); none cached is
// ErrNotCached; a failed fetch is returned as is.
func (c *Cache) CachedAndLive(base, service string, fetch FetchFunc) (old, cur *ast.Schema, err error) {
	cached, _, err := c.Load(base, service)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (%s)", ErrNotCached, service)
	}
	if old, err = gql.LoadSchema("cached "+service+".graphql", cached); err != nil {
		return nil, nil, fmt.Errorf("%w (the cached %s): %s", ErrUnparsable, service, redact.Server(err.Error()))
	}
	res, err := fetch("")
	if err != nil {
		return nil, nil, err
	}
	if cur, err = gql.LoadSchema("live "+service+".graphql", res.SDL); err != nil {
		return nil, nil, fmt.Errorf("%w (%s): %s", ErrUnparsable, service, redact.Server(err.Error()))
	}
	return old, cur, nil
}

// Refresh fetches a service's schema into the cache and writes to w what
// changed since the last fetch. A cache failure is returned as is; a
// schema that does not parse wraps ErrUnparsable.
func (c *Cache) Refresh(w io.Writer, base, service string, fetch FetchFunc, now time.Time) error {
	oldSDL, oldEntry, cacheErr := c.Load(base, service)
	etag := ""
	if cacheErr == nil {
		etag = oldEntry.ETag
	}
	res, err := fetch(etag)
	if err != nil {
		return err
	}
	if res.NotModified {
		e, err := c.Touch(base, service)
		if err != nil {
			return fmt.Errorf("cannot update the cache: %w", err)
		}
		fmt.Fprintf(w, "The %s schema is unchanged (ETag %s); cached %s, sha256 %s\n", service, redact.Server(textsafe.Line(e.ETag)), e.FetchedAt.Format(time.RFC3339), e.SHA256[:12])
		return nil
	}
	cur, err := gql.LoadSchema(service+".graphql", res.SDL)
	if err != nil {
		return fmt.Errorf("%w (%s): %s", ErrUnparsable, service, redact.Server(err.Error()))
	}
	e, err := c.Store(base, service, res.SDL, res.ETag, res.URL)
	if err != nil {
		return fmt.Errorf("cannot write the cache: %w", err)
	}
	fmt.Fprintf(w, "Fetched the %s schema: %d bytes, sha256 %s, from %s\n", service, e.Size, e.SHA256[:12], res.URL)
	fmt.Fprintf(w, "Cached in %s\n", c.Dir)
	switch {
	case errors.Is(cacheErr, fs.ErrNotExist):
		fmt.Fprintln(w, "First fetch: nothing to compare with.")
	case cacheErr != nil:
	case oldEntry.SHA256 == e.SHA256:
		fmt.Fprintf(w, "Unchanged since the last fetch (%s ago).\n", Age(now.Sub(oldEntry.FetchedAt)))
	default:
		if old, err := gql.LoadSchema("cached.graphql", oldSDL); err == nil {
			changes := Diff(old, cur)
			fmt.Fprintf(w, "Changed since the last fetch (%s ago): %s\n", Age(now.Sub(oldEntry.FetchedAt)), Summarize(changes))
			WriteChanges(w, changes)
		}
	}
	return nil
}

// Summarize counts changes by criticality.
func Summarize(cs []Change) string {
	n := map[Criticality]int{}
	for _, c := range cs {
		n[c.Criticality]++
	}
	return fmt.Sprintf("%d breaking, %d dangerous, %d safe", n[Breaking], n[Dangerous], n[Safe])
}

// WriteChanges writes one line per change.
func WriteChanges(w io.Writer, cs []Change) {
	for _, c := range cs {
		fmt.Fprintln(w, "  "+textsafe.Line(c.Marked().String()))
	}
}

// ReadFiles reads and parses SDL files (each bounded), in order.
func ReadFiles(paths ...string) ([]*ast.Schema, error) {
	out := make([]*ast.Schema, 0, len(paths))
	for _, path := range paths {
		b, err := fsutil.ReadRegular(path, gql.MaxSDL)
		if err != nil {
			return nil, err
		}
		s, err := gql.LoadSchema(path, b)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// WithCached gives v the cached schemas of every service of base, so that
// queries are validated against what the platform served last.
func (c *Cache) WithCached(v *Validator, base string) {
	v.Cached = map[platform.Service]*Target{}
	for _, svc := range platform.Services() {
		if sdl, e, err := c.Load(base, string(svc)); err == nil {
			if s, err := gql.LoadSchema(string(svc)+".graphql", sdl); err == nil {
				v.Cached[svc] = &Target{Schema: s, Name: fmt.Sprintf("the cached %s schema (fetched %s)", svc, e.FetchedAt.Format("2006-01-02 15:04"))}
			}
		}
	}
}

// ValidateFiles validates each query file with v, writing each problem as
// file:line:col: message (with its fix) to out and a summary to log. It
// reports whether any file failed (warnings fail too when strict).
func ValidateFiles(ctx context.Context, v Validator, files []string, strict bool, out, log io.Writer) (failed bool, err error) {
	problems, warnings := 0, 0
	for _, file := range files {
		q, err := fsutil.ReadRegular(file, gql.MaxQuery)
		if err != nil {
			return false, err
		}
		if err := ctx.Err(); err != nil {
			return failed, err
		}
		res := v.Validate(ctx, string(q))
		for _, p := range res.Problems {
			code := ""
			if p.Code != "" {
				code = " [" + p.Code + "]"
			}
			fmt.Fprintf(out, "%s:%d:%d: %s%s\n", file, p.Line, p.Column, textsafe.Line(p.Message), code)
			if p.Fix != "" {
				fmt.Fprintf(out, "    fix: %s\n", p.Fix)
			}
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(out, "%s:%d:%d: warning: %s\n", file, w.Line, w.Column, textsafe.Line(w.Message))
		}
		if res.Hint != "" {
			fmt.Fprintf(out, "%s: note: %s\n", file, res.Hint)
		}
		if len(res.Problems) == 0 {
			fmt.Fprintf(log, "%s: valid against %s\n", file, res.Against)
		}
		problems += len(res.Problems)
		warnings += len(res.Warnings)
		failed = failed || res.Failed(strict)
	}
	fmt.Fprintf(log, "%d problem(s), %d warning(s) in %d file(s)\n", problems, warnings, len(files))
	if warnings > 0 && !strict && problems == 0 {
		fmt.Fprintln(log, "The warnings name fields that are inferred or unknown, not confirmed on the platform; --strict makes them fail.")
	}
	return failed, nil
}

// WriteDiff writes changes as text (a summary, then a line each) or as
// JSON {"breaking": …, "changes": […]}, every value through gate (the
// final gate: marks removed, a server's text masked) before it is
// encoded.
func WriteDiff(w io.Writer, changes []Change, format string, gate func(string) string) error {
	marked := make([]Change, len(changes))
	for i, c := range changes {
		marked[i] = c.Marked()
	}
	changes = redact.Deep(marked, gate)
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if changes == nil {
			changes = []Change{}
		}
		return enc.Encode(map[string]any{"breaking": HasBreaking(changes), "changes": changes})
	}
	if len(changes) == 0 {
		fmt.Fprintln(w, "No changes.")
		return nil
	}
	fmt.Fprintln(w, Summarize(changes))
	for _, c := range changes {
		fmt.Fprintln(w, "  "+textsafe.Line(c.String()))
	}
	return nil
}

// Locate finds where a service's schema is for a profile: its endpoints,
// the service (default: the organisation's custom service) and the
// schema URL.
func Locate(p *profile.Profile, service string) (datafordeler.Endpoints, string, string, error) {
	ep, err := datafordeler.ResolveEndpoints(p)
	if err != nil {
		return ep, "", "", err
	}
	if service == "" {
		service = string(platform.Public)
		if checks.NormKind(p.Organisation.Kind) == checks.KindPrivate {
			service = string(platform.Private)
		}
	}
	urls := map[string]string{string(platform.Public): ep.PublicSchema, string(platform.Private): ep.PrivateSchema, string(platform.Events): ep.EventsSchema}
	u, ok := urls[service]
	if !ok {
		return ep, "", "", fmt.Errorf("--service %q: use public, private or events", service)
	}
	return ep, service, u, nil
}
