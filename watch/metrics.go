package watch

import (
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cprready/cprready/calendar"
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/profile"
)

// The metric families. Every series is built from a finished run's
// redacted state at scrape time, so a scrape never sees half a run and a
// series that no longer applies (an IT-system removed) simply goes.
var (
	descReady = prometheus.NewDesc("cprready_ready",
		"1 when the profile's last run found it ready for CPR on Datafordeleren (no check fails; with --strict, none warns), else 0.",
		[]string{"profile"}, nil)
	descSuccess = prometheus.NewDesc("cprready_check_success",
		"1 when the check passed, warned, was skipped or is informational in the last run; 0 when it failed. One series per check and subject (a profile path such as it_systems[0].credentials.oauth_shared_secrets[0]).",
		[]string{"profile", "check", "subject", "it_system"}, nil)
	descWarning = prometheus.NewDesc("cprready_check_warning",
		"1 when the check warned in the last run (a warning counts as success in cprready_check_success), else 0.",
		[]string{"profile", "check", "subject", "it_system"}, nil)
	descCredExpiry = prometheus.NewDesc("cprready_credential_expiry_timestamp_seconds",
		"When a credential stops working (Unix seconds): the end of the profile's expires: day (UTC), or a certificate's notAfter when that is earlier. kind is api_key, oauth_shared_secret or oauth_certificate.",
		[]string{"profile", "it_system", "kind", "name"}, nil)
	descCertExpiry = prometheus.NewDesc("cprready_certificate_expiry_timestamp_seconds",
		"notAfter of an OAuth certificate file (Unix seconds), as read from the file.",
		[]string{"profile", "it_system", "name"}, nil)
	descAccessExpiry = prometheus.NewDesc("cprready_data_access_expiry_timestamp_seconds",
		"When the IT-system's approved CPR application (Dataadgang) expires (Unix seconds): the end of its expires: day (UTC).",
		[]string{"profile", "it_system"}, nil)
	descLiveDuration = prometheus.NewDesc("cprready_live_duration_seconds",
		"How long the live check took in the last run (the slowest of its rows).",
		[]string{"profile", "check"}, nil)
	descRunDuration = prometheus.NewDesc("cprready_run_duration_seconds",
		"How long the profile's last run took, offline rules and live checks.",
		[]string{"profile"}, nil)
	descLastRun = prometheus.NewDesc("cprready_last_run_timestamp_seconds",
		"When the profile's last run started (Unix seconds).",
		[]string{"profile"}, nil)
	descRuns = prometheus.NewDesc("cprready_runs_total",
		"Runs of the profile since the watcher started.",
		[]string{"profile"}, nil)
	descRunErrors = prometheus.NewDesc("cprready_run_errors_total",
		"Runs that could not check the profile: it did not load, or the run hit --timeout.",
		[]string{"profile"}, nil)
	descProfileOK = prometheus.NewDesc("cprready_profile_loaded",
		"1 when the profile file loaded in the last run, else 0 (see the status page or the log for why).",
		[]string{"profile"}, nil)
	descBuild = prometheus.NewDesc("cprready_build_info",
		"The running cprready, as `cprready version` names it; always 1.",
		[]string{"version", "revision", "goversion"}, nil)
)

type collector struct{ w *Watcher }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descReady, descSuccess, descWarning, descCredExpiry, descCertExpiry, descAccessExpiry,
		descLiveDuration, descRunDuration, descLastRun, descRuns, descRunErrors, descProfileOK, descBuild} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	// Label values pass the gate (they were masked when the run
	// finished; this is the last line); names never do. A check ID is the
	// tool's own word and stays as it is.
	emit := func(d *prometheus.Desc, t prometheus.ValueType, v float64, labels ...string) {
		for i, l := range labels {
			if d != descBuild && checks.Lookup(l) == nil {
				l = c.w.cfg.Gate.Value(redact.Local(l).String()) // names from the profile
			}
			labels[i] = strings.ToValidUTF8(l, "\uFFFD")
		}
		if m, err := prometheus.NewConstMetric(d, t, v, labels...); err == nil {
			ch <- m
		}
	}
	b := c.w.cfg.Build
	emit(descBuild, prometheus.GaugeValue, 1, b.Version, b.Revision, b.GoVersion)
	for _, t := range c.w.targets {
		emit(descRuns, prometheus.CounterValue, float64(t.runs.Load()), t.name)
		emit(descRunErrors, prometheus.CounterValue, float64(t.errors.Load()), t.name)
		st := t.state.Load()
		if st == nil {
			continue // not yet checked: no verdict to report, rather than a false one
		}
		emit(descReady, prometheus.GaugeValue, b2f(st.ready), t.name)
		emit(descProfileOK, prometheus.GaugeValue, b2f(st.err == nil), t.name)
		emit(descLastRun, prometheus.GaugeValue, seconds(st.at), t.name)
		emit(descRunDuration, prometheus.GaugeValue, st.duration.Seconds(), t.name)
		if st.err != nil {
			continue
		}
		live := map[string]time.Duration{}
		for k, r := range st.rows {
			emit(descSuccess, prometheus.GaugeValue, b2f(r.status != checks.Fail), t.name, k.check, k.subject, r.itSystem)
			emit(descWarning, prometheus.GaugeValue, b2f(r.status == checks.Warn), t.name, k.check, k.subject, r.itSystem)
			if lc := checks.Lookup(k.check); lc != nil && lc.Live && r.status != checks.Skip {
				live[k.check] = max(live[k.check], r.duration)
			}
		}
		for id, d := range live {
			emit(descLiveDuration, prometheus.GaugeValue, d.Seconds(), t.name, id)
		}
		c.collectExpiries(t.name, st, emit)
	}
}

// collectExpiries emits the expiry series; where two share their labels
// (two keys with one name), the earlier stands for both.
func (c collector) collectExpiries(name string, st *state, emit func(*prometheus.Desc, prometheus.ValueType, float64, ...string)) {
	type key struct {
		d            *prometheus.Desc
		sys, kind, n string
	}
	earliest := map[key]float64{}
	note := func(k key, t time.Time) {
		if t.IsZero() {
			return
		}
		v := seconds(t)
		if old, ok := earliest[k]; !ok || v < old {
			earliest[k] = v
		}
	}
	for _, e := range st.expiries {
		switch e.Kind {
		case calendar.KindDataAccess:
			note(key{descAccessExpiry, e.ITSystem, "", ""}, endOfDay(e.Declared))
		case profile.CertificateCred.Slug():
			eff := endOfDay(e.Declared)
			if !e.NotAfter.IsZero() && (eff.IsZero() || e.NotAfter.Before(eff)) {
				eff = e.NotAfter
			}
			note(key{descCredExpiry, e.ITSystem, e.Kind, e.Name}, eff)
			note(key{descCertExpiry, e.ITSystem, "", e.Name}, e.NotAfter)
		default:
			note(key{descCredExpiry, e.ITSystem, e.Kind, e.Name}, endOfDay(e.Declared))
		}
	}
	for k, v := range earliest {
		switch k.d {
		case descAccessExpiry:
			emit(k.d, prometheus.GaugeValue, v, name, k.sys)
		case descCertExpiry:
			emit(k.d, prometheus.GaugeValue, v, name, k.sys, k.n)
		default:
			emit(k.d, prometheus.GaugeValue, v, name, k.sys, k.kind, k.n)
		}
	}
}

// endOfDay is when a credential with this expires: day stops working: the
// expiry day is its last valid day (as the checks count it).
func endOfDay(d time.Time) time.Time {
	if d.IsZero() {
		return d
	}
	return checks.Day(d).AddDate(0, 0, 1)
}

func seconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Registry is the watcher's own registry: its collector, and the Go
// runtime's and the process's standard metrics.
func (w *Watcher) Registry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collector{w}, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// metricsHandler serves /metrics uncompressed. Label values are masked
// when a run finishes and again as they are emitted; the exposition's
// syntax (metric and label names) never passes the gate.
func (w *Watcher) metricsHandler() http.Handler {
	return promhttp.HandlerFor(w.Registry(), promhttp.HandlerOpts{DisableCompression: true, ErrorHandling: promhttp.ContinueOnError})
}
