package platform_test

// The corpus' shape (testdata/evidence/README.md): one README and one
// FIELDS list, one header format, no piece twice, every file in the
// inventory and every inventory entry a file, every source a reference a
// reader can open again.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
)

// corpusGlobs are the corpus' folders, as README.md's inventory has them.
var corpusGlobs = []string{"queries/*.graphql", "queries/probes/*.graphql", "queries/reference/*.graphql", "responses/*.http"}

func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(evidenceDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// section is README.md's text from a "## " heading to the next.
func section(t *testing.T, doc, heading string) string {
	t.Helper()
	i := strings.Index(doc, "\n## "+heading+"\n")
	if i < 0 {
		t.Fatalf("README.md has no section %q", heading)
	}
	rest := doc[i+len(heading)+5:]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// normalQuery is a query as its parsed document, so that layout and
// comments do not hide a copy.
func normalQuery(t *testing.T, e evidence) string {
	doc, err := parser.ParseQuery(&ast.Source{Input: e.content})
	if err != nil {
		t.Errorf("%s does not parse: %v", e.path, err)
		return ""
	}
	var b strings.Builder
	formatter.NewFormatter(&b).FormatQueryDocument(doc)
	return b.String()
}

// normalResponse is a response as its status and its body, a JSON body
// with its keys sorted and its layout dropped (headers differ between
// recordings of one answer, and a copy is a copy whatever its layout).
func normalResponse(t *testing.T, e evidence) string {
	status, _, body := readHTTP(t, e)
	var v any
	if err := json.Unmarshal(body, &v); err == nil {
		body, _ = json.Marshal(v) // map keys marshal sorted
	} else {
		body = []byte(strings.Join(strings.Fields(string(body)), " "))
	}
	return fmt.Sprintf("%d %s", status, body)
}

// No two files hold the same query, nor the same response; a copy found
// elsewhere goes in the kept file's also: line.
func TestCorpusHasNoDuplicates(t *testing.T) {
	seen := map[string]string{}
	for _, glob := range corpusGlobs {
		for _, e := range readEvidence(t, glob) {
			var key string
			if strings.HasSuffix(e.path, ".http") {
				key = "response " + normalResponse(t, e)
			} else {
				key = "query " + normalQuery(t, e)
			}
			if first, dup := seen[key]; dup {
				t.Errorf("%s holds the same %s as %s: keep one, name the other in its also: line (or note: for a response)", e.path, strings.Fields(key)[0], first)
			}
			seen[key] = e.path
		}
	}
	for _, gone := range []string{"README-b.md", "FIELDS-b.md"} {
		if _, err := os.Stat(filepath.Join(evidenceDir, gone)); err == nil {
			t.Errorf("%s: one README and one FIELDS list", gone)
		}
	}
}

// headerRow is a row of README.md's header-format table: | `key` | In | Required | Value |.
var headerRow = regexp.MustCompile("(?m)^\\| `([a-z-]+)` \\| ([a-z]+) \\| ([a-z, ]+) \\|")

// The one header format: README.md's table names exactly the keys the
// tests read, with the same required keys and the same repeatable ones;
// every file's header is its first lines and no header line comes later;
// a key repeats only where the table says so; the values open as the
// table says.
func TestCorpusHeaderFormat(t *testing.T) {
	rows := headerRow.FindAllStringSubmatch(section(t, readme(t), "The header format"), -1)
	documented := map[string]bool{}
	repeats := map[string]bool{}
	for _, r := range rows {
		key, in, req := r[1], r[2], r[3]
		documented[key] = true
		repeats[key] = strings.Contains(req, "repeats")
		if !headerKeys[key] {
			t.Errorf("README.md documents %s:, which the tests do not read", key)
		}
		for ext, kinds := range map[string]string{".graphql": "queries", ".http": "responses"} {
			mustHave := slices.Contains(required[ext], key)
			if (in == kinds || in == "both") && (req == "yes") != mustHave {
				t.Errorf("README.md says %s: is required %q in %s, the tests say %v", key, req, kinds, mustHave)
			}
		}
	}
	for k := range headerKeys {
		if !documented[k] {
			t.Errorf("the tests read %s:, which README.md's header format does not document", k)
		}
	}
	headerLine := regexp.MustCompile(`^# ([a-z-]+): `)
	opens := map[string]*regexp.Regexp{
		"expect":     regexp.MustCompile(`^(valid|invalid|unknown)\b`),
		"basis":      regexp.MustCompile(`^(production-run|probe-result|documentation|inferred|probe, outcome not recorded)\b`),
		"confidence": regexp.MustCompile(`^[CI]\b`),
	}
	for _, glob := range corpusGlobs {
		for _, e := range readEvidence(t, glob) {
			for k, vs := range e.all {
				if len(vs) > 1 && !repeats[k] {
					t.Errorf("%s: %s: appears %d times; only the keys README.md marks \"repeats\" may", e.path, k, len(vs))
				}
				for _, v := range vs {
					if re := opens[k]; re != nil && !re.MatchString(v) {
						t.Errorf("%s: %s: %q does not open as README.md's header format says (%s)", e.path, k, v, re)
					}
				}
			}
			for i, l := range strings.Split(e.content, "\n") {
				if m := headerLine.FindStringSubmatch(l); m != nil && headerKeys[m[1]] {
					t.Errorf("%s: a header line after the content starts (content line %d): the header is the file's first lines", e.path, i+1)
				}
			}
			_, _, cpr := serviceOf(e.header["service"])
			switch dir := filepath.Base(filepath.Dir(e.path)); dir {
			case "queries", "probes":
				if !cpr {
					t.Errorf("%s: %s is no CPR service: other registers' queries go in queries/reference/", e.path, e.header["service"])
				}
			case "reference":
				if cpr {
					t.Errorf("%s: a CPR query in queries/reference/", e.path)
				}
			}
			if strings.Contains(e.path, "/probes/") && (expectation(e) != "unknown" || e.header["inference"] == "") {
				t.Errorf("%s: a probe whose outcome is not recorded has expect: unknown and an inference: line", e.path)
			}
		}
	}
}

// expandBraces expands a{b,c}d into abd and acd, group by group.
func expandBraces(s string) []string {
	i := strings.Index(s, "{")
	j := strings.Index(s, "}")
	if i < 0 || j < i {
		return []string{s}
	}
	var out []string
	for alt := range strings.SplitSeq(s[i+1:j], ",") {
		out = append(out, expandBraces(s[:i]+strings.TrimSpace(alt)+s[j+1:])...)
	}
	return out
}

var (
	folderHeading = regexp.MustCompile(`^### ([a-z/]+/)`)
	listedName    = regexp.MustCompile("`([A-Za-z0-9_.{}, -]+\\.(?:graphql|http))`")
)

// inventory reads README.md's inventory: every file it lists, by its
// path under the corpus, and how often.
func inventory(t *testing.T, doc string) map[string]int {
	t.Helper()
	listed := map[string]int{}
	folder := ""
	for l := range strings.SplitSeq(section(t, doc, "Inventory"), "\n") {
		if m := folderHeading.FindStringSubmatch(l); m != nil {
			folder = m[1]
			continue
		}
		if !strings.HasPrefix(l, "| `") {
			continue
		}
		cell := strings.SplitN(l, "|", 3)[1]
		for _, m := range listedName.FindAllStringSubmatch(cell, -1) {
			if folder == "" {
				t.Errorf("README.md lists %s outside a ### folder/ heading", m[1])
			}
			for _, name := range expandBraces(m[1]) {
				listed[folder+name]++
			}
		}
	}
	return listed
}

// Every file is in README.md's inventory once, under its folder, and
// every file the inventory names exists.
func TestCorpusInventory(t *testing.T) {
	listed := inventory(t, readme(t))
	var files []string
	for _, glob := range corpusGlobs {
		m, _ := filepath.Glob(filepath.Join(evidenceDir, glob))
		for _, f := range m {
			files = append(files, filepath.ToSlash(strings.TrimPrefix(f, evidenceDir+string(filepath.Separator))))
		}
	}
	for _, f := range files {
		switch n := listed[f]; {
		case n == 0:
			t.Errorf("README.md's inventory does not list %s (add it under ### %s)", f, filepath.Dir(f)+"/")
		case n > 1:
			t.Errorf("README.md's inventory lists %s %d times", f, n)
		}
	}
	var missing []string
	for name := range listed {
		if !slices.Contains(files, name) {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	for _, name := range missing {
		t.Errorf("README.md's inventory lists %s, which is not in the corpus", name)
	}
	if len(files) < 90 {
		t.Fatalf("the corpus shrank to %d files", len(files))
	}
}

var (
	commitRef  = regexp.MustCompile(`(?:@|commit |commits |HEAD |/blob/|/tree/)[0-9a-f]{7,40}\b|\b[0-9a-f]{40}\b`)
	indexRef   = regexp.MustCompile(`index (?:file )?ids? [0-9]{6,}`)
	repoFirst  = regexp.MustCompile(`^(?:https://github\.com/|github\.com/)?[A-Za-z0-9_-][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+\b`)
	githubRef  = regexp.MustCompile(`github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+`)
	pathRef    = regexp.MustCompile(`[A-Za-z0-9_.-]+\.(?:py|cs|go|ts|js|md|yml|yaml|java|snap|txt|json)\b`)
	pageRef    = regexp.MustCompile(`https://[^\s)]+`)
	seedRef    = regexp.MustCompile(`/work/shared/seed/\S+`)
	pageIDsRef = regexp.MustCompile(`confluence\.sdfi\.dk: [0-9]{9}`)
)

// reference reports what a source names short of README.md's rule: a
// repository's file by its path and commit (or, where the index names no
// commit, its index id), a page by its URL, the seed deck by its path.
func reference(v string, needPath bool) string {
	repo := repoFirst.MatchString(v) || githubRef.MatchString(v)
	switch {
	case indexRef.MatchString(v):
		return ""
	case repo && !commitRef.MatchString(v):
		return "a repository without the commit (or the index id)"
	case repo && needPath && !pathRef.MatchString(v) && !strings.Contains(v, "/blob/"):
		return "a repository without the file's path"
	case repo:
		return ""
	}
	for _, u := range pageRef.FindAllString(v, -1) {
		if !strings.Contains(u, "github.com/") {
			return ""
		}
	}
	if seedRef.MatchString(v) || pageIDsRef.MatchString(v) {
		return ""
	}
	return "no repository, page URL, index id or seed deck"
}

// Every source: and also: names what README.md requires, every row of its
// Sources table a commit, an index id or a page, and the Sources table
// names every source ../shared/spec/platform.md asks the corpus to cite.
func TestCorpusSources(t *testing.T) {
	for _, glob := range corpusGlobs {
		for _, e := range readEvidence(t, glob) {
			for _, k := range []string{"source", "also"} {
				for _, v := range e.all[k] {
					if why := reference(v, true); why != "" {
						t.Errorf("%s: %s: names %s: %.120s", e.path, k, why, v)
					}
				}
			}
		}
	}
	sources := section(t, readme(t), "Sources")
	rows := 0
	for l := range strings.SplitSeq(sources, "\n") {
		cells := strings.Split(l, "|")
		if len(cells) < 4 || strings.HasPrefix(l, "|---") || strings.TrimSpace(cells[1]) == "Repository / page" {
			continue
		}
		rows++
		if why := reference(strings.TrimSpace(cells[1]), false); why != "" {
			t.Errorf("README.md's Sources: %q names %s", strings.TrimSpace(cells[1]), why)
		}
	}
	if rows < 15 {
		t.Fatalf("README.md's Sources table has %d rows", rows)
	}
	// The sources ../shared/spec/platform.md names for the behaviour other
	// registers recorded (it is outside the repository, so listed here).
	for _, want := range [][]string{
		{"Adamsinator/bolig-tracker", "scripts/fetch_bbr_once.py", "scripts/probe_dar_batch.py", "scripts/probe_bbr_pagination.py"},
		{"sfpkartago/retailkort", "dawa.py", "cvr_tjek.py"},
		{"kaspermunck/dafcli", "README.md", "daf/client.go"},
		{"DAXGRID/dawa-address", "src/DawaAddress/DatafordelerClient.cs", "DatafordelerFile.cs"},
		{"aneal99/datafordeler-dar-mcp", "src/client.ts"},
		{"187105434", "187105560"},
	} {
		row := ""
		for l := range strings.SplitSeq(sources, "\n") {
			if strings.Contains(l, want[0]) {
				row = l
				break
			}
		}
		for _, w := range want {
			if !strings.Contains(row, w) {
				t.Errorf("README.md's Sources lacks %s (platform.md names it)", strings.Join(want, " "))
				break
			}
		}
		if row != "" && !commitRef.MatchString(row) && !strings.Contains(row, "pages") {
			t.Errorf("README.md's Sources names %s without a commit", want[0])
		}
	}
}
