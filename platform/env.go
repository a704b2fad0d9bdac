package platform

import (
	"net/url"
	"strings"
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

// EnvironmentNames are the environments a profile may name: the built-in
// ones and custom.
func EnvironmentNames() []string {
	var out []string
	for _, e := range Environments() {
		out = append(out, e.Name)
	}
	return out
}

// HostEnvironment names the environment a Datafordeler host belongs to
// ("prod", "test04" …), or "" for hosts that are not Datafordeler's.
func HostEnvironment(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	if h != "datafordeler.dk" && !strings.HasSuffix(h, ".datafordeler.dk") {
		return ""
	}
	first, _, _ := strings.Cut(h, ".")
	if len(first) >= 6 && strings.HasPrefix(first, "test") && first[4] >= '0' && first[4] <= '9' {
		env, _, _ := strings.Cut(first, "-")
		return env
	}
	return "prod"
}

// HostOf is a URL's host (with its port), or the text itself, cut, when
// it is no URL.
func HostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	if r := []rune(raw); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return raw
}

// Origin is a URL's scheme and host ("https://graphql.datafordeler.dk"),
// or the text itself when it is no URL.
func Origin(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Scheme != "" && u.Host != "" {
		return u.Scheme + "://" + u.Host
	}
	return raw
}
