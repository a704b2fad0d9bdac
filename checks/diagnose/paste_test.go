package diagnose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every paste in testdata/pastes reads as the status and cause its header
// says: curl -i/-v with the command line, HTTPie, Postman and Insomnia
// consoles, devtools copies and HAR, exceptions of Java (Spring, java.net,
// PKIX), .NET, Python (requests, httpx), PowerShell 5 and 7, Node (axios,
// fetch), Go (x/oauth2), HTML pages, bare headers. expect-masked is a
// secret in the paste that the explanation must not repeat; expect-text
// a phrase it must hold; expect-cause none a paste with nothing to read.
func TestPastes(t *testing.T) {
	files, _ := filepath.Glob("testdata/pastes/*.txt")
	if len(files) < 40 {
		t.Fatalf("paste corpus missing: %d files", len(files))
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var paste []string
		want := map[string]string{}
		for line := range strings.SplitSeq(string(raw), "\n") {
			if k, v, ok := strings.Cut(strings.TrimPrefix(line, "# "), ": "); ok && strings.HasPrefix(line, "# expect-") {
				want[strings.TrimPrefix(k, "expect-")] = v
				continue
			}
			if strings.HasPrefix(line, "# ") {
				continue
			}
			paste = append(paste, line)
		}
		if want["cause"] == "" {
			t.Errorf("%s: no expect-cause", f)
		}
		text, ok := ExplainBody(strings.NewReader(strings.Join(paste, "\n")))
		if want["cause"] == "none" {
			if ok || text != NotRecognised {
				t.Errorf("%s: a paste with nothing to read was explained:\n%s", f, text)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: not explained:\n%s", f, text)
			continue
		}
		if m := want["masked"]; m != "" && strings.Contains(text, m) {
			t.Errorf("%s: the explanation repeats a secret of the paste:\n%s", f, text)
		}
		if x := want["text"]; x != "" && !strings.Contains(text, x) {
			t.Errorf("%s: lacks %q:\n%s", f, x, text)
		}
		if strings.Contains(text, "probably answered") || (strings.Contains(text, "A proxy answered") && want["cause"] != "proxy") {
			t.Errorf("%s: blames a proxy without its signs:\n%s", f, text)
		}
		if c := want["cause"]; !strings.Contains(text, "cause "+c) {
			t.Errorf("%s: want cause %s:\n%s", f, c, text)
		}
		if s := want["status"]; s != "" && !strings.Contains(text, "HTTP "+s) {
			t.Errorf("%s: want HTTP %s:\n%s", f, s, text)
		}
		if strings.Contains(text, "no addresses") || strings.Contains(text, "whitelist of the IT-system:") {
			t.Errorf("%s: invents a whitelist:\n%s", f, text)
		}
	}
	if _, ok := ExplainBody(strings.NewReader("  \n\n")); ok {
		t.Error("an empty paste must not be explained")
	}
}

func FuzzReadPaste(f *testing.F) {
	files, _ := filepath.Glob("testdata/pastes/*.txt")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(string(b))
	}
	f.Add("HTTP/2 200\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		p := ReadPaste(s)
		if p.Status != 0 && (p.Status < 100 || p.Status > 999) {
			t.Fatalf("status %d", p.Status)
		}
		_, _ = ExplainBody(strings.NewReader(s))
	})
}
