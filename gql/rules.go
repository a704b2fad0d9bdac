package gql

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cprready/cprready/platform/errcode"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// Limits of the platform.
const (
	MaxPageSize = 1000
	MaxInList   = 100
)

// MandatoryField is selected on every person object (a type with such a
// field): the platform answers "Required fields are missing in query
// selection: beskyttelser" otherwise.
const MandatoryField = "beskyttelser"

// MandatoryMessage is the platform's own text for a missing mandatory selection.
const MandatoryMessage = "Required fields are missing in query selection: "

// Problem is one thing wrong with a query, where it is, and the fix.
type Problem struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
	Code    string `json:"code,omitempty"` // the platform's error code, when it has one
	Fix     string `json:"fix,omitempty"`
}

func (p Problem) String() string {
	s := fmt.Sprintf("%d:%d: %s", p.Line, p.Column, p.Message)
	if p.Code != "" {
		s += " [" + p.Code + "]"
	}
	return s
}

// MaxQuery bounds a query document.
const MaxQuery = 1 << 20

// ValidateQuery parses a query, validates it against the schema with
// gqlparser's rules and then with the platform's. vars (may be nil) are
// the request's variables, for limits that depend on them. The work is
// bounded (MaxFieldVisits) and stops when ctx ends.
func ValidateQuery(ctx context.Context, s *ast.Schema, query string, vars map[string]any) (*ast.QueryDocument, []Problem) {
	doc, problems, _ := validate(ctx, s, query, vars)
	return doc, problems
}

// validate is ValidateQuery that also returns the warnings about
// selections under UnknownType fields.
func validate(ctx context.Context, s *ast.Schema, query string, vars map[string]any) (doc *ast.QueryDocument, problems, warnings []Problem) {
	defer func() {
		if r := recover(); r != nil {
			doc, problems, warnings = nil, []Problem{{Line: 1, Column: 1, Message: "the query could not be parsed"}}, nil
		}
	}()
	if len(query) > MaxQuery {
		return nil, []Problem{{Line: 1, Column: 1, Message: fmt.Sprintf("the query is larger than %d bytes", MaxQuery)}}, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err), nil
	}
	doc, err := parser.ParseQuery(&ast.Source{Name: "query", Input: query})
	if err != nil {
		return nil, []Problem{syntaxProblem(query, fromGQL(gqlerror.List{asGQL(err)})[0])}, nil
	}
	// Every later walk (gqlparser's rules, the platform's, the inferred
	// parts) goes through the fragments spread: their expanded size is
	// bounded first, in time linear in the document.
	if p := overBudget(doc); p != nil {
		return doc, []Problem{*p}, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err), nil
	}
	if errs := validator.ValidateWithRules(s, doc, nil); len(errs) > 0 {
		var real []Problem
		real, warnings = splitUnknown(fromGQL(errs))
		if len(real) > 0 {
			return doc, real, nil
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err), nil
	}
	return doc, PlatformRules(s, doc, vars), warnings
}

// cancelled is the one problem of a validation cut short.
func cancelled(err error) []Problem {
	return []Problem{{Line: 1, Column: 1, Message: "validation stopped: " + err.Error()}}
}

// Result is a query judged against a schema: its problems (the platform
// would reject it) and its warnings (it passes, but rests on parts that
// are inferred or unknown).
type Result struct {
	Doc      *ast.QueryDocument
	Problems []Problem
	Warnings []Warning
}

// Check validates a query like ValidateQuery and also lists what it uses
// that the (reference) schema labels I or U.
func Check(ctx context.Context, s *ast.Schema, query string, vars map[string]any) Result {
	doc, problems, warnings := validate(ctx, s, query, vars)
	r := Result{Doc: doc, Problems: problems, Warnings: warnings}
	if doc == nil || len(problems) > 0 {
		return r
	}
	r.Warnings = append(r.Warnings, InferredParts(s, doc)...)
	sort.SliceStable(r.Warnings, func(i, j int) bool {
		if r.Warnings[i].Line != r.Warnings[j].Line {
			return r.Warnings[i].Line < r.Warnings[j].Line
		}
		return r.Warnings[i].Column < r.Warnings[j].Column
	})
	return r
}

func asGQL(err error) *gqlerror.Error {
	var ge *gqlerror.Error
	if errors.As(err, &ge) {
		return ge
	}
	return &gqlerror.Error{Message: err.Error()}
}

func fromGQL(errs gqlerror.List) []Problem {
	var out []Problem
	for _, e := range errs {
		p := Problem{Line: 1, Column: 1, Message: e.Message}
		if len(e.Locations) > 0 {
			p.Line, p.Column = e.Locations[0].Line, e.Locations[0].Column
		}
		if strings.Contains(e.Message, "__schema") || strings.Contains(e.Message, "__type") {
			p.Code = errcode.Introspection
		}
		out = append(out, p)
	}
	return out
}

// PlatformRules applies Datafordeleren's own rules to a valid document.
func PlatformRules(s *ast.Schema, doc *ast.QueryDocument, vars map[string]any) []Problem {
	c := &ruleChecker{schema: s, doc: doc, vars: vars}
	for _, op := range doc.Operations {
		c.op = op
		c.rootFields(op)
		c.selectionSet(op.SelectionSet, 0)
	}
	for _, f := range doc.Fragments {
		c.op = nil
		c.selectionSet(f.SelectionSet, 0)
	}
	sort.SliceStable(c.problems, func(i, j int) bool {
		if c.problems[i].Line != c.problems[j].Line {
			return c.problems[i].Line < c.problems[j].Line
		}
		return c.problems[i].Column < c.problems[j].Column
	})
	return c.problems
}

type ruleChecker struct {
	schema   *ast.Schema
	doc      *ast.QueryDocument
	op       *ast.OperationDefinition
	vars     map[string]any
	problems []Problem
	seen     map[[2]int]bool
}

func (c *ruleChecker) add(pos *ast.Position, p Problem) {
	if pos != nil {
		p.Line, p.Column = pos.Line, pos.Column
	}
	if c.seen == nil {
		c.seen = map[[2]int]bool{}
	}
	key := [2]int{p.Line*1000 + p.Column, len(p.Message)}
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	c.problems = append(c.problems, p)
}

// rootFields: one root field per query (DAF-GQL-0010).
func (c *ruleChecker) rootFields(op *ast.OperationDefinition) {
	fields := collectFields(c.doc, op.SelectionSet, 0)
	var names []string
	for _, f := range fields {
		if f.Name != "__typename" {
			names = append(names, f.Name)
		}
	}
	for _, f := range fields {
		c.timeOrID(f)
	}
	if len(names) > 1 {
		c.add(fields[1].Position, Problem{
			Message: fmt.Sprintf("more than one root field in one query (%s); the platform answers one root field per query", strings.Join(names, ", ")),
			Code:    errcode.OneRootField,
			Fix:     "Send one query per root field.",
		})
	}
}

func (c *ruleChecker) selectionSet(set ast.SelectionSet, depth int) {
	if depth > 64 {
		return
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			c.field(s, depth)
		case *ast.InlineFragment:
			c.selectionSet(s.SelectionSet, depth+1)
		case *ast.FragmentSpread:
			// visited once through doc.Fragments
		}
	}
}

func (c *ruleChecker) field(f *ast.Field, depth int) {
	if f.Alias != "" && f.Alias != f.Name {
		c.add(f.Position, Problem{
			Message: fmt.Sprintf("alias %q on %s: aliases are not allowed", f.Alias, f.Name),
			Code:    errcode.Alias,
			Fix:     fmt.Sprintf("Remove %q and select %s under its own name.", f.Alias+":", f.Name),
		})
	}
	for _, a := range f.Arguments {
		c.value(a.Name, a.Value)
	}
	if f.Definition != nil {
		c.mandatory(f)
	}
	c.selectionSet(f.SelectionSet, depth+1)
}

// value checks argument values: first <= 1000, in-lists <= 100.
func (c *ruleChecker) value(name string, v *ast.Value) {
	if v == nil {
		return
	}
	switch name {
	case "first", "last":
		if n, ok := c.intOf(v); ok && n > MaxPageSize {
			c.add(v.Position, Problem{
				Message: fmt.Sprintf("%s: %d is more than the page size of at most %d", name, n, MaxPageSize),
				Fix:     fmt.Sprintf("Use %s: %d or less and page with after: endCursor.", name, MaxPageSize),
			})
		}
	case "in":
		if n, ok := c.listLen(v); ok && n > MaxInList {
			c.add(v.Position, Problem{
				Message: fmt.Sprintf("an in list of %d values; at most %d are allowed", n, MaxInList),
				Code:    errcode.InListTooLong,
				Fix:     fmt.Sprintf("Split the values into queries of %d or fewer.", MaxInList),
			})
		}
	}
	for _, child := range v.Children {
		c.value(child.Name, child.Value)
	}
}

func (c *ruleChecker) resolveVar(v *ast.Value) (any, bool) {
	if v.Kind != ast.Variable || c.vars == nil {
		return nil, false
	}
	x, ok := c.vars[v.Raw]
	return x, ok
}

func (c *ruleChecker) intOf(v *ast.Value) (int, bool) {
	if v.Kind == ast.IntValue {
		n, err := strconv.Atoi(v.Raw)
		return n, err == nil
	}
	if x, ok := c.resolveVar(v); ok {
		switch n := x.(type) {
		case float64:
			return int(n), true
		case int:
			return n, true
		case int64:
			return int(n), true
		}
	}
	return 0, false
}

func (c *ruleChecker) listLen(v *ast.Value) (int, bool) {
	if v.Kind == ast.ListValue {
		return len(v.Children), true
	}
	if x, ok := c.resolveVar(v); ok {
		if l, ok := x.([]any); ok {
			return len(l), true
		}
	}
	return 0, false
}

// mandatory: every selection of an object type that has a beskyttelser
// field selects it, nested persons included.
func (c *ruleChecker) mandatory(f *ast.Field) {
	if len(f.SelectionSet) == 0 {
		return
	}
	def := c.schema.Types[f.Definition.Type.Name()]
	if def == nil || (def.Kind != ast.Object && def.Kind != ast.Interface) || def.Fields.ForName(MandatoryField) == nil {
		return
	}
	for _, sel := range collectFields(c.doc, f.SelectionSet, 0) {
		if sel.Name == MandatoryField {
			return
		}
	}
	c.add(f.Position, Problem{
		Message: MandatoryMessage + MandatoryField + fmt.Sprintf(" (on %s)", f.Name),
		Fix:     fmt.Sprintf("Select %s { beskyttelsestype status virkningfra virkningtil } inside %s: it is mandatory on every person object, nested ones included.", MandatoryField, f.Name),
	})
}

// CollectFields flattens a selection set through inline and named fragments.
func CollectFields(doc *ast.QueryDocument, set ast.SelectionSet) []*ast.Field {
	return collectFields(doc, set, 0)
}

// collectFields flattens a selection set through fragments.
func collectFields(doc *ast.QueryDocument, set ast.SelectionSet, depth int) []*ast.Field {
	if depth > 32 {
		return nil
	}
	var out []*ast.Field
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			out = append(out, s)
		case *ast.InlineFragment:
			out = append(out, collectFields(doc, s.SelectionSet, depth+1)...)
		case *ast.FragmentSpread:
			if fr := doc.Fragments.ForName(s.Name); fr != nil {
				out = append(out, collectFields(doc, fr.SelectionSet, depth+1)...)
			}
		}
	}
	return out
}
