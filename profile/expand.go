package profile

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Expand turns --profile values into profile files: a folder
// stands for the .yaml and .yml files in it (not its subfolders).
func Expand(values []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, v := range values {
		fi, err := os.Stat(v)
		if err != nil || !fi.IsDir() {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
			continue
		}
		entries, err := os.ReadDir(v)
		if err != nil {
			return nil, fmt.Errorf("--profile %s: %w", v, err)
		}
		var found []string
		for _, e := range entries {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if e.Type().IsRegular() && (ext == ".yaml" || ext == ".yml") && !strings.HasPrefix(e.Name(), ".") {
				found = append(found, filepath.Join(v, e.Name()))
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("--profile %s: the folder holds no .yaml profile", v)
		}
		sort.Strings(found)
		for _, f := range found {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out, nil
}
