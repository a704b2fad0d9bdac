package diagnose

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/cprready/cprready/platform/errcode"

	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
)

// CauseDoc explains one failure cause: what it means, its likely causes
// (most likely first), how to tell them apart, and the fix. `explain`,
// the live checks and docs/errors.md all read this one table.
type CauseDoc struct {
	Cause     datafordeler.Cause
	Codes     []string // platform codes that lead here (DAF-AUTH-0005, invalid_client …)
	Title     string
	Causes    []string
	TellApart string
	Fix       string
}

// CauseDocs is the table, in the order docs/errors.md shows it.
func CauseDocs() []CauseDoc {
	return []CauseDoc{
		{datafordeler.CauseIPNotVerified, []string{errcode.AuthNoCredential}, "The caller's IP address is not whitelisted (401 DAF-AUTH-0005, \"ip address is not verified\")",
			[]string{"Your public egress address is not in the IT-system's IP-adresser.", "The whitelist was changed a few minutes ago and is not applied yet.", "Traffic leaves by another address than you think (a proxy, NAT, a second gateway, IPv6 fallback)."},
			"`cprready check` compares the address its echo URL sees (net.egress-ip) with the whitelist. If they differ, add the address; if they match, wait a few minutes or look for a proxy.",
			"Add your public address as /32 under Administration → IT-systemer → <system> → IP-adresser. A change can take a few minutes to apply."},
		{datafordeler.CauseNoCredential, []string{errcode.AuthNoCredential}, "No valid credential reached the platform (401 DAF-AUTH-0005, \"No authentication method found\" or \"Unrecognized Authentication key\")",
			[]string{"The API key is wrong, deactivated or expired.", "The API key is new: " + newKeyWords + " [" + level(platform.ConvNewKey) + "].", "The request carried no apiKey parameter and no Bearer token (a proxy stripped it?)."},
			"The same code also means \"IP not whitelisted\"; that case says \"ip address is not verified\" in detail. A key that fails now and then, or was created within the hour, is most likely new: cprready retries a key created on the day it checks before it fails it, and says so.",
			"Retry the same key: a new key works within about an hour (solidly after about 15 minutes at the earliest); do not create another, which starts over. Check the key under Administration → IT-systemer → <system> → API-Keys (status Aktiv, Udløbsdato in the future)."},
		{datafordeler.CauseNoAccess, []string{errcode.AuthNotAuthorized, "403"}, "No approved data access for the entity (403, or 200 with DAF-AUTH-0001 \"not authorized\")",
			[]string{"The application (Dataadgang) is not approved yet (status Ny), was rejected or has expired.", "The access was granted to another IT-system than the one whose credential you use.", "The query asks for a service the application does not cover (e.g. the private service with public access)."},
			"Look at the IT-system's Dataadgang in Administration: status and entities. The token belongs to exactly one IT-system.",
			"Follow up the application with CPR (servicedesk ticket, virk.dk); use the credential of the IT-system that holds the approved access."},
		{datafordeler.CauseInvalidToken, []string{"invalid_token"}, "The access token was rejected (401 WWW-Authenticate: Bearer error=\"invalid_token\")",
			[]string{"The token expired (read expires_in; tokens live minutes).", "The token was issued by another environment's token host.", "The local clock is off, so a fresh token looks expired or not yet valid."},
			"Check clock.skew; compare the token host with the environment; fetch a new token just before the call.",
			"Get a new token before it expires, from the token host of the same environment; keep the clock synchronised (NTP)."},
		{datafordeler.CauseInvalidClient, []string{"invalid_client"}, "The token endpoint rejected the client (invalid_client)",
			[]string{"The client ID or the shared secret is wrong, expired or deactivated.", "The secret was copied with spaces, quotes or a line break (see cred.secret-hygiene).", "The credential belongs to another environment (production credentials do not work in a test environment, and vice versa)."},
			"A fresh secret from Administration that still fails points to the environment or the token host.",
			"Copy the Client ID and create a new secret under Administration → IT-systemer → <system> → OAuth Shared Secret (it is shown once)."},
		{datafordeler.CauseUnauthorizedClient, []string{"unauthorized_client"}, "The client is not allowed this kind of authentication (unauthorized_client)",
			[]string{"The secret is wrong, expired or missing for this client ID (Keycloak answers a known client's bad secret with unauthorized_client, an unknown client with invalid_client).", "A shared secret was sent to the certificate token host (auth-oces…), or a certificate client to the shared-secret host (auth…).", "The client is not enabled for the client-credentials grant (\"Client not enabled to retrieve service account\")."},
			"The error description tells them apart: \"Invalid client or Invalid client credentials\" is the secret; a description naming the method is the token host; \"service account\" is the client's set-up in Administration.",
			"Create a new secret under Administration → IT-systemer → <system> → OAuth Shared Secret (it is shown once) and copy it without spaces; use the token host that matches the credential: auth.datafordeler.dk for a shared secret, auth-oces.datafordeler.dk for a certificate."},
		{datafordeler.CauseInvalidScope, []string{"invalid_scope"}, "The token request asked for a scope the client does not have (invalid_scope)",
			[]string{"A scope parameter was added to the client-credentials request."},
			"cprready sends no scope; a failing integration probably does.",
			"Send grant_type=client_credentials with client_id (and client_secret) only."},
		{datafordeler.CauseTokenError, []string{"invalid_grant", "invalid_request", "unsupported_grant_type"}, "The token endpoint refused the request",
			[]string{"The request is not a form-encoded client-credentials grant."},
			"Compare the request with platform.md: POST, application/x-www-form-urlencoded, grant_type=client_credentials.",
			"Send the credentials in the form body (not Basic auth) with grant_type=client_credentials."},
		{datafordeler.CauseClientCertRejected, []string{"bad certificate", "certificate required"}, "The certificate token host rejected the client certificate",
			[]string{"The certificate is not the one uploaded for this client ID.", "It is not an OCES3 certificate (or not a test certificate in a test environment).", "It is expired, or sent without its chain."},
			"cred.cert-fingerprint compares the file's SHA-1 with Administration's Fingeraftryk; cred.cert-valid checks dates and the key.",
			"Upload the certificate (PEM) under Administration → IT-systemer → <system> → OAuth Certifikat and use its client ID."},
		{datafordeler.CauseTokenServer, []string{"503", "5xx"}, "The token endpoint is unavailable (5xx)",
			[]string{"Datafordeleren's token service is down or overloaded."},
			"cprready retried as Retry-After allowed; a lasting 503 is on the platform's side.",
			"Retry later; see Datafordeleren's operational status."},
		{datafordeler.CauseTokenNotJSON, nil, "The token endpoint answered with something that is not JSON",
			[]string{"A proxy or login page answered instead of the token host.", "The token URL points at a web page, not the token endpoint."},
			"Open the token URL's host in a browser from the same network; check endpoints.token.",
			"Use …/realms/distribution/protocol/openid-connect/token on the right host; configure the proxy to pass it through."},
		{datafordeler.CauseNoAccessToken, nil, "The token response holds no access_token",
			[]string{"The endpoint is not Datafordeleren's token endpoint."},
			"", "Check endpoints.token."},
		{datafordeler.CauseMandatorySelection, nil, "A mandatory field is missing from the query (\"Required fields are missing in query selection: beskyttelser\")",
			[]string{"beskyttelser is not selected on every person object, nested persons included."},
			"`cprready schema validate` finds the exact line offline.",
			"Select beskyttelser { beskyttelsestype status virkningfra virkningtil } on every person object."},
		{datafordeler.CauseAlias, []string{errcode.Alias}, "Aliases are not allowed (DAF-GQL-0008)",
			[]string{"The query renames a field (alias: field)."}, "`cprready schema validate` finds it offline.", "Remove the alias; send one query per root field."},
		graphqlDoc(),
		requiredFilterDoc(),
		pagePastLastDoc(),
		{datafordeler.CauseBothCredentials, []string{errcode.AuthBothCredentials}, "API key and Authorization header in the same request (DAF-AUTH-0002)",
			[]string{"The client sends apiKey and a Bearer token together."}, "", "Use the API key for schemas only and the Bearer token for data, never both."},
		{datafordeler.CauseRateLimited, []string{"429"}, "Too many requests (429)",
			[]string{"The client sends faster than the platform allows."}, "The Retry-After header says how long to wait.", "Slow down and honour Retry-After."},
		{datafordeler.CauseMalformed, nil, "The answer was not what the platform sends (not JSON, no data)",
			[]string{"A proxy, firewall or gateway answered instead of Datafordeleren (an HTML error or login page).", "The URL points at another service."},
			"The evidence holds the start of the body.", "Check endpoints: and the proxy; run `cprready check` from the server itself."},
		{datafordeler.CauseServer, []string{"5xx"}, "Datafordeleren answered with a server error", []string{"A platform problem."}, "", "Retry later."},
		{datafordeler.CauseDNS, nil, "The host name cannot be resolved (DNS)", []string{"A typo in endpoints:, no DNS on the server, or a split-horizon DNS."}, "", "Check the host name; try `nslookup <host>` on the server."},
		{datafordeler.CauseRefused, nil, "The connection was refused", []string{"Nothing listens there, or a firewall rejects outbound HTTPS."}, hostAddressNote, "Open outbound 443 to the host; check endpoints:."},
		{datafordeler.CauseUnreachable, nil, "The host or its network cannot be reached",
			[]string{"This machine has no route to the host: no default gateway, a VPN or firewall that drops the route, or the network is down.", "The host name resolves to an IPv6 address and this network has no IPv6."},
			"Unlike a refusal, nothing answered: `tracert <host>` (Windows) or `traceroute <host>` shows where the route ends.",
			"Check the machine's network, gateway and VPN; open outbound 443 to the host; check endpoints:."},
		{datafordeler.CauseReset, nil, "The connection was closed in the middle (reset)",
			[]string{"A firewall, proxy or load balancer on the way cut the connection.", "The server closed it (restart, overload)."},
			"cprready retries a reset of a token call or a GET, as Retry-After allows; a reset that persists comes from the path, not from one call.",
			"Retry; if it persists, ask whoever runs the firewall or proxy between you and the host whether it cuts HTTPS to *.datafordeler.dk."},
		{datafordeler.CauseTimeout, nil, "No answer in time", []string{"A firewall drops the packets (timeout while connecting).", "The server is slow or stuck (timeout while waiting)."}, "The evidence names the phase. " + hostAddressNote, "Open outbound 443; set HTTPS_PROXY if your network needs a proxy; raise --timeout."},
		{datafordeler.CauseTLSUnknownAuthority, nil, "The server's certificate is not trusted", []string{"A TLS-inspecting proxy re-signs traffic with its own CA.", "You are talking to the emulator without its ca.pem."}, "", "Add the proxy's (or emulator's) CA with endpoints.ca_file; never switch verification off."},
		{datafordeler.CauseTLSHostname, nil, "The server's certificate is for another host name", []string{"The URL uses an IP or an alias the certificate does not cover; a proxy answers."}, "", "Use the host name from platform.md."},
		{datafordeler.CauseTLSExpired, nil, "The server's certificate has expired (or the local clock is wrong)", []string{"The local clock is far off.", "A proxy's certificate expired."}, "Compare the machine's clock with real time.", "Fix the clock (NTP) or the proxy certificate."},
		{datafordeler.CauseProxy, []string{"407"}, "The proxy refused or failed the connection", []string{"HTTPS_PROXY points at a proxy that refuses the host (403) or wants credentials (407 Proxy Authentication Required)."},
			"The status is the proxy's, not Datafordeleren's: the request never reached the platform.", "Allow *.datafordeler.dk in the proxy, give it its credentials, or set NO_PROXY."},
		{datafordeler.CauseRedirect, []string{"301", "302", "303", "307", "308"}, "The endpoint answered with a redirect that cprready does not follow",
			[]string{"The URL in endpoints: is out of date or points at a login page, a load balancer or a proxy.", "A redirect loop on the server's side."},
			"The evidence holds the status and where the redirect pointed (redacted). cprready follows a redirect only within the same scheme, host and port, at most 5 times: a 307/308 to another host would re-send the client secret or the Bearer token there.",
			"Set endpoints: to the final URL (the one the redirect names, if it is Datafordeleren's); never let a client re-send credentials across hosts."},
		{datafordeler.CauseWrongScheme, []string{"400"}, "A plain http:// URL reached an https server",
			[]string{"endpoints: says http:// where the server speaks https (\"Client sent an HTTP request to an HTTPS server\")."}, "", "Use https:// in endpoints:."},
		{datafordeler.CauseTLSNotYetValid, nil, "The server's certificate is not valid yet (or the local clock is behind)",
			[]string{"The local clock is far behind.", "A proxy issued a certificate dated in the future."}, "Compare the machine's clock with real time.", "Fix the clock (NTP) or the proxy certificate."},
		notFoundDoc(),
		{datafordeler.CauseHTTP, nil, "The platform answered with an HTTP error cprready has no explanation for",
			[]string{"A status the platform is not known to send for this call (the evidence holds it and the start of the body)."},
			"The status and the body tell more: paste them into `cprready explain -`.",
			"Look at the status and body in the evidence; if the platform sent it, report it with them to Datafordeleren's support."},
		{datafordeler.CauseNetwork, nil, "The connection failed for a reason the operating system names only vaguely",
			[]string{"A firewall or network device dropped or rejected the connection in a way that is neither a refusal nor a timeout.", "The network was unreachable or changed during the call (VPN, Wi-Fi)."},
			"The evidence holds the operating system's own words.",
			"Check that outbound HTTPS (443) to the host works from this machine (curl -v https://<host>/); set HTTPS_PROXY if your network needs a proxy."},
		{datafordeler.CauseTLS, nil, "The TLS handshake failed",
			[]string{"A TLS-inspecting proxy or firewall interfered with the handshake.", "The server and the client share no protocol version or cipher (an old client or a forced TLS version)."},
			"The evidence holds the TLS library's words; a certificate problem has its own cause (tls-unknown-authority, tls-wrong-host, tls-expired).",
			"Try `curl -v https://<host>/` from the same machine; if a proxy inspects TLS, add its CA with endpoints.ca_file or let it pass *.datafordeler.dk."},
		{datafordeler.CauseCancelled, nil, "The call was cancelled before it finished",
			[]string{"The run was interrupted (Ctrl-C, SIGTERM) or hit --timeout before this call ended."},
			"The report's options say whether the run was cancelled.",
			"Run again; raise --timeout if the network is slow."},
		{datafordeler.CauseTokenExpiry, nil, "The token endpoint returned a token that is already expired (expires_in ≤ 0)",
			[]string{"The token endpoint is not Datafordeleren's, or it is misconfigured.", "A proxy rewrote the answer."}, "", "Check endpoints.token; report it to Datafordeleren if it is theirs."},
	}
}

// LookupCauseDoc finds the doc of a cause.
func LookupCauseDoc(c datafordeler.Cause) (CauseDoc, bool) {
	for _, d := range CauseDocs() {
		if d.Cause == c {
			return d, true
		}
	}
	return CauseDoc{}, false
}

// Context is what a live check knows when it diagnoses a failure.
type Context struct {
	Check       string // the check ID
	System      string // IT-system name
	Whitelist   []netip.Prefix
	Egress      netip.Addr       // the public address seen by the echo, if known
	CredKind    profile.CredKind // the credential the call used, if any
	KeyCreated  time.Time        // an API key's creation date, if recorded
	KeyAttempts int              // how many times the live check tried the key
	At          time.Time        // the evaluation day
	TokenURL    string
	Env         string
	Timeout     time.Duration
	Hygiene     []string // cred.secret-hygiene problems of the secret, if any
	Entity      string   // what the call asked for
	// ProxySeen is true when the answer shows a proxy's signs (Via,
	// Proxy-Authenticate, a proxy's server name).
	ProxySeen bool
}

// Diagnosis is the most likely cause first, in the user's words.
type Diagnosis struct {
	Message string
	Remedy  string
}

func (d Context) where(tab string) string {
	sys := redact.Local(d.System).String()
	if sys == "" {
		sys = "<IT-system>"
	}
	return fmt.Sprintf("Administration → IT-systemer → %s → %s", sys, tab)
}

// Prefixes lists a whitelist for messages ("no addresses" when empty).
func Prefixes(ps []netip.Prefix) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	if len(s) == 0 {
		return "no addresses"
	}
	return strings.Join(s, ", ")
}

// Diagnose explains a classified failure in the user's words: the most
// likely cause first, the evidence that shows it, the fix and where.
func Diagnose(e *datafordeler.Error, d Context) Diagnosis {
	sysName := redact.Local(d.System).String()
	if sysName == "" {
		sysName = "the IT-system"
	}
	switch e.Cause {
	case datafordeler.CauseIPNotVerified:
		if d.Check == "explain" {
			// A paste shows neither the caller's address nor the whitelist.
			return Diagnosis{
				Message: "The platform does not accept calls from the caller's public address: 401 DAF-AUTH-0005 \"ip address is not verified\". The paste does not show which address called, nor the IT-system's whitelist",
				Remedy:  fmt.Sprintf("Run `cprready check` on the machine that made the call: net.egress-ip compares its public address with the whitelist. Add the address as /32 under %s; a change can take a few minutes to apply.", d.where("IP-adresser")),
			}
		}
		if d.Egress.IsValid() {
			inList := false
			for _, p := range d.Whitelist {
				inList = inList || p.Contains(d.Egress)
			}
			if !inList {
				return Diagnosis{
					Message: fmt.Sprintf("Your public address %s is not in the whitelist of IT-system %s (%s): the platform answered 401 DAF-AUTH-0005 \"ip address is not verified\"", d.Egress, sysName, Prefixes(d.Whitelist)),
					Remedy:  fmt.Sprintf("Add %s/32 under %s; a change can take a few minutes to apply.", d.Egress, d.where("IP-adresser")),
				}
			}
			return Diagnosis{
				Message: fmt.Sprintf("The platform says your IP address is not verified (401 DAF-AUTH-0005), but %s is in the whitelist of %s (%s): the change may not be applied yet, or your calls leave by another address (proxy, NAT)", d.Egress, sysName, Prefixes(d.Whitelist)),
				Remedy:  "Wait a few minutes after changing the whitelist and run again; if it persists, find the address your server really leaves by (proxy, NAT) and whitelist that.",
			}
		}
		return Diagnosis{
			Message: fmt.Sprintf("The platform does not accept calls from your address: 401 DAF-AUTH-0005 \"ip address is not verified\" (whitelist of %s: %s)", sysName, Prefixes(d.Whitelist)),
			Remedy:  fmt.Sprintf("Find your public address (curl https://ifconfig.me on the server) and add it as /32 under %s; a change can take a few minutes to apply.", d.where("IP-adresser")),
		}
	case datafordeler.CauseNoCredential:
		return diagnoseKey(e, d)
	case datafordeler.CauseNotFound:
		if dg, ok := diagnoseNotFound(e); ok {
			return dg
		}
	case datafordeler.CauseGraphQL:
		if dg, ok := diagnoseGraphQL(e); ok {
			return dg
		}
	case datafordeler.CausePagePastLast:
		if d.Check == "filedownload.list" {
			return Diagnosis{
				Message: fmt.Sprintf("The file list holds nothing for %s: the platform answers its first page with 400 \"%s\" when no file is listed", sysName, platform.PagePastLastMessage),
				Remedy:  fmt.Sprintf("Check the file-download access under %s (status Godkendt, CPR entities such as Person, CprAdresse); files are generated weekly, so a new access may list nothing for some days.", d.where("Dataadgang")),
			}
		}
	case datafordeler.CauseNoAccess:
		what := "the requested data"
		if d.Entity != "" {
			what = d.Entity
		}
		return Diagnosis{
			Message: fmt.Sprintf("The platform says %s has no approved data access to %s (%s)", sysName, what, codeOr(e, errcode.AuthNotAuthorized)),
			Remedy:  fmt.Sprintf("Check the application under %s: status Godkendt and %s among the entities. The token belongs to exactly this IT-system; follow up with CPR (servicedesk ticket, virk.dk) if it is still Ny.", d.where("Dataadgang"), what),
		}
	case datafordeler.CauseInvalidToken:
		return Diagnosis{
			Message: "The platform rejected the access token (401 invalid_token): it expired, came from another environment's token host, or the clock is off",
			Remedy:  "Fetch a new token right before the call from the token host of the same environment, and keep the clock synchronised (see clock.skew).",
		}
	case datafordeler.CauseInvalidClient, datafordeler.CauseUnauthorizedClient:
		return diagnoseClient(e, d)
	case datafordeler.CauseClientCertRejected:
		return Diagnosis{
			Message: "The certificate token host rejected the client certificate: it is not registered for this client ID or not accepted (OCES3, in date, with its chain)",
			Remedy:  fmt.Sprintf("Compare the file's SHA-1 with the Fingeraftryk under %s (cred.cert-fingerprint); upload this certificate and use its client ID if it is new.", d.where(profile.CertificateCred.Tab())),
		}
	case datafordeler.CauseTokenServer:
		return Diagnosis{
			Message: fmt.Sprintf("The token endpoint is unavailable (HTTP %d) after %d attempt(s)", e.Status, max(e.Meta.Attempts, 1)),
			Remedy:  "This is on the platform's side: retry later and check Datafordeleren's operational status.",
		}
	case datafordeler.CauseTimeout:
		host := hostOr(e.Meta.URL)
		phase := e.Phase
		if phase == "" {
			phase = "the request"
		}
		msg := fmt.Sprintf("%s did not answer in time (timeout during %s)", host, phase)
		remedy := "Check that outbound HTTPS (443) to the host is open; set HTTPS_PROXY if your network needs a proxy; raise --timeout if the network is slow."
		if phase == "wait" {
			msg = fmt.Sprintf("%s accepted the connection but did not answer in time (timeout while waiting for the response)", host)
			remedy = "The server is slow or stuck: retry later; raise --timeout if the network is slow."
		}
		return Diagnosis{Message: msg, Remedy: remedy}
	case datafordeler.CauseTLSUnknownAuthority:
		return Diagnosis{
			Message: fmt.Sprintf("The certificate of %s is not signed by a trusted authority: a TLS-inspecting proxy is in the way, or this is the emulator without its CA", hostOr(e.Meta.URL)),
			Remedy:  "Add the proxy's (or emulator's) CA bundle with endpoints.ca_file; never switch verification off.",
		}
	case datafordeler.CauseMandatorySelection:
		if d.Check == "graphql.protected" {
			return Diagnosis{
				Message: fmt.Sprintf("The platform requires fields that cprready's probe does not select (%q): the service's mandatory fields are not all public (the private service's are not), so the probe selects those it knows", redact.Server(e.Detail)),
				Remedy:  "Name a probe query of your own under probe_query: for this IT-system that selects every mandatory field (the error names them), and run again; `cprready schema validate` checks it offline first.",
			}
		}
	case datafordeler.CauseMalformed:
		if d.ProxySeen {
			return Diagnosis{
				Message: "A proxy answered instead of Datafordeleren (its headers show it), with something the platform never sends (" + redact.Server(e.Detail).String() + ")",
				Remedy:  "Let the proxy pass *.datafordeler.dk (or set NO_PROXY), then run again from the server that will call the platform.",
			}
		}
		return Diagnosis{
			Message: "The answer is not what Datafordeleren sends (" + redact.Server(e.Detail).String() + "): the URL may point at another service, or something on the way (a firewall, a gateway) answered",
			Remedy:  "Check the URL against endpoints: (and platform.md's hosts), then any proxy or firewall on the way; run cprready from the server that will call the platform.",
		}
	}
	doc, ok := LookupCauseDoc(e.Cause)
	if !ok {
		return Diagnosis{Message: e.Error(), Remedy: "Run `cprready explain` with the error body for details."}
	}
	msg := doc.Title
	if e.Detail != "" {
		msg += ": " + redact.Server(e.Detail).String()
	}
	return Diagnosis{Message: msg, Remedy: doc.Fix}
}

// hostOr is the host of a URL, or "the server" when it is not known (a
// pasted error names none).
func hostOr(u string) string {
	if u == "" {
		return "the server"
	}
	return platform.HostOf(u)
}

func codeOr(e *datafordeler.Error, def string) string {
	if e.Status == 403 {
		return "HTTP 403"
	}
	if e.Code != "" {
		return redact.Server(e.Code).String()
	}
	return def
}

func diagnoseClient(e *datafordeler.Error, d Context) Diagnosis {
	low := strings.ToLower(e.Detail)
	oces := strings.Contains(strings.ToLower(d.TokenURL), "oces")
	switch {
	case strings.Contains(low, "service account"):
		return Diagnosis{
			Message: fmt.Sprintf("The OAuth client is not enabled for the client-credentials grant (%s: %q): the client's set-up, not its secret [inferred from Keycloak's source: clients made by Datafordeler's Administration are enabled]", e.Cause, redact.Server(e.Detail)),
			Remedy:  fmt.Sprintf("A new secret will not help. Check that the client ID is the one shown under %s (not another system's or a person's login); if it is, report it to Datafordeleren's support with the client ID.", d.where(profile.SharedSecretCred.Tab())),
		}
	case d.CredKind == profile.SharedSecretCred && (oces || strings.Contains(low, "shared-secret token host")):
		return Diagnosis{
			Message: fmt.Sprintf("A shared secret was sent to the certificate token host (%s): that host authenticates certificates only", platform.HostOf(d.TokenURL)),
			Remedy:  "Set endpoints.token to the shared-secret host (…auth.datafordeler.dk/realms/distribution/protocol/openid-connect/token) and keep token_mtls for certificates.",
		}
	case d.CredKind != profile.SharedSecretCred && oces:
		return Diagnosis{
			Message: fmt.Sprintf("The certificate token host (%s) rejected the client (%s): the client ID is not the one registered for this certificate, or the certificate presented is not the one uploaded (a certificate client has no secret)", platform.HostOf(d.TokenURL), e.Cause),
			Remedy:  fmt.Sprintf("Use the Client ID shown under %s for this certificate, and compare the certificate's SHA-1 fingerprint with the Fingeraftryk there (cred.cert-fingerprint); upload the certificate if it is new.", d.where(profile.CertificateCred.Tab())),
		}
	case d.CredKind == profile.CertificateCred && (!oces && d.TokenURL != "" || strings.Contains(low, "certificate token host")):
		return Diagnosis{
			Message: fmt.Sprintf("A certificate client was sent to the shared-secret token host (%s): certificates authenticate at the certificate host (auth-oces)", platform.HostOf(d.TokenURL)),
			Remedy:  "Set endpoints.token_mtls to …auth-oces.datafordeler.dk/realms/distribution/protocol/openid-connect/token.",
		}
	}
	msg := fmt.Sprintf("The token endpoint rejected the client (%s): the client ID or secret is wrong, expired or deactivated", e.Cause)
	if len(d.Hygiene) > 0 {
		msg = fmt.Sprintf("The token endpoint rejected the client (%s), and the secret %s: most likely a copy-paste error", e.Cause, words.JoinAnd(d.Hygiene))
	}
	remedy := fmt.Sprintf("Copy the Client ID from %s and create a new secret there (it is shown once).", d.where(profile.SharedSecretCred.Tab()))
	if d.CredKind == profile.CertificateCred {
		remedy = fmt.Sprintf("Check the Client ID under %s; it must be the certificate's client ID.", d.where(profile.CertificateCred.Tab()))
	}
	if d.Env != "" && d.Env != "prod" && d.Env != "custom" {
		remedy += fmt.Sprintf(" Credentials from production do not work in %s: each environment has its own Administration and credentials.", d.Env)
	} else if d.Env == "prod" {
		remedy += " Credentials created in a test environment's Administration do not work in production."
	}
	return Diagnosis{Message: msg, Remedy: remedy}
}
