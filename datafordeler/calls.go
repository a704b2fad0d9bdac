package datafordeler

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// SchemaResult is a fetched SDL.
type SchemaResult struct {
	SDL  []byte
	ETag string
	// NotModified is true when If-None-Match matched (304).
	NotModified bool
	Meta        Meta
}

// Schema fetches …/schema with the API key in the apiKey query parameter.
// etag, if set, is sent as If-None-Match. The key never appears in errors.
func (c *Client) Schema(ctx context.Context, schemaURL, apiKey, etag string) (*SchemaResult, error) {
	c.opts.Redactor.Add(apiKey)
	u, err := url.Parse(schemaURL)
	if err != nil {
		return nil, &Error{Cause: CauseHTTP, Detail: "bad schema URL"}
	}
	q := u.Query()
	q.Set("apiKey", apiKey)
	u.RawQuery = q.Encode()
	res, n, cerr := withRetry(ctx, c.opts.Retry, func() (*SchemaResult, *Error) {
		req, err := http.NewRequest(http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, &Error{Cause: CauseHTTP, Detail: "cannot build the request"}
		}
		req.Header.Set("Accept", "text/plain, application/graphql, */*")
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		a, meta, terr := c.do(ctx, req, "schema")
		if terr != nil {
			return nil, terr
		}
		if a.status == http.StatusNotModified {
			return &SchemaResult{NotModified: true, ETag: etag, Meta: meta}, nil
		}
		if e := c.classify(KindSchema, a); e != nil {
			e.Meta = meta
			return nil, e
		}
		return &SchemaResult{SDL: a.body, ETag: a.header.Get("ETag"), Meta: meta}, nil
	})
	if cerr != nil {
		return nil, cerr
	}
	res.Meta.Attempts = n
	return res, nil
}

// Token is an access token. Its value is a secret: the client's Redactor
// learns it as soon as it arrives.
type Token struct {
	AccessToken string
	TokenType   string
	ExpiresIn   time.Duration
	Meta        Meta
}

// TokenSharedSecret runs the client-credentials grant with the secret in
// the form body (AuthStyleInParams: never auto-detect, which sends two
// requests and swallows the first error).
func (c *Client) TokenSharedSecret(ctx context.Context, tokenURL, clientID, secret string) (*Token, error) {
	c.opts.Redactor.Add(secret)
	return c.token(ctx, tokenURL, clientID, secret, "token")
}

// TokenCertificate runs the grant over mutual TLS, posting client_id only
// (RFC 8705 tls_client_auth). The client must carry the certificate.
func (c *Client) TokenCertificate(ctx context.Context, tokenURL, clientID string) (*Token, error) {
	if !c.hasCert {
		return nil, &Error{Cause: CauseClientCertRejected, Detail: "no client certificate configured"}
	}
	return c.token(ctx, tokenURL, clientID, "", "token (mTLS)")
}

func (c *Client) token(ctx context.Context, tokenURL, clientID, secret, label string) (*Token, error) {
	cfg := clientcredentials.Config{ClientID: clientID, ClientSecret: secret, TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams}
	tok, n, err := withRetry(ctx, c.opts.Retry, func() (*Token, *Error) {
		actx, cancel := context.WithTimeout(ctx, c.opts.RequestTimeout)
		defer cancel()
		tr := c.newTracer(label)
		host := ""
		if u, err := url.Parse(tokenURL); err == nil {
			host = u.Host
		}
		opened, werr := c.awaitFirstConn(actx, host)
		defer opened()
		if werr != nil {
			meta := Meta{URL: redactedURL(tokenURL), Method: http.MethodPost, Attempts: 1, Timing: tr.finish()}
			return nil, c.classifyTransport(werr, tr.phase(), meta)
		}
		tr.onConn = opened
		rec := &recordingTransport{base: c.http.Transport, client: c}
		hc := &http.Client{Transport: rec, CheckRedirect: c.http.CheckRedirect}
		actx = context.WithValue(tr.attach(actx), oauth2.HTTPClient, hc)
		t, err := cfg.Token(actx)
		meta := Meta{URL: redactedURL(tokenURL), Method: http.MethodPost, Attempts: 1, Timing: tr.finish()}
		if rec.resp != nil {
			meta.Status = rec.resp.StatusCode
			meta.DateRaw = rec.resp.Header.Get("Date")
			meta.Date, _ = http.ParseTime(meta.DateRaw)
		}
		if err != nil {
			return nil, c.classifyTokenErr(err, tr.phase(), meta, rec)
		}
		c.opts.Redactor.Add(t.AccessToken)
		var exp time.Duration
		if !t.Expiry.IsZero() {
			exp = time.Until(t.Expiry).Round(time.Second)
			if exp <= 0 {
				return nil, &Error{Cause: CauseTokenExpiry, Status: meta.Status, Detail: "the token endpoint answered expires_in ≤ 0: the token is expired on arrival", Meta: meta}
			}
		}
		return &Token{AccessToken: t.AccessToken, TokenType: t.TokenType, ExpiresIn: exp, Meta: meta}, nil
	})
	if err != nil {
		return nil, err
	}
	tok.Meta.Attempts = n
	return tok, nil
}

// recordingTransport keeps the last response's status and headers, which
// x/oauth2 does not return for every failure.
// x/oauth2 does not return for every failure. x/oauth2's own error text
// can quote the body: it is redacted before anything caps it.
type recordingTransport struct {
	base   http.RoundTripper
	client *Client
	resp   *http.Response
	a      answer
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	_ = resp.Body.Close()
	if rerr != nil {
		return nil, rerr
	}
	r.resp, r.a = resp, r.client.redactAnswer(resp, body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

func (c *Client) classifyTokenErr(err error, phase string, meta Meta, rec *recordingTransport) *Error {
	if rec.resp != nil {
		if e := redirectError(rec.a.status, rec.a.header, rec.resp.Request.URL, meta); e != nil {
			e.err = err
			return e
		}
		if e := c.classify(KindToken, rec.a); e != nil {
			e.Meta, e.err = meta, err
			return e
		}
		// x/oauth2 refused a body ClassifyHTTP accepted.
		return &Error{Cause: CauseMalformed, Status: rec.resp.StatusCode, Detail: clean(c.opts.Redactor.Server(err.Error())), Meta: meta, err: err}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return c.classifyTransport(err, phase, meta)
}

func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return redactURL(u)
}

// GraphQLRequest is a query with variables.
type GraphQLRequest struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables,omitempty"`
	OperationName string         `json:"operationName,omitempty"`
}

// GraphQLResult is a successful response.
type GraphQLResult struct {
	Data   json.RawMessage
	Errors []GraphQLError
	Meta   Meta
}

// GraphQL posts a query with the Bearer token and the platform's headers,
// and reads errors from the body even on HTTP 200. It is not retried: a
// POST is not idempotent as far as the client knows.
func (c *Client) GraphQL(ctx context.Context, endpoint, token string, q GraphQLRequest) (*GraphQLResult, error) {
	body, err := json.Marshal(q)
	if err != nil {
		return nil, &Error{Cause: CauseHTTP, Detail: "cannot encode the query"}
	}
	req, err := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, &Error{Cause: CauseHTTP, Detail: "bad GraphQL URL"}
	}
	setBearer(req, token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	a, meta, terr := c.do(ctx, req, "graphql")
	if terr != nil {
		return nil, terr
	}
	if e := c.classify(KindGraphQL, a); e != nil {
		e.Meta = meta
		return nil, e
	}
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []GraphQLError  `json:"errors"`
	}
	if err := json.Unmarshal(a.body, &out); err != nil {
		return nil, &Error{Cause: CauseMalformed, Status: a.status, Detail: "the body is not JSON", Meta: meta}
	}
	if len(out.Data) == 0 || string(out.Data) == "null" {
		return nil, &Error{Cause: CauseMalformed, Status: a.status, Detail: "the response has neither data nor errors", Meta: meta}
	}
	return &GraphQLResult{Data: out.Data, Errors: out.Errors, Meta: meta}, nil
}

// SubscribeResult is what a subscription delivered before it ended.
type SubscribeResult struct {
	Events []json.RawMessage
	// Ended says why reading stopped: "count", "deadline" or "closed".
	Ended string
	Meta  Meta
}

// Subscribe posts a subscription and reads Server-Sent Events until max
// events arrive or the deadline passes (Hot Chocolate's convention: POST
// with a JSON body and Accept: text/event-stream).
func (c *Client) Subscribe(ctx context.Context, endpoint, token string, q GraphQLRequest, max int, deadline time.Duration) (*SubscribeResult, error) {
	body, err := json.Marshal(q)
	if err != nil {
		return nil, &Error{Cause: CauseHTTP, Detail: "cannot encode the subscription"}
	}
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	tr := c.newTracer("events (SSE)")
	req, err := http.NewRequestWithContext(tr.attach(ctx), http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, &Error{Cause: CauseHTTP, Detail: "bad GraphQL URL"}
	}
	setBearer(req, token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("User-Agent", c.opts.UserAgent)
	meta := Meta{URL: redactURL(req.URL), Method: http.MethodPost, Attempts: 1}
	resp, err := c.http.Do(req)
	if err != nil {
		meta.Timing = tr.finish()
		return nil, c.classifyTransport(err, tr.phase(), meta)
	}
	defer resp.Body.Close()
	meta.Status = resp.StatusCode
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
		meta.Timing = tr.finish()
		a := c.redactAnswer(resp, b)
		e := redirectError(a.status, a.header, req.URL, meta)
		if e == nil {
			e = c.classify(KindGraphQL, a)
		}
		if e == nil {
			e = &Error{Cause: CauseMalformed, Status: resp.StatusCode, Detail: clean("expected text/event-stream, got " + a.header.Get("Content-Type"))}
		}
		e.Meta = meta
		return nil, e
	}
	res := &SubscribeResult{Ended: "closed"}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var data strings.Builder
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if data.Len() > 0 && (event == "" || event == "next") {
				var msg struct {
					Data   json.RawMessage `json:"data"`
					Errors []GraphQLError  `json:"errors"`
				}
				if json.Unmarshal([]byte(data.String()), &msg) != nil {
					meta.Timing = tr.finish()
					return nil, &Error{Cause: CauseMalformed, Status: resp.StatusCode, Detail: "an event is not JSON", Meta: meta}
				}
				if len(msg.Errors) > 0 {
					// Classified from what was sent; its words masked.
					e := classifyGraphQLErrors(msg.Errors)
					e.Detail, e.Code = clean(c.opts.Redactor.Server(e.Detail)), c.opts.Redactor.Server(e.Code)
					meta.Timing = tr.finish()
					e.Meta = meta
					return nil, e
				}
				res.Events = append(res.Events, msg.Data)
				if len(res.Events) >= max {
					res.Ended = "count"
					meta.Timing = tr.finish()
					res.Meta = meta
					return res, nil
				}
			}
			if event == "complete" {
				meta.Timing = tr.finish()
				res.Meta = meta
				return res, nil
			}
			data.Reset()
			event = ""
		case strings.HasPrefix(line, "data:"):
			data.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		case strings.HasPrefix(line, "event:"):
			event = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		}
	}
	meta.Timing = tr.finish()
	res.Meta = meta
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		res.Ended = "deadline"
		return res, nil
	}
	if err := sc.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return nil, c.classifyTransport(err, "body", meta)
	}
	return res, nil
}

// FileDownload is one entry of the file-download list.
type FileDownload struct {
	FileName            string `json:"fileName"`
	Register            string `json:"register"`
	EntityName          string `json:"entityName"`
	TypeOfDownload      string `json:"typeOfDownload"`
	TypeOfData          string `json:"typeOfData"`
	ContainedFileFormat string `json:"containedFileFormat"`
	OutputFileFormat    string `json:"outputFileFormat"`
	MD5Hash             string `json:"md5Hash"`
	FileSizeInBytes     int64  `json:"fileSizeInBytes"`
	ExpirationDate      string `json:"expirationDate"`
	// v2.0 of the list adds these three (platform.md); a recorded list
	// (CVR, 2026-10-10) has version as a string.
	MunicipalityCode any `json:"municipalityCode"`
	GenerationNumber any `json:"generationNumber"`
	Version          any `json:"version"`
	// Seen in the recorded list (platform/testdata/evidence/FIELDS.md).
	Frequency                    string `json:"frequency"`
	PointInTime                  any    `json:"pointInTime"`
	GenerationTime               string `json:"generationTime"`
	RegisterImportSequenceNumber any    `json:"registerImportSequenceNumber"`
}

// FileListResult is the list call's answer.
type FileListResult struct {
	Files []FileDownload
	Meta  Meta
}

// FileList fetches the available CPR file downloads with the token.
func (c *Client) FileList(ctx context.Context, listURL, token string) (*FileListResult, error) {
	res, n, err := withRetry(ctx, c.opts.Retry, func() (*FileListResult, *Error) {
		req, err := http.NewRequest(http.MethodGet, listURL, nil)
		if err != nil {
			return nil, &Error{Cause: CauseHTTP, Detail: "bad file-download URL"}
		}
		setBearer(req, token)
		req.Header.Set("Accept", "application/json")
		a, meta, terr := c.do(ctx, req, "file list")
		if terr != nil {
			return nil, terr
		}
		if e := c.classify(KindFileList, a); e != nil {
			e.Meta = meta
			return nil, e
		}
		var out struct {
			Files []FileDownload `json:"availableFileDownloads"`
		}
		if err := json.Unmarshal(a.body, &out); err != nil || out.Files == nil {
			return nil, &Error{Cause: CauseMalformed, Status: a.status, Detail: "no availableFileDownloads in the answer", Meta: meta}
		}
		return &FileListResult{Files: out.Files, Meta: meta}, nil
	})
	if err != nil {
		return nil, err
	}
	res.Meta.Attempts = n
	return res, nil
}

// EgressIP asks an echo URL for the caller's public address. The answer
// may be the address as text or JSON {"ip": "…"}.
func (c *Client) EgressIP(ctx context.Context, echoURL string) (netip.Addr, Meta, error) {
	type result struct {
		addr netip.Addr
		meta Meta
	}
	r, n, err := withRetry(ctx, c.opts.Retry, func() (result, *Error) {
		req, err := http.NewRequest(http.MethodGet, echoURL, nil)
		if err != nil {
			return result{}, &Error{Cause: CauseHTTP, Detail: "bad echo URL"}
		}
		a, meta, terr := c.do(ctx, req, "egress echo")
		if terr != nil {
			return result{}, terr
		}
		if e := c.classify(KindEcho, a); e != nil {
			e.Meta = meta
			return result{}, e
		}
		text := strings.TrimSpace(string(a.safe))
		var js struct {
			IP string `json:"ip"`
		}
		if json.Unmarshal(a.safe, &js) == nil && js.IP != "" {
			text = js.IP
		}
		addr, err := netip.ParseAddr(text)
		if err != nil {
			return result{}, &Error{Cause: CauseMalformed, Status: a.status, Detail: clean("the echo answer is not an IP address: " + text), Meta: meta}
		}
		return result{addr, meta}, nil
	})
	if err != nil {
		return netip.Addr{}, err.Meta, err
	}
	r.meta.Attempts = n
	return r.addr, r.meta, nil
}

// Probe reaches a host (DNS, TCP, TLS) with a HEAD request; any HTTP
// answer means the host is reachable.
func (c *Client) Probe(ctx context.Context, base string) (Meta, error) {
	req, err := http.NewRequest(http.MethodHead, base+"/", nil)
	if err != nil {
		return Meta{}, &Error{Cause: CauseHTTP, Detail: fmt.Sprintf("bad URL %q", base)}
	}
	_, meta, terr := c.do(ctx, req, hostLabel(base))
	if terr != nil {
		return meta, terr
	}
	return meta, nil
}

func hostLabel(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	return u.Host
}

// setBearer sends the token, and no Authorization header at all without one.
func setBearer(req *http.Request, token string) {
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
}
