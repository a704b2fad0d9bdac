package live

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
)

func (g *graph) tokenRun(t *task, i int, kind profile.CredKind, get func(context.Context) (*datafordeler.Token, error), tokenURL string, secret *profile.Secret) func(context.Context) checks.Result {
	return func(ctx context.Context) checks.Result {
		tok, err := get(ctx)
		if err != nil {
			d := g.diag(ctx, i, checks.IDOAuthToken, kind)
			d.TokenURL = tokenURL
			if secret != nil {
				if v, err := g.env.Secret(secret); err == nil {
					d.Hygiene = checks.HygieneProblems(v)
				}
			}
			r := g.failRow(t, err, d)
			r.Evidence["token_url"] = redact.URLString(tokenURL)
			return r
		}
		g.o.Redactor.Add(tok.AccessToken)
		t.token = tok.AccessToken
		r := passRow(t.subject, fmt.Sprintf("%s: token obtained from %s (expires in %s)", kind, platform.HostOf(tokenURL), tok.ExpiresIn))
		r.Evidence["timings"] = []datafordeler.Timing{tok.Meta.Timing}
		r.Evidence["token_type"] = g.server(tok.TokenType)
		r.Evidence["expires_in_s"] = tok.ExpiresIn.Seconds()
		r.Evidence["attempts"] = tok.Meta.Attempts
		return r
	}
}

func (g *graph) protectedRun(t *task, i int, tok *task, kind string) func(context.Context) checks.Result {
	return func(ctx context.Context) checks.Result {
		svc, endpoint, entity := platform.Public, g.ep.PublicQuery, checks.EntityPublicPerson
		if kind == checks.KindPrivate {
			svc, endpoint, entity = platform.Private, g.ep.PrivateQuery, checks.EntityPrivatePerson
		}
		timings := tokenTimings(tok)
		query, ev, bad := g.probeQuery(ctx, i, svc)
		if bad != nil {
			bad.Subject = t.subject
			return *bad
		}
		res, err := g.client.GraphQL(ctx, endpoint, tok.token, datafordeler.GraphQLRequest{Query: query})
		if err != nil {
			d := g.diag(ctx, i, checks.IDGraphQLProtected, 0)
			d.Entity = entity
			return g.failRow(t, err, d, timings...)
		}
		r := passRow(t.subject, fmt.Sprintf("A protected query on %s returns data", entity))
		maps.Copy(r.Evidence, ev)
		r.Evidence["timings"] = append(timings, res.Meta.Timing)
		r.Evidence["status"] = res.Meta.Status
		return r
	}
}

func tokenTimings(tok *task) []datafordeler.Timing {
	if ts, ok := tok.res.Evidence["timings"].([]datafordeler.Timing); ok {
		return append([]datafordeler.Timing(nil), ts...)
	}
	return nil
}

func (g *graph) eventsRun(t *task, i int, tok *task) func(context.Context) checks.Result {
	return func(ctx context.Context) checks.Result {
		timings := tokenTimings(tok)
		res, err := g.client.GraphQL(ctx, g.ep.EventsQuery, tok.token, datafordeler.GraphQLRequest{Query: platform.ProbeQuery(platform.Events)})
		if err != nil {
			d := g.diag(ctx, i, checks.IDGraphQLEvents, 0)
			d.Entity = "CPR_Events (with CustomPublicSectorPerson)"
			return g.failRow(t, err, d, timings...)
		}
		var data struct {
			E struct {
				Nodes []json.RawMessage `json:"nodes"`
			} `json:"CPR_Events"`
		}
		_ = json.Unmarshal(res.Data, &data)
		msg := "A CPR_Events query returns without errors"
		if strings.EqualFold(g.env.P.Environment, "test04") {
			msg += " (Test04 has no CPR events)"
		}
		r := passRow(t.subject, msg)
		r.Evidence["timings"] = append(timings, res.Meta.Timing)
		r.Evidence["events_returned"] = len(data.E.Nodes)
		return r
	}
}

func (g *graph) fileListRun(t *task, i int, tok *task) func(context.Context) checks.Result {
	return func(ctx context.Context) checks.Result {
		timings := tokenTimings(tok)
		res, err := g.client.FileList(ctx, g.ep.FileList, tok.token)
		if err != nil {
			d := g.diag(ctx, i, checks.IDFileDownloadList, 0)
			d.Entity = "CPR file downloads"
			return g.failRow(t, err, d, timings...)
		}
		entities := map[string]bool{}
		for _, f := range res.Files {
			entities[checks.NormEntity(f.EntityName)] = true // the list spells them in ASCII
		}
		var names []string
		for _, e := range checks.FileDownloadEntities {
			if entities[e] {
				names = append(names, e)
			}
		}
		r := passRow(t.subject, fmt.Sprintf("The file-download list holds %d CPR file(s) (%s)", len(res.Files), strings.Join(names, ", ")))
		r.Evidence["timings"] = append(timings, res.Meta.Timing)
		r.Evidence["files"] = len(res.Files)
		return r
	}
}

// MaxProbeQuery bounds a probe_query file.
const MaxProbeQuery = 256 << 10

// probeQuery is the query graphql.protected sends for IT-system i: the
// built-in probe, or the IT-system's probe_query file, validated first
// against the reference schema of the profile's service version. The
// platform's own rules (mandatory selections, aliases, one root field,
// limits) must hold; a field the reference schema does not know is noted
// in the evidence and sent as is (the user may know the service better).
func (g *graph) probeQuery(ctx context.Context, i int, svc platform.Service) (string, map[string]any, *checks.Result) {
	s := &g.env.P.ITSystems[i]
	subj := profile.ITSystemSubject(i)
	if s.ProbeQuery == "" {
		return platform.ProbeQuery(svc), map[string]any{"probe": "built-in"}, nil
	}
	path := g.env.P.ResolvePath(s.ProbeQuery)
	b, err := fsutil.ReadRegular(path, MaxProbeQuery)
	if err != nil {
		r := checks.NewResult(checks.Fail, subj, "probe_query cannot be read: "+err.Error(), "Point probe_query: at a .graphql file beside the profile.")
		return "", nil, &r
	}
	ev := map[string]any{"probe": s.ProbeQuery}
	sch, err := platform.Schema(svc, g.ep.ServiceVersion)
	if err != nil {
		return string(b), ev, nil
	}
	res := gql.Check(ctx, sch, string(b), nil) // bounded work, and the run's timeout holds
	var rules, unknown []string
	for _, p := range res.Problems {
		if res.Doc == nil || p.Code != "" || strings.HasPrefix(redact.StripMarks(p.Message), gql.MandatoryMessage) || strings.Contains(p.Message, "at most") {
			rules = append(rules, p.String())
		} else {
			unknown = append(unknown, p.String())
		}
	}
	if len(rules) > 0 {
		r := checks.NewResult(checks.Fail, subj, fmt.Sprintf("probe_query %s breaks the platform's rules: %s", s.ProbeQuery, strings.Join(rules, "; ")),
			"Fix the query; `cprready schema validate "+s.ProbeQuery+"` shows each problem with its fix.")
		return "", nil, &r
	}
	if len(unknown) > 0 {
		ev["probe_not_in_reference_schema"] = unknown
	}
	if len(res.Warnings) > 0 {
		ev["probe_inferred_parts"] = len(res.Warnings)
	}
	return string(b), ev, nil
}
