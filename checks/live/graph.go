package live

import (
	"context"
	"crypto/sha256"
	"net/netip"
	"sync"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/profile"
	"github.com/vektah/gqlparser/v2/ast"
)

// task is one live check on one subject, with the tasks it depends on.
type task struct {
	id, subject string
	deps        []*task
	// host is the host the task talks to, for net.reach reconciliation.
	host string
	run  func(ctx context.Context) checks.Result
	done chan struct{}
	res  checks.Result
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
	env    *checks.Env
	o      Options
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

func finishLive(rs []checks.Result, id string) []checks.Result {
	if c := checks.Lookup(id); c != nil {
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
				if d.res.Status == checks.Fail || d.res.Status == checks.Skip || d.res.Status == "" {
					blocker := d.id
					if d.res.Status == checks.Skip && d.res.BlockedBy != "" && d.id != checks.IDOAuthToken {
						blocker = d.res.BlockedBy
					}
					t.res = skipRow(t.subject, blocker, skipReason(d))
					return
				}
			}
			if ctx.Err() != nil {
				t.res = checks.NewResult(checks.Fail, t.subject, "The run was cancelled or hit --timeout before this check could run", "Raise --timeout, or run again.")
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

func skipRow(subject, blocker, why string) checks.Result {
	r := checks.NewResult(checks.Skip, subject, why, "")
	r.BlockedBy = blocker
	return r
}

func skipReason(d *task) string {
	switch d.id {
	case checks.IDOAuthToken:
		return "no token: oauth.token failed for this credential"
	case checks.IDAccessStatus:
		return d.res.Message
	case checks.IDCredStorage:
		return "the secret cannot be read (cred.storage)"
	case checks.IDCredCertValid:
		return "the certificate cannot be used (cred.cert-valid)"
	case checks.IDNetReach:
		return "the host cannot be reached (net.reach)"
	}
	return d.id + " did not pass"
}

// reconcile turns a network failure that net.reach already reports into a
// skip, so one broken connection is reported once.
func (g *graph) reconcile() {
	for _, t := range g.tasks {
		if t.id == checks.IDNetReach || t.res.Status != checks.Fail || !t.transport {
			continue
		}
		if r, ok := g.reach[t.host]; ok && r.res.Status == checks.Fail {
			t.res = skipRow(t.subject, checks.IDNetReach, "the host cannot be reached (see net.reach)")
		}
	}
}

// offline makes a pseudo-task carrying an offline result, so live tasks
// can depend on offline findings (a secret that cannot be read).
func offline(id, subject string, status checks.Status, msg string) *task {
	t := newTask(id, subject)
	t.res = checks.NewResult(status, subject, msg, "")
	close(t.done)
	return t
}

func passRow(subject, msg string) checks.Result {
	return checks.NewResult(checks.Pass, subject, msg, "")
}
