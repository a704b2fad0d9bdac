package schema

import (
	"context"
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/platform"
)

// Target is a schema a query is validated against, and what to call it.
type Target struct {
	Schema *ast.Schema
	Name   string
}

// Validator picks, for each query, the schema to judge it by: a fixed
// one (--schema FILE), else the cached live schema of the service whose
// root field the query asks for, else cprready's reference schema of that
// service at the version (the platform serves v1 and v2; the reference
// labels every field with its evidence).
type Validator struct {
	Fixed   *Target
	Cached  map[platform.Service]*Target
	Version string // reference version; "" = each service's default
}

// Outcome is one query judged.
type Outcome struct {
	Against  string
	Problems []gql.Problem
	Warnings []gql.Problem
	// Hint says what else would accept the query (another version).
	Hint string
}

// Failed reports a query the platform would reject, or, strictly, one
// that rests on inferred or unknown parts.
func (o Outcome) Failed(strict bool) bool {
	return len(o.Problems) > 0 || strict && len(o.Warnings) > 0
}

// Validate judges one query.
func (v Validator) Validate(ctx context.Context, query string) Outcome {
	if v.Fixed != nil {
		r := gql.Check(ctx, v.Fixed.Schema, query, nil)
		return Outcome{Against: v.Fixed.Name, Problems: r.Problems, Warnings: r.Warnings}
	}
	svc, ok := ServiceOf(query)
	if !ok {
		svc = platform.Public // let validation report what is wrong
	}
	if t := v.Cached[svc]; t != nil {
		// The cached schema is the server's: its names in a message are
		// text from a server, marked as such for the final gate.
		r := gql.Check(ctx, t.Schema, query, nil)
		return Outcome{Against: t.Name, Problems: serverText(r.Problems), Warnings: serverText(r.Warnings)}
	}
	version := v.Version
	if version == "" || !svc.ValidVersion(version) {
		version = svc.DefaultVersion()
	}
	s, err := platform.Schema(svc, version)
	if err != nil {
		return Outcome{Against: "the reference schema", Problems: []gql.Problem{{Line: 1, Column: 1, Message: err.Error()}}}
	}
	r := gql.Check(ctx, s, query, nil)
	out := Outcome{Against: fmt.Sprintf("cprready's reference schema of the %s service %s", svc, version), Problems: r.Problems, Warnings: r.Warnings}
	if len(out.Problems) > 0 && r.Doc != nil {
		for _, other := range svc.Versions() {
			if other == version {
				continue
			}
			if alt, err := platform.Schema(svc, other); err == nil && len(gql.Check(ctx, alt, query, nil).Problems) == 0 {
				out.Hint = fmt.Sprintf("the query is valid against %s %s: set endpoints.service_version: %s in the profile, or pass --version %s", svc, other, other, other)
			}
		}
	}
	return out
}

// ServiceOf finds the service whose query or subscription root holds
// the query's first root field.
func ServiceOf(query string) (platform.Service, bool) {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil || len(doc.Operations) == 0 {
		return "", false
	}
	root := ""
	for _, sel := range doc.Operations[0].SelectionSet {
		if f, ok := sel.(*ast.Field); ok && !strings.HasPrefix(f.Name, "__") {
			root = f.Name
			break
		}
	}
	for _, svc := range platform.Services() {
		s, err := platform.Schema(svc, svc.DefaultVersion())
		if err != nil {
			continue
		}
		for _, def := range []*ast.Definition{s.Query, s.Subscription} {
			if def != nil && def.Fields.ForName(root) != nil {
				return svc, true
			}
		}
	}
	return "", false
}

// serverText marks problems' messages as text from a server.
func serverText(ps []gql.Problem) []gql.Problem {
	for i := range ps {
		ps[i].Message = redact.Server(ps[i].Message).String()
	}
	return ps
}
