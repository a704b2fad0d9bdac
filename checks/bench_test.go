package checks_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/live"
	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/profile"
)

// BenchmarkLiveCriticalPath runs the whole check against the emulator with
// 250 ms of server-side latency on every response and reports the median
// wall time divided by two latencies (the critical path: token, then
// query). Target: at most 1.25.
//
//	go test ./checks -run '^$' -bench LiveCriticalPath -benchtime 10x
func BenchmarkLiveCriticalPath(b *testing.B) {
	const latency = 250 * time.Millisecond
	srv, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: b.TempDir(), Latency: latency})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	var walls []time.Duration
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		p, err := profile.Load(srv.PublicProfile()) // fresh secrets and certificates each run, as the CLI does
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		begin := time.Now()
		rep, err := checks.Evaluate(context.Background(), p, checks.Options{Prober: live.New(live.Options{})}, profile.DefaultResolver(p))
		walls = append(walls, time.Since(begin))
		if err != nil || !rep.Ready {
			b.Fatalf("not ready: %v %+v", err, rep.Summary)
		}
	}
	slices.Sort(walls)
	median := walls[len(walls)/2]
	b.ReportMetric(float64(median.Milliseconds()), "median-ms")
	b.ReportMetric(float64(median)/float64(2*latency), "ratio")
}
