// Package profile is what a user declares: the organisation, its
// IT-systems, whitelisted addresses, data access and credentials. It loads
// and saves the YAML profile strictly, validates single fields, and holds
// the Secret type through which every secret value passes.
package profile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/cprready/cprready/internal/redact"
	"github.com/goccy/go-yaml"
)

// Profile is the whole profile file (see the contract in docs/profile.md).
// A field's validate tag is the one statement of its format (validator/v10,
// with the profile's own cvr, dk_phone, sha1_fingerprint, ip_address and
// date, explained in fields.go's formats), and its check tag names the rule
// that reports a value breaking it. FieldErrors finds them; check reports
// each under its rule, and the wizard's fields through the same rules. A
// new field with a format needs the two tags and nothing else.
type Profile struct {
	Version      int          `yaml:"version"`
	Environment  string       `yaml:"environment"`
	Endpoints    Endpoints    `yaml:"endpoints,omitempty"`
	Organisation Organisation `yaml:"organisation"`
	Supplier     *Supplier    `yaml:"supplier,omitempty"`
	Contact      Contact      `yaml:"contact"`
	ITSystems    []ITSystem   `yaml:"it_systems" validate:"dive"`
	Followup     Followup     `yaml:"followup"`
	LegacyREST   []string     `yaml:"legacy_rest"`
	// RESTRetirement is the day the REST services close, once the platform
	// announces it (its own wording: "ultimo 2026; the final date will be
	// announced later"). Empty: the official wording is used.
	RESTRetirement Date `yaml:"rest_retirement,omitempty"`

	// Path is the file the profile was loaded from ("" when built in memory).
	Path string `yaml:"-"`
	// SHA256 is the hex SHA-256 of the bytes it was parsed from, so that
	// saved results can tell whether the profile changed since.
	SHA256 string `yaml:"-"`
	// lines maps a subject path (it_systems[0].ip_whitelist[1]) to its line.
	lines map[string]int
	// comments are the file's comments by YAML path, written back when the
	// profile is saved (editing must not lose what the user wrote).
	comments yaml.CommentMap
}

// Endpoints override the environment's built-in URLs.
type Endpoints struct {
	GraphQL      string `yaml:"graphql,omitempty"`
	Token        string `yaml:"token,omitempty"`
	TokenMTLS    string `yaml:"token_mtls,omitempty"`
	FileDownload string `yaml:"filedownload,omitempty"`
	CAFile       string `yaml:"ca_file,omitempty"`
	// EgressEcho is a URL that answers with the caller's public address
	// (net.egress-ip). An extension of the contract's profile.
	EgressEcho string `yaml:"egress_echo,omitempty"`
	// ServiceVersion is the custom services' version path segment (v2,
	// or v1: both are served by the platform).
	ServiceVersion string `yaml:"service_version,omitempty"`
	// FileDownloadVersion is the file-download list's version path
	// segment (v2.0; v1.0 is retired; "none" is the unversioned list the
	// platform also serves).
	FileDownloadVersion string `yaml:"filedownload_version,omitempty"`
}

// Organisation is the user applying for access.
type Organisation struct {
	Name         string `yaml:"name"`
	CVR          string `yaml:"cvr" validate:"cvr" check:"org.cvr"`
	Kind         string `yaml:"kind"`
	MitIDErhverv *bool  `yaml:"mitid_erhverv"`
}

// Supplier is a private supplier operating IT-systems for a public authority.
type Supplier struct {
	Name                    string `yaml:"name"`
	CVR                     string `yaml:"cvr" validate:"cvr" check:"org.cvr"`
	DataProcessingAgreement string `yaml:"data_processing_agreement"`
}

// Contact is the application's contact person.
type Contact struct {
	FirstName string `yaml:"first_name"`
	LastName  string `yaml:"last_name"`
	CVR       string `yaml:"cvr" validate:"omitempty,cvr" check:"org.cvr"`
	Email     string `yaml:"email" validate:"omitempty,email" check:"contact.complete"`
	Phone     string `yaml:"phone,omitempty" validate:"omitempty,dk_phone" check:"contact.complete"`
}

// ITSystem is one IT-system in Datafordeler's Administration.
type ITSystem struct {
	Name        string      `yaml:"name"`
	OwnerCVR    string      `yaml:"owner_cvr" validate:"omitempty,cvr" check:"org.cvr"`
	Purpose     string      `yaml:"purpose"`
	IPWhitelist []IPEntry   `yaml:"ip_whitelist" validate:"dive"`
	DataAccess  *DataAccess `yaml:"data_access,omitempty"`
	Credentials Credentials `yaml:"credentials"`
	// ProbeQuery names a .graphql file (relative to the profile) that
	// graphql.protected sends instead of the built-in probe: for users
	// who know their service better than cprready does. It is validated
	// offline first.
	ProbeQuery string `yaml:"probe_query,omitempty"`
}

// IPEntry is one whitelisted address with its prefix length.
type IPEntry struct {
	Name    string `yaml:"name"`
	Address string `yaml:"address" validate:"ip_address" check:"ip.ipv4"`
	Range   Range  `yaml:"range"`
}

// DataAccess is the application (Dataadgang) of one IT-system.
type DataAccess struct {
	Register string   `yaml:"register"`
	Entities []string `yaml:"entities"`
	Status   string   `yaml:"status"`
	Expires  Date     `yaml:"expires,omitempty" validate:"omitempty,date" check:"access.status"`
	Events   bool     `yaml:"events,omitempty"`
}

// Declared reports an application that says anything at all: a missing
// data_access, `data_access: ~` and `data_access: {}` declare none.
func (d *DataAccess) Declared() bool {
	return d != nil && (strings.TrimSpace(d.Register) != "" || len(d.Entities) > 0 || strings.TrimSpace(d.Status) != "" || !d.Expires.IsZero() || d.Events)
}

// Credentials of one IT-system.
type Credentials struct {
	APIKeys            []APIKey       `yaml:"api_keys,omitempty" validate:"dive"`
	OAuthSharedSecrets []SharedSecret `yaml:"oauth_shared_secrets,omitempty" validate:"dive"`
	OAuthCertificates  []Certificate  `yaml:"oauth_certificates,omitempty" validate:"dive"`
}

// APIKey reaches schemas and free data only.
type APIKey struct {
	Name    string `yaml:"name"`
	Key     Secret `yaml:"key"`
	Created Date   `yaml:"created,omitempty" validate:"omitempty,date" check:"cred.expiry"`
	Expires Date   `yaml:"expires,omitempty" validate:"omitempty,date" check:"cred.expiry"`
}

// SharedSecret is an OAuth Shared Secret with its client ID.
type SharedSecret struct {
	Name     string `yaml:"name"`
	ClientID string `yaml:"client_id" validate:"uuid" check:"cred.client-id"`
	Secret   Secret `yaml:"secret"`
	Created  Date   `yaml:"created,omitempty" validate:"omitempty,date" check:"cred.expiry"`
	Expires  Date   `yaml:"expires,omitempty" validate:"omitempty,date" check:"cred.expiry"`
}

// Certificate is an OAuth Certificate: a PKCS#12 file (with password) or a
// PEM certificate and private key.
type Certificate struct {
	Name        string `yaml:"name"`
	ClientID    string `yaml:"client_id" validate:"uuid" check:"cred.client-id"`
	Fingerprint string `yaml:"fingerprint" validate:"omitempty,sha1_fingerprint" check:"cred.cert-fingerprint"`
	PKCS12      string `yaml:"pkcs12,omitempty"`
	Certificate string `yaml:"certificate,omitempty"`
	PrivateKey  string `yaml:"private_key,omitempty"`
	Password    Secret `yaml:"password,omitempty"`
	Expires     Date   `yaml:"expires,omitempty" validate:"omitempty,date" check:"cred.expiry"`
}

// Followup records the steps after the application.
type Followup struct {
	ServicedeskTicket string `yaml:"servicedesk_ticket"`
	VirkApplication   bool   `yaml:"virk_application"`
}

// Dir is the folder relative paths are resolved against.
func (p *Profile) Dir() string {
	if p.Path == "" {
		return "."
	}
	return filepath.Dir(p.Path)
}

// ResolvePath makes a path from the profile absolute-or-relative-to-cwd:
// relative paths are relative to the profile's folder; "~/" is home.
func (p *Profile) ResolvePath(path string) string {
	if path == "" || filepath.IsAbs(path) {
		return path
	}
	if strings.HasPrefix(path, "~/") {
		if home, err := userHome(); err == nil {
			return filepath.Join(home, path[2:])
		}
	}
	return filepath.Join(p.Dir(), path)
}

// Line is the line in the profile file where subject starts (0 if unknown).
func (p *Profile) Line(subject string) int {
	if p == nil || p.lines == nil {
		return 0
	}
	for s := subject; s != ""; s = parentPath(s) {
		if l, ok := p.lines[s]; ok {
			return l
		}
	}
	return 0
}

func parentPath(s string) string {
	i := strings.LastIndexAny(s, ".[")
	if i <= 0 {
		return ""
	}
	return s[:i]
}

// Secrets lists every secret of the profile with the subject that holds it.
func (p *Profile) Secrets() []NamedSecret {
	var out []NamedSecret
	for i := range p.ITSystems {
		c := &p.ITSystems[i].Credentials
		for j := range c.APIKeys {
			out = append(out, NamedSecret{Subject: subjectf("it_systems[%d].credentials.api_keys[%d]", i, j), Field: "key", Secret: &c.APIKeys[j].Key})
		}
		for j := range c.OAuthSharedSecrets {
			out = append(out, NamedSecret{Subject: subjectf("it_systems[%d].credentials.oauth_shared_secrets[%d]", i, j), Field: "secret", Secret: &c.OAuthSharedSecrets[j].Secret})
		}
		for j := range c.OAuthCertificates {
			if c.OAuthCertificates[j].Password.IsSet() {
				out = append(out, NamedSecret{Subject: subjectf("it_systems[%d].credentials.oauth_certificates[%d]", i, j), Field: "password", Secret: &c.OAuthCertificates[j].Password})
			}
		}
	}
	return out
}

// NamedSecret is a secret with where it sits in the profile.
type NamedSecret struct {
	Subject string
	Field   string
	Secret  *Secret
}

// EndpointCredentials are credentials written inside the profile's
// endpoint URLs (user:password@, apiKey=, token=): secrets the redaction
// gate must know, although the profile should never hold them.
func (p *Profile) EndpointCredentials() []string {
	e := p.Endpoints
	var out []string
	for _, u := range []string{e.GraphQL, e.Token, e.TokenMTLS, e.FileDownload, e.EgressEcho} {
		out = append(out, redact.URLCredentials(u)...)
	}
	return out
}

// InputFile is a file the profile makes cprready read.
type InputFile struct {
	Path string
	What string // for messages: "the profile", "the secret file of …"
}

// InputFiles are the files a run of this profile reads: the profile, its
// secret files, certificates and keys, the CA file and probe queries. No
// output may be written over one of them.
func (p *Profile) InputFiles() []InputFile {
	var out []InputFile
	add := func(path, what string) {
		if path != "" {
			out = append(out, InputFile{Path: path, What: what})
		}
	}
	add(p.Path, "the profile")
	for _, ns := range p.Secrets() {
		if ns.Secret.Kind() == KindFile {
			f := strings.TrimPrefix(ns.Secret.Reference(), "file:")
			if f != "" && !filepath.IsAbs(f) {
				f = filepath.Join(p.Dir(), f)
			}
			add(f, "the secret file of "+ns.Subject+"."+ns.Field)
		}
	}
	for i := range p.ITSystems {
		s := &p.ITSystems[i]
		for j, c := range s.Credentials.OAuthCertificates {
			subj := subjectf("it_systems[%d].credentials.oauth_certificates[%d]", i, j)
			add(p.ResolvePath(c.PKCS12), "the certificate file of "+subj)
			add(p.ResolvePath(c.Certificate), "the certificate file of "+subj)
			add(p.ResolvePath(c.PrivateKey), "the private key of "+subj)
		}
		add(p.ResolvePath(s.ProbeQuery), subjectf("the probe query of it_systems[%d]", i))
	}
	add(p.ResolvePath(p.Endpoints.CAFile), "the CA file (endpoints.ca_file)")
	return out
}

// PathsAsInputs names profile files as inputs, before they are loaded.
func PathsAsInputs(paths []string) []InputFile {
	out := make([]InputFile, len(paths))
	for i, p := range paths {
		out[i] = InputFile{Path: p, What: "the profile " + p}
	}
	return out
}

// DefaultFile is the profile used when none is named.
const DefaultFile = "cprready.yaml"

// Find names the profile: flag (--profile), else $CPRREADY_PROFILE, else
// ./cprready.yaml when it exists.
func Find(flag string, getenv func(string) string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if env := getenv("CPRREADY_PROFILE"); env != "" {
		return env, nil
	}
	if _, err := os.Stat(DefaultFile); err == nil {
		return DefaultFile, nil
	}
	return "", errors.New("no profile: pass --profile FILE, set CPRREADY_PROFILE, or create ./cprready.yaml with `cprready init`")
}
