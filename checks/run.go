package checks

import (
	"context"
	"time"

	"github.com/cprready/cprready/profile"
)

// Prober runs the live checks: checks/live implements it against the
// platform; a test may fake it. Probe returns the finished rows of the
// live checks among selected, and tells progress (when set) each row as
// it is planned, started and done.
type Prober interface {
	Probe(env *Env, selected []*Check, progress func(Progress)) []Result
}

// Progress is one event of a run.
type Progress struct {
	Planned []Result // rows that will come, without status (waiting)
	Started *Result  // a row whose check has started (its dependencies are done)
	Done    *Result  // one finished row
}

// Evaluate runs the selected checks on p and returns the finished report:
// the offline rules, then (unless opts.Offline) opts.Prober's live checks.
// It is the one run path of text, JSON, the terminal UI and watch.
func Evaluate(ctx context.Context, p *profile.Profile, opts Options, r profile.Resolver) (*Report, error) {
	selected, err := Selected(opts)
	if err != nil {
		return nil, err
	}
	at := opts.At
	if at.IsZero() {
		at = time.Now()
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	ranAt := now()
	env := NewEnv(ctx, p, at, r)
	results := RunOffline(env, selected)
	if opts.Progress != nil {
		for i := range results {
			opts.Progress(Progress{Done: &results[i]})
		}
	}
	if !opts.Offline && opts.Prober != nil {
		results = append(results, opts.Prober.Probe(env, selected, opts.Progress)...)
	}
	rep := &Report{
		SchemaVersion: 1,
		Tool:          opts.Tool,
		Profile:       p.Path,
		ProfileSHA256: p.SHA256,
		Environment:   p.Environment,
		EvaluatedAt:   env.At.Format(time.DateOnly),
		RanAt:         ranAt.Format(time.RFC3339),
		Checks:        results,
		Strict:        opts.Strict,
		Options: RunOptions{Strict: opts.Strict, Offline: opts.Offline, Only: append([]string{}, opts.Only...),
			At: env.At.Format(time.DateOnly), Partial: len(opts.Only) > 0, Cancelled: ctx.Err() != nil},
		Names: map[string]string{},
	}
	for i, s := range p.ITSystems {
		rep.Names[profile.ITSystemSubject(i)] = s.Name
	}
	rep.Finish()
	return rep, nil
}
