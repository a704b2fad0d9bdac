package profile

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/words"
)

// FieldTypeError is a value of the wrong YAML type (a list where a string
// belongs). It is a load error: exit 2 with file, line and field.
type FieldTypeError struct {
	Token *token.Token
	Want  string
	Got   string
}

func (e *FieldTypeError) Error() string { return fmt.Sprintf("expected %s, found %s", e.Want, e.Got) }

func nodeKind(n ast.Node) string {
	switch n.Type() {
	case ast.MappingType, ast.MappingValueType:
		return "a mapping"
	case ast.SequenceType:
		return "a list"
	case ast.NullType:
		return "nothing (null)"
	case ast.BoolType:
		return "a boolean"
	case ast.IntegerType, ast.FloatType:
		return "a number"
	default:
		return "a " + strings.ToLower(n.Type().String())
	}
}

// scalarString reads a scalar (string, number, boolean, date-like) as the
// text written; null is "". Anything else is a FieldTypeError.
func scalarString(node ast.Node, want string) (string, error) {
	switch n := node.(type) {
	case *ast.NullNode:
		return "", nil
	case *ast.StringNode:
		return n.Value, nil
	case *ast.LiteralNode:
		return n.Value.Value, nil
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, nil
	case *ast.TagNode:
		return scalarString(n.Value, want)
	}
	return "", &FieldTypeError{Token: node.GetToken(), Want: want, Got: nodeKind(node)}
}

// Date is a calendar date from the profile. It keeps what was written, so
// an unparseable date is a finding of the rule that reads it, not a load
// error. Accepted: 2027-05-11, 11-05-2027 and 11.05.2027 (as Administration
// shows them), optionally followed by a time, which is ignored.
type Date struct {
	raw string
	t   time.Time
	err error
}

// NewDate parses s (see Date).
func NewDate(s string) Date {
	d := Date{raw: strings.TrimSpace(s)}
	if d.raw == "" {
		return d
	}
	d.t, d.err = parseDate(d.raw)
	return d
}

// DateOf makes a Date from a time.
func DateOf(t time.Time) Date {
	return Date{raw: t.Format(time.DateOnly), t: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

// timeRe is a time after a date: "T12:09:27Z", ", 12.09.27", " 10:00".
var timeRe = regexp.MustCompile(`^(T|,? ?)\d{1,2}[:.]\d{2}([:.]\d{2}([.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?$`)

func parseDate(s string) (time.Time, error) {
	// Cut a time part ("24.10.2026, 12.09.27", "2026-10-24T12:09:27Z").
	datePart := s
	if i := strings.IndexAny(s, ", T"); i > 0 {
		// What follows must be a time, nothing else (a secret pasted after
		// a date is no date).
		if !timeRe.MatchString(s[i:]) {
			return time.Time{}, fmt.Errorf("%q is not a date: what follows the date is not a time (write the date alone, 11-05-2027, or 2027-05-11)", redact.Local(words.Limit(s, 60)))
		}
		datePart = s[:i]
	}
	for _, layout := range []string{"2006-01-02", "02-01-2006", "02.01.2006", "2-1-2006", "2.1.2006"} {
		t, err := time.Parse(layout, datePart)
		if err == nil {
			return t, nil
		}
		var pe *time.ParseError
		if errors.As(err, &pe) && strings.Contains(pe.Message, "out of range") {
			// The shape of a date, a day or month no calendar has (30-02-2027).
			return time.Time{}, fmt.Errorf("%q is not a day of the calendar (%s); write it as Administration does, 11-05-2027, or as 2027-05-11", redact.Local(words.Limit(s, 60)), strings.TrimPrefix(pe.Message, ": "))
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (write it as Administration does, 11-05-2027, or as 2027-05-11)", redact.Local(words.Limit(s, 60)))
}

// Portal is the date as Datafordeler's Administration writes it
// (11-05-2027); what was written when it is not a date.
func (d Date) Portal() string {
	if !d.Valid() {
		return d.raw
	}
	return d.t.Format(PortalLayout)
}

// PortalLayout is how Administration writes a date.
const PortalLayout = "02-01-2006"

// IsZero reports a missing date.
func (d Date) IsZero() bool { return d.raw == "" }

// Valid reports a present, parseable date.
func (d Date) Valid() bool { return d.raw != "" && d.err == nil }

// Err is the parse error of a present date.
func (d Date) Err() error { return d.err }

// Time is the date at 00:00 UTC.
func (d Date) Time() time.Time { return d.t }

// String is the ISO date, or what was written if it did not parse.
func (d Date) String() string {
	if d.Valid() {
		return d.t.Format(time.DateOnly)
	}
	return d.raw
}

// MarshalYAML writes the date as written.
func (d Date) MarshalYAML() (any, error) { return d.raw, nil }

// MarshalJSON writes the ISO date.
func (d Date) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(d.String())), nil }

// UnmarshalYAML accepts a scalar.
func (d *Date) UnmarshalYAML(node ast.Node) error {
	s, err := scalarString(node, "a date such as 2027-05-11")
	if err != nil {
		return err
	}
	*d = NewDate(s)
	return nil
}

// Range is a prefix length (24..32) as written: 32, "32" or "/32". A
// garbled value is kept and judged by ip.prefix-range.
type Range struct {
	raw string
}

// NewRange makes a Range from a prefix length.
func NewRange(bits int) Range { return Range{raw: strconv.Itoa(bits)} }

// RangeOf keeps text as typed.
func RangeOf(s string) Range { return Range{raw: strings.TrimSpace(s)} }

// IsZero reports a missing range.
func (r Range) IsZero() bool { return r.raw == "" }

// Raw is what was written.
func (r Range) Raw() string { return r.raw }

// Bits parses the prefix length.
func (r Range) Bits() (int, error) {
	s := strings.TrimPrefix(r.raw, "/")
	n, err := strconv.Atoi(s)
	if err != nil || s == "" || strings.ContainsAny(s, "+- ") {
		if r.raw == "" {
			return 0, fmt.Errorf("no range (prefix length) given")
		}
		return 0, fmt.Errorf("range %q is not a prefix length such as 32", redact.Local(r.raw))
	}
	return n, nil
}

// MarshalYAML writes a number when it is one.
func (r Range) MarshalYAML() (any, error) {
	if n, err := r.Bits(); err == nil {
		return n, nil
	}
	return r.raw, nil
}

// UnmarshalYAML accepts a scalar.
func (r *Range) UnmarshalYAML(node ast.Node) error {
	s, err := scalarString(node, "a prefix length such as 32")
	if err != nil {
		return err
	}
	*r = RangeOf(s)
	return nil
}
