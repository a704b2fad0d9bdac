package redact

import (
	"errors"
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
		out := r.String(s)
		if strings.Contains(out, canary) || strings.Contains(out, url.QueryEscape(canary)) {
			t.Errorf("leak in %q", out)
		}
		if !strings.Contains(out, Mask) {
			t.Errorf("no mask in %q", out)
		}
	}
	if r.String("abc stays") != "abc stays" {
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
		out := r.String(URLsIn(text + secret))
		if len(secret) >= MinLen && strings.Contains(out, secret) {
			// A mask that itself contains the secret ("REDA") is the one allowed case.
			if !strings.Contains(Mask, secret) {
				t.Fatalf("secret %q survived in %q", secret, out)
			}
		}
	})
}
