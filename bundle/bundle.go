// Package bundle writes and reads the support bundle: one .tar.gz with the
// redacted profile, the check results (JSON and Markdown), the tool, OS and
// Go versions, which proxy variables are set (names only), the clock
// offset, and a manifest of what was redacted. It refuses to write a
// bundle in which any secret value would appear.
package bundle

import (
	"archive/tar"
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/report"
	"github.com/goccy/go-yaml"
)

// File is one member of the bundle.
type File struct {
	Name string
	Data []byte
}

// Manifest lists the bundle's files and what was redacted.
type Manifest struct {
	Created        time.Time         `json:"created"`
	Tool           string            `json:"tool"`
	Profile        string            `json:"profile"`
	ProfileSHA256  string            `json:"profile_sha256,omitempty"`
	Options        checks.RunOptions `json:"options"`
	Files          []ManifestFile    `json:"files"`
	Redacted       []string          `json:"redacted"`
	SecretsScanned int               `json:"secrets_scanned"`
	// Masked counts, per file, the values in which the strict gate masked
	// a secret's form (text a server echoed, or a word equal to a short
	// secret).
	Masked []MaskedFile `json:"masked"`
	// Unresolved names the profile's secrets that could not be read when
	// the bundle was made (an env: variable not set here): the gate did
	// not know them.
	Unresolved []string `json:"secrets_unresolved,omitempty"`
	Note       string   `json:"note"`
}

// MaskedFile is how many values of a file were masked.
type MaskedFile struct {
	Name   string `json:"name"`
	Values int    `json:"values"`
}

// ManifestFile describes one file.
type ManifestFile struct {
	Name   string `json:"name"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
}

// Options to build a bundle.
type Options struct {
	Profile *profile.Profile
	Report  *checks.Report
	Tool    string // "cprready v0.1.0 (commit …)"
	Getenv  func(string) string
	Now     time.Time
	// Gate knows every resolved secret and token; it redacts the reports
	// and is the list the files are scanned against.
	Gate *redact.Redactor
}

// LeakError means a file still held a secret's form after every value was
// masked: a run of LongLen characters of a secret in the bundle's own
// text, which the tool never writes. It cannot happen with any secret a
// person or the platform chooses; it names the file and the secret's
// place in the profile, never the value.
type LeakError struct {
	File   string
	Secret string
}

func (e *LeakError) Error() string {
	return fmt.Sprintf("refusing to write the bundle: %s holds a form of %s outside its values (a defect of cprready: please report it); nothing was written", e.File, e.Secret)
}

// ProxyVariables are the proxy settings whose presence (never value) is recorded.
var ProxyVariables = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"}

// ScanNote says what the scan did, in the manifest and when written.
const ScanNote = "Every value of every file was masked by the strict gate (every secret and token in every form it travels in; a short secret as a whole word, even where it is an ordinary word), then read back and scanned again for any 16 characters of a secret in any case or encoding. Names and identifiers (keys, check IDs, subjects, headings) are not values."

// strictGate masks a bundle's values strictly and counts, per file, the
// values it changed.
type strictGate struct {
	gate   *redact.Redactor
	file   string
	counts map[string]int
}

func (g *strictGate) value(s string) string {
	out := g.gate.Strict(s)
	if g.gate.Leaks(out) {
		// A secret's echo the strict rules keep (another case, hex,
		// base32) that the scan finds: the whole value goes, rather than
		// the bundle.
		out = redact.Mask
	}
	if out != redact.StripMarks(s) {
		g.counts[g.file]++
	}
	return out
}

// Build makes the bundle's files, every value through the strict gate,
// and scans what it will write.
func Build(o Options) ([]File, Manifest, error) {
	sg := &strictGate{gate: o.Gate, counts: map[string]int{}}
	sg.file = "manifest.json"
	var unresolved []string
	for _, ns := range o.Profile.Secrets() {
		if ns.Secret.IsSet() && !ns.Secret.Resolved() {
			unresolved = append(unresolved, ns.Subject+"."+ns.Field+" ("+ns.Secret.Reference()+")")
		}
	}
	m := Manifest{Created: o.Now.UTC(), Unresolved: unresolved, Tool: o.Tool, Profile: sg.value(o.Profile.Path), ProfileSHA256: o.Report.ProfileSHA256, Options: o.Report.Options,
		Note: "Secrets are never included: literal secrets in the profile are replaced by [REDACTED], references (env:, keyring:, file:) are kept as references. " + ScanNote}
	sg.file = "profile.redacted.yaml"
	prof, redacted, err := RedactedProfile(o.Profile, sg.value)
	if err != nil {
		return nil, m, err
	}
	m.Redacted = redacted
	sg.file = "report.json"
	js, err := report.Bytes(report.GatedWith(o.Report, sg.value), report.Options{Format: "json"}, o.Gate)
	if err != nil {
		return nil, m, err
	}
	sg.file = "report.md"
	md, err := report.Bytes(report.GatedWith(o.Report, sg.value), report.Options{Format: "markdown"}, o.Gate)
	if err != nil {
		return nil, m, err
	}
	sg.file = "environment.txt"
	files := []File{
		{"profile.redacted.yaml", prof},
		{"report.json", js},
		{"report.md", md},
		{"environment.txt", environment(o, sg.value)},
	}
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		m.Files = append(m.Files, ManifestFile{Name: f.Name, Size: len(f.Data), SHA256: hex.EncodeToString(sum[:])})
	}
	for _, name := range []string{"manifest.json", "profile.redacted.yaml", "report.json", "report.md", "environment.txt"} {
		if n := sg.counts[name]; n > 0 {
			m.Masked = append(m.Masked, MaskedFile{Name: name, Values: n})
		}
	}
	m.SecretsScanned = o.Gate.Len()
	mb, _ := json.MarshalIndent(m, "", "  ")
	files = append([]File{{"manifest.json", mb}}, files...)
	// The scan runs on exactly the bytes that will be written.
	if err := Scan(files, o.Profile, o.Gate); err != nil {
		return nil, m, err
	}
	return files, m, nil
}

// maskURLValues keeps a URL's scheme, host, path and parameter names, and
// masks its user information, every parameter value and its fragment:
// nobody knows every name a gateway uses for a key (x-api-key,
// subscription-key …).
func maskURLValues(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return redact.URLString(raw)
	}
	changed := false
	if u.User != nil {
		u.User, changed = url.User(redact.Mask), true
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{redact.Mask}
		}
		u.RawQuery, changed = q.Encode(), true
	}
	if u.Fragment != "" {
		u.Fragment, changed = redact.Mask, true
	}
	if !changed {
		return raw
	}
	return u.String()
}

// RedactedProfile is the profile as YAML with literal secrets replaced,
// endpoint URLs' credentials and parameter values masked, no comments,
// and every other value passed through value (a gate).
func RedactedProfile(p *profile.Profile, value func(string) string) ([]byte, []string, error) {
	raw, err := p.Marshal()
	if err != nil {
		return nil, nil, err
	}
	clone, err := profile.Parse(raw, p.Path)
	if err != nil {
		return nil, nil, err
	}
	// Comments are the user's notes: old, rotated secrets live there too.
	clone.DropComments()
	var redacted []string
	for _, ns := range clone.Secrets() {
		if ns.Secret.Kind() == profile.KindLiteral {
			*ns.Secret = profile.NewSecret(redact.Mask)
			redacted = append(redacted, ns.Subject+"."+ns.Field+" (a literal secret)")
		}
	}
	// Credentials written into endpoint URLs (user:pass@, apiKey=, token=).
	e := &clone.Endpoints
	for name, u := range map[string]*string{"graphql": &e.GraphQL, "token": &e.Token, "token_mtls": &e.TokenMTLS, "filedownload": &e.FileDownload, "egress_echo": &e.EgressEcho} {
		if r := maskURLValues(*u); r != *u {
			*u = r
			redacted = append(redacted, "endpoints."+name+" (credentials in the URL)")
		}
	}
	sort.Strings(redacted)
	out, err := clone.Marshal()
	if err != nil {
		return nil, nil, err
	}
	if value != nil {
		if out, err = MaskValues(out, value); err != nil {
			return nil, nil, err
		}
	}
	// No raw control characters reach whoever opens the file.
	return []byte(textsafe.Multiline(string(out), 0)), redacted, nil
}

// MaskValues passes every scalar value of a YAML document through value,
// never a key, whatever field holds it and whatever its Go type (a date,
// a range, a name, a field added tomorrow): nothing in a bundle's profile
// is masked because it is named here, so nothing is missed for not being.
func MaskValues(doc []byte, value func(string) string) ([]byte, error) {
	var root any
	if err := yaml.UnmarshalWithOptions(doc, &root, yaml.UseOrderedMap()); err != nil {
		return nil, err
	}
	return yaml.Marshal(eachScalar(root, value))
}

// eachScalar rebuilds v with f applied to each scalar value; a number or
// a boolean f changes becomes the string f made of it.
func eachScalar(v any, f func(string) string) any {
	switch t := v.(type) {
	case yaml.MapSlice:
		for i := range t {
			t[i].Value = eachScalar(t[i].Value, f)
		}
		return t
	case []any:
		for i := range t {
			t[i] = eachScalar(t[i], f)
		}
		return t
	case string:
		return f(t)
	case nil:
		return nil
	default:
		s := fmt.Sprint(t)
		if m := f(s); m != s {
			return m
		}
		return t
	}
}

// Scan reads back the files that will be written and checks every value
// in them (a report's texts and evidence, the profile's scalars, the
// manifest's profile path) for a run of LongLen characters of any
// secret's form, in any case or encoding: the values were masked
// strictly before, so a finding is a defect, never a coincidence. Names
// and identifiers (JSON keys, YAML keys, check IDs and subjects) are not
// values. report.md and environment.txt hold the same values as
// report.json and the environment's masked lines.
func Scan(files []File, p *profile.Profile, gate *redact.Redactor) error {
	for _, f := range files {
		var values []string
		collect := func(s string) string { values = append(values, s); return s }
		switch f.Name {
		case "report.json":
			var rep checks.Report
			if err := json.Unmarshal(f.Data, &rep); err != nil {
				return fmt.Errorf("%s does not read back: %w", f.Name, err)
			}
			report.GatedWith(&rep, collect)
		case "manifest.json":
			var m Manifest
			if err := json.Unmarshal(f.Data, &m); err != nil {
				return fmt.Errorf("%s does not read back: %w", f.Name, err)
			}
			collect(m.Profile)
		case "profile.redacted.yaml":
			// Read back as YAML, not as a profile: every value of every
			// field, whatever the model makes of it.
			if _, err := MaskValues(f.Data, collect); err != nil {
				return fmt.Errorf("%s does not read back: %w", f.Name, err)
			}
		}
		for _, v := range values {
			if !gate.Leaks(v) {
				continue
			}
			which := "a token obtained during the checks"
			for _, ns := range p.Secrets() {
				if s, err := ns.Secret.Reveal(); err == nil && redact.New(s).Leaks(v) {
					which = ns.Subject + "." + ns.Field
					break
				}
			}
			return &LeakError{File: f.Name, Secret: which}
		}
	}
	return nil
}

func environment(o Options, value func(string) string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "tool: %s\n", o.Tool)
	fmt.Fprintf(&b, "go: %s\nos: %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	var set []string
	for _, v := range ProxyVariables {
		if o.Getenv != nil && o.Getenv(v) != "" {
			set = append(set, v)
		}
	}
	sort.Strings(set)
	if len(set) == 0 {
		b.WriteString("proxy variables set: none\n")
	} else {
		fmt.Fprintf(&b, "proxy variables set (names only): %s\n", strings.Join(set, ", "))
	}
	fmt.Fprintf(&b, "clock offset: %s\n", value(clockOffset(o.Report)))
	fmt.Fprintf(&b, "environment: %s\nchecks ran: %s\ndates judged as of: %s\n", value(o.Report.Environment), cmp.Or(o.Report.RanAt, "not recorded (results of an older cprready)"), value(o.Report.EvaluatedAt))
	return []byte(b.String())
}

func clockOffset(rep *checks.Report) string {
	for _, r := range rep.Checks {
		if r.ID == "clock.skew" {
			if s, ok := r.Evidence["skew_s"]; ok {
				return fmt.Sprintf("%v s (local minus server; %s)", s, r.Status)
			}
			return "not measured (" + r.Message + ")"
		}
	}
	return "not measured (offline run)"
}

// Write writes files as a .tar.gz atomically, owner-only.
func Write(path string, files []File, now time.Time) error {
	b, err := archive(files, now)
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(path, b)
}

// archive is files as a .tar.gz.
func archive(files []File, now time.Time) ([]byte, error) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f.Name, Mode: 0o600, Size: int64(len(f.Data)), ModTime: now, Typeflag: tar.TypeReg}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.Data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Recognise tells an earlier bundle from the start of a file: a gzip
// whose first member is the manifest.
func Recognise(head []byte) bool {
	gz, err := gzip.NewReader(bytes.NewReader(head))
	if err != nil {
		return false
	}
	h, err := tar.NewReader(gz).Next()
	return err == nil && h.Name == "manifest.json"
}

// StaleResults says why saved results must not go into a bundle: none
// saved, the profile changed since, a partial (--only) or cancelled run.
func StaleResults(rep *checks.Report, err error, p *profile.Profile) string {
	switch {
	case err != nil || rep == nil:
		return "none are saved"
	case rep.ProfileSHA256 == "" || rep.ProfileSHA256 != p.SHA256:
		return "the profile changed since they were made"
	case rep.Options.Partial:
		return "they come from a partial run (--only)"
	case rep.Options.Cancelled:
		return "that run was cancelled or hit its timeout"
	}
	return ""
}

// WriteSummary tells what a written bundle holds (every file, the
// manifest first) and what was redacted.
func (m Manifest) WriteSummary(w io.Writer, path string, files []File) {
	fmt.Fprintf(w, "Wrote %s (%s): %d files; every value masked and scanned for %d secret forms after masking: none present.\n", path, fsutil.PrivateNote, len(files), m.SecretsScanned)
	for _, f := range files {
		fmt.Fprintf(w, "  %-24s %7d bytes\n", f.Name, len(f.Data))
	}
	for _, x := range m.Masked {
		fmt.Fprintf(w, "  masked: %s in %s (text a server echoed, or a word equal to a short secret)\n", words.Plural(x.Values, "value"), x.Name)
	}
	if len(m.Unresolved) > 0 {
		fmt.Fprintf(w, "  WARNING: %s could not be read here, so the bundle could not be checked for %s: %s. Make the bundle where the checks run (the variables set, the keyring open).\n",
			words.Plural(len(m.Unresolved), "secret"), map[bool]string{true: "it", false: "them"}[len(m.Unresolved) == 1], strings.Join(m.Unresolved, ", "))
	}
	if len(m.Redacted) > 0 {
		fmt.Fprintln(w, "Redacted:")
		for _, r := range m.Redacted {
			fmt.Fprintln(w, "  "+r)
		}
	}
}

// DefaultName is the bundle's file name when none is given (before
// CreateUnique adds -2, -3 … to a name that is taken).
func DefaultName(now time.Time) string {
	return fmt.Sprintf("cprready-support-%s.tar.gz", now.Format("20060102-150405"))
}

// Output is the guard of report --output: never over one of the
// profile's files, never over a file that is not a bundle unless force.
func Output(path string, force bool, p *profile.Profile) fsutil.Output {
	o := fsutil.Output{Path: path, Kind: "support bundle", Is: Recognise, Force: force}
	for _, in := range p.InputFiles() {
		o.Inputs = append(o.Inputs, fsutil.Input{Path: in.Path, What: in.What})
	}
	return o
}

// Create builds the bundle and writes it (owner-only) to out.Path,
// guarded, or, when that is empty, to a new file of the default name,
// never replacing one. It returns the path written, the manifest and the
// files the bundle holds.
func Create(out fsutil.Output, o Options) (string, Manifest, []File, error) {
	files, m, err := Build(o)
	if err != nil {
		return "", m, nil, err
	}
	b, err := archive(files, o.Now)
	if err != nil {
		return "", m, nil, err
	}
	if out.Path == "" {
		name := strings.TrimSuffix(DefaultName(o.Now), ".tar.gz")
		path, err := fsutil.CreateUnique(name, ".tar.gz", b)
		return path, m, files, err
	}
	return out.Path, m, files, out.Write(b)
}
