package redact

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const canary = "CANARY-s3cr3t/+=&value"

func TestRedactorForms(t *testing.T) {
	r := New(canary, "abc") // "abc" is below MinLen and ignored
	for _, s := range []string{
		"plain " + canary,
		"query apiKey=" + url.QueryEscape(canary),
		`json "` + strings.ReplaceAll(canary, "/", `/`) + `"`,
	} {
		out := r.Server(s)
		if strings.Contains(out, canary) || strings.Contains(out, url.QueryEscape(canary)) {
			t.Errorf("leak in %q", out)
		}
		if !strings.Contains(out, Mask) {
			t.Errorf("no mask in %q", out)
		}
	}
	if r.Server("abc stays") != "abc stays" {
		t.Error("short value must not be replaced")
	}
}

func TestURLMasksAPIKeyAnyCase(t *testing.T) {
	for _, raw := range []string{
		"https://graphql.datafordeler.dk/CPR/v1/schema?apiKey=SECRETKEY1",
		"https://graphql.datafordeler.dk/CPR/v1/schema?APIKEY=SECRETKEY1&x=1",
		"https://user:SECRETKEY1@host/p?apikey=SECRETKEY1",
	} {
		got := URLString(raw)
		if strings.Contains(got, "SECRETKEY1") {
			t.Errorf("%s -> %s leaks", raw, got)
		}
	}
	if got := URLString("https://h/p?x=1&apiKey=K1234"); !strings.Contains(got, "x=1") {
		t.Errorf("other params lost: %s", got)
	}
}

func TestErrorRedactsURLError(t *testing.T) {
	resp, err := http.Get("http://127.0.0.1:1/schema?apiKey=SECRETKEY2") // connection refused on loopback
	if resp != nil {
		_ = resp.Body.Close()
	}
	if err == nil {
		t.Skip("port 1 answered")
	}
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Fatalf("expected *url.Error, got %T", err)
	}
	got := New().Error(err)
	if strings.Contains(got, "SECRETKEY2") {
		t.Fatalf("leak: %s", got)
	}
}

func FuzzRedact(f *testing.F) {
	f.Add("https://h/?apiKey=abcd", "abcd")
	f.Add("no url", "secret-value")
	f.Fuzz(func(t *testing.T, text, secret string) {
		r := New(secret)
		out := r.Value(fmt.Sprintf("%s", Server(URLsIn(text+secret))))
		if len(secret) >= MinLen && strings.Contains(out, secret) {
			// A mask that itself contains the secret ("REDA") is the one allowed case.
			if !strings.Contains(Mask, secret) {
				t.Fatalf("secret %q survived in %q", secret, out)
			}
		}
	})
}

// BenchmarkRedactN50 redacts a report-sized text (one row per secret, as
// a profile of 50 IT-systems gives) with 50 registered secrets: one pass
// over the text whatever the number of secrets.
//
//	go test ./internal/redact -run '^$' -bench Redact -benchmem
func BenchmarkRedactN50(b *testing.B) {
	for _, n := range []int{1, 50, 1000} {
		b.Run(fmt.Sprintf("secrets=%d", n), func(b *testing.B) {
			r := New()
			var text strings.Builder
			for i := range n {
				r.Add(fmt.Sprintf("Sx%02dq7Kx9Lm2Np4Rt6Vw8Yb0Dc3Fg5Hj", i))
				fmt.Fprintf(&text, `{"id":"cred.storage","subject":"it_systems[%d].credentials.oauth_shared_secrets[0]","message":"OAuth Shared Secret \"Borgerservice\": secret is read from file:secrets/public-secret","docs":"https://github.com/cprready/cprready/blob/main/docs/checks.md#credstorage","evidence":{"kind":"file"}}`+"\n", i)
			}
			for text.Len() < 1<<20 {
				text.WriteString(`{"id":"org.cvr","status":"pass","message":"organisation.cvr 29189846 is a valid CVR number"}` + "\n")
			}
			s := text.String()
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				_ = r.Value(s)
			}
		})
	}
}

// A child masks its parent's secrets and its own; its own never reach
// the parent.
func TestChild(t *testing.T) {
	parent := New("parent-secret-value")
	child := parent.Child()
	child.Add("run-token-abcdefgh")
	got := child.Server("a parent-secret-value and run-token-abcdefgh")
	if strings.Contains(got, "parent-secret") || strings.Contains(got, "run-token") {
		t.Fatalf("child left a secret: %q", got)
	}
	if !child.Contains("xx parent-secret-value") || !child.Contains("run-token-abcdefgh") {
		t.Fatal("Contains misses a secret")
	}
	if parent.Contains("run-token-abcdefgh") || strings.Contains(parent.String("run-token-abcdefgh"), Mask) {
		t.Fatal("the child's value reached the parent")
	}
	parent.Add("added-later-to-parent")
	if strings.Contains(child.String("added-later-to-parent"), "added-later") {
		t.Fatal("a value added to the parent later is not masked by the child")
	}
}

// A secret echoed inside a base64-encoded form body, at any offset, is
// masked. (Not hex or another case: their 7-character pieces would match
// ordinary hashes and words, and refuse honest bundles.)
func TestEncodedEchoesAtAnyOffset(t *testing.T) {
	const secret = "Zq9xW3vB7kLm2Pr5Tn8Ys4Hd6Jf1Gc0"
	r := New(secret)
	for pre := range 7 {
		body := strings.Repeat("x", pre) + "client_id=f718d0bd&client_secret=" + secret + "&grant_type=client_credentials"
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding} {
			out := r.Value(fmt.Sprint("got: ", Server(enc.EncodeToString([]byte(body)))))
			dec, _ := enc.DecodeString(strings.TrimPrefix(strings.ReplaceAll(out, Mask, ""), "got: "))
			if strings.Contains(string(dec), secret[:PieceLen]) || !strings.Contains(out, Mask) {
				t.Fatalf("prefix %d: base64 echo not masked: %s", pre, out)
			}
		}
	}
	plus := New("Pl1+Us2+Se3+Cr4")
	if out := plus.String("kommune-Pl1&#43;Us2&#43;Se3&#43;Cr4"); strings.Contains(out, "Us2&#43;Se3") {
		t.Fatalf("html/template's form not masked: %s", out)
	}
}
