package profile

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// modelPaths are every field of the model by its path in a profile.
func modelPaths() []string {
	var out []string
	eachField(func(path string, _ reflect.StructField) { out = append(out, path) })
	return out
}

func docPaths(v any, prefix string, out map[string]bool) {
	switch t := v.(type) {
	case yaml.MapSlice:
		for _, it := range t {
			p := prefix + it.Key.(string)
			out[p] = true
			if l, ok := it.Value.([]any); ok {
				out[p+"[]"] = true
				for _, e := range l {
					docPaths(e, p+"[].", out)
				}
				continue
			}
			docPaths(it.Value, p+".", out)
		}
	}
}

// docs/profile.md's example is a valid profile that shows every field of
// the model (a field that is an alternative to another may be named in a
// comment: "or certificate: + private_key:"), so a new field cannot be
// left out of the contract's page.
func TestProfileDocShowsEveryField(t *testing.T) {
	raw, err := os.ReadFile("../docs/profile.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(raw)
	if m == nil {
		t.Fatal("docs/profile.md has no yaml example")
	}
	block := m[1]
	if _, err := Parse(block, "docs/profile.md"); err != nil {
		t.Fatalf("the example does not load: %v", err)
	}
	var root any
	if err := yaml.UnmarshalWithOptions(block, &root, yaml.UseOrderedMap()); err != nil {
		t.Fatal(err)
	}
	shown := map[string]bool{}
	docPaths(root, "", shown)
	for _, p := range modelPaths() {
		leaf := p[strings.LastIndex(p, ".")+1:]
		leaf = strings.TrimSuffix(leaf, "[]")
		if !shown[p] && !regexp.MustCompile(`#.*\b`+leaf+`:`).Match(block) {
			t.Errorf("docs/profile.md's example does not show %s", p)
		}
	}
}
