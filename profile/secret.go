package profile

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/cprready/cprready/internal/fsutil"
)

// Redacted is what a secret prints as, whatever verb or encoder is used.
const Redacted = "[REDACTED]"

// Secret kinds.
const (
	KindLiteral = "literal"
	KindEnv     = "env"
	KindKeyring = "keyring"
	KindFile    = "file"
)

// Secret is a secret value from the profile: a reference (env:NAME,
// keyring:SERVICE/ACCOUNT, file:PATH) or, discouraged, a literal. It
// cannot be printed: String, GoString, Format, MarshalJSON and LogValue
// all give Redacted. Only Reveal gives the value, to the code that sends it.
type Secret struct {
	ref      string
	value    string
	resolved bool
	err      error
}

// NewSecret makes a Secret from what a profile holds (a reference or a literal).
func NewSecret(ref string) Secret { return Secret{ref: ref} }

// LiteralSecret makes a resolved Secret from a value typed by a person.
func LiteralSecret(v string) Secret { return Secret{ref: v, value: v, resolved: true} }

// IsSet reports whether the profile gave anything at all.
func (s Secret) IsSet() bool { return s.ref != "" }

// IsZero reports an unset secret (for omitempty when saving).
func (s Secret) IsZero() bool { return s.ref == "" }

// Kind is env, keyring, file or literal ("" when unset).
func (s Secret) Kind() string {
	switch {
	case s.ref == "":
		return ""
	case strings.HasPrefix(s.ref, "env:"):
		return KindEnv
	case strings.HasPrefix(s.ref, "keyring:"):
		return KindKeyring
	case strings.HasPrefix(s.ref, "file:"):
		return KindFile
	default:
		return KindLiteral
	}
}

// Reference is safe to show: the reference as written, or "(literal)".
func (s Secret) Reference() string {
	if s.Kind() == KindLiteral {
		return "(literal value)"
	}
	return s.ref
}

// Resolved reports whether Resolve succeeded.
func (s Secret) Resolved() bool { return s.resolved }

// Err is the resolution error, if any. It never holds the value.
func (s Secret) Err() error { return s.err }

// Reveal gives the value. Callers send it; they never print it.
func (s Secret) Reveal() (string, error) {
	if s.err != nil {
		return "", s.err
	}
	if !s.resolved {
		return "", errors.New("secret not resolved")
	}
	return s.value, nil
}

// String redacts.
func (s Secret) String() string { return Redacted }

// GoString redacts.
func (s Secret) GoString() string { return Redacted }

// Format redacts for every verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Redacted)) }

// MarshalJSON redacts.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText redacts (encoding/xml, text encoders).
func (s Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// LogValue redacts for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(Redacted) }

// MarshalYAML writes the reference back when the profile is saved; a
// literal is written back as the user wrote it (see RedactedYAML for the
// support bundle).
func (s Secret) MarshalYAML() (any, error) { return s.ref, nil }

// UnmarshalYAML accepts a string only.
func (s *Secret) UnmarshalYAML(node ast.Node) error {
	str, err := scalarString(node, "a secret reference such as env:NAME, keyring:SERVICE/ACCOUNT or file:PATH")
	if err != nil {
		return err
	}
	*s = Secret{ref: str}
	return nil
}

// MaxSecretFile bounds a file: secret; a secret is a line, not a file.
const MaxSecretFile = 16 << 10

// Resolver turns references into values.
type Resolver struct {
	// BaseDir resolves relative file: paths (the profile's folder).
	BaseDir string
	// LookupEnv defaults to os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// Keyring reads SERVICE/ACCOUNT; nil means no keyring is available.
	Keyring func(ctx context.Context, service, account string) (string, error)
	// Timeout bounds one keyring call (default 3s).
	Timeout time.Duration
	// OnResolve hears every value as soon as it is resolved, so that the
	// redaction gate knows it before anything can print it.
	OnResolve func(value string)
	// Cache, when set, remembers each reference's outcome, so that a
	// profile naming one file: secret a thousand times reads it once.
	Cache *sync.Map
}

type resolved struct {
	v   string
	err error
}

// Resolve fills in the value. Errors name the reference, never a value.
func (s *Secret) Resolve(ctx context.Context, r Resolver) error {
	if s.resolved || s.err != nil {
		return s.err
	}
	var v string
	var err error
	cache := r.Cache
	if s.Kind() == KindLiteral {
		cache = nil // a literal needs no lookup, and is no map key
	}
	hit := false
	if cache != nil {
		if c, ok := cache.Load(s.ref); ok {
			if res, ok := c.(resolved); ok {
				v, err, hit = res.v, res.err, true
			}
		}
	}
	if !hit {
		v, err = r.lookup(ctx, s.ref)
		if cache != nil {
			cache.Store(s.ref, resolved{v, err})
		}
		if err == nil && r.OnResolve != nil {
			r.OnResolve(v)
		}
	}
	if err != nil {
		s.err = err
		return err
	}
	s.value, s.resolved = v, true
	return nil
}

func (r Resolver) lookup(ctx context.Context, ref string) (string, error) {
	switch (Secret{ref: ref}).Kind() {
	case "":
		return "", errors.New("no value given")
	case KindEnv:
		name := strings.TrimPrefix(ref, "env:")
		if name == "" {
			return "", errors.New("env: reference names no variable")
		}
		look := r.LookupEnv
		if look == nil {
			look = os.LookupEnv
		}
		v, ok := look(name)
		if !ok {
			return "", fmt.Errorf("environment variable %s is not set", name)
		}
		if v == "" {
			return "", fmt.Errorf("environment variable %s is empty", name)
		}
		return v, nil
	case KindFile:
		path := strings.TrimPrefix(ref, "file:")
		if path == "" {
			return "", errors.New("file: reference names no file")
		}
		if !filepath.IsAbs(path) && r.BaseDir != "" {
			path = filepath.Join(r.BaseDir, path)
		}
		b, err := fsutil.ReadRegular(path, MaxSecretFile)
		if err != nil {
			return "", fmt.Errorf("secret file: %w", err)
		}
		v := string(b)
		// A file written by an editor or echo ends in one newline that is
		// not part of the secret; drop exactly that one.
		if strings.HasSuffix(v, "\r\n") {
			v = v[:len(v)-2]
		} else if strings.HasSuffix(v, "\n") {
			v = v[:len(v)-1]
		}
		if v == "" {
			return "", fmt.Errorf("secret file %s is empty", path)
		}
		return v, nil
	case KindKeyring:
		spec := strings.TrimPrefix(ref, "keyring:")
		service, account, ok := strings.Cut(spec, "/")
		if !ok || service == "" || account == "" {
			return "", fmt.Errorf("keyring reference %q must be keyring:SERVICE/ACCOUNT", ref)
		}
		if r.Keyring == nil {
			return "", fmt.Errorf("no OS keyring is available to read %s", ref)
		}
		timeout := r.Timeout
		if timeout <= 0 {
			timeout = 3 * time.Second
		}
		kctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		v, err := r.Keyring(kctx, service, account)
		if err != nil {
			return "", fmt.Errorf("cannot read %s from the OS keyring: %w", ref, err)
		}
		return v, nil
	default:
		return ref, nil
	}
}

// ResolveAll resolves every secret the profile names (failures stay on
// each secret), so that a redaction gate told by r knows them all.
func (p *Profile) ResolveAll(ctx context.Context, r Resolver) {
	for _, ns := range p.Secrets() {
		_ = ns.Secret.Resolve(ctx, r)
	}
}
