// Package datafordeler talks to Datafordeleren exactly as platform.md
// describes: environments as data, one HTTP client factory, API keys, OAuth
// Shared Secret, OAuth Certificate (mutual TLS), GraphQL, events, file
// downloads, and a classification of every failure into one typed cause.
package datafordeler

import (
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strings"

	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/platform"

	"github.com/cprready/cprready/profile"
)

// Confidence of a URL, as platform.md labels it.
const (
	Confirmed = "C"
	Inferred  = "I"
	Unknown   = "U"
)

// Environment is one of Datafordeleren's environments: production and the
// test environments, each with its own Administration, IT-systems and
// credentials. Hosts marked I or U are best guesses; a profile's
// endpoints: override them.
type Environment struct {
	Name           string
	Title          string
	GraphQL        string
	Token          string
	TokenMTLS      string
	FileDownload   string
	Administration string
	EgressEcho     string
	Note           string
	// Confidence per field name (graphql, token, token_mtls, filedownload, administration).
	Confidence map[string]string
}

// DefaultFileDownloadVersion is the file-download list's version (v1.0
// is retired, platform.md).
const DefaultFileDownloadVersion = "v2.0"

// DefaultEgressEcho answers with the caller's public address. It is not
// Datafordeleren's; it only tells which address to whitelist.
const DefaultEgressEcho = "https://api.ipify.org"

const tokenPath = "/realms/distribution/protocol/openid-connect/token" // #nosec G101 -- a URL path, not a credential

// Environments is the built-in table.
func Environments() []Environment {
	test := func(n, note string) Environment {
		return Environment{
			Name: "test" + n, Title: "Test" + n,
			GraphQL:        "https://test" + n + "-graphql.datafordeler.dk",
			Token:          "https://test" + n + "-auth.datafordeler.dk" + tokenPath,
			TokenMTLS:      "https://test" + n + "-auth-oces.datafordeler.dk" + tokenPath,
			FileDownload:   "https://test" + n + "-api.datafordeler.dk/FileDownloads",
			Administration: "https://test" + n + "-portal.datafordeler.dk",
			EgressEcho:     DefaultEgressEcho,
			Note:           note,
			Confidence:     map[string]string{"graphql": Inferred, "token": Unknown, "token_mtls": Unknown, "filedownload": Unknown, "administration": Confirmed},
		}
	}
	t06 := test("06", "Production-like, with new services.")
	t06.Confidence["graphql"] = Confirmed
	return []Environment{
		{
			Name: "prod", Title: "Production",
			GraphQL:        "https://graphql.datafordeler.dk",
			Token:          "https://auth.datafordeler.dk" + tokenPath,
			TokenMTLS:      "https://auth-oces.datafordeler.dk" + tokenPath,
			FileDownload:   "https://api.datafordeler.dk/FileDownloads",
			Administration: "https://administration.datafordeler.dk",
			EgressEcho:     DefaultEgressEcho,
			Confidence:     map[string]string{"graphql": Confirmed, "token": Confirmed, "token_mtls": Confirmed, "filedownload": Confirmed, "administration": Confirmed},
		},
		test("03", "For register authorities."),
		test("04", "CPR test data, but no CPR events; requires test certificates. CPR test access is requested in Test04's Administration."),
		t06,
		{Name: "custom", Title: "Custom (endpoints from the profile)", Confidence: map[string]string{}},
	}
}

// LookupEnvironment finds an environment by name, case-insensitively.
func LookupEnvironment(name string) (Environment, bool) {
	for _, e := range Environments() {
		if strings.EqualFold(e.Name, strings.TrimSpace(name)) {
			return e, true
		}
	}
	return Environment{}, false
}

// Endpoints are the full URLs a profile's checks call.
type Endpoints struct {
	Environment   string
	GraphQLBase   string
	PublicQuery   string
	PublicSchema  string
	PrivateQuery  string
	PrivateSchema string
	EventsQuery   string
	EventsSchema  string
	Token         string
	TokenMTLS     string
	FileList      string
	EgressEcho    string
	CAFile        string
	// ServiceVersion is the custom services' version (v1 or v2).
	ServiceVersion string
	// Guessed names the endpoints whose built-in host is a guess (I or U)
	// and that the profile did not override.
	Guessed []string
}

// ResolveEndpoints combines the environment's table with the profile's
// overrides. Every URL must be absolute https (http only to loopback).
func ResolveEndpoints(p *profile.Profile) (Endpoints, error) {
	env, ok := LookupEnvironment(p.Environment)
	if !ok {
		return Endpoints{}, fmt.Errorf("unknown environment %q", p.Environment)
	}
	o := p.Endpoints
	pick := func(field, override, builtin string, guessed *[]string) string {
		if override != "" {
			return strings.TrimRight(override, "/")
		}
		if c := env.Confidence[field]; c == Inferred || c == Unknown {
			*guessed = append(*guessed, field)
		}
		return builtin
	}
	var e Endpoints
	e.Environment = env.Name
	e.GraphQLBase = pick("graphql", o.GraphQL, env.GraphQL, &e.Guessed)
	e.Token = pick("token", o.Token, env.Token, &e.Guessed)
	e.TokenMTLS = pick("token_mtls", o.TokenMTLS, env.TokenMTLS, &e.Guessed)
	fd := pick("filedownload", o.FileDownload, env.FileDownload, &e.Guessed)
	e.EgressEcho = o.EgressEcho
	if e.EgressEcho == "" {
		e.EgressEcho = env.EgressEcho
	}
	if o.CAFile != "" {
		e.CAFile = p.ResolvePath(o.CAFile)
	}
	e.ServiceVersion = o.ServiceVersion
	if e.ServiceVersion == "" {
		e.ServiceVersion = platform.Public.DefaultVersion()
	}
	// Versions cprready knows are v1 and v2; a later one is allowed (the
	// platform adds versions), the reference schema then does not apply.
	if !versionRe.MatchString(e.ServiceVersion) {
		return e, fmt.Errorf("endpoints.service_version %q: write it as the path says, e.g. v2 (the platform serves %s)", e.ServiceVersion, strings.Join(platform.Public.Versions(), " and "))
	}
	if e.GraphQLBase != "" {
		e.PublicQuery = e.GraphQLBase + platform.Public.Path(e.ServiceVersion)
		e.PublicSchema = e.PublicQuery + "/schema"
		e.PrivateQuery = e.GraphQLBase + platform.Private.Path(e.ServiceVersion)
		e.PrivateSchema = e.PrivateQuery + "/schema"
		e.EventsQuery = e.GraphQLBase + platform.Events.Path("v1")
		e.EventsSchema = e.EventsQuery + "/schema"
	}
	if fd != "" {
		v := o.FileDownloadVersion
		if v == "" {
			v = DefaultFileDownloadVersion
		}
		e.FileList = fd + "/" + strings.Trim(v, "/") + "/GetAvailableFileDownloads?Register=CPR"
	}
	for name, u := range map[string]string{"graphql": e.GraphQLBase, "token": e.Token, "token_mtls": e.TokenMTLS, "filedownload": fd, "egress_echo": e.EgressEcho} {
		if u == "" {
			continue
		}
		if err := checkURL(u); err != nil {
			return e, fmt.Errorf("endpoints.%s: %w", name, err)
		}
	}
	return e, nil
}

var versionRe = regexp.MustCompile(`^v[0-9]{1,3}$`)

// checkURL accepts https, and http only to loopback (a local proxy or
// test): an IP loopback literal (127.0.0.0/8, ::1) or localhost, never a
// name that merely starts with 127. Credentials written into the URL are
// refused; the URL is quoted redacted.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", redact.URLString(raw))
	}
	if u.User != nil {
		return fmt.Errorf("%q carries credentials (user:password@); give secrets in credentials:, never in a URL", redact.URL(u))
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
	}
	return fmt.Errorf("%q must use https (plain http only to 127.0.0.1, ::1 or localhost)", redact.URL(u))
}

// IsLoopbackHost reports an IP loopback literal or the name localhost.
func IsLoopbackHost(h string) bool {
	if strings.EqualFold(strings.TrimSuffix(h, "."), "localhost") {
		return true
	}
	a, err := netip.ParseAddr(h)
	return err == nil && a.Unmap().IsLoopback()
}

// Hosts lists the distinct hosts a set of endpoints needs (net.reach).
func (e Endpoints) Hosts() []string {
	seen := map[string]bool{}
	var out []string
	for _, raw := range []string{e.GraphQLBase, e.Token, e.TokenMTLS, e.FileList} {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || seen[u.Host] {
			continue
		}
		seen[u.Host] = true
		out = append(out, u.Scheme+"://"+u.Host)
	}
	return out
}
