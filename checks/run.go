package checks

import (
	"context"
	"time"

	"github.com/cprready/cprready/profile"
)

// Evaluate runs the selected checks on p and returns the finished report.
// Live checks run only when opts.Offline is false and live is not nil.
func Evaluate(ctx context.Context, p *profile.Profile, opts Options, r profile.Resolver, live *Live) (*Report, error) {
	selected, err := Selected(opts)
	if err != nil {
		return nil, err
	}
	at := opts.At
	if at.IsZero() {
		at = time.Now()
	}
	env := NewEnv(ctx, p, at, r)
	results := RunOffline(env, selected)
	progress := opts.Progress
	if progress == nil && live != nil {
		progress = live.progress
	}
	if progress != nil {
		for i := range results {
			progress(Progress{Done: &results[i]})
		}
	}
	if !opts.Offline && live != nil {
		results = append(results, live.Run(env, selected)...)
	}
	rep := &Report{
		SchemaVersion: 1,
		Profile:       p.Path,
		ProfileSHA256: p.SHA256,
		Environment:   p.Environment,
		EvaluatedAt:   env.At.Format(time.DateOnly),
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

// Live runs the live checks; it is filled in by the live-check code.
type Live struct {
	run      func(env *Env, selected []*Check) []Result
	progress func(Progress)
}

// Run runs the live checks among selected.
func (l *Live) Run(env *Env, selected []*Check) []Result {
	if l == nil || l.run == nil {
		return nil
	}
	return l.run(env, selected)
}
