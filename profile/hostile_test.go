package profile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const yamlCanary = "CANARYs3cretValue9Q"

// YAML errors quote scalars; a secret that starts with *, >, | or & must
// never be echoed, nor any piece of it.
func TestLoadErrorsNeverQuoteASecret(t *testing.T) {
	for _, lead := range []string{"*", ">", "|", "&", "!", "%", "@", "`", "[", "{"} {
		for _, field := range []string{"key", "secret", "password"} {
			y := fmt.Sprintf("version: 1\nit_systems:\n  - name: x\n    credentials:\n      api_keys:\n        - %s: %s%s\n", field, lead, yamlCanary)
			_, err := Parse([]byte(y), "p.yaml")
			if err == nil {
				continue
			}
			if strings.Contains(err.Error(), yamlCanary[:7]) || strings.Contains(err.Error(), yamlCanary[5:12]) {
				t.Errorf("%s %q: the secret leaked: %v", field, lead, err)
			}
		}
	}
}

func TestLoadErrorsAreTerminalSafe(t *testing.T) {
	y := "version: 1\norganisation:\n  \"na\\e]52;c;cHduZWQ=\\ame\": x\n"
	_, err := Parse([]byte(y), "p.yaml")
	if err == nil {
		t.Fatal("want an unknown-key error")
	}
	if strings.ContainsAny(err.Error(), "\x1b\x07") {
		t.Fatalf("escape reached the error: %q", err.Error())
	}
}

func TestBOMIsNotContent(t *testing.T) {
	p, err := Parse([]byte("\ufeffversion: 1\nenvironment: prod\n"), "p.yaml")
	if err != nil || p.Environment != "prod" {
		t.Fatalf("a BOM must not break the profile: %v", err)
	}
}

func TestAliasAmplificationIsRefusedQuickly(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nit_systems:\n  - &s0\n    name: a\n    ip_whitelist:\n")
	for i := range 200 {
		fmt.Fprintf(&b, "      - address: 80.62.%d.%d\n        range: 32\n", i/250, i%250)
	}
	for range 2000 {
		b.WriteString("  - *s0\n")
	}
	start := time.Now()
	_, err := Parse([]byte(b.String()), "bomb.yaml")
	if err == nil || !strings.Contains(err.Error(), "aliases") {
		t.Fatalf("want an alias-expansion error, got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %s", d)
	}
	// A few aliases of a small anchor are fine.
	ok := "version: 1\nit_systems:\n  - name: a\n    ip_whitelist: &wl\n      - address: 80.62.117.23\n        range: 32\n  - name: b\n    ip_whitelist: *wl\n"
	if _, err := Parse([]byte(ok), "ok.yaml"); err != nil {
		t.Fatalf("a small alias must load: %v", err)
	}
}

// A device, a directory or an oversized file as a file: secret fails at
// once, never blocks and never reads more than MaxSecretFile bytes; a
// directory as the profile says so.
func TestNoHangOnDevicesAndDirectories(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, make([]byte, MaxSecretFile+1), 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	for _, ref := range []string{"file:" + zeroDevice, "file:" + dir, "file:" + big} {
		s := NewSecret(ref)
		go func() { done <- s.Resolve(context.Background(), Resolver{BaseDir: dir}) }()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("%s: want an error", ref)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: blocked", ref)
		}
	}
	var le *LoadError
	_, err := Load(dir)
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "directory") {
		t.Errorf("a directory as the profile: %v", err)
	}
	_, err = Load(zeroDevice)
	if err == nil || !strings.Contains(err.Error(), "device") {
		t.Errorf("%s as the profile: want a device error, got %v", zeroDevice, err)
	}
}

// Deep nesting is refused before the YAML parser recurses into it: fast,
// with the line, whatever the size.
func TestDeepNestingRefusedFast(t *testing.T) {
	for _, n := range []int{65, 20000, 400000} {
		data := []byte("version: 1\norganisation: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n")
		start := time.Now()
		_, err := Parse(data, "deep.yaml")
		var le *LoadError
		if !errors.As(err, &le) || le.Line != 2 || !strings.Contains(err.Error(), "nests more than 64 levels") {
			t.Fatalf("n=%d: %v", n, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("n=%d took %s", n, d)
		}
	}
	deepIndent := "version: 1\norganisation:\n" + strings.Repeat(" ", 300) + "name: x\n"
	if _, err := Parse([]byte(deepIndent), "indent.yaml"); err == nil || !strings.Contains(err.Error(), "indented more than 256 columns") {
		t.Fatalf("deep indentation: %v", err)
	}
	// A value may hold brackets; a profile a few levels deep loads.
	if _, err := Parse([]byte("version: 1\norganisation: {name: \"[x] {y}\", cvr: \"29189846\", kind: public}\n"), "ok.yaml"); err != nil {
		t.Fatalf("brackets in a value: %v", err)
	}
}

// A key bag hidden in a PBES2-encrypted safe cannot ask for billions of
// key-derivation iterations: the safe is opened (with its own, bounded
// parameters) and the bag's are checked before go-pkcs12 runs them.
func TestPKCS12InnerIterationsBounded(t *testing.T) {
	evil, err := os.ReadFile("testdata/pkcs12/inner-2e9-iterations.p12")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := DecodePKCS12(evil, "pw"); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "asks for 2000000000 key-derivation iterations") {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the hidden key derivation ran")
	}
	ok, err := os.ReadFile("testdata/pkcs12/inner-2048-iterations.p12")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodePKCS12(ok, "pw"); err != nil && strings.Contains(err.Error(), "iterations") {
		t.Fatalf("the same file with 2048 inner iterations is refused: %v", err)
	}
}

// A secret that starts with * reads as an unknown alias; its name never
// appears in the error, however the key is written.
func TestAliasSecretNeverQuoted(t *testing.T) {
	const secret = "Sup3rS3cretV4lue99"
	for _, form := range []string{`"secret": *` + secret, `'secret': *` + secret, "secret:\n          *" + secret, "Secret: *" + secret, "other: *" + secret} {
		data := "version: 1\nit_systems:\n  - name: S\n    credentials:\n      oauth_shared_secrets:\n        - name: s\n          " + form + "\n"
		_, err := Parse([]byte(data), "p.yaml")
		if err == nil || strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), secret[:7]) {
			t.Fatalf("%q: %v", form, err)
		}
	}
}
