package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/cmdutil"
)

// BenchmarkCheckManyProfiles checks ten profiles in one run against the
// emulator (250 ms server latency) and reports the median wall time over
// that of one profile. Target: at most 1.3.
//
//	go test ./cmd/cprready -run '^$' -bench CheckManyProfiles -benchtime 3x
func BenchmarkCheckManyProfiles(b *testing.B) {
	srv, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: b.TempDir(), Latency: 250 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	raw, err := os.ReadFile(srv.PublicProfile())
	if err != nil {
		b.Fatal(err)
	}
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	var paths []string
	for i := range 10 {
		p := filepath.Join(srv.StateDir(), fmt.Sprintf("kommune-%02d.yaml", i))
		if err := os.WriteFile(p, raw, 0o600); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, p)
	}
	wall := func(profiles []string) time.Duration {
		args := []string{"check", "--no-tui", "--format", "json"}
		for _, p := range profiles {
			args = append(args, "--profile", p)
		}
		std, _, errb := testIO(nil)
		begin := time.Now()
		if code := run(args, std); code != cmdutil.ExitReady {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
		return time.Since(begin)
	}
	var one, ten []time.Duration
	for b.Loop() {
		one = append(one, wall(paths[:1]))
		ten = append(ten, wall(paths))
	}
	slices.Sort(one)
	slices.Sort(ten)
	b.ReportMetric(float64(one[len(one)/2].Milliseconds()), "one-ms")
	b.ReportMetric(float64(ten[len(ten)/2].Milliseconds()), "ten-ms")
	b.ReportMetric(float64(ten[len(ten)/2])/float64(one[len(one)/2]), "ratio")
}
