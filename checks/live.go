package checks

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
	"github.com/vektah/gqlparser/v2/ast"
)

// LiveOptions configure the live checks.
type LiveOptions struct {
	NoEgress       bool             // --no-egress-check
	Redactor       *redact.Redactor // learns tokens; defaults to a new one
	RequestTimeout time.Duration    // per request (default 15s)
	Retry          datafordeler.RetryPolicy
	Now            func() time.Time
	// SchemaCache, when set, is consulted by schema.apikey for the cached
	// schema's age and whether the live schema differs.
	SchemaCache SchemaCache
	// Progress, when set, hears the planned rows once and each result as
	// soon as it is known (the terminal UI's spinners).
	Progress func(Progress)
}

// Progress is one event of a run.
type Progress struct {
	Planned []Result // rows that will come, without status (waiting)
	Started *Result  // a row whose check has started (its dependencies are done)
	Done    *Result  // one finished row
}

// SchemaCache is the cache `cprready schema fetch` keeps.
type SchemaCache interface {
	Compare(service string, live []byte) (evidence map[string]any)
}

// MaxClockSkew is the largest tolerated clock difference.
const MaxClockSkew = 60 * time.Second

// NewLive makes the live-check runner.
func NewLive(o LiveOptions) *Live {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Redactor == nil {
		o.Redactor = redact.New()
	}
	return &Live{run: func(env *Env, selected []*Check) []Result { return runLive(env, selected, o) }, progress: o.Progress}
}

// task is one live check on one subject, with the tasks it depends on.
type task struct {
	id, subject string
	deps        []*task
	// host is the host the task talks to, for net.reach reconciliation.
	host string
	run  func(ctx context.Context) Result
	done chan struct{}
	res  Result
	// transport reports a failure of the network itself (DNS, refused,
	// timeout while connecting, TLS), which net.reach explains.
	transport bool
	// token is what an oauth.token task obtained, for its dependants.
	token string
}

func newTask(id, subject string, deps ...*task) *task {
	return &task{id: id, subject: subject, deps: deps, done: make(chan struct{})}
}

// graph holds the live tasks of one run.
type graph struct {
	env    *Env
	o      LiveOptions
	ep     datafordeler.Endpoints
	client *datafordeler.Client
	tasks  []*task
	reach  map[string]*task // by host
	egress struct {
		once sync.Once
		addr netip.Addr
		meta datafordeler.Meta
		err  error
	}
	mu sync.Mutex
	// schemas are parsed once per SDL (by hash) in a run: IT-systems that
	// fetch the same schema share one parse.
	schemas map[[32]byte]*parsedSchema
	// mtls are the certificate clients, one per certificate, so that every
	// token call with one certificate shares its connection.
	mtls map[*profile.LoadedCert]*datafordeler.Client
}

type parsedSchema struct {
	once   sync.Once
	schema *ast.Schema
	err    error
}

// parseSchema parses an SDL once per run.
func (g *graph) parseSchema(name string, sdl []byte) (*ast.Schema, error) {
	key := sha256.Sum256(sdl)
	g.mu.Lock()
	if g.schemas == nil {
		g.schemas = map[[32]byte]*parsedSchema{}
	}
	ps, ok := g.schemas[key]
	if !ok {
		ps = &parsedSchema{}
		g.schemas[key] = ps
	}
	g.mu.Unlock()
	ps.once.Do(func() { ps.schema, ps.err = gql.LoadSchema(name, sdl) })
	return ps.schema, ps.err
}

// certClient is the client that presents a certificate, one per
// certificate in a run.
func (g *graph) certClient(lc *profile.LoadedCert) (*datafordeler.Client, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.mtls[lc]; ok {
		return c, nil
	}
	c, err := g.client.WithCertificate(lc.TLS)
	if err != nil {
		return nil, err
	}
	if g.mtls == nil {
		g.mtls = map[*profile.LoadedCert]*datafordeler.Client{}
	}
	g.mtls[lc] = c
	return c, nil
}

func (g *graph) add(t *task) *task {
	g.tasks = append(g.tasks, t)
	return t
}

func runLive(env *Env, selected []*Check, o LiveOptions) []Result {
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
		return finishLive([]Result{row(Fail, "endpoints", "The live checks cannot start: "+err.Error(), "Fix endpoints: in the profile (absolute https URLs).")}, "net.reach")
	}
	client, err := datafordeler.New(datafordeler.Options{CAFile: ep.CAFile, Redactor: o.Redactor, RequestTimeout: o.RequestTimeout, Retry: o.Retry, Now: o.Now})
	if err != nil {
		return finishLive([]Result{row(Fail, "endpoints", err.Error(), "Point endpoints.ca_file at a readable PEM bundle.")}, "net.reach")
	}
	defer client.Close()
	g := &graph{env: env, o: o, ep: ep, client: client, reach: map[string]*task{}}
	g.build()
	if o.Progress != nil {
		var planned []Result
		for _, c := range Registry() {
			if !want[c.ID] {
				continue
			}
			for _, t := range g.tasks {
				if t.id == c.ID {
					planned = append(planned, Result{ID: c.ID, Title: c.Title, Subject: t.subject, Docs: c.Docs(), Evidence: map[string]any{}})
				}
			}
		}
		o.Progress(Progress{Planned: planned})
	}
	g.execute(env.Ctx, func(t *task) {
		if o.Progress == nil || !want[t.id] {
			return
		}
		o.Progress(Progress{Started: &Result{ID: t.id, Subject: t.subject}})
	}, func(t *task) {
		if o.Progress == nil || !want[t.id] {
			return
		}
		r := Lookup(t.id).Finish([]Result{t.res})[0]
		o.Progress(Progress{Done: &r})
	})
	g.reconcile()
	// How many connections the whole run opened (HTTP/2 shares one per host).
	for _, t := range g.tasks {
		if t.id == "net.reach" && t.res.Evidence != nil {
			t.res.Evidence["connections_in_run"] = client.NewConnections()
		}
	}

	var out []Result
	for _, c := range Registry() {
		if !want[c.ID] {
			continue
		}
		var rs []Result
		for _, t := range g.tasks {
			if t.id == c.ID {
				rs = append(rs, t.res)
			}
		}
		out = append(out, c.Finish(rs)...)
	}
	return out
}

func finishLive(rs []Result, id string) []Result {
	if c := Lookup(id); c != nil {
		return c.Finish(rs)
	}
	return rs
}

// execute runs every task as soon as its dependencies are done: the whole
// run costs about one dependency chain (token, then query).
func (g *graph) execute(ctx context.Context, started, done func(*task)) {
	var wg sync.WaitGroup
	for _, t := range g.tasks {
		wg.Add(1)
		go func(t *task) {
			defer wg.Done()
			defer func() {
				close(t.done)
				done(t)
			}()
			for _, d := range t.deps {
				// Every task ends, cancelled or not: its calls carry ctx.
				<-d.done
				if d.res.Status == Fail || d.res.Status == Skip || d.res.Status == "" {
					blocker := d.id
					if d.res.Status == Skip && d.res.BlockedBy != "" && d.id != "oauth.token" {
						blocker = d.res.BlockedBy
					}
					t.res = skipRow(t.subject, blocker, skipReason(d))
					return
				}
			}
			if ctx.Err() != nil {
				t.res = row(Fail, t.subject, "The run was cancelled or hit --timeout before this check could run", "Raise --timeout, or run again.")
				return
			}
			started(t)
			start := time.Now()
			t.res = t.run(ctx)
			t.res.DurationMS = time.Since(start).Milliseconds()
			if t.res.Evidence == nil {
				t.res.Evidence = map[string]any{}
			}
		}(t)
	}
	wg.Wait()
}

func skipRow(subject, blocker, why string) Result {
	r := row(Skip, subject, why, "")
	r.BlockedBy = blocker
	return r
}

func skipReason(d *task) string {
	switch d.id {
	case "oauth.token":
		return "no token: oauth.token failed for this credential"
	case "access.status":
		return d.res.Message
	case "cred.storage":
		return "the secret cannot be read (cred.storage)"
	case "cred.cert-valid":
		return "the certificate cannot be used (cred.cert-valid)"
	case "net.reach":
		return "the host cannot be reached (net.reach)"
	}
	return d.id + " did not pass"
}

// reconcile turns a network failure that net.reach already reports into a
// skip, so one broken connection is reported once.
func (g *graph) reconcile() {
	for _, t := range g.tasks {
		if t.id == "net.reach" || t.res.Status != Fail || !t.transport {
			continue
		}
		if r, ok := g.reach[t.host]; ok && r.res.Status == Fail {
			t.res = skipRow(t.subject, "net.reach", "the host cannot be reached (see net.reach)")
		}
	}
}

// offline makes a pseudo-task carrying an offline result, so live tasks
// can depend on offline findings (a secret that cannot be read).
func offline(id, subject string, status Status, msg, blockedBy string) *task {
	t := newTask(id, subject)
	t.res = row(status, subject, msg, "")
	t.res.BlockedBy = blockedBy
	close(t.done)
	return t
}

func (g *graph) build() {
	p := g.env.P
	// net.reach: one row per distinct host.
	names := map[string][]string{}
	var hosts []string
	for _, h := range []struct{ name, url string }{{"graphql", g.ep.GraphQLBase}, {"token", g.ep.Token}, {"token_mtls", g.ep.TokenMTLS}, {"filedownload", g.ep.FileList}} {
		if h.url == "" {
			continue
		}
		host := hostOf(h.url)
		if _, ok := names[host]; !ok {
			hosts = append(hosts, host)
		}
		names[host] = append(names[host], h.name)
	}
	for _, h := range hosts {
		base := "https://" + h
		for _, u := range []string{g.ep.GraphQLBase, g.ep.Token, g.ep.TokenMTLS, g.ep.FileList} {
			if hostOf(u) == h {
				base = schemeHost(u)
				break
			}
		}
		t := g.add(newTask("net.reach", "endpoints."+names[h][0]))
		t.host = h
		g.reach[h] = t
		t.run = g.reachRun(base, names[h])
	}
	// clock.skew: from the first host's Date header.
	if len(hosts) > 0 {
		first := g.reach[hosts[0]]
		t := g.add(newTask("clock.skew", "environment", first))
		t.run = func(context.Context) Result { return g.clockRun(first) }
	}
	kind := NormKind(p.Organisation.Kind)
	for i := range p.ITSystems {
		s := &p.ITSystems[i]
		sysSubj := profile.ITSystemSubject(i)
		et := g.add(newTask("net.egress-ip", sysSubj))
		et.run = g.egressRun(i)
		approved := g.approval(i)
		for j := range s.Credentials.APIKeys {
			k := &s.Credentials.APIKeys[j]
			subj := profile.APIKeySubject(i, j)
			t := g.add(newTask("schema.apikey", subj, g.secretDep(subj, &k.Key)))
			t.host = hostOf(g.ep.GraphQLBase)
			t.run = g.schemaRun(t, i, k, kind)
		}
		for j := range s.Credentials.OAuthSharedSecrets {
			c := &s.Credentials.OAuthSharedSecrets[j]
			subj := profile.SharedSecretSubject(i, j)
			tok := g.add(newTask("oauth.token", subj, g.secretDep(subj, &c.Secret)))
			tok.host = hostOf(g.ep.Token)
			tok.run = g.tokenRun(tok, i, "OAuth Shared Secret", func(ctx context.Context) (*datafordeler.Token, error) {
				secret, err := g.env.Secret(&c.Secret)
				if err != nil {
					return nil, err
				}
				return g.client.TokenSharedSecret(ctx, g.ep.Token, c.ClientID, secret)
			}, g.ep.Token, &c.Secret)
			g.dataTasks(i, subj, tok, approved)
		}
		for j := range s.Credentials.OAuthCertificates {
			c := &s.Credentials.OAuthCertificates[j]
			subj := profile.CertificateSubject(i, j)
			dep := g.certDep(i, j, subj)
			tok := g.add(newTask("oauth.token", subj, dep))
			tok.host = hostOf(g.ep.TokenMTLS)
			ii, jj := i, j
			tok.run = g.tokenRun(tok, i, "OAuth Certificate", func(ctx context.Context) (*datafordeler.Token, error) {
				lc, err := g.env.Cert(ii, jj)
				if err != nil {
					return nil, err
				}
				mc, err := g.certClient(lc)
				if err != nil {
					return nil, err
				}
				return mc.TokenCertificate(ctx, g.ep.TokenMTLS, c.ClientID)
			}, g.ep.TokenMTLS, nil)
			g.dataTasks(i, subj, tok, approved)
		}
	}
}

// approval is a pseudo-task: passes when the IT-system's application is
// Godkendt, otherwise the data checks skip with its reason.
func (g *graph) approval(i int) *task {
	subj := profile.DataAccessSubject(i)
	d := g.env.P.ITSystems[i].DataAccess
	switch {
	case !d.Declared():
		return offline("access.status", subj, Fail, "no application (data_access) is declared for this IT-system", "")
	case NormStatus(d.Status) == StatusGodkendt:
		return offline("access.status", subj, Pass, "", "")
	case NormStatus(d.Status) == StatusNy:
		return offline("access.status", subj, Skip, "the application is pending (Ny): protected data cannot be fetched until CPR approves it", "")
	}
	return offline("access.status", subj, Fail, fmt.Sprintf("the application's status is %s, not Godkendt", d.Status), "")
}

// secretDep is a pseudo-task for a secret that must be readable.
func (g *graph) secretDep(subject string, s *profile.Secret) *task {
	if _, err := g.env.Secret(s); err != nil {
		return offline("cred.storage", subject, Fail, "", "")
	}
	return offline("cred.storage", subject, Pass, "", "")
}

func (g *graph) certDep(i, j int, subject string) *task {
	if _, err := g.env.Cert(i, j); err != nil {
		return offline("cred.cert-valid", subject, Fail, "", "")
	}
	return offline("cred.cert-valid", subject, Pass, "", "")
}

// dataTasks adds the protected checks that need tok's token.
func (g *graph) dataTasks(i int, subj string, tok, approved *task) {
	p := g.env.P
	s := &p.ITSystems[i]
	kind := NormKind(p.Organisation.Kind)
	switch NormPurpose(s.Purpose) {
	case PurposeGraphQL:
		t := g.add(newTask("graphql.protected", subj, tok, approved))
		t.host = hostOf(g.ep.GraphQLBase)
		t.run = g.protectedRun(t, i, tok, kind)
		if kind == KindPublic && s.DataAccess != nil && s.DataAccess.Events {
			ev := g.add(newTask("graphql.events", subj, tok, approved))
			ev.host = t.host
			ev.run = g.eventsRun(ev, i, tok)
		}
	case PurposeFileDownload:
		t := g.add(newTask("filedownload.list", subj, tok, approved))
		t.host = hostOf(g.ep.FileList)
		t.run = g.fileListRun(t, i, tok)
	}
}

func (g *graph) diag(ctx context.Context, i int, check, kind string) DiagContext {
	d := DiagContext{Check: check, CredKind: kind, At: g.env.At, Env: strings.ToLower(g.env.P.Environment), Timeout: g.o.RequestTimeout}
	if i >= 0 && i < len(g.env.P.ITSystems) {
		d.System = g.env.P.ITSystems[i].Name
		d.Whitelist = WhitelistPrefixes(g.env.P, i)
	}
	if !g.o.NoEgress {
		if a, _, err := g.egressAddr(ctx); err == nil {
			d.Egress = a
		}
	}
	return d
}

// failRow makes a failure row from a classified error, with its diagnosis.
func (g *graph) failRow(t *task, err error, d DiagContext, timings ...datafordeler.Timing) Result {
	ce, ok := datafordeler.AsError(err)
	if !ok {
		return row(Fail, t.subject, g.o.Redactor.Error(err), "")
	}
	dg := Diagnose(ce, d)
	r := row(Fail, t.subject, g.o.Redactor.String(dg.Message), g.o.Redactor.String(dg.Remedy))
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
	case datafordeler.CauseDNS, datafordeler.CauseRefused, datafordeler.CauseTLSUnknownAuthority, datafordeler.CauseTLSHostname, datafordeler.CauseTLSExpired, datafordeler.CauseProxy, datafordeler.CauseNetwork:
		t.transport = true
	case datafordeler.CauseTimeout:
		t.transport = ce.Phase == "dns" || ce.Phase == "connect" || ce.Phase == "tls"
	}
	return r
}

func (g *graph) reachRun(base string, names []string) func(context.Context) Result {
	return func(ctx context.Context) Result {
		t := &task{}
		meta, err := g.client.Probe(ctx, base)
		subj := "endpoints." + names[0]
		if err != nil {
			r := g.failRow(t, err, DiagContext{Check: "net.reach"})
			r.Subject = subj
			r.Evidence["host"] = hostOf(base)
			r.Evidence["endpoints"] = names
			return r
		}
		r := pass(subj, fmt.Sprintf("%s answers (DNS %dms, connect %dms, TLS %dms, total %dms)", hostOf(base), meta.Timing.DNSMS, meta.Timing.ConnectMS, meta.Timing.TLSMS, meta.Timing.TotalMS))
		r.Evidence["host"] = hostOf(base)
		r.Evidence["endpoints"] = names
		r.Evidence["timings"] = []datafordeler.Timing{meta.Timing}
		r.Evidence["server_date"] = meta.DateRaw
		r.Evidence["date_at"] = time.Now().UTC().Format(time.RFC3339)
		if len(g.ep.Guessed) > 0 {
			r.Evidence["guessed_endpoints"] = g.ep.Guessed
		}
		return r
	}
}

func (g *graph) clockRun(reach *task) Result {
	raw, _ := reach.res.Evidence["server_date"].(string)
	at, _ := reach.res.Evidence["date_at"].(string)
	server, err1 := time.Parse(time.RFC1123, raw)
	local, err2 := time.Parse(time.RFC3339, at)
	if raw == "" || err1 != nil || err2 != nil {
		return row(Warn, "environment", "The server sent no readable Date header, so the clock cannot be compared", "Keep the clock synchronised with NTP (timedatectl set-ntp true).")
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
		r := row(Fail, "environment", fmt.Sprintf("The local clock is %s %s the server's (Date: %s); tokens are time-bound and will look expired or not yet valid", abs.Round(time.Second), dir, raw),
			"Synchronise the clock with NTP (timedatectl set-ntp true, or w32tm /resync on Windows).")
		r.Evidence = ev
		return r
	}
	r := pass("environment", fmt.Sprintf("The local clock is within %s of the server's", max(abs.Round(time.Second), time.Second)))
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

func (g *graph) egressRun(i int) func(context.Context) Result {
	return func(ctx context.Context) Result {
		subj := profile.ITSystemSubject(i)
		if g.o.NoEgress {
			return skipRow(subj, "", "the egress check is off (--no-egress-check)")
		}
		if g.ep.EgressEcho == "" {
			return skipRow(subj, "", "no echo URL is set (endpoints.egress_echo)")
		}
		addr, meta, err := g.egressAddr(ctx)
		name := g.env.P.ITSystems[i].Name
		wl := WhitelistPrefixes(g.env.P, i)
		if err != nil {
			t := &task{}
			r := g.failRow(t, err, DiagContext{Check: "net.egress-ip"})
			r.Subject = subj
			r.Message = "Your public address cannot be determined: " + r.Message
			return r
		}
		ev := map[string]any{"egress_ip": addr.String(), "whitelist": prefixes(wl), "timings": []datafordeler.Timing{meta.Timing}}
		for _, p := range wl {
			if p.Contains(addr) {
				r := pass(subj, fmt.Sprintf("Your public address %s is in the whitelist of IT-system %q (%s)", addr, name, p))
				r.Evidence = ev
				return r
			}
		}
		r := row(Fail, subj, fmt.Sprintf("Your public address %s is not in the whitelist of IT-system %q (%s)", addr, name, prefixes(wl)),
			fmt.Sprintf("Add %s/32 under Administration → IT-systemer → %s → IP-adresser (and under ip_whitelist:); a change can take a few minutes to apply.", addr, name))
		r.Evidence = ev
		return r
	}
}

// schemaService picks the service an API key's schema is fetched from.
func (g *graph) schemaService(i int, kind string) (string, string) {
	if kind == KindPrivate {
		return "private", g.ep.PrivateSchema
	}
	return "public", g.ep.PublicSchema
}

func (g *graph) schemaRun(t *task, i int, k *profile.APIKey, kind string) func(context.Context) Result {
	return func(ctx context.Context) Result {
		key, err := g.env.Secret(&k.Key)
		if err != nil {
			return skipRow(t.subject, "cred.storage", "the API key cannot be read")
		}
		svc, u := g.schemaService(i, kind)
		targets := []struct{ svc, url string }{{svc, u}}
		if d := g.env.P.ITSystems[i].DataAccess; kind == KindPublic && d != nil && d.Events {
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
				d := g.diag(ctx, i, "schema.apikey", "API key")
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
				r := row(Fail, t.subject, fmt.Sprintf("The %s schema does not parse: %s", tg.svc, g.o.Redactor.String(perr.Error())), "Fetch it again; if it persists, report it to Datafordeleren.")
				r.Evidence["timings"] = timings
				return r
			}
			if !contains(gql.RootFields(sch), root) {
				r := row(Fail, t.subject, fmt.Sprintf("The %s schema has no root field %s", tg.svc, root), "Check endpoints.graphql and endpoints.service_version: the URL serves another service.")
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
		r := pass(t.subject, fmt.Sprintf("The API key fetches the schema (%s)", strings.Join(found, ", ")))
		r.Evidence = ev
		return r
	}
}

func (g *graph) tokenRun(t *task, i int, kind string, get func(context.Context) (*datafordeler.Token, error), tokenURL string, secret *profile.Secret) func(context.Context) Result {
	return func(ctx context.Context) Result {
		tok, err := get(ctx)
		if err != nil {
			d := g.diag(ctx, i, "oauth.token", kind)
			d.TokenURL = tokenURL
			if secret != nil {
				if v, err := g.env.Secret(secret); err == nil {
					d.Hygiene = HygieneProblems(v)
				}
			}
			r := g.failRow(t, err, d)
			r.Evidence["token_url"] = redact.URLString(tokenURL)
			return r
		}
		g.o.Redactor.Add(tok.AccessToken)
		t.token = tok.AccessToken
		r := pass(t.subject, fmt.Sprintf("%s: token obtained from %s (expires in %s)", kind, hostOf(tokenURL), tok.ExpiresIn))
		r.Evidence["timings"] = []datafordeler.Timing{tok.Meta.Timing}
		r.Evidence["token_type"] = tok.TokenType
		r.Evidence["expires_in_s"] = tok.ExpiresIn.Seconds()
		r.Evidence["attempts"] = tok.Meta.Attempts
		return r
	}
}

func (g *graph) protectedRun(t *task, i int, tok *task, kind string) func(context.Context) Result {
	return func(ctx context.Context) Result {
		svc, endpoint, entity := platform.Public, g.ep.PublicQuery, EntityPublicPerson
		if kind == KindPrivate {
			svc, endpoint, entity = platform.Private, g.ep.PrivateQuery, EntityPrivatePerson
		}
		timings := tokenTimings(tok)
		query, ev, bad := g.probeQuery(i, svc)
		if bad != nil {
			bad.Subject = t.subject
			return *bad
		}
		res, err := g.client.GraphQL(ctx, endpoint, tok.token, datafordeler.GraphQLRequest{Query: query})
		if err != nil {
			d := g.diag(ctx, i, "graphql.protected", "")
			d.Entity = entity
			return g.failRow(t, err, d, timings...)
		}
		r := pass(t.subject, fmt.Sprintf("A protected query on %s returns data", entity))
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

func (g *graph) eventsRun(t *task, i int, tok *task) func(context.Context) Result {
	return func(ctx context.Context) Result {
		timings := tokenTimings(tok)
		res, err := g.client.GraphQL(ctx, g.ep.EventsQuery, tok.token, datafordeler.GraphQLRequest{Query: platform.ProbeQuery(platform.Events)})
		if err != nil {
			d := g.diag(ctx, i, "graphql.events", "")
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
		r := pass(t.subject, msg)
		r.Evidence["timings"] = append(timings, res.Meta.Timing)
		r.Evidence["events_returned"] = len(data.E.Nodes)
		return r
	}
}

func (g *graph) fileListRun(t *task, i int, tok *task) func(context.Context) Result {
	return func(ctx context.Context) Result {
		timings := tokenTimings(tok)
		res, err := g.client.FileList(ctx, g.ep.FileList, tok.token)
		if err != nil {
			d := g.diag(ctx, i, "filedownload.list", "")
			d.Entity = "CPR file downloads"
			return g.failRow(t, err, d, timings...)
		}
		entities := map[string]bool{}
		for _, f := range res.Files {
			entities[f.EntityName] = true
		}
		var names []string
		for _, e := range FileDownloadEntities {
			if entities[e] {
				names = append(names, e)
			}
		}
		r := pass(t.subject, fmt.Sprintf("The file-download list holds %d CPR file(s) (%s)", len(res.Files), strings.Join(names, ", ")))
		r.Evidence["timings"] = append(timings, res.Meta.Timing)
		r.Evidence["files"] = len(res.Files)
		return r
	}
}

func schemeHost(raw string) string {
	i := strings.Index(raw, "://")
	if i < 0 {
		return raw
	}
	rest := raw[i+3:]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		rest = rest[:j]
	}
	if j := strings.IndexByte(rest, '?'); j >= 0 {
		rest = rest[:j]
	}
	return raw[:i+3] + rest
}

// MaxProbeQuery bounds a probe_query file.
const MaxProbeQuery = 256 << 10

// probeQuery is the query graphql.protected sends for IT-system i: the
// built-in probe, or the IT-system's probe_query file, validated first
// against the reference schema of the profile's service version. The
// platform's own rules (mandatory selections, aliases, one root field,
// limits) must hold; a field the reference schema does not know is noted
// in the evidence and sent as is (the user may know the service better).
func (g *graph) probeQuery(i int, svc platform.Service) (string, map[string]any, *Result) {
	s := &g.env.P.ITSystems[i]
	subj := profile.ITSystemSubject(i)
	if s.ProbeQuery == "" {
		return platform.ProbeQuery(svc), map[string]any{"probe": "built-in"}, nil
	}
	path := g.env.P.ResolvePath(s.ProbeQuery)
	b, err := fsutil.ReadRegular(path, MaxProbeQuery)
	if err != nil {
		r := row(Fail, subj, "probe_query cannot be read: "+err.Error(), "Point probe_query: at a .graphql file beside the profile.")
		return "", nil, &r
	}
	ev := map[string]any{"probe": s.ProbeQuery}
	sch, err := platform.Schema(svc, g.ep.ServiceVersion)
	if err != nil {
		return string(b), ev, nil
	}
	res := gql.Check(sch, string(b), nil)
	var rules, unknown []string
	for _, p := range res.Problems {
		if res.Doc == nil || p.Code != "" || strings.HasPrefix(p.Message, gql.MandatoryMessage) || strings.Contains(p.Message, "at most") {
			rules = append(rules, p.String())
		} else {
			unknown = append(unknown, p.String())
		}
	}
	if len(rules) > 0 {
		r := row(Fail, subj, fmt.Sprintf("probe_query %s breaks the platform's rules: %s", s.ProbeQuery, strings.Join(rules, "; ")),
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
