package diagnose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every paste in testdata/pastes reads as the status and cause its header
// says: curl -i over HTTP/1.1 and HTTP/2, curl -v, devtools copies, client
// errors of Go, Java, .NET and curl, HTML pages, bare headers.
func TestPastes(t *testing.T) {
	files, _ := filepath.Glob("testdata/pastes/*.txt")
	if len(files) < 10 {
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
		text, ok := ExplainBody(strings.NewReader(strings.Join(paste, "\n")))
		if !ok {
			t.Errorf("%s: not explained", f)
			continue
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
