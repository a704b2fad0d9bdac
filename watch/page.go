package watch

import (
	"bytes"
	"cmp"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/internal/words"
)

// ExpiryWindowDays is how far ahead the status page lists expiries.
const ExpiryWindowDays = 60

// Handler serves the status page at /, the metrics at /metrics and the
// process's health at /healthz.
func (w *Watcher) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", w.metricsHandler())
	mux.HandleFunc("GET /healthz", w.healthz)
	mux.HandleFunc("GET /{$}", w.page)
	return mux
}

// healthz answers 200 while the watcher runs: it says the process is
// alive, not that any profile is ready (that is cprready_ready).
func (w *Watcher) healthz(rw http.ResponseWriter, _ *http.Request) {
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	if !w.running.Load() {
		rw.WriteHeader(http.StatusServiceUnavailable)
		_, _ = rw.Write([]byte("stopped\n"))
		return
	}
	_, _ = rw.Write([]byte("ok\n"))
}

// pageProfile is one profile on the page.
type pageProfile struct {
	Name, Anchor, Path, Verdict, Class string
	Checked                            bool
	LastRun, Ago, Took, Next           string
	Error                              string
	Timeout                            string
	Fails, Warns                       []pageGroup
	FailCount, WarnCount               int
	Expiring                           []pageExpiry
	Notes                              []string
	rank                               int
}

// pageGroup is one diagnosis and its fix, with every check and subject
// it stands for: four credentials refused for one reason read once.
type pageGroup struct {
	Message, Remedy, Cause string
	Where                  []pageRow
}

type pageRow struct {
	Check, Subject, ITSystem, Docs string
}

// group adds a row to the group of its diagnosis.
func group(groups []pageGroup, r row, k rowKey) []pageGroup {
	pr := pageRow{Check: k.check, Subject: k.subject, ITSystem: r.itSystem, Docs: r.docs}
	for i := range groups {
		if groups[i].Message == r.message && groups[i].Remedy == r.remedy {
			groups[i].Where = append(groups[i].Where, pr)
			return groups
		}
	}
	return append(groups, pageGroup{Message: r.message, Remedy: r.remedy, Cause: r.cause, Where: []pageRow{pr}})
}

type pageExpiry struct {
	Date, When, Summary, Detail string
	Past                        bool
}

type pageData struct {
	Title, Headline       string
	Generated             string
	Interval, Timeout     string
	Window                int
	Profiles              []pageProfile
	Ready, NotReady, Wait int
}

func (w *Watcher) pageData() pageData {
	now := w.cfg.Now()
	d := pageData{Generated: w.stamp(now), Interval: w.cfg.Interval.String(), Timeout: w.cfg.Timeout.String(), Window: ExpiryWindowDays}
	for i, t := range w.targets {
		st := t.state.Load()
		pp := pageProfile{Name: w.cfg.Gate.Value(redact.Local(t.name).String()), Anchor: "profile-" + strconv.Itoa(i+1), Path: w.cfg.Gate.String(textsafe.Line(t.path)), Verdict: st.verdict(), Checked: st != nil}
		if next := t.next.Load(); next > 0 {
			pp.Next = w.stamp(time.Unix(0, next))
		}
		switch {
		case st == nil:
			pp.Class, pp.rank = "wait", 2
			d.Wait++
		case st.err != nil:
			pp.Class, pp.rank, pp.Error = "fail", 0, st.errText
			d.NotReady++
		case st.ready:
			pp.Class, pp.rank = "ok", 3
			d.Ready++
		default:
			pp.Class, pp.rank = "fail", 1
			d.NotReady++
		}
		if st != nil {
			pp.LastRun, pp.Ago, pp.Took = w.stamp(st.at), ago(now.Sub(st.at)), st.duration.Round(time.Millisecond).String()
			if st.cancelled {
				pp.Timeout = w.cfg.Timeout.String()
			}
			for _, k := range st.sortedKeys() {
				r := st.rows[k]
				switch r.status {
				case checks.Fail:
					pp.Fails = group(pp.Fails, r, k)
					pp.FailCount++
				case checks.Warn:
					pp.Warns = group(pp.Warns, r, k)
					pp.WarnCount++
				}
			}
			for _, e := range st.expiringWithin(now, ExpiryWindowDays) {
				pp.Expiring = append(pp.Expiring, pageExpiry{Date: e.Date.Format(time.DateOnly), When: daysLeft(now, e.Date), Summary: e.Summary, Detail: e.Detail,
					Past: checks.Day(e.Date).Before(checks.Day(now))})
			}
			pp.Notes = st.notes
		}
		d.Profiles = append(d.Profiles, pp)
	}
	slices.SortStableFunc(d.Profiles, func(a, b pageProfile) int { return cmp.Compare(a.rank, b.rank) })
	switch {
	case d.NotReady > 0:
		d.Headline = words.Plural(d.NotReady, "profile") + " NOT READY"
	case d.Wait > 0:
		d.Headline = "checking " + words.Plural(d.Wait, "profile") + " for the first time"
	default:
		d.Headline = "all " + words.Plural(d.Ready, "profile") + " READY"
	}
	d.Title = "cprready watch: " + d.Headline
	return d
}

// page serves the status page: plain HTML that a text browser reads, no
// script, refreshing itself every minute. Its values were masked when the
// run finished (state.finish); the template and its CSS are the tool's
// own and never pass the gate.
func (w *Watcher) page(rw http.ResponseWriter, _ *http.Request) {
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, w.pageData()); err != nil {
		http.Error(rw, "the status page could not be made", http.StatusInternalServerError)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	rw.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	rw.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = rw.Write(buf.Bytes())
}

// stamp is a time as the page shows it: in the watcher's zone (--tz, else
// the machine's), with the zone's name and offset.
func (w *Watcher) stamp(t time.Time) string {
	loc := w.cfg.Location
	if loc == nil {
		loc = time.Local
	}
	return t.In(loc).Format("2006-01-02 15:04:05 MST (-07:00)")
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return d.Round(time.Second).String() + " ago"
	case d < time.Hour:
		return d.Round(time.Minute).String() + " ago"
	}
	return d.Round(time.Hour).String() + " ago"
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="60">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60em; margin: 1em auto; padding: 0 1em; line-height: 1.4; }
.ok { color: #116611; } .fail { color: #aa1111; } .wait { color: #666; }
li { margin-bottom: .6em; } code { font-size: .95em; } small { color: #555; }
</style>
</head>
<body>
<h1>{{.Headline}}</h1>
<p>Each profile is checked every {{.Interval}} (each run bounded by {{.Timeout}}). Page made {{.Generated}}; it reloads every minute.
<a href="/metrics">Prometheus metrics</a>.</p>
<ul>
{{range .Profiles}}<li><a href="#{{.Anchor}}">{{.Name}}</a>: <strong class="{{.Class}}">{{.Verdict}}</strong>{{if .FailCount}}, {{.FailCount}} failing{{end}}{{if .WarnCount}}, {{.WarnCount}} warning{{end}}{{if .Expiring}}, {{len .Expiring}} expiring within {{$.Window}} days{{end}}</li>
{{end}}</ul>
{{range .Profiles}}
<h2 id="{{.Anchor}}"><span class="{{.Class}}">{{.Verdict}}</span>: {{.Name}}</h2>
<p><small>{{.Path}}.{{if .Checked}} Last run {{.LastRun}} ({{.Ago}}), took {{.Took}}.{{end}}{{if .Next}} Next run about {{.Next}}.{{end}}</small></p>
{{if .Error}}<p class="fail"><strong>The profile does not load:</strong> {{.Error}}</p>
<p>Fix the file; the next run reads it again. The other profiles keep running.</p>{{end}}
{{if .Timeout}}<p class="fail"><strong>The run hit the timeout ({{.Timeout}})</strong>: checks still in flight count as failed.</p>{{end}}
{{if .Fails}}<h3>Fails ({{.FailCount}})</h3>
<ul>
{{range .Fails}}<li>{{.Message}}{{if .Cause}} <small>[cause: {{.Cause}}]</small>{{end}}<br>
<em>Fix:</em> {{.Remedy}}<br>
<small>{{range $i, $w := .Where}}{{if $i}}; {{end}}<a href="{{$w.Docs}}">{{$w.Check}}</a>{{if $w.ITSystem}} on {{$w.ITSystem}}{{end}} ({{$w.Subject}}){{end}}</small></li>
{{end}}</ul>{{end}}
{{if .Warns}}<h3>Warns ({{.WarnCount}})</h3>
<ul>
{{range .Warns}}<li>{{.Message}}{{if .Remedy}}<br>
<em>Fix:</em> {{.Remedy}}{{end}}<br>
<small>{{range $i, $w := .Where}}{{if $i}}; {{end}}<a href="{{$w.Docs}}">{{$w.Check}}</a>{{if $w.ITSystem}} on {{$w.ITSystem}}{{end}} ({{$w.Subject}}){{end}}</small></li>
{{end}}</ul>{{end}}
{{if .Checked}}{{if not .Error}}<h3>Expires within {{$.Window}} days</h3>
{{if .Expiring}}<ul>
{{range .Expiring}}<li>{{if .Past}}<strong class="fail">{{.Date}} ({{.When}})</strong>{{else}}<strong>{{.Date}}</strong> ({{.When}}){{end}}: {{.Summary}}.<br><small>{{.Detail}}</small></li>
{{end}}</ul>{{else}}<p>Nothing expires within {{$.Window}} days.</p>{{end}}
{{range .Notes}}<p><small>Note: {{.}}</small></p>{{end}}{{end}}{{end}}
{{end}}
</body>
</html>
`))
