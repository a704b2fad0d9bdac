package watch_test

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/golden"
	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/watch"
)

// pageText is the status page as a text browser shows it: blocks on
// lines of their own, list items with a bullet, 80 columns.
func pageText(t *testing.T, page string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	block := map[string]string{"h1": "\n\n", "h2": "\n\n", "h3": "\n\n", "p": "\n\n", "li": "\n  • ", "ul": "\n", "br": "\n    ", "details": "\n", "summary": "\n"}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "head" || n.Data == "style" || n.Data == "script") {
			return
		}
		if n.Type == html.ElementNode {
			b.WriteString(block[n.Data])
		}
		if n.Type == html.TextNode {
			if cur := b.String(); strings.TrimLeft(n.Data, " \n\t") != n.Data && cur != "" && !strings.HasSuffix(cur, " ") && !strings.HasSuffix(cur, "\n") {
				b.WriteString(" ")
			}
			b.WriteString(strings.Join(strings.Fields(n.Data), " "))
			if strings.HasSuffix(n.Data, " ") || strings.HasSuffix(n.Data, "\n") {
				b.WriteString(" ")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	var out []string
	blank := true
	for l := range strings.SplitSeq(b.String(), "\n") {
		l = strings.TrimRight(l, " ")
		if strings.TrimSpace(l) == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		indent := l[:len(l)-len(strings.TrimLeft(l, " •"))]
		for i, w := range strings.Split(words.WrapText(strings.TrimLeft(l, " •"), 80-len([]rune(indent))), "\n") {
			if i > 0 {
				indent = strings.Repeat(" ", len([]rune(indent)))
			}
			out = append(out, indent+w)
		}
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// steady fixes what changes from run to run: times, durations, the
// emulator's folder and port.
func steady(s string) string {
	for _, r := range []struct{ re, with string }{
		{`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC`, "2026-11-28 09:09:15 UTC"},
		{`\(\d+s ago\)`, "(3s ago)"},
		{`took \d+(\.\d+)?(ms|s|µs)`, "took 68ms"},
		{`\d+(\.\d+)?(ms|µs)\b`, "2ms"},
		{`/[^ "]*/(public|private)\.yaml`, "/etc/cprready/profiles/$1.yaml"},
		{`127\.0\.0\.1:\d+`, "127.0.0.1:8443"},
		{`\b20\d\d-\d\d-\d\d\b`, "2027-05-11"},
		{`\b\d\d-\d\d-20\d\d\b`, "11-05-2027"},
	} {
		s = regexp.MustCompile(r.re).ReplaceAllString(s, r.with)
	}
	return s
}

// docs/watch.md shows the status page and the log as a run against the
// emulator refusing the egress address makes them.
func TestWatchDoc(t *testing.T) {
	f := newFixture(t, emulator.Config{}, watch.Config{})
	f.step(t)
	if err := f.srv.SetFaults([]string{emulator.FaultIPNotWhitelisted}); err != nil {
		t.Fatal(err)
	}
	f.logs.Reset()
	f.step(t)
	_, page := f.get(t, "/")
	failing := f.logs.String()
	if err := f.srv.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	f.logs.Reset()
	f.step(t)
	logs := failing + f.logs.String()
	var kept []string
	for l := range strings.SplitSeq(strings.TrimSpace(logs), "\n") {
		if strings.Contains(l, "verdict") || strings.Contains(l, "graphql.protected") && strings.Contains(l, "oauth_shared_secrets") {
			kept = append(kept, regexp.MustCompile(`^time=\S+ `).ReplaceAllString(l, ""))
		}
	}
	text := pageText(t, page)
	if i := strings.Index(text, "NOT READY: private"); i > 0 {
		text = strings.TrimSpace(text[:i]) + "\n\n…"
	}
	golden.Blocks(t, "../docs/watch.md", "watch-", map[string]string{
		"watch-page": steady(text),
		"watch-logs": steady(strings.Join(kept, "\n")),
	})
}
