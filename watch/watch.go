// Package watch keeps checking profiles after go-live: every profile runs
// the full check (offline rules and live checks) at an interval with
// jitter, never twice at once, and the outcome is served as Prometheus
// metrics, a status page and state-change logs. It owns no knowledge of
// the rules: it runs checks.Evaluate and reads calendar.Events, exactly as
// `cprready check` and `cprready calendar` do.
package watch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cprready/cprready/calendar"
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/live"
	"github.com/cprready/cprready/internal/buildinfo"
	"github.com/cprready/cprready/internal/httpguard"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/profile"
)

// Jitter is the share of the interval by which a run may start earlier or
// later, so that many watchers (or many profiles) do not hit the platform
// in step.
const Jitter = 0.1

// Config configures a Watcher.
type Config struct {
	// Profiles are profile files, each watched on its own.
	Profiles []string
	Interval time.Duration // between the starts of two runs of a profile
	Timeout  time.Duration // bounds one run of one profile
	Strict   bool          // warnings make a profile not ready
	// Gate redacts every secret a run resolves, on every output: metrics,
	// the page and the logs. Required.
	Gate *redact.Redactor
	// Log hears state changes only; nil discards them.
	Log *slog.Logger
	// LiveOptions gives the live checks' options for a loaded profile
	// (the CLI's: egress check, schema cache). Nil runs offline only.
	LiveOptions func(*profile.Profile) live.Options
	// Resolver gives a profile's secret resolver; nil uses
	// profile.DefaultResolver. Every value resolved joins Gate.
	Resolver func(*profile.Profile) profile.Resolver
	Now      func() time.Time
	// Build is the running program, for cprready_build_info and reports.
	Build buildinfo.Info
	// Location is the time zone of the status page (nil: the machine's).
	Location *time.Location
	// Hosts are the Host names Serve answers (loopback names, the listen
	// address, --allow-host); others get 421.
	Hosts httpguard.Hosts
	// IdleTimeout closes a kept-alive connection with nothing to do
	// (0: IdleTimeout).
	IdleTimeout time.Duration
}

// The budget of one watched profile: its series on /metrics and its part
// of the status page grow with its IT-systems and credentials (about 64
// series an IT-system). A municipality has a handful; a profile beyond
// this is refused at start (and a run of one that grew is an error state)
// rather than served as a scrape of tens of megabytes.
const (
	MaxITSystems   = 100
	MaxCredentials = 400
)

// withinBudget refuses a profile too large to watch, naming the limit.
func withinBudget(p *profile.Profile) error {
	if n := len(p.ITSystems); n > MaxITSystems {
		return fmt.Errorf("%s has %d IT-systems; watch serves at most %d per profile (every one adds about 64 series to /metrics): split it into several profiles and watch the folder", p.Path, n, MaxITSystems)
	}
	if n := len(p.AllCredentials()); n > MaxCredentials {
		return fmt.Errorf("%s has %d credentials; watch serves at most %d per profile: split it into several profiles and watch the folder", p.Path, n, MaxCredentials)
	}
	return nil
}

// Location reads --tz: an IANA name (Europe/Copenhagen), UTC, or empty
// for the machine's own zone.
func Location(name string) (*time.Location, error) {
	if name == "" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("--tz %q is not a time zone; name one as Europe/Copenhagen or UTC", name)
	}
	return loc, nil
}

// LoadError is a profile that does not load when watching starts.
type LoadError struct {
	Path string
	Err  error
}

func (e *LoadError) Error() string {
	var le *profile.LoadError
	if errors.As(e.Err, &le) {
		return e.Err.Error()
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *LoadError) Unwrap() error { return e.Err }

// Watcher watches profiles.
type Watcher struct {
	cfg     Config
	targets []*target
	started time.Time
	running atomic.Bool
}

// target is one watched profile.
type target struct {
	name string // the profile label: the file's name, or its path when names clash
	path string
	// state is the last finished run; nil before the first.
	state atomic.Pointer[state]
	// errors counts runs that failed to run: the profile did not load,
	// the run was cut short by the timeout.
	errors  atomic.Uint64
	runs    atomic.Uint64
	running atomic.Bool
	next    atomic.Int64 // unix nanoseconds of the next run
}

// New checks that every profile loads (a profile that does not is a
// *LoadError naming the file) and prepares the watcher.
func New(cfg Config) (*Watcher, error) {
	if cfg.Gate == nil {
		return nil, errors.New("watch: a redaction gate is required")
	}
	if cfg.Interval <= 0 || cfg.Timeout <= 0 {
		return nil, errors.New("watch: the interval and the timeout must be positive")
	}
	if len(cfg.Profiles) == 0 {
		return nil, errors.New("watch: no profile to watch")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	w := &Watcher{cfg: cfg, started: cfg.Now()}
	names := labelNames(cfg.Profiles)
	for i, path := range cfg.Profiles {
		p, err := profile.Load(path)
		if err == nil {
			err = withinBudget(p)
		}
		if err != nil {
			return nil, &LoadError{Path: path, Err: err}
		}
		w.targets = append(w.targets, &target{name: names[i], path: path})
	}
	return w, nil
}

// labelNames names each profile by its file name without the extension,
// or by its path where two files share a name.
func labelNames(paths []string) []string {
	count := map[string]int{}
	base := make([]string, len(paths))
	for i, p := range paths {
		base[i] = textsafe.Line(strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))) // no escapes or bidi in labels
		count[base[i]]++
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = base[i]
		if count[base[i]] > 1 {
			out[i] = textsafe.Line(filepath.ToSlash(filepath.Clean(p)))
		}
	}
	return out
}

// Run watches until ctx ends: each profile runs at once, then every
// interval (± Jitter), never two runs of one profile at once. It returns
// when every run in flight has stopped.
func (w *Watcher) Run(ctx context.Context) {
	w.running.Store(true)
	defer w.running.Store(false)
	var wg sync.WaitGroup
	for _, t := range w.targets {
		wg.Go(func() {
			w.loop(ctx, t)
		})
	}
	wg.Wait()
}

// loop runs one profile: a run, then a wait until the next start.
func (w *Watcher) loop(ctx context.Context, t *target) {
	for {
		start := time.Now()
		w.RunOnce(ctx, t.name)
		if ctx.Err() != nil {
			return
		}
		wait := max(w.nextDelay()-time.Since(start), 0)
		t.next.Store(w.cfg.Now().Add(wait).UnixNano())
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}

// nextDelay is the interval, moved by up to Jitter either way.
func (w *Watcher) nextDelay() time.Duration {
	j := time.Duration(float64(w.cfg.Interval) * Jitter * (2*rand.Float64() - 1)) // #nosec G404 -- jitter, not a secret
	return w.cfg.Interval + j
}

// RunOnce runs the profile named name now, unless a run of it is in
// flight (then it returns at once). Tests call it to step a watcher.
func (w *Watcher) RunOnce(ctx context.Context, name string) bool {
	t := w.target(name)
	if t == nil || !t.running.CompareAndSwap(false, true) {
		return false
	}
	defer t.running.Store(false)
	prev := t.state.Load()
	next := w.evaluate(ctx, t)
	if ctx.Err() != nil && (next.report == nil || next.report.Options.Cancelled) {
		// Stopping: a run cut short by shutdown says nothing about access.
		return false
	}
	t.runs.Add(1)
	if next.err != nil || next.cancelled {
		t.errors.Add(1)
	}
	t.state.Store(next)
	w.logChanges(t, prev, next)
	return true
}

func (w *Watcher) target(name string) *target {
	for _, t := range w.targets {
		if t.name == name {
			return t
		}
	}
	return nil
}

// Names lists the profiles' labels, in the order given.
func (w *Watcher) Names() []string {
	out := make([]string, len(w.targets))
	for i, t := range w.targets {
		out[i] = t.name
	}
	return out
}

// evaluate loads the profile afresh (it may have been edited) and runs
// every check within the timeout.
func (w *Watcher) evaluate(ctx context.Context, t *target) *state {
	start := w.cfg.Now()
	st := &state{at: start}
	p, err := profile.Load(t.path)
	if err == nil {
		err = withinBudget(p)
	}
	if err != nil {
		st.err = err
		st.finish(w, w.cfg.Now().Sub(start))
		return st
	}
	for _, v := range p.EndpointCredentials() {
		w.cfg.Gate.Add(v)
	}
	res := profile.DefaultResolver(p)
	if w.cfg.Resolver != nil {
		res = w.cfg.Resolver(p)
	}
	res.OnResolve = w.cfg.Gate.Add
	res.Cache = nil // each run reads its secrets afresh: a rotated secret is seen
	ctx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	defer cancel()
	// Secrets join the watcher's gate for good; the tokens a run obtains
	// join only the run's own gate, and are forgotten with it (a watcher
	// that kept every token of every run would grow without end).
	st.gate = w.cfg.Gate.Child()
	opts := checks.Options{At: start, Strict: w.cfg.Strict, Offline: true, Tool: checks.Tool{Name: "cprready", Version: w.cfg.Build.Version}}
	if w.cfg.LiveOptions != nil {
		lo := w.cfg.LiveOptions(p)
		lo.Redactor = st.gate
		opts.Prober, opts.Offline = live.New(lo), false
	}
	rep, err := checks.Evaluate(ctx, p, opts, res)
	if err != nil {
		st.err = err
		st.finish(w, w.cfg.Now().Sub(start))
		return st
	}
	st.report = rep
	st.cancelled = rep.Options.Cancelled
	st.expiries, st.notes = calendar.Events(ctx, p, func(c *profile.Certificate) string { return c.PasswordValue(ctx, res) })
	st.finish(w, w.cfg.Now().Sub(start))
	return st
}

// The server's bounds: a scraper or a browser needs one short request at
// a time; nothing holds a connection or a descriptor for long.
const (
	MaxConns       = 64               // connections open at once; more wait to be accepted
	MaxHeaderBytes = 16 << 10         // a request's headers
	IdleTimeout    = 60 * time.Second // a kept-alive connection with nothing to do
)

// Serve serves Handler on ln and watches until ctx ends, then shuts the
// server down (requests in flight get 5 seconds) and returns. Requests
// are bounded in time and size, connections in number (MaxConns), and
// only the Host names in cfg.Hosts are served (421 otherwise).
func (w *Watcher) Serve(ctx context.Context, ln net.Listener) {
	srv := &http.Server{Handler: w.cfg.Hosts.Handler(w.Handler()),
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second,
		IdleTimeout: cmp.Or(w.cfg.IdleTimeout, IdleTimeout), MaxHeaderBytes: MaxHeaderBytes,
		ErrorLog: slog.NewLogLogger(w.cfg.Log.Handler(), slog.LevelDebug)}
	go func() { _ = srv.Serve(httpguard.Limit(ln, MaxConns)) }()
	w.cfg.Log.Info("watching", "profiles", len(w.targets), "interval", w.cfg.Interval.String(), "timeout", w.cfg.Timeout.String(), "listen", ln.Addr().String())
	w.Run(ctx)
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	w.cfg.Log.Info("stopped")
}

// MinInterval keeps a watcher from hammering the platform.
const MinInterval = time.Second

// CheckFlags checks the command line's interval, timeout and log format.
func CheckFlags(interval, timeout time.Duration, logFormat, tz string) (*time.Location, error) {
	switch {
	case interval < MinInterval:
		return nil, fmt.Errorf("--interval %s: use at least %s (a few minutes is kind to the platform)", interval, MinInterval)
	case timeout <= 0:
		return nil, errors.New("--timeout must be positive, e.g. 1m")
	case logFormat != "text" && logFormat != "json":
		return nil, fmt.Errorf("--log-format %q: use text or json", logFormat)
	}
	return Location(tz)
}

// NewLogger logs to w as text or JSON, times in loc with their offset.
// Every attribute's value passes the
// gate before it is encoded (the message too: the HTTP server logs its
// own text there); the record's syntax and its keys never do.
func NewLogger(w io.Writer, format string, gate *redact.Redactor, loc *time.Location) *slog.Logger {
	if loc == nil {
		loc = time.Local
	}
	opts := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Time(a.Key, a.Value.Time().In(loc)) // with its offset
		}
		if len(groups) == 0 && a.Key == slog.LevelKey {
			return a
		}
		switch a.Value.Kind() {
		case slog.KindString:
			return slog.String(a.Key, gate.Value(a.Value.String()))
		case slog.KindAny:
			return slog.String(a.Key, gate.Value(fmt.Sprint(a.Value.Any())))
		}
		return a
	}}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
