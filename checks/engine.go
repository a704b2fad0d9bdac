// Package checks is the rule engine: every check ID of rules.md, registered
// in one table, run against a profile (offline rules) and the platform
// (live checks), producing one result per subject.
package checks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/profile"
)

// Status of one result row.
type Status string

// The statuses of the contract.
const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
	Info Status = "info"
)

// DocsBase is where docs/checks.md is published; a check's docs link is
// this plus the check's anchor.
const DocsBase = "https://github.com/cprready/cprready/blob/main/docs/checks.md"

// Check is one rule of rules.md.
type Check struct {
	ID     string
	Title  string
	Level  string // fail, warn, fail/warn, info (rules.md); live for live checks
	Source string // seed, platform, practice …
	Area   string // the rules.md section
	Rule   string // what it checks
	Why    string // the source, quoted
	Fix    string // how to fix it
	Where  string // where in Datafordeler's Administration (or elsewhere)
	Live   bool

	run func(*Env) []Result
}

// Docs is the check's documentation link.
func (c *Check) Docs() string { return DocsBase + "#" + Anchor(c.ID) }

// Anchor is the GitHub heading anchor of an ID ("ip.prefix-range" -> "ipprefix-range").
func Anchor(id string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' {
			return -1
		}
		return r
	}, id)
}

// practice reports a rule that is our own engineering judgement, which the
// message must say.
func (c *Check) practice() bool { return c.Source == "practice" }

// Result is one row of the report.
type Result struct {
	ID         string         `json:"id"`
	Status     Status         `json:"status"`
	Title      string         `json:"title"`
	Subject    string         `json:"subject"`
	Message    string         `json:"message"`
	Remedy     string         `json:"remedy"`
	Docs       string         `json:"docs"`
	BlockedBy  string         `json:"blocked_by"`
	DurationMS int64          `json:"duration_ms"`
	Evidence   map[string]any `json:"evidence"`
}

// Env is what a rule sees: the profile, the evaluation day and resolved
// credentials (each resolved and loaded once per run).
type Env struct {
	Ctx      context.Context
	P        *profile.Profile
	At       time.Time // the evaluation day, 00:00 UTC
	Resolver profile.Resolver

	base struct {
		once sync.Once
		dir  string
		err  error
	}

	fields struct {
		once sync.Once
		errs map[string]profile.FieldProblem
	}

	mu sync.Mutex
	// certs holds each certificate decoded once per (file, password):
	// IT-systems that name the same file share one decode.
	certs map[string]*certResult
}

type certResult struct {
	once sync.Once
	cert *profile.LoadedCert
	err  error
}

// FieldProblem is how the field at path (as the profile names it:
// contact.email, it_systems[0].credentials.oauth_shared_secrets[0].client_id)
// breaks its validate tag, or nil: the model's tags, checked once per run.
func (e *Env) FieldProblem(path string) *profile.FieldProblem {
	e.fieldProblems()
	if fp, ok := e.fields.errs[path]; ok {
		return &fp
	}
	return nil
}

func (e *Env) fieldProblems() map[string]profile.FieldProblem {
	e.fields.once.Do(func() { e.fields.errs = e.P.FieldErrors() })
	return e.fields.errs
}

// fieldRow is the failure of a field that breaks its validate tag, in
// the format's words (profile's formats): what is wrong, how to write it.
func fieldRow(fp profile.FieldProblem) Result {
	subj := fp.Subject()
	return row(Fail, subj, fmt.Sprintf("%s: %v", strings.TrimPrefix(fp.Path, subj+"."), fp.Err), fp.Fix).with("field", fp.Path)
}

// withFieldRows adds to check id's rows a failure for every field whose
// check tag names id and which breaks its validate tag, unless the rule
// reported that field itself (a failure whose "field" evidence is the
// field's path, or whose "fields" evidence lists it). So a new field with a format reaches check and the
// wizard by its tags alone.
func (e *Env) withFieldRows(id string, rs []Result) []Result {
	reported := map[string]bool{}
	for _, r := range rs {
		if r.Status != Fail {
			continue
		}
		if f, ok := r.Evidence["field"].(string); ok {
			reported[f] = true
		}
		if fs, ok := r.Evidence["fields"].([]string); ok {
			for _, f := range fs {
				reported[f] = true
			}
		}
	}
	probs := e.fieldProblems()
	for _, path := range slices.Sorted(maps.Keys(probs)) {
		if fp := probs[path]; fp.Check == id && !reported[path] {
			rs = append(rs, fieldRow(fp))
		}
	}
	return rs
}

// NewEnv prepares an Env; at is truncated to its day.
func NewEnv(ctx context.Context, p *profile.Profile, at time.Time, r profile.Resolver) *Env {
	if r.BaseDir == "" {
		r.BaseDir = p.Dir()
	}
	if r.Cache == nil {
		r.Cache = &sync.Map{}
	}
	return &Env{Ctx: ctx, P: p, At: Day(at), Resolver: r, certs: map[string]*certResult{}}
}

// baseDir is the profile's folder with symlinks resolved (once per run).
func (e *Env) baseDir() (string, error) {
	e.base.once.Do(func() { e.base.dir, e.base.err = filepath.EvalSymlinks(e.Resolver.BaseDir) })
	return e.base.dir, e.base.err
}

// Day is t's calendar day at 00:00 UTC.
func Day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// Secret resolves a secret once (the value is cached in the Secret).
func (e *Env) Secret(s *profile.Secret) (string, error) {
	if err := s.Resolve(e.Ctx, e.Resolver); err != nil {
		return "", err
	}
	return s.Reveal()
}

// Cert loads the certificate of it_systems[i].credentials.oauth_certificates[j],
// decoding each (file, password) once per run whichever IT-systems name it.
// It is safe for concurrent use.
func (e *Env) Cert(i, j int) (*profile.LoadedCert, error) {
	c := &e.P.ITSystems[i].Credentials.OAuthCertificates[j]
	password := ""
	if c.Password.IsSet() {
		var err error
		if password, err = e.Secret(&c.Password); err != nil {
			return nil, fmt.Errorf("the certificate password cannot be read: %w", err)
		}
	}
	key := certKey(e.P, c, password)
	e.mu.Lock()
	r, ok := e.certs[key]
	if !ok {
		r = &certResult{}
		e.certs[key] = r
	}
	e.mu.Unlock()
	r.once.Do(func() { r.cert, r.err = e.P.LoadCertificateContext(e.Ctx, c, password) })
	return r.cert, r.err
}

// certKey identifies a certificate by its files and password (hashed:
// the key stays in memory, but a secret is never a map key as is).
func certKey(p *profile.Profile, c *profile.Certificate, password string) string {
	h := sha256.Sum256([]byte(password))
	return p.ResolvePath(c.PKCS12) + "\x00" + p.ResolvePath(c.Certificate) + "\x00" + p.ResolvePath(c.PrivateKey) + "\x00" + hex.EncodeToString(h[:])
}

// certRules read certificate files (access.environment: test
// certificates; cred.expiry: a certificate's NotAfter).
var certRules = map[string]bool{"cred.cert-valid": true, "cred.cert-fingerprint": true, "cred.expiry": true, "access.environment": true}

// PreloadCerts decodes every certificate of the profile at once, on all
// cores (the key derivation of a PKCS#12 file is most of an offline run's
// cost); Cert then finds them decoded.
func (e *Env) PreloadCerts() {
	type ref struct{ i, j int }
	var refs []ref
	for i := range e.P.ITSystems {
		for j := range e.P.ITSystems[i].Credentials.OAuthCertificates {
			refs = append(refs, ref{i, j})
		}
	}
	if len(refs) < 2 {
		return
	}
	work := make(chan ref)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(refs)) {
		wg.Go(func() {
			for r := range work {
				_, _ = e.Cert(r.i, r.j)
			}
		})
	}
	for _, r := range refs {
		work <- r
	}
	close(work)
	wg.Wait()
}

// Options select what a run does.
type Options struct {
	At      time.Time // evaluation day (default today)
	Only    []string  // check IDs; empty means all
	Offline bool      // leave out live checks
	Strict  bool      // warnings make the profile not ready
	// Progress, when set, hears every result as it is known: the offline
	// ones, then the prober's planned, started and finished rows.
	Progress func(Progress)
	// Prober runs the live checks (checks/live.New); nil runs none.
	Prober Prober
	// Tool names the program in the report.
	Tool Tool
	// Now is the clock the run's start is read from (default time.Now).
	Now func() time.Time
}

// Selected returns the checks a run includes, in registry order. An
// unknown ID in only is an error naming the closest known ID.
func Selected(opts Options) ([]*Check, error) {
	all := Registry()
	want := map[string]bool{}
	for _, id := range opts.Only {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		if Lookup(id) == nil {
			return nil, unknownIDError(id)
		}
		want[id] = true
	}
	var out []*Check
	for _, c := range all {
		if len(want) > 0 && !want[c.ID] {
			continue
		}
		if opts.Offline && c.Live {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// RunOffline runs the selected offline rules against env.
func RunOffline(env *Env, checks []*Check) []Result {
	for _, c := range checks {
		if certRules[c.ID] {
			env.PreloadCerts()
			break
		}
	}
	var out []Result
	for _, c := range checks {
		if c.Live || c.run == nil {
			continue
		}
		out = append(out, c.Finish(env.withFieldRows(c.ID, c.run(env)))...)
	}
	return out
}

// Finish fills in the fields every row of a check carries.
func (c *Check) Finish(rs []Result) []Result {
	for i := range rs {
		r := &rs[i]
		r.ID, r.Title, r.Docs = c.ID, c.Title, c.Docs()
		if r.Evidence == nil {
			r.Evidence = map[string]any{}
		}
		if c.practice() && (r.Status == Warn || r.Status == Fail) && !strings.Contains(r.Message, "practice") {
			r.Message += " (cprready practice)"
		}
	}
	return rs
}

// Findings runs the given offline checks on a (possibly incomplete)
// profile and returns their warnings and failures on subject. The wizard
// validates every field with it, so a field is judged by exactly the code
// that `check` runs.
func Findings(ctx context.Context, p *profile.Profile, at time.Time, r profile.Resolver, subject string, ids ...string) []Result {
	env := NewEnv(ctx, p, at, r)
	var cs []*Check
	for _, id := range ids {
		if c := Lookup(id); c != nil && !c.Live {
			cs = append(cs, c)
		}
	}
	var out []Result
	for _, res := range RunOffline(env, cs) {
		if res.Subject == subject && (res.Status == Fail || res.Status == Warn) {
			out = append(out, res)
		}
	}
	return out
}

func unknownIDError(id string) error {
	var ids []string
	for _, c := range Registry() {
		ids = append(ids, c.ID)
	}
	best := words.Closest(id, ids)
	msg := fmt.Sprintf("unknown check ID %q", id)
	if best != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", best)
	}
	return fmt.Errorf("%s; run `cprready explain --list` for all IDs", msg)
}

// IDs lists every registered ID in order.
func IDs() []string {
	var ids []string
	for _, c := range Registry() {
		ids = append(ids, c.ID)
	}
	return ids
}

// AreaIDs are the offline checks of an area (ip: ip.present, ip.ipv4, …),
// in registry order: a screen about that area runs them all, so a check
// added to it shows there by itself.
func AreaIDs(area string) []string {
	var out []string
	for _, c := range Registry() {
		if !c.Live && strings.HasPrefix(c.ID, area+".") {
			out = append(out, c.ID)
		}
	}
	return out
}

// Lookup finds a check by ID.
func Lookup(id string) *Check {
	for _, c := range Registry() {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func compareSubjects(a, b string) int {
	for a != "" && b != "" {
		na, ra := leadingNumber(a)
		nb, rb := leadingNumber(b)
		if na >= 0 && nb >= 0 {
			if na != nb {
				return na - nb
			}
			a, b = ra, rb
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func leadingNumber(s string) (int, string) {
	i, n := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' && i < 9 {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 0 {
		return -1, s
	}
	return n, s[i:]
}
