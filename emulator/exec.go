package emulator

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cprready/cprready/gql"
)

// project shapes a resolved value to a selection set, as a GraphQL server
// does: only the selected fields, nested lists and objects followed.
func project(doc *ast.QueryDocument, set ast.SelectionSet, v any, typeName string) any {
	switch val := v.(type) {
	case nil:
		return nil
	case []any:
		out := make([]any, len(val))
		for i, x := range val {
			out[i] = project(doc, set, x, typeName)
		}
		return out
	case []map[string]any:
		out := make([]any, len(val))
		for i, x := range val {
			out[i] = project(doc, set, x, typeName)
		}
		return out
	case []person:
		out := make([]any, len(val))
		for i, x := range val {
			out[i] = project(doc, set, map[string]any(x), typeName)
		}
		return out
	case person:
		return project(doc, set, map[string]any(val), typeName)
	case map[string]any:
		out := map[string]any{}
		for _, f := range fields(doc, set) {
			key := f.Alias
			if key == "" {
				key = f.Name
			}
			if f.Name == "__typename" {
				out[key] = typeName
				continue
			}
			child := val[f.Name]
			if len(f.SelectionSet) > 0 && f.Definition != nil {
				out[key] = project(doc, f.SelectionSet, child, f.Definition.Type.Name())
			} else {
				out[key] = child
			}
		}
		return out
	}
	return v
}

func fields(doc *ast.QueryDocument, set ast.SelectionSet) []*ast.Field {
	return gql.CollectFields(doc, set)
}

// connection wraps items as a Relay connection with first/after paging.
func connection(items []any, args map[string]any) map[string]any {
	start := 0
	if after, ok := args["after"].(string); ok && after != "" {
		var n int
		if _, err := fmt.Sscanf(after, "cursor-%d", &n); err == nil && n >= 0 && n < len(items) {
			start = n + 1
		}
	}
	end := len(items)
	if first, ok := toInt(args["first"]); ok && first >= 0 && start+first < end {
		end = start + first
	}
	if start > end {
		start = end
	}
	page := items[start:end]
	edges := make([]any, len(page))
	for i, it := range page {
		edges[i] = map[string]any{"cursor": fmt.Sprintf("cursor-%d", start+i), "node": it}
	}
	pi := map[string]any{"hasNextPage": end < len(items), "hasPreviousPage": start > 0, "startCursor": nil, "endCursor": nil}
	if len(page) > 0 {
		pi["startCursor"] = fmt.Sprintf("cursor-%d", start)
		pi["endCursor"] = fmt.Sprintf("cursor-%d", end-1)
	}
	return map[string]any{"nodes": page, "edges": edges, "pageInfo": pi}
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	}
	return 0, false
}

// dig reads a nested input value: dig(args, "input", "cprvejkode", "eq").
func dig(m map[string]any, path ...string) any {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

// matchString applies a Daf string filter ({eq}, {in}) to a value.
func matchString(filter any, value string) bool {
	f, ok := filter.(map[string]any)
	if !ok {
		return true
	}
	if eq, ok := f["eq"].(string); ok && eq != value {
		return false
	}
	if in, ok := f["in"].([]any); ok {
		for _, x := range in {
			if s, ok := x.(string); ok && s == value {
				return true
			}
		}
		return false
	}
	return true
}

func str(m map[string]any, path ...string) string {
	var cur any = m
	for _, p := range path {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case person:
			cur = c[p]
		case []any:
			if len(c) == 0 {
				return ""
			}
			mm, _ := c[0].(map[string]any)
			cur = mm[p]
		default:
			return ""
		}
	}
	s, _ := cur.(string)
	return s
}

// publicPersons filters by the public service's input.
func publicPersons(input map[string]any) []any {
	var out []any
	for _, p := range persons() {
		m := map[string]any(p)
		if !matchString(dig(input, "personnummer", "personnummer"), str(m, "personnummer")) ||
			!matchString(dig(input, "cprAdresse", "cprkommunekode"), str(m, "adresseoplysninger", "cprAdresse", "cprkommunekode")) ||
			!matchString(input["cprvejkode"], str(m, "adresseoplysninger", "cprAdresse", "cprvejkode")) ||
			!matchString(input["husnummer"], str(m, "adresseoplysninger", "cprAdresse", "husnummer")) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// privatePersons filters by the private service's input.
func privatePersons(input map[string]any) []any {
	var out []any
	for _, p := range persons() {
		m := map[string]any(p)
		if v, ok := input["personnummer"].(string); ok && v != str(m, "personnummer") {
			continue
		}
		if v, ok := input["foedselsdato"].(string); ok && v != str(m, "foedselsdato") {
			continue
		}
		if n, ok := input["navn"].(map[string]any); ok {
			if f, ok := n["fornavn"].(string); ok && !strings.EqualFold(f, str(m, "navn", "fornavn")) {
				continue
			}
			if e, ok := n["efternavn"].(string); ok && !strings.EqualFold(e, str(m, "navn", "efternavn")) {
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// eventItems filters events by eventid/entityname.
func eventItems(where map[string]any) []any {
	var out []any
	for _, e := range events(25) {
		if !matchString(where["entityname"], e["entityname"].(string)) {
			continue
		}
		if f, ok := where["eventid"].(map[string]any); ok {
			id := e["eventid"].(int)
			if gt, ok := toInt(f["gt"]); ok && id <= gt {
				continue
			}
			if gte, ok := toInt(f["gte"]); ok && id < gte {
				continue
			}
		}
		out = append(out, e)
	}
	return out
}
