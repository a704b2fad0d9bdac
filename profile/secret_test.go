package profile

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const canary = "CANARY-9f8e7d6c5b4a"

func TestSecretNeverPrints(t *testing.T) {
	s := LiteralSecret(canary)
	type holder struct {
		S Secret
		P *Secret
	}
	h := holder{S: s, P: &s}
	outs := []string{
		fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x %X %d", s, s, s, s, s, s, s, s),
		fmt.Sprintf("%v %+v %#v", h, h, &h), s.String(), s.GoString(),
	}
	b, _ := json.Marshal(h)
	outs = append(outs, string(b))
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "secret", s, "holder", h)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "secret", s)
	outs = append(outs, buf.String())
	for _, o := range outs {
		if strings.Contains(o, canary) {
			t.Fatalf("secret printed: %s", o)
		}
	}
	if v, err := s.Reveal(); err != nil || v != canary {
		t.Fatal("Reveal must give the value")
	}
}

func TestSecretResolveErrorsNameTheReference(t *testing.T) {
	r := Resolver{LookupEnv: func(string) (string, bool) { return "", false }}
	s := NewSecret("env:CPR_API_KEY")
	err := s.Resolve(context.Background(), r)
	if err == nil || !strings.Contains(err.Error(), "CPR_API_KEY") {
		t.Fatalf("got %v", err)
	}
	if _, err := s.Reveal(); err == nil {
		t.Fatal("unresolved secret revealed")
	}
}

func TestKeyringResolve(t *testing.T) {
	kr := func(_ context.Context, service, account string) (string, error) {
		if service == "cprready" && account == "borgerservice" {
			return canary, nil
		}
		return "", errors.New("no entry")
	}
	s := NewSecret("keyring:cprready/borgerservice")
	if err := s.Resolve(context.Background(), Resolver{Keyring: kr}); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Reveal(); v != canary {
		t.Fatal("wrong value")
	}
	slow := func(ctx context.Context, _, _ string) (string, error) {
		<-ctx.Done()
		return "", ctx.Err()
	}
	s2 := NewSecret("keyring:cprready/slow")
	if err := s2.Resolve(context.Background(), Resolver{Keyring: slow, Timeout: 10}); err == nil {
		t.Fatal("a keyring that never answers must time out")
	}
}

func TestSecretKinds(t *testing.T) {
	for ref, kind := range map[string]string{"env:X": KindEnv, "keyring:a/b": KindKeyring, "file:x": KindFile, "abc": KindLiteral, "": ""} {
		if got := NewSecret(ref).Kind(); got != kind {
			t.Errorf("%q: %q want %q", ref, got, kind)
		}
	}
	if NewSecret("plain-secret").Reference() == "plain-secret" {
		t.Fatal("Reference must not show a literal")
	}
}

func TestOnResolveHearsValues(t *testing.T) {
	var heard []string
	r := Resolver{LookupEnv: func(string) (string, bool) { return canary, true }, OnResolve: func(v string) { heard = append(heard, v) }}
	s := NewSecret("env:X")
	if err := s.Resolve(context.Background(), r); err != nil || len(heard) != 1 || heard[0] != canary {
		t.Fatalf("%v %v", err, heard)
	}
}
