package redact

import (
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// Passwords people choose, and words of cprready's own outputs.
var wordSecrets = []string{"test", "pass", "secret", "access", "cprready", "graphql-test", "1111", "Kommune2026!", "status", "testsuites", "password"}

// The tool's own sentences are never masked, whatever the secrets.
func TestToolTextNeverMaskedByWordSecrets(t *testing.T) {
	tool := []string{
		"Apply for data access to CustomPublicSectorPerson; the test environment has its own secret",
		`{"id":"graphql.protected","status":"pass","secrets_scanned":3}`,
		"store it without quotes, spaces or line breaks",
		"cprready_build_info 1111 #aa1111dd",
		"Your password is kept as a secret reference (env:, file:, keyring:)",
	}
	for _, sec := range wordSecrets {
		r := New(sec)
		for _, s := range tool {
			if got := r.Value(s); got != s {
				t.Errorf("secret %q changed the tool's text:\n got %q\nwant %q", sec, got, s)
			}
		}
	}
}

// The same secrets are masked in outside text: whole words (short ones),
// anywhere (8 characters or more); in server text case-folded too.
func TestOutsideTextMasked(t *testing.T) {
	for _, sec := range wordSecrets {
		r := New(sec)
		local := r.Value(fmt.Sprintf("the file says %s.", Local("value "+sec+" end")))
		if strings.Contains(local, sec) || !strings.Contains(local, Mask) {
			t.Errorf("%q: local text not masked: %q", sec, local)
		}
		srv := r.Value(fmt.Sprintf("the server answered %q", Server(`{"echo":"`+strings.ToUpper(sec)+`"}`)))
		if strings.Contains(strings.ToLower(srv), strings.ToLower(sec)) {
			t.Errorf("%q: upper-cased echo not masked: %q", sec, srv)
		}
		if hasMarks(local) || hasMarks(srv) {
			t.Errorf("marks left: %q %q", local, srv)
		}
	}
	// A short secret inside a longer word is that word, not the secret.
	r := New("test")
	if got := r.Value(fmt.Sprint(Local("testsuites attested"))); got != "testsuites attested" {
		t.Errorf("a short secret masked inside words: %q", got)
	}
	if got := r.Value(fmt.Sprint(Local("a test, (test) test."))); strings.Contains(got, "test") {
		t.Errorf("a short secret as a word is not masked: %q", got)
	}
}

// A long secret is masked everywhere, marked or not, and so is a long
// piece of it.
func TestLongSecretsMaskedEverywhere(t *testing.T) {
	const key = "Zq9xW3vB7kLm2Pr5Tn8Ys4Hd6Jf1Gc0"
	r := New(key)
	for _, s := range []string{"key " + key, "piece " + key[3:21] + " cut"} {
		if got := r.Value(s); strings.Contains(got, key[5:18]) {
			t.Errorf("tool text kept a long secret: %q", got)
		}
	}
	// A piece shorter than LongLen is ordinary-looking text in the tool's
	// words, but not in a server's.
	piece := key[4:12]
	if got := r.Value("x " + piece + " y"); got != "x "+piece+" y" {
		t.Errorf("short piece masked in tool text: %q", got)
	}
	if got := r.Value(Server("x " + piece + " y").String()); strings.Contains(got, piece) {
		t.Errorf("short piece kept in server text: %q", got)
	}
}

// A server that echoes the secret in another case or encoding is masked.
func TestServerEchoForms(t *testing.T) {
	const sec = "Hemmelig-Kode-2026!"
	r := New(sec)
	forms := map[string]string{
		"upper":  strings.ToUpper(sec),
		"lower":  strings.ToLower(sec),
		"hex":    hex.EncodeToString([]byte(sec)),
		"HEX":    strings.ToUpper(hex.EncodeToString([]byte(sec))),
		"pct":    percentAll(sec),
		"PCT":    strings.ToUpper(percentAll(sec)),
		"u":      unicodeEscaped(sec),
		"U":      strings.ToUpper(unicodeEscaped(sec)),
		"b32":    base32.StdEncoding.EncodeToString([]byte(sec)),
		"b32hex": base32.HexEncoding.EncodeToString([]byte("xy" + sec)),
		"b32low": strings.ToLower(base32.StdEncoding.EncodeToString([]byte("abc=" + sec + "&z"))),
	}
	for name, f := range forms {
		got := r.Value(fmt.Sprintf("evidence: %s", Server(`{"detail":"`+f+`"}`)))
		if !strings.Contains(got, Mask) {
			t.Errorf("%s echo not masked: %q", name, got)
		}
		if r.Contains(got) {
			t.Errorf("%s: a form survived: %q", name, got)
		}
	}
}

// Masking keeps a JSON string value a JSON string value: Mask holds no
// quote, backslash or control character, and marks never survive.
func TestMaskIsSyntaxSafe(t *testing.T) {
	if strings.ContainsAny(Mask, "\"\\<>&'\n{}=,") {
		t.Fatalf("Mask %q would break a format", Mask)
	}
	r := New(`quo"te\back`)
	got := r.Value(Server(`say "quo\"te\\back"`).String())
	if hasMarks(got) || strings.Contains(got, `quo\"te`) {
		t.Fatalf("%q", got)
	}
}

// Marks: nested, unclosed, stray; formatting with %q; nothing survives.
func TestMarks(t *testing.T) {
	r := New("Borger99")
	s := fmt.Sprintf("a %q b %v %s", Local("Borger99"), Server("x Borger99"), Local("c"+closeMark+"Borger99"))
	got := r.Value(s)
	if strings.Contains(got, "Borger99") || hasMarks(got) {
		t.Fatalf("%q", got)
	}
	if got := r.Value("tool " + openServer + "unclosed Borger99"); strings.Contains(got, "Borger99") || hasMarks(got) {
		t.Fatalf("unclosed: %q", got)
	}
	if got := r.Value("stray" + closeMark + " end"); got != "stray end" {
		t.Fatalf("stray: %q", got)
	}
	if got := (*Redactor)(nil).Value(Local("x").String()); got != "x" {
		t.Fatalf("nil gate: %q", got)
	}
}

// FuzzGate: whatever the text and the secret, a secret echoed by a
// server never survives, marks never survive, and text without secrets,
// marks or URLs is unchanged.
func FuzzGate(f *testing.F) {
	f.Add("plain text", "secret-value", uint8(0))
	f.Add(`{"a":"b"}`, "test", uint8(1))
	f.Add("Ünïcödé ✓", "Kommune2026!", uint8(2))
	f.Fuzz(func(t *testing.T, text, secret string, how uint8) {
		if !utf8.ValidString(secret) || strings.TrimSpace(secret) != secret || strings.Contains(Mask, secret) {
			return
		}
		r := New(secret)
		var echo string
		switch how % 3 {
		case 0:
			echo = secret
		case 1:
			echo = strings.ToUpper(secret)
		default:
			echo = hex.EncodeToString([]byte(secret))
		}
		// A short secret is a word: it is masked where it stands as one.
		out := r.Value(fmt.Sprint("tool: ", Server(text+" "+echo+" "+text)))
		if hasMarks(out) {
			t.Fatalf("marks survived: %q", out)
		}
		if len(secret) >= MinLen && strings.Contains(out, secret) && (len(secret) >= WordLen || strings.Contains(" "+StripMarks(out)+" ", " "+secret+" ")) {
			t.Fatalf("secret %q survived in %q", secret, out)
		}
		if !hasMarks(text) && !strings.Contains(strings.ToLower(text), "http") && !strings.Contains(strings.ToLower(text), strings.ToLower(secret)) {
			if got := New().Value(text); got != text {
				t.Fatalf("text changed without a secret: %q -> %q", text, got)
			}
		}
	})
}

// Random secrets never change the tool's text either.
func TestRandomSecretsLeaveToolText(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!."
	text := "READY  public authority: every check passed; graphql.protected, cred.secret-hygiene, oauth.token"
	for range 2000 {
		n := 4 + rng.IntN(40)
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if strings.Contains(text, string(b)) {
			continue
		}
		if got := New(string(b)).Value(text); got != text {
			t.Fatalf("secret %q changed %q", b, got)
		}
	}
}
