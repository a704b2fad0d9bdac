// Package schema keeps fetched SDL in the user's cache and compares
// schemas the way graphql-inspector does: breaking, dangerous and safe
// changes, each naming the type and field.
package schema

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cprready/cprready/internal/redact"
	"github.com/vektah/gqlparser/v2/ast"
)

// Criticality of a change.
type Criticality string

// The three classes of graphql-inspector.
const (
	Breaking  Criticality = "breaking"
	Dangerous Criticality = "dangerous"
	Safe      Criticality = "safe"
)

// Change is one difference between two schemas.
type Change struct {
	Criticality Criticality `json:"criticality"`
	Path        string      `json:"path"` // Type, Type.field, Type.field(arg)
	Message     string      `json:"message"`
}

// Marked is the change with its path and message marked as text from a
// server, for the final gate.
func (c Change) Marked() Change {
	return Change{Criticality: c.Criticality, Path: redact.Server(c.Path).String(), Message: redact.Server(c.Message).String()}
}

func (c Change) String() string {
	return fmt.Sprintf("%-9s %s: %s", strings.ToUpper(string(c.Criticality)), c.Path, c.Message)
}

// Diff compares old with new. Built-in types and directives are ignored.
// The schemas are outside text (a server's, a file's): their names in a
// change are marked as such when the change is written (Marked).
func Diff(old, new *ast.Schema) []Change {
	d := &differ{}
	for name, ot := range old.Types {
		if ot.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		nt, ok := new.Types[name]
		if !ok {
			d.add(Breaking, name, fmt.Sprintf("type %s was removed", name))
			continue
		}
		d.typ(ot, nt)
	}
	for name, nt := range new.Types {
		if nt.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		if _, ok := old.Types[name]; !ok {
			d.add(Safe, name, fmt.Sprintf("type %s was added", name))
		}
	}
	d.roots(old, new)
	sort.SliceStable(d.changes, func(i, j int) bool {
		oi, oj := order(d.changes[i].Criticality), order(d.changes[j].Criticality)
		if oi != oj {
			return oi < oj
		}
		return d.changes[i].Path < d.changes[j].Path
	})
	return d.changes
}

func order(c Criticality) int {
	switch c {
	case Breaking:
		return 0
	case Dangerous:
		return 1
	}
	return 2
}

// HasBreaking reports any breaking change.
func HasBreaking(cs []Change) bool {
	for _, c := range cs {
		if c.Criticality == Breaking {
			return true
		}
	}
	return false
}

type differ struct{ changes []Change }

func (d *differ) add(c Criticality, path, msg string) {
	d.changes = append(d.changes, Change{Criticality: c, Path: path, Message: msg})
}

func (d *differ) roots(old, new *ast.Schema) {
	name := func(def *ast.Definition) string {
		if def == nil {
			return ""
		}
		return def.Name
	}
	for _, r := range []struct {
		op       string
		old, new *ast.Definition
	}{{"query", old.Query, new.Query}, {"mutation", old.Mutation, new.Mutation}, {"subscription", old.Subscription, new.Subscription}} {
		if name(r.old) != "" && name(r.old) != name(r.new) {
			d.add(Breaking, "schema."+r.op, fmt.Sprintf("the %s root changed from %s to %q", r.op, name(r.old), name(r.new)))
		}
	}
}

func (d *differ) typ(o, n *ast.Definition) {
	if o.Kind != n.Kind {
		d.add(Breaking, o.Name, fmt.Sprintf("%s changed kind from %s to %s", o.Name, strings.ToLower(string(o.Kind)), strings.ToLower(string(n.Kind))))
		return
	}
	if o.Description != n.Description {
		d.add(Safe, o.Name, "description changed")
	}
	switch o.Kind {
	case ast.Object, ast.Interface:
		d.outputFields(o, n)
		d.interfaces(o, n)
	case ast.InputObject:
		d.inputFields(o, n)
	case ast.Enum:
		d.enum(o, n)
	case ast.Union:
		d.union(o, n)
	}
}

func (d *differ) outputFields(o, n *ast.Definition) {
	for _, of := range o.Fields {
		if strings.HasPrefix(of.Name, "__") {
			continue
		}
		path := o.Name + "." + of.Name
		nf := n.Fields.ForName(of.Name)
		if nf == nil {
			d.add(Breaking, path, "field was removed")
			continue
		}
		if !outputCompatible(of.Type, nf.Type) {
			d.add(Breaking, path, fmt.Sprintf("type changed from %s to %s", of.Type, nf.Type))
		} else if of.Type.String() != nf.Type.String() {
			d.add(Safe, path, fmt.Sprintf("type changed from %s to %s (still compatible)", of.Type, nf.Type))
		}
		d.deprecation(path, of.Directives, nf.Directives)
		if of.Description != nf.Description {
			d.add(Safe, path, "description changed")
		}
		d.arguments(path, of.Arguments, nf.Arguments)
	}
	for _, nf := range n.Fields {
		if o.Fields.ForName(nf.Name) == nil && !strings.HasPrefix(nf.Name, "__") {
			d.add(Safe, o.Name+"."+nf.Name, "field was added")
		}
	}
}

func (d *differ) deprecation(path string, o, n ast.DirectiveList) {
	od, nd := o.ForName("deprecated") != nil, n.ForName("deprecated") != nil
	switch {
	case !od && nd:
		d.add(Dangerous, path, "was deprecated")
	case od && !nd:
		d.add(Safe, path, "is no longer deprecated")
	}
}

func (d *differ) arguments(path string, o, n ast.ArgumentDefinitionList) {
	for _, oa := range o {
		p := fmt.Sprintf("%s(%s)", path, oa.Name)
		na := n.ForName(oa.Name)
		if na == nil {
			d.add(Breaking, p, "argument was removed")
			continue
		}
		if !inputCompatible(oa.Type, na.Type) {
			d.add(Breaking, p, fmt.Sprintf("argument type changed from %s to %s", oa.Type, na.Type))
		} else if oa.Type.String() != na.Type.String() {
			d.add(Safe, p, fmt.Sprintf("argument type changed from %s to %s (still compatible)", oa.Type, na.Type))
		}
		if valueString(oa.DefaultValue) != valueString(na.DefaultValue) {
			d.add(Dangerous, p, fmt.Sprintf("default changed from %s to %s", valueString(oa.DefaultValue), valueString(na.DefaultValue)))
		}
	}
	for _, na := range n {
		if o.ForName(na.Name) != nil {
			continue
		}
		p := fmt.Sprintf("%s(%s)", path, na.Name)
		if na.Type.NonNull && na.DefaultValue == nil {
			d.add(Breaking, p, fmt.Sprintf("required argument %s: %s was added", na.Name, na.Type))
		} else {
			d.add(Dangerous, p, fmt.Sprintf("optional argument %s: %s was added", na.Name, na.Type))
		}
	}
}

func (d *differ) inputFields(o, n *ast.Definition) {
	for _, of := range o.Fields {
		path := o.Name + "." + of.Name
		nf := n.Fields.ForName(of.Name)
		if nf == nil {
			d.add(Breaking, path, "input field was removed")
			continue
		}
		if !inputCompatible(of.Type, nf.Type) {
			d.add(Breaking, path, fmt.Sprintf("input field type changed from %s to %s", of.Type, nf.Type))
		} else if of.Type.String() != nf.Type.String() {
			d.add(Safe, path, fmt.Sprintf("input field type changed from %s to %s (still compatible)", of.Type, nf.Type))
		}
	}
	for _, nf := range n.Fields {
		if o.Fields.ForName(nf.Name) != nil {
			continue
		}
		path := o.Name + "." + nf.Name
		if nf.Type.NonNull && nf.DefaultValue == nil {
			d.add(Breaking, path, fmt.Sprintf("required input field %s: %s was added", nf.Name, nf.Type))
		} else {
			d.add(Dangerous, path, fmt.Sprintf("optional input field %s: %s was added", nf.Name, nf.Type))
		}
	}
}

func (d *differ) enum(o, n *ast.Definition) {
	for _, v := range o.EnumValues {
		if n.EnumValues.ForName(v.Name) == nil {
			d.add(Breaking, o.Name+"."+v.Name, "enum value was removed")
		}
	}
	for _, v := range n.EnumValues {
		if o.EnumValues.ForName(v.Name) == nil {
			d.add(Dangerous, o.Name+"."+v.Name, "enum value was added (clients that switch on it may break)")
		}
	}
}

func (d *differ) union(o, n *ast.Definition) {
	for _, t := range o.Types {
		if !contains(n.Types, t) {
			d.add(Breaking, o.Name, fmt.Sprintf("member %s was removed from the union", t))
		}
	}
	for _, t := range n.Types {
		if !contains(o.Types, t) {
			d.add(Dangerous, o.Name, fmt.Sprintf("member %s was added to the union", t))
		}
	}
}

func (d *differ) interfaces(o, n *ast.Definition) {
	for _, i := range o.Interfaces {
		if !contains(n.Interfaces, i) {
			d.add(Breaking, o.Name, fmt.Sprintf("no longer implements %s", i))
		}
	}
	for _, i := range n.Interfaces {
		if !contains(o.Interfaces, i) {
			d.add(Dangerous, o.Name, fmt.Sprintf("now implements %s", i))
		}
	}
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}

func valueString(v *ast.Value) string {
	if v == nil {
		return "none"
	}
	return v.String()
}

// outputCompatible: a field's new type still satisfies old readers
// (nullable → non-null is fine; the reverse, or another type, breaks).
func outputCompatible(o, n *ast.Type) bool {
	if o.NonNull && !n.NonNull {
		return false
	}
	if (o.Elem == nil) != (n.Elem == nil) {
		return false
	}
	if o.Elem != nil {
		return outputCompatible(o.Elem, n.Elem)
	}
	return o.NamedType == n.NamedType
}

// inputCompatible: old writers' values are still accepted (non-null →
// nullable is fine; nullable → non-null breaks).
func inputCompatible(o, n *ast.Type) bool {
	if !o.NonNull && n.NonNull {
		return false
	}
	if (o.Elem == nil) != (n.Elem == nil) {
		return false
	}
	if o.Elem != nil {
		return inputCompatible(o.Elem, n.Elem)
	}
	return o.NamedType == n.NamedType
}
