package gql

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
)

// MaxFieldVisits bounds the work of validating a query: the fields an
// operation selects once every fragment is spread where it is used. A
// query of the platform's clients selects a few hundred; a ~1 KB document
// whose fragment i spreads fragment i-1 twice selects 2^n, and would keep
// any validator busy for minutes (measured: n=24, four minutes).
const MaxFieldVisits = 10_000

// overBudget reports an operation that selects more than MaxFieldVisits
// fields once its fragments are spread, at its position. Each fragment's
// size is counted once (memoised), so the count itself is linear in the
// document; a fragment that spreads itself counts nothing more (the
// validator reports the cycle).
func overBudget(doc *ast.QueryDocument) *Problem {
	b := budget{doc: doc, memo: map[string]int{}, busy: map[string]bool{}, names: map[string]map[string]int{}}
	if p := b.repeated(doc); p != nil {
		return p
	}
	for _, op := range doc.Operations {
		if n := b.set(op.SelectionSet); n > MaxFieldVisits {
			p := Problem{Line: 1, Column: 1,
				Message: fmt.Sprintf("the query selects more than %d fields once its fragments are spread (fragments that spread other fragments more than once multiply); the platform bounds a query's work", MaxFieldVisits),
				Fix:     "Spread each fragment once, or write its fields out where they are needed; select only the fields you use."}
			if op.Position != nil {
				p.Line, p.Column = op.Position.Line, op.Position.Column
			}
			return &p
		}
	}
	return nil
}

// MaxRepeats bounds how often one field (one response name) is selected
// in one selection set, fragments merged: comparing the repeats is the
// validator's quadratic step (10,000 repeats took six seconds). The
// platform's clients select a field once.
const MaxRepeats = 100

type budget struct {
	doc   *ast.QueryDocument
	memo  map[string]int
	busy  map[string]bool
	names map[string]map[string]int // a fragment's top-level response names
}

// repeated reports a selection set, anywhere in the document, that
// selects one response name more than MaxRepeats times.
func (b *budget) repeated(doc *ast.QueryDocument) *Problem {
	var found *Problem
	var walk func(ss ast.SelectionSet, pos *ast.Position)
	walk = func(ss ast.SelectionSet, pos *ast.Position) {
		if found != nil {
			return
		}
		for name, n := range b.topNames(ss, 0) {
			if n > MaxRepeats {
				p := Problem{Line: 1, Column: 1,
					Message: fmt.Sprintf("%s is selected %d times in one selection (at most %d): the platform bounds a query's work", name, n, MaxRepeats),
					Fix:     "Select each field once."}
				if pos != nil {
					p.Line, p.Column = pos.Line, pos.Column
				}
				found = &p
				return
			}
		}
		for _, sel := range ss {
			switch s := sel.(type) {
			case *ast.Field:
				walk(s.SelectionSet, s.Position)
			case *ast.InlineFragment:
				walk(s.SelectionSet, s.Position)
			}
		}
	}
	for _, op := range doc.Operations {
		walk(op.SelectionSet, op.Position)
	}
	for _, fr := range doc.Fragments {
		walk(fr.SelectionSet, fr.Position)
	}
	return found
}

// topNames counts a selection set's response names, inline fragments and
// spread fragments merged in (each fragment counted once, memoised).
func (b *budget) topNames(ss ast.SelectionSet, depth int) map[string]int {
	out := map[string]int{}
	if depth > 64 {
		return out
	}
	for _, sel := range ss {
		switch s := sel.(type) {
		case *ast.Field:
			name := s.Alias
			if name == "" {
				name = s.Name
			}
			out[name] = min(out[name]+1, MaxFieldVisits+1)
		case *ast.InlineFragment:
			for k, n := range b.topNames(s.SelectionSet, depth+1) {
				out[k] = min(out[k]+n, MaxFieldVisits+1)
			}
		case *ast.FragmentSpread:
			m, ok := b.names[s.Name]
			if !ok {
				b.names[s.Name] = map[string]int{} // a cycle counts nothing more
				if fr := b.doc.Fragments.ForName(s.Name); fr != nil {
					m = b.topNames(fr.SelectionSet, depth+1)
				}
				b.names[s.Name] = m
			}
			for k, n := range m {
				out[k] = min(out[k]+n, MaxFieldVisits+1)
			}
		}
	}
	return out
}

// set counts a selection set's fields with fragments spread, saturating
// just above the bound.
func (b *budget) set(ss ast.SelectionSet) int {
	n := 0
	for _, sel := range ss {
		switch s := sel.(type) {
		case *ast.Field:
			n = capped(n + 1 + b.set(s.SelectionSet))
		case *ast.InlineFragment:
			n = capped(n + b.set(s.SelectionSet))
		case *ast.FragmentSpread:
			n = capped(n + b.fragment(s.Name))
		}
	}
	return n
}

func (b *budget) fragment(name string) int {
	if n, ok := b.memo[name]; ok {
		return n
	}
	fr := b.doc.Fragments.ForName(name)
	if fr == nil || b.busy[name] {
		return 0
	}
	b.busy[name] = true
	n := b.set(fr.SelectionSet)
	b.busy[name] = false
	b.memo[name] = n
	return n
}

func capped(n int) int { return min(n, MaxFieldVisits+1) }
