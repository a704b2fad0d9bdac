package checks_test

import (
	"strings"
	"testing"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/golden"
)

// Every check's explain page, as `cprready explain ID` prints it, and the
// list `cprready explain --list` prints.
func TestExplainGolden(t *testing.T) {
	var b strings.Builder
	for _, c := range checks.Registry() {
		b.WriteString(c.Explain())
		b.WriteString("\n")
	}
	golden.Check(t, "explain.golden", []byte(b.String()))
	var l strings.Builder
	checks.WriteList(&l)
	golden.Check(t, "explain-list.golden", []byte(l.String()))
}

// A typo gets the closest ID; an unknown area gets the list of areas.
func TestNearIDs(t *testing.T) {
	if got := checks.NearIDs("ip.prefix-rnage"); len(got) != 1 || got[0] != "ip.prefix-range" {
		t.Fatalf("NearIDs(typo) = %v", got)
	}
	if got := checks.NearIDs("zzz.qqq"); len(got) < 5 || !strings.HasSuffix(got[0], ".*") {
		t.Fatalf("NearIDs(unknown) = %v", got)
	}
}
