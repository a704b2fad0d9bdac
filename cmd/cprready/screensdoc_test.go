package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cprready/cprready/internal/golden"
)

// docs/screens.md's command transcripts are what the commands print now;
// the terminal UI's are TestScreensDoc's (tui). Every transcript in it
// is one of the two.
func TestScreensDocCLI(t *testing.T) {
	// The commands as a newcomer types them in the repository, on a copy
	// of the example as a checkout leaves it (mode 0644, which
	// cred.storage names), whatever the umask here.
	findings, err := os.ReadFile("../../examples/findings.yaml")
	if err != nil {
		t.Fatal(err)
	}
	paste, err := os.ReadFile("../../checks/diagnose/testdata/pastes/http2-daf-auth-0005.txt")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := filepath.Abs("../../docs/screens.md")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	copied := filepath.Join(root, "examples", "findings.yaml")
	if err := os.MkdirAll(filepath.Dir(copied), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copied, findings, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(copied, 0o644); err != nil { // #nosec G302 -- as a checkout leaves it
		t.Fatal(err)
	}
	t.Chdir(root)
	std, out, _ := testIO(nil)
	if code := run([]string{"check", "--offline", "--no-tui", "--profile", "examples/findings.yaml", "--at", "2026-12-01"}, std); code != 1 {
		t.Fatalf("check exit %d:\n%s", code, out)
	}
	summary := out.String()
	var body []string
	for l := range strings.SplitSeq(string(paste), "\n") {
		if !strings.HasPrefix(l, "# ") {
			body = append(body, l)
		}
	}
	std, out, errb := testIO(nil)
	std.in = strings.NewReader(strings.Join(body, "\n"))
	if code := run([]string{"explain", "-"}, std); code != 0 {
		t.Fatalf("explain - exit %d: %s", code, errb)
	}
	golden.Blocks(t, doc, "cli-", map[string]string{
		"cli-check-summary": summary,
		"cli-explain-paste": out.String(),
	})
	for _, name := range golden.TranscriptNames(t, doc) {
		if !strings.HasPrefix(name, "cli-") && !strings.HasPrefix(name, "tui-") {
			t.Errorf("docs/screens.md: transcript %q is made by no test (names start with cli- or tui-)", name)
		}
	}
}
