//go:build !windows

package fsutil

import (
	"os"
	"strings"
	"testing"
)

func shareWithOthers(t *testing.T, path string) {
	t.Helper()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
}

func wantSharedFinding(t *testing.T, pv Privacy) {
	t.Helper()
	if pv.Readers != "other users (mode 0644)" || !strings.HasPrefix(pv.Fix, "Run: chmod 600 ") || pv.Evidence["mode"] != "0644" {
		t.Fatalf("%+v", pv)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"examples/public.yaml": "examples/public.yaml",
		"my profile.yaml":      "'my profile.yaml'",
		"it's.yaml":            `'it'\''s.yaml'`,
		"":                     "''",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
