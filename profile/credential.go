package profile

import (
	"context"
	"errors"
	"fmt"

	"github.com/cprready/cprready/platform"
)

// CredKind is the kind of a credential, as Administration names it.
type CredKind int

// The kinds of credential.
const (
	APIKeyCred       CredKind = iota + 1 // API key: schemas only
	SharedSecretCred                     // OAuth Shared Secret
	CertificateCred                      // OAuth Certificate (mutual TLS)
)

// CredKinds lists the kinds in the order Administration shows them.
var CredKinds = []CredKind{APIKeyCred, SharedSecretCred, CertificateCred}

// String is the kind's name in messages: "API key", "OAuth Shared
// Secret", "OAuth Certificate".
func (k CredKind) String() string {
	switch k {
	case APIKeyCred:
		return "API key"
	case SharedSecretCred:
		return "OAuth Shared Secret"
	case CertificateCred:
		return "OAuth Certificate"
	}
	return fmt.Sprintf("CredKind(%d)", int(k))
}

// Tab is the IT-system's tab in Administration that holds the kind.
func (k CredKind) Tab() string {
	switch k {
	case APIKeyCred:
		return "API-Keys"
	case CertificateCred:
		return "OAuth Certifikat"
	}
	return "OAuth Shared Secret"
}

// Slug is the kind as a machine-readable word (metrics labels, JSON):
// api_key, oauth_shared_secret, oauth_certificate.
func (k CredKind) Slug() string {
	switch k {
	case APIKeyCred:
		return "api_key"
	case SharedSecretCred:
		return "oauth_shared_secret"
	case CertificateCred:
		return "oauth_certificate"
	}
	return ""
}

// Renewal says how to renew a credential of the kind before it expires;
// where is its place in Administration.
func (k CredKind) Renewal(where string) string {
	switch k {
	case APIKeyCred:
		return fmt.Sprintf("Extend it (Forlæng) under %s; %s.", where, platform.NewKeyAdvice)
	case CertificateCred:
		return fmt.Sprintf("Get a new OCES3 certificate and upload it under %s → Opret, then update the profile's file and fingerprint.", where)
	}
	return fmt.Sprintf("Create a new shared secret under %s (it is shown once), switch your system to it, then deactivate the old one.", where)
}

// Credential is one credential of an IT-system, whatever its kind.
type Credential struct {
	System, Index int // it_systems[System].credentials.<kind>[Index]
	Kind          CredKind
	Subject       string
	Name          string
	ClientID      string // OAuth credentials
	Created       Date   // API keys and shared secrets
	Expires       Date
	// Secret is the key, the shared secret or the certificate's password;
	// Field is its YAML field (key, secret, password).
	Secret *Secret
	Field  string
	// Cert is the certificate (CertificateCred only).
	Cert *Certificate
}

// AllCredentials lists every credential of every IT-system, in profile
// order: each IT-system's API keys, shared secrets, then certificates.
func (p *Profile) AllCredentials() []Credential {
	var out []Credential
	for i := range p.ITSystems {
		c := &p.ITSystems[i].Credentials
		for j := range c.APIKeys {
			k := &c.APIKeys[j]
			out = append(out, Credential{System: i, Index: j, Kind: APIKeyCred, Subject: APIKeySubject(i, j), Name: k.Name,
				Created: k.Created, Expires: k.Expires, Secret: &k.Key, Field: "key"})
		}
		for j := range c.OAuthSharedSecrets {
			k := &c.OAuthSharedSecrets[j]
			out = append(out, Credential{System: i, Index: j, Kind: SharedSecretCred, Subject: SharedSecretSubject(i, j), Name: k.Name, ClientID: k.ClientID,
				Created: k.Created, Expires: k.Expires, Secret: &k.Secret, Field: "secret"})
		}
		for j := range c.OAuthCertificates {
			k := &c.OAuthCertificates[j]
			out = append(out, Credential{System: i, Index: j, Kind: CertificateCred, Subject: CertificateSubject(i, j), Name: k.Name, ClientID: k.ClientID,
				Expires: k.Expires, Secret: &k.Password, Field: "password", Cert: k})
		}
	}
	return out
}

// ErrNoAPIKey is a profile without any API key.
var ErrNoAPIKey = errors.New("the profile has no API key; add one under it_systems[].credentials.api_keys (schemas need an API key)")

// FirstAPIKey resolves the first API key that can be read (the resolver
// tells the redaction gate). With none readable it returns the last
// error, naming the key; with none at all, ErrNoAPIKey.
func (p *Profile) FirstAPIKey(ctx context.Context, r Resolver) (string, error) {
	var last error
	for _, c := range p.AllCredentials() {
		if c.Kind != APIKeyCred {
			continue
		}
		if err := c.Secret.Resolve(ctx, r); err != nil {
			last = fmt.Errorf("no API key can be read: %s: %w", c.Subject, err)
			continue
		}
		v, _ := c.Secret.Reveal()
		return v, nil
	}
	if last != nil {
		return "", last
	}
	return "", ErrNoAPIKey
}

// PasswordValue resolves the certificate's password within KeyringTimeout,
// or "" when it has none or it cannot be read (loading the file then says
// why).
func (c *Certificate) PasswordValue(ctx context.Context, r Resolver) string {
	ctx, cancel := context.WithTimeout(ctx, KeyringTimeout)
	defer cancel()
	if err := c.Password.Resolve(ctx, r); err != nil {
		return ""
	}
	v, _ := c.Password.Reveal()
	return v
}
