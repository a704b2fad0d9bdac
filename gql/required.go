package gql

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cprready/cprready/platform/errcode"

	"github.com/vektah/gqlparser/v2/ast"
)

// DAF-GQL-0009: an entity-based (bitemporal) root field refuses a query
// that gives neither a time argument nor an id filter. Measured on DAR and
// MAT, stated for BBR (platform.Conventions, time-or-id-required); for
// CPR/v1 it is carried over [I]. A root field is bitemporal when it takes
// a time argument, so the rule reads the schema: CPR_AdministrativEnhed
// takes virkningstid and registreringstid; CPR_Events and
// DAF_RegisterImportStatus take none and answer without (recorded on
// CVR/v2 and on the platform's own pages), and the custom person services
// take none.

// TimeArguments are the platform's time arguments.
var TimeArguments = []string{"virkningstid", "registreringstid"}

// IDFilterFields are the filters that stand in for a time argument: DAR
// and MAT name id_lokalId and datafordelerRowId, CVR's entities id.
var IDFilterFields = []string{"id_lokalId", "datafordelerRowId", "id"}

// Bitemporal reports whether a root field takes a time argument.
func Bitemporal(def *ast.FieldDefinition) bool {
	if def == nil {
		return false
	}
	for _, a := range TimeArguments {
		if def.Arguments.ForName(a) != nil {
			return true
		}
	}
	return false
}

// timeOrID adds DAF-GQL-0009 to a bitemporal root field of a query that
// gives neither a time argument nor an id filter.
func (c *ruleChecker) timeOrID(f *ast.Field) {
	if c.op == nil || c.op.Operation != ast.Query || !Bitemporal(f.Definition) {
		return
	}
	for _, a := range f.Arguments {
		if slices.Contains(TimeArguments, a.Name) && c.given(a.Value) {
			return
		}
		if a.Name == "where" && c.idFilter(a.Value, 0) {
			return
		}
	}
	fix := fmt.Sprintf("Add virkningstid: \"2026-12-01T00:00:00Z\" (the moment the data should be as of; registreringstid likewise) to %s", f.Name)
	if f.Definition.Arguments.ForName("where") != nil {
		fix += ", or filter on an id: where: { id_lokalId: { eq: \"…\" } }"
	}
	c.add(f.Position, Problem{
		Message: fmt.Sprintf("%s is an entity-based (bitemporal) entity and the query gives neither virkningstid nor registreringstid nor an id filter: the platform refuses it [I: inferred for CPR/v1, measured on DAR and MAT]", f.Name),
		Code:    errcode.TimeArgument,
		Fix:     fix + ".",
	})
}

// given reports whether an argument's value is there: a literal other
// than null, or a variable the request sets (every variable counts when
// the variables are not known, as in `schema validate`).
func (c *ruleChecker) given(v *ast.Value) bool {
	if v == nil || v.Kind == ast.NullValue {
		return false
	}
	if v.Kind == ast.Variable && c.vars != nil {
		x, ok := c.vars[v.Raw]
		return ok && x != nil
	}
	return true
}

// idFilter reports whether a where value filters on an id field, at its
// top or inside and: […].
func (c *ruleChecker) idFilter(v *ast.Value, depth int) bool {
	if v == nil || depth > 8 {
		return false
	}
	if v.Kind == ast.Variable {
		if c.vars == nil {
			return true // the variables are not known: it may be an id filter
		}
		return c.idFilterVar(c.vars[v.Raw], 0)
	}
	for _, child := range v.Children {
		switch {
		case slices.Contains(IDFilterFields, child.Name) && c.given(child.Value):
			return true
		case child.Name == "and" && child.Value != nil:
			for _, item := range child.Value.Children {
				if c.idFilter(item.Value, depth+1) {
					return true
				}
			}
			if child.Value.Kind == ast.ObjectValue && c.idFilter(child.Value, depth+1) {
				return true
			}
		}
	}
	return false
}

// idFilterVar is idFilter for a where given as a variable.
func (c *ruleChecker) idFilterVar(x any, depth int) bool {
	m, ok := x.(map[string]any)
	if !ok || depth > 8 {
		return false
	}
	for k, v := range m {
		if slices.Contains(IDFilterFields, k) && v != nil {
			return true
		}
		if strings.EqualFold(k, "and") {
			items, _ := v.([]any)
			for _, it := range items {
				if c.idFilterVar(it, depth+1) {
					return true
				}
			}
		}
	}
	return false
}
