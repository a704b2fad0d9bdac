package bundle

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/report"
)

// Limits for reading a bundle someone sent.
const (
	maxBundle = 32 << 20
	maxMember = 8 << 20
	maxFiles  = 32
)

// Read opens a bundle, bounded, and returns its members by name.
func Read(path string) (map[string][]byte, error) {
	f, err := fsutil.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(io.LimitReader(f, maxBundle))
	if err != nil {
		return nil, fmt.Errorf("%s is not a cprready bundle (not gzip)", path)
	}
	tr := tar.NewReader(gz)
	out := map[string][]byte{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s is damaged: %w", path, err)
		}
		if len(out) >= maxFiles {
			return nil, fmt.Errorf("%s holds too many files", path)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(tr, maxMember+1))
		if err != nil {
			return nil, fmt.Errorf("%s is damaged: %w", path, err)
		}
		if len(data) > maxMember {
			return nil, fmt.Errorf("%s: member %q is too large", path, h.Name)
		}
		out[h.Name] = data
	}
	if _, ok := out["report.json"]; !ok {
		return nil, fmt.Errorf("%s is not a cprready bundle (no report.json)", path)
	}
	return out, nil
}

// Inspection is a bundle as support staff see it: the report with every
// text made terminal-safe and its verdict recomputed from its rows, the
// manifest, the files, and every integrity problem found.
type Inspection struct {
	Report   *checks.Report
	Manifest Manifest
	Files    map[string][]byte
	// Problems say loudly what does not add up: a file whose SHA-256
	// differs from the manifest, a missing or extra file, a stored verdict
	// that its rows contradict, a partial or cancelled run.
	Problems []string
}

// Inspect reads a bundle, verifies it against its manifest and recomputes
// its verdict. A bundle is someone else's file: nothing in it is trusted.
func Inspect(path string) (*Inspection, error) {
	files, err := Read(path)
	if err != nil {
		return nil, err
	}
	var rep checks.Report
	if err := json.Unmarshal(files["report.json"], &rep); err != nil {
		return nil, fmt.Errorf("%s: report.json is not a cprready report: %s", path, line(err.Error()))
	}
	in := &Inspection{Report: &rep, Files: files}
	if mb, ok := files["manifest.json"]; !ok {
		in.Problems = append(in.Problems, "the bundle has no manifest.json: nothing can prove its files are as cprready wrote them")
	} else if err := json.Unmarshal(mb, &in.Manifest); err != nil {
		in.Problems = append(in.Problems, "manifest.json is not readable: nothing can prove the files are as cprready wrote them")
	}
	in.Problems = append(in.Problems, verify(files, in.Manifest)...)
	sanitizeManifest(&in.Manifest)
	checks.Sanitize(&rep)
	storedReady, storedSummary := rep.Ready, rep.Summary
	rep.Strict = rep.Options.Strict
	rep.Finish()
	switch {
	case storedReady != rep.Ready:
		in.Problems = append(in.Problems, fmt.Sprintf("the stored verdict (%s) does not match its own rows (%s); the rows' verdict is shown", checks.VerdictWord(storedReady), checks.VerdictWord(rep.Ready)))
	case storedSummary != rep.Summary:
		in.Problems = append(in.Problems, "the stored counts do not match its own rows; the rows' counts are shown")
	}
	if rep.Options.Partial {
		in.Problems = append(in.Problems, "the results are partial (only "+line(strings.Join(rep.Options.Only, ", "))+" ran): not a complete verdict")
	}
	if rep.Options.Cancelled {
		in.Problems = append(in.Problems, "the run was cancelled or hit its timeout: not a complete verdict")
	}
	rep.Names = map[string]string{}
	if p, err := profile.Parse(files["profile.redacted.yaml"], "profile.redacted.yaml"); err == nil {
		for i, s := range p.ITSystems {
			rep.Names[profile.ITSystemSubject(i)] = line(s.Name)
		}
	}
	return in, nil
}

// verify compares every file with the manifest's SHA-256 and size.
func verify(files map[string][]byte, m Manifest) []string {
	var out []string
	listed := map[string]bool{"manifest.json": true}
	for _, f := range m.Files {
		name := line(f.Name)
		listed[f.Name] = true
		data, ok := files[f.Name]
		if !ok {
			out = append(out, fmt.Sprintf("%s is listed in the manifest but missing", name))
			continue
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); !strings.EqualFold(got, f.SHA256) || len(data) != f.Size {
			out = append(out, fmt.Sprintf("%s was changed after cprready wrote it: its SHA-256 does not match the manifest", name))
		}
	}
	var extra []string
	for name := range files {
		if !listed[name] {
			extra = append(extra, line(name))
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		out = append(out, fmt.Sprintf("%s is not in the manifest (added after cprready wrote the bundle)", name))
	}
	return out
}

func sanitizeManifest(m *Manifest) {
	m.Tool, m.Profile, m.ProfileSHA256, m.Note = line(m.Tool), line(m.Profile), line(m.ProfileSHA256), line(m.Note)
	for i := range m.Redacted {
		m.Redacted[i] = line(m.Redacted[i])
	}
	for i := range m.Files {
		m.Files[i].Name, m.Files[i].SHA256 = line(m.Files[i].Name), line(m.Files[i].SHA256)
	}
	m.Options.At = line(m.Options.At)
	m.Options.Timeout = line(m.Options.Timeout)
	for i := range m.Options.Only {
		m.Options.Only[i] = line(m.Options.Only[i])
	}
}

// WriteHeader writes what support staff read before the findings: loudly,
// whether the bundle does not add up, then who made it and where.
func (in *Inspection) WriteHeader(w io.Writer, name string) {
	if len(in.Problems) > 0 {
		fmt.Fprintln(w, "WARNING: this bundle does not add up; do not trust its verdict:")
		for _, p := range in.Problems {
			fmt.Fprintln(w, "  ! "+p)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Bundle %s, created %s by %s\n", name, in.Manifest.Created.Format(time.RFC3339), in.Manifest.Tool)
	if u := in.Manifest.Unresolved; len(u) > 0 {
		names := make([]string, len(u))
		for i, n := range u {
			names[i] = line(n)
		}
		fmt.Fprintf(w, "WARNING: not readable when the bundle was made, so the bundle was not checked for them: %s\n", strings.Join(names, ", "))
	}
	if env, ok := in.Files["environment.txt"]; ok {
		fmt.Fprintln(w, textsafe.Multiline(string(env), 8000))
	}
}

// Show writes what support staff read: the header (WriteHeader), then the
// findings as a text report through the gate.
func (in *Inspection) Show(w io.Writer, name string, opts report.Options, gate *redact.Redactor) error {
	in.WriteHeader(w, name)
	return report.Render(w, in.Report, opts, gate)
}

// line makes a bundle's text fit for a terminal: no escapes, no control
// characters, no marks (a forged file may carry cprready's own).
func line(s string) string { return textsafe.Line(redact.StripMarks(s)) }
