package textsafe

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{"red \x1b[31mtext\x1b[0m", "red text"},
		{"title \x1b]0;pwned\x07end", "title end"},
		{"link \x1b]8;;http://evil\x1b\\x\x1b]8;;\x1b\\", "link x"},
		{"bell\x07 nul\x00 del\x7f", "bell nul del"},
		{"multi\nline\ttab", "multi line tab"},
		{"bidi \u202egnp.exe", "bidi gnp.exe"},
		{"8bit \u009b31mred", "8bit red"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"Sørensen æøå", "Sørensen æøå"},
	}
	for _, c := range cases {
		if got := Clean(c.in, 0); got != c.want {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCleanCaps(t *testing.T) {
	got := Clean(strings.Repeat("æ", 100), 10)
	if utf8.RuneCountInString(got) != 11 || !strings.HasSuffix(got, "…") {
		t.Fatalf("cap: got %q", got)
	}
}

func TestMultilineKeepsNewlines(t *testing.T) {
	if got := Multiline("a\x1b[1m\nb\r\nc", 0); got != "a\nb\nc" {
		t.Fatalf("got %q", got)
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"\x1b[31m", "\x1b]0;x\x07", "\x1bP..\x1b\\", "\u009b1m", "abc\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s, 64)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid utf8 out of %q", s)
		}
		for _, r := range out {
			if r == 0x1b || (unicode.IsControl(r)) {
				t.Fatalf("control %U left in %q (from %q)", r, out, s)
			}
		}
		if utf8.RuneCountInString(out) > 65 {
			t.Fatalf("cap not honoured: %d", utf8.RuneCountInString(out))
		}
	})
}
