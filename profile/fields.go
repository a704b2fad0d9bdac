package profile

import (
	"crypto/sha1" // #nosec G505 -- Administration identifies certificates by their SHA-1 thumbprint
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/words"
	"github.com/go-playground/validator/v10"
)

// The single field validator: validator/v10 with the profile's own tags.
// A field's validate tag is the one statement of its format, and its
// check tag names the rule that reports a value breaking it: FieldErrors
// finds them, and check and the wizard report them, so no field has a
// Check function of its own. What a tag means to a user (why a value
// breaks it, how to write it) is in formats, one entry per tag.
var fieldValidator = newFieldValidator()

func newFieldValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Errors name fields as the profile does (it_systems[0].client_id).
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	// A date is judged as written.
	v.RegisterCustomTypeFunc(func(f reflect.Value) any { return f.Interface().(Date).raw }, Date{})
	for tag, f := range formats {
		if f.valid != nil {
			valid := f.valid
			must(v.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return valid(fl.Field().String()) }))
		}
	}
	return v
}

// A format is what a validate tag means to a user.
type format struct {
	// valid is a tag of the profile's own (nil: validator's built-in).
	valid func(string) bool
	// why says what is wrong with a value that breaks the tag.
	why func(v string) error
	// fix says how to write it.
	fix func(v string) string
}

// formats holds every tag the model uses (TestEveryTagHasAFormat).
var formats = map[string]format{
	"cvr": {
		valid: func(s string) bool { return cvrProblem(s) == nil },
		why: func(s string) error {
			if err := cvrProblem(s); err != nil && s != "" {
				return fmt.Errorf("%q %w", redact.Local(words.Limit(s, 40)), err)
			}
			return cvrProblem(s)
		},
		fix: func(s string) string {
			switch err := cvrProblem(s); {
			case errors.Is(err, ErrCVRSpaces):
				if compact := strings.Join(strings.Fields(s), ""); cvrProblem(compact) == nil {
					return fmt.Sprintf("Write it without spaces: %q.", compact)
				}
			case errors.Is(err, ErrCVRChecksum):
				return "Check the digits against cvr.dk: one of them is probably mistyped."
			}
			return "Use the 8-digit CVR number as registered at virk.dk (cvr.dk)."
		},
	},
	"dk_phone": {
		valid: func(s string) bool { return phoneProblem(s) == nil },
		why:   phoneProblem,
		fix: func(string) string {
			return "Write the phone number with its digits, e.g. +45 22 47 50 18, or leave phone empty."
		},
	},
	"sha1_fingerprint": {
		valid: func(s string) bool { _, err := NormalizeFingerprint(s); return err == nil },
		why:   func(s string) error { _, err := NormalizeFingerprint(s); return err },
		fix: func(string) string {
			return "Copy the Fingeraftryk shown under OAuth Certifikat in Administration (40 hex digits; colons and spaces are fine)."
		},
	},
	"ip_address": {
		valid: func(s string) bool { return addressProblem(s) == nil },
		why:   addressProblem,
		fix: func(string) string {
			return "Write the address as four numbers, e.g. 80.62.117.23, and the prefix length under range:."
		},
	},
	"date": {
		valid: func(s string) bool { _, err := parseDate(strings.TrimSpace(s)); return err == nil },
		why:   func(s string) error { _, err := parseDate(strings.TrimSpace(s)); return err },
		fix: func(string) string {
			return "Write the date as Administration shows it (08-05-2027) or as 2027-05-08."
		},
	},
	"uuid": {
		why: func(s string) error {
			if s == "" {
				return errors.New("no client ID given")
			}
			return fmt.Errorf("%q is not a UUID such as a4098663-0502-45ce-954c-b660160be961", redact.Local(words.Limit(s, 60)))
		},
		fix: func(string) string {
			return "Copy the Client ID from Administration (a UUID like a4098663-0502-45ce-954c-b660160be961)."
		},
	},
	"email": {
		why: func(s string) error {
			if s == "" {
				return errors.New("no e-mail given")
			}
			return fmt.Errorf("%q is not a well-formed e-mail address", redact.Local(words.Limit(s, 60)))
		},
		fix: func(string) string { return "Write the contact's e-mail as name@domain.dk." },
	},
}

// FieldProblem is a field whose value breaks its validate tag.
type FieldProblem struct {
	// Path is the field's path in the profile
	// (it_systems[0].credentials.oauth_shared_secrets[1].client_id).
	Path string
	// Tag is the validate tag it breaks; Check the rule that reports it.
	Tag, Check string
	// Err says what is wrong, Fix how to write it.
	Err error
	Fix string
}

// Subject is the part of the profile the field belongs to, as findings
// name it: organisation, contact, it_systems[0] (its data access too),
// it_systems[0].ip_whitelist[1], a credential.
func (fp FieldProblem) Subject() string { return SubjectOf(fp.Path) }

// FieldErrors validates the profile's fields against their validate tags
// and returns, by the field's path in the profile, what each breaks.
// Empty values of required formats are reported too.
func (p *Profile) FieldErrors() map[string]FieldProblem {
	out := map[string]FieldProblem{}
	var ve validator.ValidationErrors
	if err := fieldValidator.Struct(p); errors.As(err, &ve) {
		for _, fe := range ve {
			_, path, _ := strings.Cut(fe.Namespace(), ".")
			value := fmt.Sprint(fe.Value())
			f := formatOf(fe.Tag())
			sf, _ := walkFields(fe.StructNamespace(), func(f reflect.StructField) string { return f.Name })
			out[path] = FieldProblem{Path: path, Tag: fe.Tag(), Check: sf.Tag.Get("check"), Err: f.why(value), Fix: f.fix(value)}
		}
	}
	return out
}

// formatOf is the format of a tag as validator names it ("ip_address",
// "uuid"); a tag without an entry still says which format it breaks.
func formatOf(tag string) format {
	if f, ok := formats[tag]; ok {
		return f
	}
	return format{
		why: func(s string) error {
			return fmt.Errorf("%q does not have the form %s", redact.Local(words.Limit(s, 60)), tag)
		},
		fix: func(string) string { return "Correct the value to the form " + tag + "." },
	}
}

// ValidateAs judges value as the field at path would be (a path as
// FieldErrors names it, indexes optional: it_systems[].owner_cvr): nil,
// or what is wrong with it. For a value not yet in a profile.
func ValidateAs(path, value string) error {
	f, ok := fieldAt(path)
	if !ok {
		return fmt.Errorf("no field %s in the profile", path)
	}
	tag := f.Tag.Get("validate")
	if tag == "" || tag == "dive" {
		return nil
	}
	if err := fieldValidator.Var(value, tag); err != nil {
		var ve validator.ValidationErrors
		if errors.As(err, &ve) && len(ve) > 0 {
			return formatOf(ve[0].Tag()).why(value)
		}
		return err
	}
	return nil
}

// TaggedField is a field with a format: its validate tag and the rule
// its check tag names.
type TaggedField struct{ Validate, Check string }

// TaggedFields lists the model's fields with a format by path, a list
// being [] (it_systems[].owner_cvr): for tests that hold every such
// field to check and the wizard, and for docs.
func TaggedFields() map[string]TaggedField { return maps.Clone(taggedFields()) }

var taggedFields = sync.OnceValue(func() map[string]TaggedField {
	out := map[string]TaggedField{}
	eachField(func(path string, f reflect.StructField) {
		if v := f.Tag.Get("validate"); v != "" && v != "dive" {
			out[path] = TaggedField{Validate: v, Check: f.Tag.Get("check")}
		}
	})
	return out
})

// eachField calls fn with every field of the model and its path in a
// profile, a list's element being [] (it_systems[].owner_cvr); a Date,
// Range or Secret is one field.
func eachField(fn func(path string, f reflect.StructField)) {
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		for f := range t.Fields() {
			name := yamlName(f)
			if !f.IsExported() || name == "-" || name == "" {
				continue
			}
			path, ft := prefix+name, f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Slice {
				path, ft = path+"[]", ft.Elem()
			}
			fn(path, f)
			if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[Date]() && ft != reflect.TypeFor[Range]() && ft != reflect.TypeFor[Secret]() {
				walk(ft, path+".")
			}
		}
	}
	walk(reflect.TypeFor[Profile](), "")
}

// fieldAt is the model's field at a path as the profile names it.
func fieldAt(path string) (reflect.StructField, bool) {
	return walkFields("Profile."+path, yamlName)
}

func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}

// walkFields follows ns (Profile.a[0].b, indexes optional) through the
// model, naming fields by name.
func walkFields(ns string, name func(reflect.StructField) string) (reflect.StructField, bool) {
	parts := strings.Split(ns, ".")
	t := reflect.TypeFor[Profile]()
	var sf reflect.StructField
	for _, part := range parts[1:] {
		part, _, _ = strings.Cut(part, "[")
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return sf, false
		}
		found := false
		for f := range t.Fields() {
			if f.IsExported() && name(f) == part {
				sf, t, found = f, f.Type, true
				break
			}
		}
		if !found {
			return sf, false
		}
	}
	return sf, len(parts) > 1
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// CVR errors say what is wrong in the user's terms.
var (
	ErrCVREmpty    = errors.New("no CVR number given")
	ErrCVRSpaces   = errors.New("contains spaces")
	ErrCVRDigits   = errors.New("is not exactly 8 digits")
	ErrCVRLeading0 = errors.New("starts with 0, which a CVR number never does")
	ErrCVRChecksum = errors.New("fails the modulus-11 check (a typo?)")
)

var cvrWeights = [8]int{2, 7, 6, 5, 4, 3, 2, 1}

// cvrProblem is the cvr tag: 8 digits, no leading 0, and the weighted sum
// (2,7,6,5,4,3,2,1) divisible by 11.
func cvrProblem(s string) error {
	if s == "" {
		return ErrCVREmpty
	}
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return ErrCVRSpaces
	}
	if len(s) != 8 || strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		return fmt.Errorf("%w (it has %d characters)", ErrCVRDigits, len([]rune(s)))
	}
	if s[0] == '0' {
		return ErrCVRLeading0
	}
	sum := 0
	for i, w := range cvrWeights {
		sum += int(s[i]-'0') * w
	}
	if sum%11 != 0 {
		return ErrCVRChecksum
	}
	return nil
}

var phoneRe = regexp.MustCompile(`^\+?[0-9][0-9 ()./-]*[0-9]$`)

// phoneProblem is the dk_phone tag: digits with optional +, spaces,
// dashes, dots or parentheses, 8 to 15 digits.
func phoneProblem(s string) error {
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if !phoneRe.MatchString(s) || digits < 8 || digits > 15 {
		return fmt.Errorf("%q does not look like a phone number (e.g. +45 22 47 50 18)", redact.Local(words.Limit(s, 40)))
	}
	return nil
}

// addressProblem is the ip_address tag: an IP address, optionally with
// its range (80.62.117.0/24), surrounding spaces ignored. Whether it is
// IPv4 and public is for the ip rules; a range for ParseIPEntry.
func addressProblem(s string) error {
	a, _, _ := strings.Cut(strings.TrimSpace(s), "/")
	if _, err := netip.ParseAddr(a); err != nil {
		return fmt.Errorf("%q is not an IP address", redact.Local(words.Limit(s, 60)))
	}
	return nil
}

var hexRe = regexp.MustCompile(`^[0-9A-F]{40}$`)

// NormalizeFingerprint turns "52:ca:b8 …" into 40 upper-case hex digits.
func NormalizeFingerprint(s string) (string, error) {
	n := strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ':' || r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s)))
	if !hexRe.MatchString(n) {
		return "", fmt.Errorf("%q is not a SHA-1 fingerprint (40 hex digits, as shown in Administration)", redact.Local(words.Limit(s, 80)))
	}
	return n, nil
}

// Fingerprints are the SHA-1 (as Administration shows) and SHA-256 of DER.
func Fingerprints(der []byte) (sha1Hex, sha256Hex string) {
	s1 := sha1.Sum(der) // #nosec G401 -- matching Administration's thumbprint, not a security decision
	s2 := sha256.Sum256(der)
	return strings.ToUpper(hex.EncodeToString(s1[:])), strings.ToUpper(hex.EncodeToString(s2[:]))
}

// ParseIPEntry reads an IP entry as a prefix. The address may carry its
// own /N; then range must be absent or agree.
func ParseIPEntry(address string, rng Range) (netip.Addr, int, error) {
	a := strings.TrimSpace(address)
	addrPart, prefixPart, hasSlash := strings.Cut(a, "/")
	addr, err := netip.ParseAddr(addrPart)
	if err != nil {
		return netip.Addr{}, 0, fmt.Errorf("%q is not an IP address", redact.Local(words.Limit(address, 60)))
	}
	if hasSlash {
		inline := RangeOf(prefixPart)
		bits, err := inline.Bits()
		if err != nil {
			return addr, 0, err
		}
		if !rng.IsZero() {
			if rb, err := rng.Bits(); err != nil || rb != bits {
				return addr, 0, fmt.Errorf("address says /%s but range says %s", prefixPart, rng.Raw())
			}
		}
		return addr, bits, nil
	}
	bits, err := rng.Bits()
	return addr, bits, err
}
