// Package live runs cprready's live checks against Datafordeleren (or the
// emulator): it implements checks.Prober. A run is a graph of probes
// (graph.go), planned from the profile (plan.go): the hosts (net.go), the
// schemas (schema.go), tokens and protected data (data.go). Each failure
// is classified by the datafordeler client and explained by
// checks/diagnose (failure.go).
package live

import (
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/internal/redact"
)

// Options configure the live checks.
type Options struct {
	NoEgress       bool             // --no-egress-check
	Redactor       *redact.Redactor // learns tokens; defaults to a new one
	RequestTimeout time.Duration    // per request (default 15s)
	Retry          datafordeler.RetryPolicy
	Now            func() time.Time
	// SchemaCache, when set, is consulted by schema.apikey for the cached
	// schema's age and whether the live schema differs.
	SchemaCache SchemaCache
	// KeyRetry bounds how often schema.apikey tries a key created on the
	// evaluation day before it fails it: a new key fails now and then
	// while it spreads (platform.ConvNewKey).
	KeyRetry KeyRetry
}

// KeyRetry is how often and how patiently a new key is tried: Attempts
// in all (default 4), the first wait Wait (default 500ms), doubling; never
// past the run's deadline.
type KeyRetry struct {
	Attempts int
	Wait     time.Duration
}

// SchemaCache is the cache `cprready schema fetch` keeps.
type SchemaCache interface {
	Compare(service string, live []byte) (evidence map[string]any)
}

// MaxClockSkew is the largest tolerated clock difference.
const MaxClockSkew = 60 * time.Second

// Prober runs the live checks; it implements checks.Prober.
type Prober struct{ o Options }

var _ checks.Prober = (*Prober)(nil)

// New makes the live-check prober.
func New(o Options) *Prober {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Redactor == nil {
		o.Redactor = redact.New()
	}
	if o.KeyRetry.Attempts <= 0 {
		o.KeyRetry.Attempts = 4
	}
	if o.KeyRetry.Wait <= 0 {
		o.KeyRetry.Wait = 500 * time.Millisecond
	}
	return &Prober{o: o}
}
