package words

import (
	"testing"
	"unicode/utf8"
)

func TestJoinAnd(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a and b"}, {[]string{"a", "b", "c"}, "a, b and c"}} {
		if got := JoinAnd(c.in); got != c.want {
			t.Errorf("JoinAnd(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLimitNeverSplitsACharacter(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want string
	}{{"Forældremyndighed", 5, "Foræ…"}, {"kort", 10, "kort"}, {"ææææ", 3, "ææ…"}, {"x", 0, ""}, {"日本語テキスト", 5, "日本…"}} {
		got := Limit(c.in, c.w)
		if got != c.want || !utf8.ValidString(got) {
			t.Errorf("Limit(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}

func TestClosest(t *testing.T) {
	ids := []string{"ip.prefix-range", "ip.public", "org.cvr", "it_systems", "data_access"}
	for _, c := range []struct{ in, want string }{
		{"ip.prefix-rnage", "ip.prefix-range"}, {"prefix-range", "ip.prefix-range"}, {"ORG.CVR", "org.cvr"},
		{"data-access", "data_access"}, {"something else entirely", ""}, {"", ""},
	} {
		if got := Closest(c.in, ids); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPlural(t *testing.T) {
	if Plural(1, "profile") != "1 profile" || Plural(3, "profile") != "3 profiles" || Plural(0, "profile") != "0 profiles" {
		t.Fatal("Plural")
	}
}
