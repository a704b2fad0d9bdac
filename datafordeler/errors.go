package datafordeler

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/cprready/cprready/platform/errcode"

	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
)

// Cause is the one typed reason a call failed.
type Cause string

// Every cause the client tells apart.
const (
	CauseDNS                 Cause = "dns"
	CauseRefused             Cause = "connection-refused"
	CauseReset               Cause = "connection-reset"
	CauseTimeout             Cause = "timeout"
	CauseCancelled           Cause = "cancelled"
	CauseNetwork             Cause = "network"
	CauseProxy               Cause = "proxy"
	CauseTLSUnknownAuthority Cause = "tls-unknown-authority"
	CauseTLSHostname         Cause = "tls-wrong-host"
	CauseTLSExpired          Cause = "tls-expired"
	CauseTLS                 Cause = "tls"
	CauseClientCertRejected  Cause = "client-certificate-rejected"
	CauseInvalidClient       Cause = "invalid_client"
	CauseUnauthorizedClient  Cause = "unauthorized_client"
	CauseInvalidScope        Cause = "invalid_scope"
	CauseTokenError          Cause = "token-error"
	CauseTokenServer         Cause = "token-server-error"
	CauseTokenNotJSON        Cause = "token-not-json"
	CauseNoAccessToken       Cause = "token-without-access_token"
	CauseIPNotVerified       Cause = "ip-not-verified"
	CauseNoCredential        Cause = "no-credential" // #nosec G101 -- a cause name
	CauseInvalidToken        Cause = "invalid_token"
	CauseNoAccess            Cause = "no-access"
	CauseBothCredentials     Cause = "apikey-and-bearer"
	CauseMandatorySelection  Cause = "mandatory-selection-missing"
	CauseAlias               Cause = "alias-rejected"
	CauseGraphQL             Cause = "graphql-error"
	CauseRateLimited         Cause = "rate-limited"
	CauseServer              Cause = "server-error"
	CauseMalformed           Cause = "malformed-response"
	CauseNotFound            Cause = "not-found"
	CauseHTTP                Cause = "http-status"
	CauseRedirect            Cause = "redirect"
	CauseWrongScheme         Cause = "http-to-https"
	CauseTLSNotYetValid      Cause = "tls-not-yet-valid"
	CauseTokenExpiry         Cause = "token-expiry-invalid" // #nosec G101 -- a cause name
	CauseUnreachable         Cause = "unreachable"          // no route to the host or its network
	CauseRequiredFilter      Cause = "required-filter-missing"
	CausePagePastLast        Cause = "page-past-last"
)

// Error is a classified failure with its evidence. Its text holds no
// secret: URLs are redacted and server text is cleaned and capped.
type Error struct {
	Cause      Cause         `json:"cause"`
	Phase      string        `json:"phase,omitempty"`    // dns, connect, tls, request, wait, body
	Status     int           `json:"status,omitempty"`   // HTTP status
	Code       string        `json:"code,omitempty"`     // errorCode, OAuth error or GraphQL extensions.code
	Detail     string        `json:"detail,omitempty"`   // the server's or the OS's words, cleaned
	Location   string        `json:"location,omitempty"` // a redirect's target, redacted
	RetryAfter time.Duration `json:"-"`
	Meta       Meta          `json:"-"`
	err        error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Cause))
	if e.Phase != "" && e.Cause == CauseTimeout {
		b.WriteString(" during " + e.Phase)
	}
	if e.Status != 0 || e.Code != "" {
		b.WriteString(" (")
		if e.Status != 0 {
			fmt.Fprintf(&b, "HTTP %d", e.Status)
		}
		if e.Code != "" {
			if e.Status != 0 {
				b.WriteString(" ")
			}
			b.WriteString(redact.Server(e.Code).String())
		}
		b.WriteString(")")
	}
	if e.Detail != "" {
		b.WriteString(": " + redact.Server(e.Detail).String())
	}
	if e.Meta.URL != "" {
		b.WriteString(" [" + e.Meta.Method + " " + e.Meta.URL + "]")
	}
	return b.String()
}

// Unwrap gives the underlying error (for errors.Is with context errors).
func (e *Error) Unwrap() error { return e.err }

// Evidence is what a report keeps of the failure.
func (e *Error) Evidence() map[string]any {
	ev := map[string]any{"cause": string(e.Cause)}
	if e.Phase != "" {
		ev["phase"] = e.Phase
	}
	if e.Status != 0 {
		ev["status"] = e.Status
	}
	if e.Code != "" {
		ev["errorCode"] = redact.Server(e.Code).String()
	}
	if e.Detail != "" {
		ev["detail"] = redact.Server(e.Detail).String()
	}
	if e.RetryAfter > 0 {
		ev["retry_after_s"] = e.RetryAfter.Seconds()
	}
	if e.Meta.URL != "" {
		ev["url"] = e.Meta.URL
	}
	if e.Location != "" {
		ev["location"] = redact.Server(e.Location).String()
	}
	if e.Meta.Attempts > 1 {
		ev["attempts"] = e.Meta.Attempts
	}
	return ev
}

// AsError finds a classified error.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// MaxDetail caps server or OS text kept as evidence, in runes.
const MaxDetail = 300

// clean is server or OS text fit for evidence: escapes removed, capped at
// MaxDetail runes. Whatever it is given must already be redacted (the
// client redacts every body and error text first): a cap that falls
// inside a secret would leave a piece the gate no longer recognises.
func clean(s string) string { return textsafe.Clean(strings.TrimSpace(s), MaxDetail) }

// Call kinds change how a response is read.
const (
	KindToken    = "token"
	KindGraphQL  = "graphql"
	KindSchema   = "schema"
	KindFileList = "filelist"
	KindEcho     = "echo"
	KindProbe    = "probe"
)

// problemBody is the union of the platform's error shapes.
type problemBody struct {
	// problem+json
	ErrorCode string `json:"errorCode"`
	Detail    string `json:"detail"`
	Title     string `json:"title"`
	// Keycloak
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	// GraphQL
	Errors []GraphQLError `json:"errors"`
	// some gateways
	Message string `json:"message"`
}

// GraphQLError is one entry of a GraphQL response's errors.
type GraphQLError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Code is extensions.code, if any.
func (g GraphQLError) Code() string {
	if c, ok := g.Extensions["code"].(string); ok {
		return c
	}
	return ""
}

var bearerErrorRe = regexp.MustCompile(`(?i)error\s*=\s*"?([a-z_]+)"?`)

// ClassifyHTTP reads a response (status, headers, body) of a call of the
// given kind and returns its failure, or nil when it succeeded. It is a
// pure function: `cprready explain -` runs pasted bodies through it too.
func ClassifyHTTP(kind string, status int, header http.Header, body []byte) *Error {
	if header == nil {
		header = http.Header{}
	}
	var pb problemBody
	jsonErr := json.Unmarshal(body, &pb)
	isJSON := jsonErr == nil
	e := &Error{Status: status}
	if isJSON {
		e.Code = clean(firstNonEmpty(pb.ErrorCode, pb.Error))
		e.Detail = clean(firstNonEmpty(pb.Detail, pb.ErrorDescription, pb.Title, pb.Message))
	}
	if www := header.Get("WWW-Authenticate"); www != "" {
		if m := bearerErrorRe.FindStringSubmatch(www); m != nil && e.Code == "" {
			e.Code = strings.ToLower(m[1])
		}
		if e.Detail == "" {
			e.Detail = clean("WWW-Authenticate: " + www)
		}
	}
	if !isJSON && e.Detail == "" && len(body) > 0 && status >= 400 {
		e.Detail = clean(string(body))
	}
	// GraphQL errors come with HTTP 200 under application/json and with
	// 4xx under application/graphql-response+json (Hot Chocolate): read
	// them whatever the status, unless the body is a platform or Keycloak
	// error of its own.
	if isJSON && len(pb.Errors) > 0 && pb.ErrorCode == "" && pb.Error == "" && status < 500 && (status < 300 || status >= 400) {
		ge := classifyGraphQLErrors(pb.Errors)
		ge.Status = status
		return ge
	}
	lowDetail := strings.ToLower(e.Detail)
	switch {
	case status == http.StatusBadRequest && strings.Contains(string(body), "Client sent an HTTP request to an HTTPS server"):
		e.Cause, e.Code, e.Detail = CauseWrongScheme, "", "the URL uses http:// but the server speaks https"
	case status == http.StatusBadRequest && strings.Contains(lowDetail, "greater than the total amount of pages"):
		// The file list's end of paging (platform.ConvListPastLast).
		e.Cause = CausePagePastLast
	case status >= 300 && status < 400 && status != http.StatusNotModified:
		e.Cause, e.Code = CauseRedirect, ""
		e.Location = redact.URLString(header.Get("Location"))
		e.Detail = clean("a redirect to " + firstNonEmpty(e.Location, "(no Location header)"))
	case status == http.StatusProxyAuthRequired:
		e.Cause = CauseProxy
		if e.Detail == "" {
			e.Detail = "the proxy asks for authentication (HTTP 407)"
		}
	case e.Code == "invalid_token":
		e.Cause = CauseInvalidToken
	case strings.EqualFold(e.Code, errcode.AuthNoCredential):
		if strings.Contains(lowDetail, "ip address is not verified") || strings.Contains(lowDetail, "ip address") {
			e.Cause = CauseIPNotVerified
		} else {
			e.Cause = CauseNoCredential
		}
	case strings.EqualFold(e.Code, errcode.AuthNotAuthorized):
		e.Cause = CauseNoAccess
	case strings.EqualFold(e.Code, errcode.AuthBothCredentials):
		e.Cause = CauseBothCredentials
	case e.Code == "invalid_client":
		e.Cause = CauseInvalidClient
	case e.Code == "unauthorized_client":
		e.Cause = CauseUnauthorizedClient
	case e.Code == "invalid_scope":
		e.Cause = CauseInvalidScope
	case kind == KindToken && isJSON && pb.Error != "" && status >= 400 && status < 500:
		e.Cause = CauseTokenError
	case status == http.StatusTooManyRequests:
		e.Cause = CauseRateLimited
		e.RetryAfter = parseRetryAfter(header.Get("Retry-After"), time.Now())
	case status >= 500:
		if kind == KindToken {
			e.Cause = CauseTokenServer
		} else {
			e.Cause = CauseServer
		}
		e.RetryAfter = parseRetryAfter(header.Get("Retry-After"), time.Now())
	case status == http.StatusForbidden:
		e.Cause = CauseNoAccess
	case status == http.StatusUnauthorized:
		e.Cause = CauseNoCredential
	case status == http.StatusNotFound:
		e.Cause = CauseNotFound
	case status >= 400:
		e.Cause = CauseHTTP
	default:
		return classifyOK(kind, status, body, isJSON, pb)
	}
	return e
}

// classifyOK reads a 2xx/3xx body: GraphQL errors arrive with HTTP 200.
func classifyOK(kind string, status int, body []byte, isJSON bool, pb problemBody) *Error {
	switch kind {
	case KindToken:
		if !isJSON {
			return &Error{Status: status, Cause: CauseTokenNotJSON, Detail: clean(string(body))}
		}
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if json.Unmarshal(body, &tok) != nil || tok.AccessToken == "" {
			return &Error{Status: status, Cause: CauseNoAccessToken, Detail: "the token response has no access_token"}
		}
		return nil
	case KindGraphQL, KindFileList:
		if !isJSON {
			return &Error{Status: status, Cause: CauseMalformed, Detail: clean("the body is not JSON: " + string(body))}
		}
		if len(pb.Errors) > 0 {
			e := classifyGraphQLErrors(pb.Errors)
			e.Status = status
			return e
		}
	}
	return nil
}

// classifyGraphQLErrors picks the cause of a GraphQL errors list.
func classifyGraphQLErrors(errs []GraphQLError) *Error {
	first := errs[0]
	e := &Error{Status: 200, Code: clean(first.Code()), Detail: clean(first.Message), Cause: CauseGraphQL}
	for _, g := range errs {
		code, msg := strings.ToUpper(g.Code()), strings.ToLower(g.Message)
		switch {
		case code == errcode.AuthNotAuthorized || strings.Contains(msg, "not authorized"):
			return &Error{Status: 200, Code: clean(g.Code()), Detail: clean(g.Message), Cause: CauseNoAccess}
		case strings.Contains(msg, "required fields are missing"):
			return &Error{Status: 200, Code: clean(g.Code()), Detail: clean(g.Message), Cause: CauseMandatorySelection}
		case code == errcode.Alias || strings.Contains(msg, "alias"):
			return &Error{Status: 200, Code: clean(g.Code()), Detail: clean(g.Message), Cause: CauseAlias}
		case code == errcode.TimeArgument:
			return &Error{Status: 200, Code: clean(g.Code()), Detail: clean(g.Message), Cause: CauseRequiredFilter}
		case code == errcode.AuthNoCredential:
			c := CauseNoCredential
			if strings.Contains(msg, "ip address") {
				c = CauseIPNotVerified
			}
			return &Error{Status: 200, Code: clean(g.Code()), Detail: clean(g.Message), Cause: c}
		}
	}
	return e
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}

// classifyTransport turns a network error into a cause; phase is where
// the request was. The error's text is redacted before it is capped.
func (c *Client) classifyTransport(err error, phase string, meta Meta) *Error {
	return classifyTransport(err, phase, meta, c.opts.Redactor)
}

func classifyTransport(err error, phase string, meta Meta, r *redact.Redactor) *Error {
	e := &Error{err: err, Phase: phase, Meta: meta, Detail: clean(r.Server(stripURL(err.Error())))}
	var (
		proxyErr *ProxyError
		dnsErr   *net.DNSError
		unknown  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invalid  x509.CertificateInvalidError
		netErr   net.Error
		opErr    *net.OpError
		respHead = strings.Contains(err.Error(), "timeout awaiting response headers")
	)
	msg := err.Error()
	errnoC, errnoOK := errnoCause(err)
	switch {
	case errors.Is(err, context.Canceled):
		e.Cause = CauseCancelled
	case errors.As(err, &proxyErr):
		e.Cause, e.Phase, e.Status = CauseProxy, "connect", proxyErr.Status
	case errors.As(err, &dnsErr):
		e.Cause, e.Phase = CauseDNS, "dns"
	case errors.As(err, &unknown):
		e.Cause, e.Phase = CauseTLSUnknownAuthority, "tls"
	case errors.As(err, &hostErr):
		e.Cause, e.Phase = CauseTLSHostname, "tls"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired && strings.Contains(invalid.Detail, "is before"):
		e.Cause, e.Phase = CauseTLSNotYetValid, "tls"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		e.Cause, e.Phase = CauseTLSExpired, "tls"
	case errors.As(err, &invalid):
		e.Cause, e.Phase = CauseTLS, "tls"
	case strings.Contains(msg, "remote error: tls: bad certificate"),
		strings.Contains(msg, "remote error: tls: certificate required"),
		strings.Contains(msg, "remote error: tls: unknown certificate"),
		strings.Contains(msg, "remote error: tls: unknown certificate authority"),
		strings.Contains(msg, "remote error: tls: certificate unknown"),
		strings.Contains(msg, "remote error: tls: access denied"):
		e.Cause, e.Phase = CauseClientCertRejected, "tls"
	case errors.As(err, &opErr) && opErr.Op == "proxyconnect":
		// The proxy itself cannot be reached (refused, reset, timed out):
		// net/http names the step proxyconnect on every OS.
		e.Cause, e.Phase = CauseProxy, "connect"
	case errors.Is(err, context.DeadlineExceeded) || respHead || (errors.As(err, &netErr) && netErr.Timeout()):
		e.Cause = CauseTimeout
		if respHead {
			e.Phase = "wait"
		}
	case errnoOK:
		e.Cause = errnoC
		if errnoC == CauseRefused || errnoC == CauseUnreachable {
			e.Phase = "connect"
		}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || strings.Contains(msg, "connection reset"):
		e.Cause = CauseReset
	case strings.Contains(msg, "proxyconnect"):
		e.Cause = CauseProxy
	case strings.Contains(msg, "tls:"):
		e.Cause, e.Phase = CauseTLS, "tls"
	default:
		e.Cause = CauseNetwork
	}
	return e
}

// stripURL drops the quoted URL *url.Error puts in its text (Meta keeps
// the redacted one).
func stripURL(s string) string {
	if before, after, ok := strings.Cut(s, "\": "); ok && strings.Contains(before, "://") {
		return after
	}
	return s
}
