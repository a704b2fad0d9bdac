package gql

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cprready/cprready/platform/errcode"
)

// What the platform itself answers, where it is recorded: the emulator
// answers in these words, `schema validate` explains in its own.

// InListMessage is the platform's words for an in list over MaxInList
// (DAF-GQL-0016, measured on DAR/v3 by Adamsinator/bolig-tracker).
const InListMessage = "The number of elements in the supplied 'in' list is not allowed to exceed 100"

// PlatformMessage is the message the platform answers a problem with:
// its recorded words where they are known, else the problem's own.
func PlatformMessage(p Problem) string {
	switch {
	case p.Code == errcode.InListTooLong:
		return InListMessage
	case strings.HasPrefix(p.Message, MandatoryMessage):
		return MandatoryMessage + MandatoryField
	}
	return p.Message
}

// AnsweredAtExecution reports the codes the platform answers as the
// query runs rather than by rejecting the request: HTTP 200 whatever the
// Accept header, errors with a path, and the root field null in data.
// Recorded for DAF-GQL-0009 on CVR/v2 (bergholdt/cvrvaelger,
// navn_missing_filter.yml, under Accept: application/json); under
// application/graphql-response+json it follows from GraphQL over HTTP (a
// response with data is 2xx) [I].
func AnsweredAtExecution(code string) bool { return code == errcode.TimeArgument }

// syntaxProblem is a parse error as the platform reports it (HC0011),
// with a fix when the document uses a letter the platform's names never
// have.
func syntaxProblem(query string, p Problem) Problem {
	p.Code = errcode.Syntax
	word := wordAt(query, p.Line, p.Column)
	if strings.IndexFunc(word, func(r rune) bool { return r > unicode.MaxASCII }) < 0 {
		return p
	}
	p.Message = fmt.Sprintf("the name %s holds a letter no name of the platform has, so the query does not parse (%s)", word, p.Message)
	p.Fix = "The platform's names are ASCII letters, digits and _: take the name as the schema spells it (`cprready schema fetch`)."
	if ascii := Transliterate(word); isName(ascii) {
		p.Fix = fmt.Sprintf("The platform's names are ASCII (æ→ae, ø→oe, å→aa): write %s, not %s.", ascii, word)
	}
	return p
}

// Transliterate writes Danish letters as the platform's names do (æ→ae,
// ø→oe, å→aa: foraeldreoplysninger, boern, byg026Opfoerelsesaar).
func Transliterate(s string) string {
	return strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa", "Æ", "Ae", "Ø", "Oe", "Å", "Aa").Replace(s)
}

func isName(s string) bool {
	for i, r := range s {
		if r != '_' && (r > unicode.MaxASCII || !unicode.IsLetter(r) && (i == 0 || !unicode.IsDigit(r))) {
			return false
		}
	}
	return s != ""
}

// wordAt is the name-like word (letters of any script, digits, _) around
// a parse error's line and column; the column is read as a byte offset
// and, failing that, as a rune offset.
func wordAt(query string, line, col int) string {
	lines := strings.Split(query, "\n")
	if line < 1 || line > len(lines) || col < 1 {
		return ""
	}
	text := lines[line-1]
	if col-1 <= len(text) && utf8.ValidString(text[:col-1]) {
		if w := wordAround([]rune(text), utf8.RuneCountInString(text[:col-1])); w != "" {
			return w
		}
	}
	return wordAround([]rune(text), col-1)
}

func wordAround(r []rune, i int) string {
	in := func(c rune) bool { return c == '_' || unicode.IsLetter(c) || unicode.IsDigit(c) }
	if i < 0 || i >= len(r) || !in(r[i]) {
		return ""
	}
	start, end := i, i
	for start > 0 && in(r[start-1]) {
		start--
	}
	for end < len(r) && in(r[end]) {
		end++
	}
	return string(r[start:end])
}
