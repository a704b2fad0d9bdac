package golden

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// A transcript in a document is a fenced code block right after a marker
// line naming it:
//
//	<!-- transcript: NAME (how it is made) -->
//	```
//	…what the tool printed…
//	```
var transcriptRe = regexp.MustCompile("(?m)^<!-- transcript: ([a-z0-9-]+)[^\n]*-->\n```[a-z]*\n((?s:.*?))```\n")

// Blocks holds the transcripts of the document at path whose names start
// with prefix (one test's: tui-, cli-) to what the tool prints now (got,
// by name), or rewrites them with -update; the prose around them is the
// document's own. A transcript with the prefix that the test does not
// make, or one it makes that the document lacks, fails; TranscriptNames
// lets a test hold every name to a known prefix.
func Blocks(t *testing.T, path, prefix string, got map[string]string) {
	t.Helper()
	raw, err := os.ReadFile(path) // #nosec G304 -- a document of the repository
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	var seen []string
	var stale []string
	out := transcriptRe.ReplaceAllStringFunc(doc, func(m string) string {
		sub := transcriptRe.FindStringSubmatch(m)
		name, body := sub[1], sub[2]
		if !strings.HasPrefix(name, prefix) {
			return m
		}
		seen = append(seen, name)
		want, ok := got[name]
		if !ok {
			t.Errorf("%s: transcript %q is made by no test", path, name)
			return m
		}
		want = strings.TrimRight(want, "\n") + "\n"
		if strings.Contains("\n"+want, "\n```") {
			t.Errorf("%s: transcript %q holds a ``` line, which would end its block", path, name)
			return m
		}
		if body != want {
			stale = append(stale, name)
		}
		return m[:len(m)-len(body)-len("```\n")] + want + "```\n"
	})
	for name := range got {
		if !slices.Contains(seen, name) {
			t.Errorf("%s has no transcript %q (a line <!-- transcript: %s --> before a fenced block)", path, name, name)
		}
	}
	if len(stale) == 0 {
		return
	}
	if Updating() {
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil { // #nosec G306 G703 -- documentation in the repository, named by the test
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: transcripts %v differ from what the tool prints now (after a deliberate change: go test -run '^%s$' -update)", path, stale, t.Name())
}

// TranscriptNames are the names of the document's transcripts.
func TranscriptNames(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path) // #nosec G304 -- a document of the repository
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range transcriptRe.FindAllStringSubmatch(string(raw), -1) {
		names = append(names, m[1])
	}
	return names
}
