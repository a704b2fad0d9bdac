package tui

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Every plain-prompt path survives any input: wrong numbers, letters,
// the end of the input; none panics, none saves half a profile.
func TestAccessibleSurvivesAnyInput(t *testing.T) {
	for _, in := range []string{"", "x\n", "3\n", "0\n", "-1\n", "99999999999999999999\n", "1\nK\n", "\n\n\n", "1\n\x00\n", "2\n\n\n\n\n\n\n\n\n\n\n\n\n\n"} {
		path := filepath.Join(t.TempDir(), "p.yaml")
		w := NewWizard(WizardConfig{Path: path, Accessible: true, In: strings.NewReader(in), Out: io.Discard, Now: func() time.Time { return testNow }})
		err := w.RunAccessible()
		if !errors.Is(err, ErrInputEnded) {
			t.Errorf("%q: want ErrInputEnded, got %v", in, err)
		}
		if w.Result().Saved {
			t.Errorf("%q: saved on early EOF", in)
		}
	}
}

// Ctrl-C (ctx cancelled) ends a prompt that is waiting for a line at once.
func TestAccessibleStopsOnInterrupt(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	w := NewWizard(WizardConfig{Path: filepath.Join(t.TempDir(), "p.yaml"), Accessible: true, In: pr, Out: io.Discard})
	done := make(chan error, 1)
	go func() { done <- w.RunAccessibleContext(ctx) }()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("want context.Canceled, got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the prompt kept waiting after Ctrl-C")
	}
}

// A secret typed into a pipe is read as a line, never printed back, even
// when the next prompt rejects what follows.
func TestAccessibleSecretFromAPipeNeverEchoes(t *testing.T) {
	// no keyring: keep typed secrets in protected files
	w, _, out, _ := keyedRun(t, WizardConfig{}, with(cleanScript(), "secret_store", "1", secretKey, "CANARYpipe7Secret"))
	if strings.Contains(out, "CANARYp") || strings.Contains(out, "pipe7Se") {
		t.Fatalf("the secret was printed:\n%s", out)
	}
	if w.cred.SsValue != "CANARYpipe7Secret" {
		t.Fatalf("the secret was not read from the pipe: %q", w.cred.SsValue)
	}
}

func FuzzAccessiblePrompts(f *testing.F) {
	f.Add("1\nEksempel Kommune\n29189846\ny\nn\n1\n")
	f.Add("2\nx\n\n3\n")
	f.Add("\x1b[A\n\x04\n")
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 4096 {
			return
		}
		w := NewWizard(WizardConfig{Path: filepath.Join(t.TempDir(), "p.yaml"), Accessible: true, In: strings.NewReader(in), Out: io.Discard, Now: func() time.Time { return testNow }})
		_ = w.RunAccessible() // must not panic
	})
}

// Without a keyring the user chooses: environment variables (nothing is
// typed, so nothing can be lost) or protected files.
func TestNoKeyringEnvChoice(t *testing.T) {
	script := with(cleanScript(), "secret_store", "2") // environment variables
	delete(script, "it_systems[].credentials.oauth_shared_secrets[].secret")
	dir := t.TempDir()
	w, _, out, err := keyedRun(t, WizardConfig{Path: filepath.Join(dir, "p.yaml")}, script)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !w.Result().Saved {
		t.Fatalf("not saved:\n%s", out)
	}
	ref := w.Profile().ITSystems[0].Credentials.OAuthSharedSecrets[0].Secret.Reference()
	if ref != "env:CPR_BORGERSERVICE_GRAPHQL_SECRET" {
		t.Fatalf("reference %q", ref)
	}
	if _, err := os.Stat(filepath.Join(dir, "secrets")); err == nil {
		t.Fatal("a secret file was written although the user chose environment variables")
	}
}

// toSecretPrompt answers up to the shared secret's prompt, files chosen
// for secrets (no keyring).
func toSecretPrompt() map[string][]string {
	s := with(cleanScript(), "secret_store", "1")
	for _, k := range []string{"secret", "expires"} {
		delete(s, "it_systems[].credentials.oauth_shared_secrets[]."+k)
	}
	return s
}

const secretKey = "it_systems[].credentials.oauth_shared_secrets[].secret"

// "back" at a hidden prompt leaves the step as everywhere else: it never
// becomes the secret.
func TestAccessibleBackAtSecretPrompt(t *testing.T) {
	w, _, out, _ := keyedRun(t, WizardConfig{}, with(toSecretPrompt(), secretKey, "back"))
	if w.cred.SsValue == "back" {
		t.Fatal(`"back" was taken as the secret`)
	}
	if n := strings.Count(out, "== Data access =="); n != 2 {
		t.Fatalf("back did not return to the step before (data access shown %d times):\n%s", n, out)
	}
}

// A required field is required in accessible mode too: an empty answer
// keeps a value, and there is none to keep.
func TestAccessibleRequiredFieldsRefuseEmpty(t *testing.T) {
	_, a, out, _ := keyedRun(t, WizardConfig{}, with(cleanScript(), "secret_store", "1", "contact.first_name", []string{"", "Simon"}))
	if !strings.Contains(out, "first name is required") || len(a.unused()) > 0 {
		t.Fatalf("an empty first name was accepted (unused: %v):\n%s", a.unused(), out)
	}
}

// Accessible prompts say what the full-screen form shows: the field's hint
// and the value an empty answer keeps.
func TestAccessiblePromptsShowHintAndValue(t *testing.T) {
	script := map[string][]string{}
	for _, k := range []string{"organisation.kind", "organisation.name", "organisation.cvr", "organisation.mitid_erhverv", "supplier", "environment", "it_systems", "it_systems[].name"} {
		script[k] = cleanScript()[k][:1]
	}
	_, a, out, _ := keyedRun(t, WizardConfig{}, script)
	if a.starved != "it_systems[].owner_cvr" {
		t.Fatalf("stopped at %q, not the owner's CVR", a.starved)
	}
	for _, want := range []string{"The IT-system must be owned by the authority itself", "(now: 29189846; an empty answer keeps it)"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "✗ organisation.cvr") {
		t.Errorf("a failure was shown before the field was answered:\n%s", out)
	}
}
