package profile

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// MaxNesting bounds the open brackets ([ and {) at any point of a profile,
// and MaxIndent its indentation: a real profile uses a few of each.
const (
	MaxNesting = 64
	MaxIndent  = 256
)

// tooDeep finds where the text nests deeper than a profile can (brackets
// are counted wherever they are, quoted or not: nobody writes 64 of them
// in a value); it returns the line and the message, or 0.
func tooDeep(data []byte) (int, string) {
	depth, line, col := 0, 1, 0
	indenting := true
	for _, c := range data {
		switch c {
		case '\n':
			line, col, indenting = line+1, 0, true
			continue
		case ' ', '\t':
			if indenting {
				col++
				if col > MaxIndent {
					return line, fmt.Sprintf("the profile is indented more than %d columns here; a profile is a few levels deep", MaxIndent)
				}
			}
			continue
		case '[', '{':
			depth++
			if depth > MaxNesting {
				return line, fmt.Sprintf("the profile nests more than %d levels of [ and { here; a profile is a few levels deep", MaxNesting)
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
		indenting = false
	}
	return 0, ""
}

// expandedSize counts the nodes under n with every alias expanded to the
// size of its anchor, stopping once the count passes limit. It returns
// the count and the token where the limit was passed.
func expandedSize(n ast.Node, limit int) (int, *token.Token) {
	anchors := map[string]int{}
	var at *token.Token
	var size func(ast.Node, int) int
	size = func(n ast.Node, depth int) int {
		if n == nil {
			return 0
		}
		if depth > 256 {
			return limit + 1
		}
		total := 1
		add := func(k int) {
			total = min(total+k, limit+1)
			if total > limit && at == nil {
				at = n.GetToken()
			}
		}
		switch v := n.(type) {
		case *ast.MappingNode:
			for _, mv := range v.Values {
				add(size(mv, depth+1))
			}
		case *ast.MappingValueNode:
			add(size(v.Key, depth+1))
			add(size(v.Value, depth+1))
		case *ast.SequenceNode:
			for _, it := range v.Values {
				add(size(it, depth+1))
			}
		case *ast.TagNode:
			add(size(v.Value, depth+1))
		case *ast.AnchorNode:
			k := size(v.Value, depth+1)
			if v.Name != nil {
				anchors[v.Name.GetToken().Value] = k
			}
			add(k)
		case *ast.AliasNode:
			if v.Value != nil {
				add(anchors[v.Value.GetToken().Value])
			}
		}
		return total
	}
	return size(n, 0), at
}
