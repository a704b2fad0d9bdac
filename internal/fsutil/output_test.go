package fsutil

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func isJSONReport(head []byte) bool { return strings.Contains(string(head), `"name": "cprready"`) }

// An output is never one of the inputs, by name or through a link.
func TestOutputNeverAnInput(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "cprready.yaml")
	secret := filepath.Join(dir, "secret")
	for _, f := range []string{prof, secret} {
		if err := os.WriteFile(f, []byte("keep me"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	inputs := []Input{{prof, "the profile"}, {secret, "the secret file of x.key"}}
	link := filepath.Join(dir, "out.json")
	linked := os.Symlink(secret, link) == nil
	for _, path := range []string{prof, secret, filepath.Join(dir, ".", "cprready.yaml"), link} {
		if path == link && !linked {
			continue
		}
		o := Output{Path: path, Kind: "JSON report", Is: isJSONReport, Force: true, Inputs: inputs}
		err := o.Write([]byte(`{"tool": {"name": "cprready"}}`))
		var ue *UsageError
		if err == nil || !errors.As(err, &ue) || !strings.Contains(err.Error(), "would replace your input") {
			t.Fatalf("%s: got %v", path, err)
		}
	}
	for _, f := range []string{prof, secret} {
		if b, _ := os.ReadFile(f); string(b) != "keep me" {
			t.Fatalf("%s was changed: %q", f, b)
		}
	}
}

// An existing file is replaced only when it is an earlier output of the
// same kind (or empty), or with Force.
func TestOutputReplacesOnlyItsOwnKind(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.json")
	if err := os.WriteFile(notes, []byte(`{"mine": true}`), 0o600); err != nil {
		t.Fatal(err)
	}
	o := Output{Path: notes, Kind: "JSON report", Is: isJSONReport}
	if err := o.Write([]byte(`{"tool": {"name": "cprready"}}`)); err == nil || !strings.Contains(err.Error(), "add --force") {
		t.Fatalf("got %v", err)
	}
	if b, _ := os.ReadFile(notes); string(b) != `{"mine": true}` {
		t.Fatalf("replaced: %q", b)
	}
	o.Force = true
	if err := o.Write([]byte(`{"tool": {"name": "cprready"}}`)); err != nil {
		t.Fatal(err)
	}
	o.Force = false
	if err := o.Write([]byte(`{"tool": {"name": "cprready"}, "again": 1}`)); err != nil {
		t.Fatalf("an earlier report was not replaced: %v", err)
	}
	empty := filepath.Join(dir, "empty.json")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := (Output{Path: empty, Kind: "JSON report", Is: isJSONReport}).Write([]byte("{}")); err != nil {
		t.Fatalf("an empty file was not replaced: %v", err)
	}
	if err := (Output{Path: dir, Kind: "JSON report"}).Check(); err == nil {
		t.Fatal("a folder was accepted")
	}
}
