package emulator

import (
	"fmt"
	"strconv"
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
	case string:
		i, err := strconv.Atoi(n)
		return i, err == nil
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

// asList applies GraphQL's input coercion: a single value given where a
// list is expected is a list of one (in: "0101341235").
func asList(v any) []any {
	switch l := v.(type) {
	case nil:
		return nil
	case []any:
		return l
	}
	return []any{v}
}

// matchString applies a Daf string filter ({eq}, {in}) to a value; every
// operator given must hold (a filter that matches nobody returns nobody).
// It compares exactly, as DAR and CVR do, unless fold (Config.EqFold: for
// CPR it is not known, platform.ConvEqExact).
func matchString(filter any, value any, fold bool) bool {
	f, ok := filter.(map[string]any)
	if !ok {
		return true
	}
	v, _ := value.(string)
	same := func(x any) bool {
		s, ok := x.(string)
		if !ok {
			return false
		}
		if fold {
			return strings.EqualFold(s, v)
		}
		return s == v
	}
	if eq, ok := f["eq"]; ok && eq != nil && !same(eq) {
		return false
	}
	if in, ok := f["in"]; ok && in != nil {
		hit := false
		for _, x := range asList(in) {
			hit = hit || same(x)
		}
		if !hit {
			return false
		}
	}
	return true
}

// matchLong applies a Daf number filter (eq, in, gt, gte, lt, lte and
// their negations).
func matchLong(filter any, value int) bool {
	f, ok := filter.(map[string]any)
	if !ok {
		return true
	}
	for op, arg := range f {
		if arg == nil {
			continue
		}
		if op == "in" {
			hit := false
			for _, x := range asList(arg) {
				if n, ok := toInt(x); ok && n == value {
					hit = true
				}
			}
			if !hit {
				return false
			}
			continue
		}
		n, ok := toInt(arg)
		if !ok {
			return false
		}
		var holds bool
		switch strings.TrimPrefix(op, "n") {
		case "eq":
			holds = value == n
		case "gt":
			holds = value > n
		case "gte":
			holds = value >= n
		case "lt":
			holds = value < n
		case "lte":
			holds = value <= n
		}
		if strings.HasPrefix(op, "n") && op != "eq" {
			holds = !holds
		}
		if !holds {
			return false
		}
	}
	return true
}

func get(m map[string]any, path ...string) any {
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

// anyAddress reports whether one of the person's addresses satisfies ok.
func anyAddress(p person, ok func(a map[string]any) bool) bool {
	for _, x := range asList(p["adresseoplysninger"]) {
		if a, isMap := x.(map[string]any); isMap && ok(a) {
			return true
		}
	}
	return false
}

// publicPersons applies every filter of the public service's input; fold
// makes eq compare case-insensitively (Config.EqFold).
func publicPersons(input map[string]any, fold bool) []any {
	var out []any
	for _, p := range persons() {
		if !matchString(dig(input, "personnummer", "personnummer"), p["personnummer"], fold) {
			continue
		}
		if input["adresseoplysninger"] != nil || input["cprAdresse"] != nil || input["cprvejkode"] != nil || input["husnummer"] != nil {
			if !anyAddress(p, func(a map[string]any) bool {
				return matchString(dig(input, "adresseoplysninger", "status"), a["status"], fold) &&
					matchString(dig(input, "cprAdresse", "cprkommunekode"), get(a, "cprAdresse", "cprkommunekode"), fold) &&
					matchString(input["cprvejkode"], get(a, "cprAdresse", "cprvejkode"), fold) &&
					matchString(input["husnummer"], get(a, "cprAdresse", "husnummer"), fold)
			}) {
				continue
			}
		}
		out = append(out, map[string]any(p))
	}
	return out
}

// privatePersons applies every filter of the private service's input. Its
// input holds look-up values, not the platform's eq filters; how it
// compares them is not known (U): case-insensitively here.
func privatePersons(input map[string]any) []any {
	var out []any
	eq := func(want any, have any) bool {
		w, ok := want.(string)
		h, _ := have.(string)
		return !ok || strings.EqualFold(w, h)
	}
	for _, p := range persons() {
		if !eq(input["personnummer"], p["personnummer"]) || !eq(input["foedselsdato"], p["foedselsdato"]) ||
			!eq(dig(input, "navn", "fornavn"), get(p["navn"].(map[string]any), "fornavn")) ||
			!eq(dig(input, "navn", "efternavn"), get(p["navn"].(map[string]any), "efternavn")) {
			continue
		}
		if a, ok := input["adresse"].(map[string]any); ok {
			if !anyAddress(p, func(x map[string]any) bool {
				return eq(a["vejnavn"], get(x, "cprAdresse", "vejnavn")) && eq(a["husnummer"], get(x, "cprAdresse", "husnummer")) && eq(a["postnummer"], get(x, "cprAdresse", "postnummer"))
			}) {
				continue
			}
		}
		out = append(out, map[string]any(p))
	}
	return out
}

// matchEvent applies an events filter (entityname, eventid, and: […]).
func matchEvent(where map[string]any, e map[string]any, depth int) bool {
	if where == nil {
		return true
	}
	if depth > 16 {
		return false
	}
	if !matchString(where["entityname"], e["entityname"], false) {
		return false
	}
	if id, _ := toInt(e["eventid"]); !matchLong(where["eventid"], id) {
		return false
	}
	for _, sub := range asList(where["and"]) {
		if m, ok := sub.(map[string]any); ok && !matchEvent(m, e, depth+1) {
			return false
		}
	}
	return true
}

// eventItems filters the events.
func eventItems(where map[string]any) []any {
	var out []any
	for _, e := range events(eventCount) {
		if matchEvent(where, e, 0) {
			out = append(out, e)
		}
	}
	return out
}
