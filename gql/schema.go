// Package gql holds Datafordeleren's GraphQL rules: loading the platform's
// SDL (Hot Chocolate style, with @cost, @listSize and directives it may not
// declare) and validating queries with gqlparser plus the platform's own
// rules (no aliases, one root field, mandatory selections, list limits).
// The emulator, `schema validate` and `migrate` all use it.
package gql

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// MaxSDL bounds a schema document.
const MaxSDL = 16 << 20

// LoadSchema parses and validates an SDL document. Directives that the
// document uses without declaring them are declared (the platform adds
// directives over time; a schema tool must not break on them), and
// redeclarations of built-in directives are dropped in favour of the prelude.
func LoadSchema(name string, sdl []byte) (s *ast.Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("%s: the schema could not be parsed", name)
		}
	}()
	if len(sdl) > MaxSDL {
		return nil, fmt.Errorf("%s: the schema is larger than %d bytes", name, MaxSDL)
	}
	doc, perr := parser.ParseSchemas(validator.Prelude, &ast.Source{Name: name, Input: string(sdl)})
	if perr != nil {
		return nil, positioned(name, perr)
	}
	builtin := map[string]bool{}
	for _, d := range validator.PreludeDocument().Directives {
		builtin[d.Name] = true
	}
	declared := map[string]bool{}
	var kept ast.DirectiveDefinitionList
	for _, d := range doc.Directives {
		if d.Position != nil && d.Position.Src != nil && !d.Position.Src.BuiltIn && builtin[d.Name] {
			continue // the platform redefines @specifiedBy; keep the prelude's
		}
		declared[d.Name] = true
		kept = append(kept, d)
	}
	doc.Directives = kept
	needAny := false
	for _, used := range usedDirectives(doc) {
		if declared[used.name] {
			continue
		}
		declared[used.name] = true
		var args ast.ArgumentDefinitionList
		for _, a := range used.args {
			args = append(args, &ast.ArgumentDefinition{Name: a, Type: ast.NamedType(anyScalar, nil)})
			needAny = true
		}
		doc.Directives = append(doc.Directives, &ast.DirectiveDefinition{
			Name: used.name, IsRepeatable: true, Position: &ast.Position{Src: validator.Prelude},
			Arguments: args, Locations: allLocations,
		})
	}
	if needAny {
		doc.Definitions = append(doc.Definitions, &ast.Definition{Kind: ast.Scalar, Name: anyScalar, Position: &ast.Position{Src: validator.Prelude}})
	}
	schema, verr := validator.ValidateSchemaDocument(doc)
	if verr != nil {
		return nil, positioned(name, verr)
	}
	return schema, nil
}

var allLocations = []ast.DirectiveLocation{
	ast.LocationSchema, ast.LocationScalar, ast.LocationObject, ast.LocationFieldDefinition,
	ast.LocationArgumentDefinition, ast.LocationInterface, ast.LocationUnion, ast.LocationEnum,
	ast.LocationEnumValue, ast.LocationInputObject, ast.LocationInputFieldDefinition,
}

// anyScalar types the arguments of directives the schema uses without
// declaring them; a custom scalar accepts any literal.
const anyScalar = "CprreadyUndeclaredDirectiveArgument"

type usedDirective struct {
	name string
	args []string
}

func usedDirectives(doc *ast.SchemaDocument) []usedDirective {
	idx := map[string]int{}
	var out []usedDirective
	add := func(ds ast.DirectiveList) {
		for _, d := range ds {
			i, ok := idx[d.Name]
			if !ok {
				i = len(out)
				idx[d.Name] = i
				out = append(out, usedDirective{name: d.Name})
			}
			for _, a := range d.Arguments {
				if !slices.Contains(out[i].args, a.Name) {
					out[i].args = append(out[i].args, a.Name)
				}
			}
		}
	}
	for _, defs := range []ast.DefinitionList{doc.Definitions, doc.Extensions} {
		for _, def := range defs {
			add(def.Directives)
			for _, f := range def.Fields {
				add(f.Directives)
				for _, a := range f.Arguments {
					add(a.Directives)
				}
			}
			for _, e := range def.EnumValues {
				add(e.Directives)
			}
		}
	}
	for _, s := range doc.Schema {
		add(s.Directives)
	}
	return out
}

// positioned renders a gqlparser error as name:line:col: message.
func positioned(name string, err error) error {
	var ge *gqlerror.Error
	if errors.As(err, &ge) {
		return fmt.Errorf("%s", formatGQLError(name, ge))
	}
	var list gqlerror.List
	if errors.As(err, &list) && len(list) > 0 {
		var parts []string
		for _, e := range list {
			parts = append(parts, formatGQLError(name, e))
		}
		return fmt.Errorf("%s", strings.Join(parts, "\n"))
	}
	return fmt.Errorf("%s: %w", name, err)
}

func formatGQLError(name string, e *gqlerror.Error) string {
	if len(e.Locations) > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", name, e.Locations[0].Line, e.Locations[0].Column, e.Message)
	}
	return fmt.Sprintf("%s: %s", name, e.Message)
}

// RootFields lists the query root's field names.
func RootFields(s *ast.Schema) []string {
	var out []string
	if s == nil || s.Query == nil {
		return nil
	}
	for _, f := range s.Query.Fields {
		if !strings.HasPrefix(f.Name, "__") {
			out = append(out, f.Name)
		}
	}
	return out
}
