package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// check's flags complete into options without running anything (the
// cli/cli shape): the format follows --output unless --format is given,
// and folders become the profile files in them.
func TestCheckOptionsComplete(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b.yaml", "a.yml", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("version: 1\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	one := filepath.Join(dir, "b.yaml")
	cases := []struct {
		args   []string
		format string
		paths  []string
	}{
		{[]string{"--output", "junit.xml", "-p", one}, "junit", []string{one}},
		{[]string{"--output", "r.md", "--format", "json", "-p", one}, "json", []string{one}},
		{[]string{"-p", dir}, "text", []string{filepath.Join(dir, "a.yml"), one}},
		{[]string{"-p", one, "-p", dir, "-o", "r.json"}, "json", []string{one, filepath.Join(dir, "a.yml")}},
	}
	for _, c := range cases {
		std, _, _ := testIO(nil)
		var got *checkOptions
		cmd := newCheckCmd(std, func(o *checkOptions) error { got = o; return nil })
		cmd.SetArgs(c.args)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if got == nil || got.format != c.format || !slices.Equal(got.paths, c.paths) {
			t.Errorf("%v: got %+v, want format %s, paths %v", c.args, got, c.format, c.paths)
		}
		if len(c.paths) == 1 && got.profile != c.paths[0] {
			t.Errorf("%v: one profile, but profile is %q", c.args, got.profile)
		}
	}
	// A folder with no profile is a usage error before anything runs.
	std, _, _ := testIO(nil)
	ran := false
	cmd := newCheckCmd(std, func(*checkOptions) error { ran = true; return nil })
	cmd.SetArgs([]string{"-p", t.TempDir()})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	if err := cmd.Execute(); err == nil || ran {
		t.Fatalf("an empty folder: err %v, ran %v", err, ran)
	}
}
