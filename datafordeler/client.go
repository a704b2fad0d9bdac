package datafordeler

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/cprready/cprready/internal/redact"
)

// Options configure a Client.
type Options struct {
	// CAFile is appended to the system pool (endpoints.ca_file).
	CAFile string
	// RequestTimeout bounds one request, retries excluded (default 15s).
	RequestTimeout time.Duration
	// Retry bounds retries of idempotent calls.
	Retry RetryPolicy
	// Redactor learns every token obtained, and redacts error text.
	Redactor *redact.Redactor
	// UserAgent is sent with every request.
	UserAgent string
	// Now is the clock (tests).
	Now func() time.Time
}

// Client calls Datafordeleren. It is safe for concurrent use.
type Client struct {
	http *http.Client
	opts Options
	// hasCert reports a client certificate on this client's transport.
	hasCert bool
}

// Default timeouts of the transport.
const (
	DialTimeout           = 10 * time.Second
	TLSHandshakeTimeout   = 10 * time.Second
	ResponseHeaderTimeout = 20 * time.Second
	DefaultRequestTimeout = 15 * time.Second
	// MaxBody bounds every response body read.
	MaxBody = 16 << 20
)

// New makes a Client without a client certificate.
func New(o Options) (*Client, error) {
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.Retry == (RetryPolicy{}) {
		o.Retry = DefaultRetry
	}
	if o.Redactor == nil {
		o.Redactor = redact.New()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.UserAgent == "" {
		o.UserAgent = "cprready"
	}
	hc, err := NewHTTPClient(o.CAFile, nil)
	if err != nil {
		return nil, err
	}
	return &Client{http: hc, opts: o}, nil
}

// WithCertificate is a Client that presents cert (and its chain) for
// mutual TLS, sharing everything else.
func (c *Client) WithCertificate(cert tls.Certificate) (*Client, error) {
	hc, err := NewHTTPClient(c.opts.CAFile, &cert)
	if err != nil {
		return nil, err
	}
	return &Client{http: hc, opts: c.opts, hasCert: true}, nil
}

// Redactor is the client's redactor.
func (c *Client) Redactor() *redact.Redactor { return c.opts.Redactor }

// NewHTTPClient is the one HTTP client factory: a clone of the default
// transport (so HTTPS_PROXY and NO_PROXY keep working), dial, TLS and
// response-header timeouts, caFile appended to the system pool. TLS
// verification is never switched off.
func NewHTTPClient(caFile string, cert *tls.Certificate) (*http.Client, error) {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil, errors.New("the default HTTP transport is not an *http.Transport")
	}
	t := base.Clone()
	t.DialContext = (&net.Dialer{Timeout: DialTimeout, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = TLSHandshakeTimeout
	t.ResponseHeaderTimeout = ResponseHeaderTimeout
	t.ExpectContinueTimeout = time.Second
	t.MaxIdleConnsPerHost = 8
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if caFile != "" {
		pem, err := os.ReadFile(caFile) // #nosec G304 -- endpoints.ca_file names it
		if err != nil {
			return nil, fmt.Errorf("endpoints.ca_file: cannot read %s: %w", caFile, err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("endpoints.ca_file: %s holds no PEM certificate", caFile)
		}
	}
	t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	if cert != nil {
		c := *cert
		t.TLSClientConfig.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &c, nil }
	}
	return &http.Client{
		Transport: t,
		// Redirects keep the method only for 307/308; never follow one to
		// another scheme downgrade.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			if req.URL.Scheme != "https" && via[0].URL.Scheme == "https" {
				return errors.New("refusing a redirect from https to " + req.URL.Scheme)
			}
			return nil
		},
	}, nil
}

// Meta is what every call keeps as evidence.
type Meta struct {
	URL      string    `json:"url"` // redacted
	Method   string    `json:"method"`
	Status   int       `json:"status,omitempty"`
	Date     time.Time `json:"-"` // the server's Date header
	DateRaw  string    `json:"date,omitempty"`
	Attempts int       `json:"attempts"`
	Timing   Timing    `json:"timing"`
}

// answer is a response read in full: status, headers, bounded body.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// do sends one attempt with tracing and reads the body (bounded); the
// response is closed before it returns.
func (c *Client) do(ctx context.Context, req *http.Request, label string) (answer, Meta, *Error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.RequestTimeout)
	defer cancel()
	tr := newTracer(label, c.opts.Now)
	req = req.WithContext(tr.attach(ctx))
	req.Header.Set("User-Agent", c.opts.UserAgent)
	meta := Meta{URL: redactURL(req.URL), Method: req.Method, Attempts: 1}
	resp, err := c.http.Do(req)
	if err != nil {
		meta.Timing = tr.finish()
		return answer{}, meta, classifyTransport(err, tr.phase(), meta)
	}
	defer resp.Body.Close()
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	meta.Timing = tr.finish()
	meta.Status = resp.StatusCode
	meta.DateRaw = resp.Header.Get("Date")
	if d, err := http.ParseTime(meta.DateRaw); err == nil {
		meta.Date = d
	}
	a := answer{status: resp.StatusCode, header: resp.Header, body: body}
	if rerr != nil {
		return a, meta, classifyTransport(rerr, "body", meta)
	}
	return a, meta, nil
}

func redactURL(u *url.URL) string { return redact.URL(u) }
