package gql_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/platform"
)

// fanOut is a ~1 KB query whose fragment i spreads fragment i-1 twice:
// 2^n fields once spread.
func fanOut(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query Q {\n  ...F%d\n}\nfragment F0 on Query { __typename }\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i-1, i-1)
	}
	return b.String()
}

// Validation is bounded in work, not only in depth: a fan-out of 2^24
// fields, and one field repeated 10,000 times, are refused with the cap
// named at the operation's line and column; real queries (the largest in
// the evidence corpus selects 109 fields) never meet either cap.
func TestValidationWorkIsBounded(t *testing.T) {
	s, err := platform.Schema(platform.Public, "v1")
	if err != nil {
		t.Fatal(err)
	}
	for name, q := range map[string]string{
		"fan-out":  fanOut(24),
		"deep":     "query Q {\n" + strings.Repeat("...on Query { ", 20) + "__typename" + strings.Repeat(" }", 20) + "\n}",
		"repeated": "query Q {\n  " + strings.Repeat("__typename ", 10_000) + "\n}",
	} {
		r := gql.Check(context.Background(), s, q, nil)
		if name == "deep" {
			if len(r.Problems) != 0 {
				t.Errorf("%s: a small nested query was refused: %v", name, r.Problems)
			}
			continue
		}
		if len(r.Problems) != 1 || r.Problems[0].Line != 1 || r.Problems[0].Column != 1 ||
			!strings.Contains(r.Problems[0].Message, "10000") && !strings.Contains(r.Problems[0].Message, "at most 100") {
			t.Errorf("%s: want one problem naming the cap at the operation (1:1), got %v", name, r.Problems)
		}
	}
	// Just under the visits cap, with no field repeated beyond the
	// other: accepted.
	var b strings.Builder
	b.WriteString("query {\n")
	for i := range 90 {
		fmt.Fprintf(&b, "  a%d: __typename\n", i)
	}
	b.WriteString("}")
	if r := gql.Check(context.Background(), s, b.String(), nil); len(r.Problems) != 90 || !strings.Contains(r.Problems[0].Message, "alias") {
		t.Errorf("a wide query met a cap instead of the platform's rules: %v", r.Problems[:min(3, len(r.Problems))])
	}
}

// A cancelled run stops validating: --timeout, SIGTERM and watch's
// per-run bound hold.
func TestValidationStopsWithItsContext(t *testing.T) {
	s, _ := platform.Schema(platform.Public, "v1")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := gql.Check(ctx, s, "{ __typename }", nil)
	if len(r.Problems) != 1 || !strings.Contains(r.Problems[0].Message, "validation stopped") {
		t.Fatalf("got %v", r.Problems)
	}
}

// go test ./gql -run '^$' -bench Validate -benchmem
func BenchmarkValidateFanOut(b *testing.B) {
	s, _ := platform.Schema(platform.Public, "v1")
	for _, n := range []int{13, 24} {
		q := fanOut(n)
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			for b.Loop() {
				_ = gql.Check(context.Background(), s, q, nil)
			}
		})
	}
	flat := "{ " + strings.Repeat("__typename ", 100) + "}"
	b.Run("repeats=100", func(b *testing.B) {
		for b.Loop() {
			_ = gql.Check(context.Background(), s, flat, nil)
		}
	})
}
