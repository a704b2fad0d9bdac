package gql

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Level is how sure cprready is of a fact about the platform, as
// platform.md labels it: C confirmed, I inferred, U unknown.
type Level string

// The levels.
const (
	Confirmed Level = "C"
	Inferred  Level = "I"
	Unknown   Level = "U"
)

// UnknownType is the placeholder scalar of a reference schema for a field
// that exists on the platform but whose sub-fields are unknown.
const UnknownType = "CPR_Unknown"

var levelRe = regexp.MustCompile(`\[([CIU])\]`)

// EvidenceOf reads a reference schema's description: its level is the
// weakest tag it carries ([C], [I], [U]); "" when it carries none (a
// schema fetched from the platform has no labels).
func EvidenceOf(desc string) Level {
	best := Level("")
	for _, m := range levelRe.FindAllStringSubmatch(desc, -1) {
		switch l := Level(m[1]); {
		case l == Unknown, l == Inferred && best != Unknown, best == "":
			best = l
		}
	}
	return best
}

// Warning is a part of a valid query that rests on inference: a field,
// argument or input field the reference schema labels I or U.
type Warning = Problem

// InferredParts lists what a valid query uses that the schema labels I or U,
// once per schema coordinate (Type.field), at its first use.
func InferredParts(s *ast.Schema, doc *ast.QueryDocument) []Warning {
	w := &evidenceWalker{schema: s, doc: doc, seen: map[string]bool{}}
	for _, op := range doc.Operations {
		w.selectionSet(op.SelectionSet, 0)
	}
	for _, f := range doc.Fragments {
		w.selectionSet(f.SelectionSet, 0)
	}
	return w.out
}

type evidenceWalker struct {
	schema *ast.Schema
	doc    *ast.QueryDocument
	seen   map[string]bool
	out    []Warning
}

func (w *evidenceWalker) note(pos *ast.Position, coord, desc string) {
	level := EvidenceOf(desc)
	if (level != Inferred && level != Unknown) || w.seen[coord] {
		return
	}
	w.seen[coord] = true
	why := "inferred, not confirmed on the platform"
	if level == Unknown {
		why = "not known to cprready"
	}
	p := Warning{Message: fmt.Sprintf("%s is %s: %s", coord, why, evidenceText(desc)),
		Fix: "Confirm it against the platform's own schema (`cprready schema fetch`), or use a confirmed field."}
	if pos != nil {
		p.Line, p.Column = pos.Line, pos.Column
	}
	w.out = append(w.out, p)
}

// evidenceText is a description without its layout and level tags, for
// a message ("[I] As the public service." → "As the public service.").
func evidenceText(desc string) string {
	return strings.Join(strings.Fields(levelRe.ReplaceAllString(desc, "")), " ")
}

func (w *evidenceWalker) selectionSet(set ast.SelectionSet, depth int) {
	if depth > 64 {
		return
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			w.field(s, depth)
		case *ast.InlineFragment:
			w.selectionSet(s.SelectionSet, depth+1)
		}
	}
}

func (w *evidenceWalker) field(f *ast.Field, depth int) {
	def := f.Definition
	if def == nil || f.Name == "__typename" {
		return
	}
	parent := ""
	if f.ObjectDefinition != nil {
		parent = f.ObjectDefinition.Name
	}
	w.note(f.Position, parent+"."+f.Name, def.Description)
	for _, a := range f.Arguments {
		if ad := def.Arguments.ForName(a.Name); ad != nil {
			w.note(a.Position, parent+"."+f.Name+"("+a.Name+":)", ad.Description)
		}
		w.value(a.Value, 0)
	}
	w.selectionSet(f.SelectionSet, depth+1)
}

func (w *evidenceWalker) value(v *ast.Value, depth int) {
	if v == nil || depth > 32 {
		return
	}
	switch v.Kind {
	case ast.ObjectValue:
		for _, c := range v.Children {
			if v.Definition != nil {
				if fd := v.Definition.Fields.ForName(c.Name); fd != nil {
					w.note(c.Position, v.Definition.Name+"."+c.Name, fd.Description)
				}
			}
			w.value(c.Value, depth+1)
		}
	case ast.ListValue:
		for _, c := range v.Children {
			w.value(c.Value, depth+1)
		}
	}
}

// splitUnknown separates gqlparser's complaints about selections under an
// UnknownType field (the platform has sub-fields there that cprready does
// not know) from real errors: those become warnings.
func splitUnknown(ps []Problem) (errs, warns []Problem) {
	for _, p := range ps {
		if !strings.Contains(p.Message, `"`+UnknownType+`"`) {
			errs = append(errs, p)
			continue
		}
		if strings.Contains(p.Message, "must not have a selection") {
			name := between(p.Message, `Field "`, `"`)
			p.Message = fmt.Sprintf("%s exists on the platform, but its sub-fields are not known to cprready (U): what is selected under it is not checked", name)
			p.Fix = "Check the selection against the platform's own schema (`cprready schema fetch`)."
			warns = append(warns, p)
		}
	}
	return errs, warns
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	s = s[i+len(a):]
	if before, _, ok := strings.Cut(s, b); ok {
		return before
	}
	return s
}
