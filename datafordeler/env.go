// Package datafordeler talks to Datafordeleren exactly as platform.md
// describes: environments as data, one HTTP client factory, API keys, OAuth
// Shared Secret, OAuth Certificate (mutual TLS), GraphQL, events, file
// downloads, and a classification of every failure into one typed cause.
package datafordeler

import (
	"cmp"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strings"

	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/platform"

	"github.com/cprready/cprready/profile"
)

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
	env, ok := platform.LookupEnvironment(p.Environment)
	if !ok {
		return Endpoints{}, fmt.Errorf("unknown environment %q", p.Environment)
	}
	o := p.Endpoints
	pick := func(field, override, builtin string, guessed *[]string) string {
		if override != "" {
			return strings.TrimRight(override, "/")
		}
		if c := env.Confidence[field]; c == platform.Inferred || c == platform.Unknown {
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
		// "none" is the unversioned list, which the platform also serves
		// (platform.ConvListUnversioned).
		v := "/" + strings.Trim(cmp.Or(o.FileDownloadVersion, platform.DefaultFileDownloadVersion), "/")
		if strings.EqualFold(o.FileDownloadVersion, "none") {
			v = ""
		}
		e.FileList = fd + v + "/GetAvailableFileDownloads?Register=CPR"
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
