package profile

import (
	"crypto/sha1" // #nosec G505 -- Administration identifies certificates by their SHA-1 thumbprint
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"regexp"
	"strings"
	"unicode"

	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/words"
	"github.com/go-playground/validator/v10"
)

// The single field validator: validator/v10 with the profile's own tags.
// Checks and the TUI validate fields through the functions below, which
// use it, so a field means the same everywhere.
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
	must(v.RegisterValidation("cvr", func(fl validator.FieldLevel) bool { return CheckCVR(fl.Field().String()) == nil }))
	must(v.RegisterValidation("dk_phone", func(fl validator.FieldLevel) bool { return CheckPhone(fl.Field().String()) == nil }))
	must(v.RegisterValidation("sha1_fingerprint", func(fl validator.FieldLevel) bool {
		_, err := NormalizeFingerprint(fl.Field().String())
		return err == nil
	}))
	return v
}

// FieldErrors validates the profile's fields against their validate tags
// and returns, by the field's path in the profile
// (it_systems[0].credentials.oauth_shared_secrets[1].client_id), the tag
// it breaks. Empty values of required formats are reported too.
func (p *Profile) FieldErrors() map[string]string {
	out := map[string]string{}
	var ve validator.ValidationErrors
	if err := fieldValidator.Struct(p); errors.As(err, &ve) {
		for _, fe := range ve {
			_, path, _ := strings.Cut(fe.Namespace(), ".")
			out[path] = fe.Tag()
		}
	}
	return out
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// CVR errors say what is wrong in the user's terms.
var (
	ErrCVREmpty    = errors.New("no CVR number given")
	ErrCVRSpaces   = errors.New("CVR number contains spaces")
	ErrCVRDigits   = errors.New("a CVR number is exactly 8 digits")
	ErrCVRLeading0 = errors.New("a CVR number never starts with 0")
	ErrCVRChecksum = errors.New("CVR number fails the modulus-11 check (a typo?)")
)

var cvrWeights = [8]int{2, 7, 6, 5, 4, 3, 2, 1}

// CheckCVR validates a Danish CVR number: 8 digits, no leading 0, and the
// weighted sum (2,7,6,5,4,3,2,1) divisible by 11.
func CheckCVR(s string) error {
	if s == "" {
		return ErrCVREmpty
	}
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return ErrCVRSpaces
	}
	if len(s) != 8 || strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		return fmt.Errorf("%w; %q has %d characters", ErrCVRDigits, redact.Local(s), len([]rune(s)))
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

// CheckUUID validates an OAuth client ID as Administration shows it.
func CheckUUID(s string) error {
	if s == "" {
		return errors.New("no client ID given")
	}
	if err := fieldValidator.Var(s, "uuid"); err != nil {
		return fmt.Errorf("%q is not a UUID such as a4098663-0502-45ce-954c-b660160be961", redact.Local(words.Limit(s, 60)))
	}
	return nil
}

// CheckEmail validates an e-mail address.
func CheckEmail(s string) error {
	if s == "" {
		return errors.New("no e-mail given")
	}
	if err := fieldValidator.Var(s, "email"); err != nil {
		return fmt.Errorf("%q is not a well-formed e-mail address", redact.Local(words.Limit(s, 60)))
	}
	return nil
}

var phoneRe = regexp.MustCompile(`^\+?[0-9][0-9 ()./-]*[0-9]$`)

// CheckPhone validates a phone number: digits with optional +, spaces,
// dashes, dots or parentheses, 8 to 15 digits.
func CheckPhone(s string) error {
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
