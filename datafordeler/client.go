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
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cprready/cprready/internal/fsutil"
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
	// Proxy overrides the proxy from the environment (tests).
	Proxy func(*http.Request) (*url.URL, error)
}

// Client calls Datafordeleren. It is safe for concurrent use.
type Client struct {
	http *http.Client
	opts Options
	// conns counts the connections the client (and its certificate
	// clients) opened: with HTTP/2 a run needs one per host.
	conns *atomic.Int64
	// gates hold back a host's first wave of requests until its first
	// connection is up: otherwise every concurrent request dials (and
	// shakes hands) on its own although HTTP/2 would carry them all.
	gatesMu sync.Mutex
	gates   map[string]chan struct{}
	// hasCert reports a client certificate on this client's transport.
	hasCert bool
	// family is this client and every certificate client made from it,
	// so that Close reaches them all.
	family *family
}

type family struct {
	mu      sync.Mutex
	clients []*http.Client
}

func (f *family) add(hc *http.Client) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clients = append(f.clients, hc)
}

// Close closes the idle connections of the client and of every
// certificate client made from it: a long-running watcher makes a client
// per run and must not keep the last run's connections open.
func (c *Client) Close() {
	if c == nil || c.family == nil {
		return
	}
	c.family.mu.Lock()
	defer c.family.mu.Unlock()
	for _, hc := range c.family.clients {
		hc.CloseIdleConnections()
	}
}

// Default timeouts of the transport.
const (
	DialTimeout           = 10 * time.Second
	TLSHandshakeTimeout   = 10 * time.Second
	ResponseHeaderTimeout = 20 * time.Second
	DefaultRequestTimeout = 15 * time.Second
	// MaxBody bounds every response body read.
	MaxBody = 16 << 20
	// MaxCAFile bounds endpoints.ca_file.
	MaxCAFile = 4 << 20
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
	if o.Proxy != nil {
		hc.Transport.(*http.Transport).Proxy = o.Proxy
	}
	fam := &family{}
	fam.add(hc)
	return &Client{http: hc, opts: o, conns: &atomic.Int64{}, family: fam}, nil
}

// WithCertificate is a Client that presents cert (and its chain) for
// mutual TLS, sharing everything else.
func (c *Client) WithCertificate(cert tls.Certificate) (*Client, error) {
	hc, err := NewHTTPClient(c.opts.CAFile, &cert)
	if err != nil {
		return nil, err
	}
	if c.opts.Proxy != nil {
		hc.Transport.(*http.Transport).Proxy = c.opts.Proxy
	}
	c.family.add(hc)
	return &Client{http: hc, opts: c.opts, hasCert: true, conns: c.conns, family: c.family}, nil
}

// firstConn returns, for a request to host, a channel to wait on until
// the host's first connection is up (nil for the request that opens it,
// and after that), and the func that the opener calls when its connection
// is up or its attempt ended (a no-op for the others).
func (c *Client) firstConn(host string) (<-chan struct{}, func()) {
	c.gatesMu.Lock()
	defer c.gatesMu.Unlock()
	if c.gates == nil {
		c.gates = map[string]chan struct{}{}
	}
	if g, ok := c.gates[host]; ok {
		select {
		case <-g:
			return nil, func() {}
		default:
			return g, func() {}
		}
	}
	g := make(chan struct{})
	c.gates[host] = g
	var once sync.Once
	return nil, func() { once.Do(func() { close(g) }) }
}

// awaitFirstConn waits (within ctx) for the host's first connection and
// returns the func the opener must call; see firstConn.
func (c *Client) awaitFirstConn(ctx context.Context, host string) (func(), error) {
	wait, opened := c.firstConn(host)
	if wait == nil {
		return opened, nil
	}
	select {
	case <-wait:
		return opened, nil
	case <-ctx.Done():
		return opened, ctx.Err()
	}
}

// NewConnections is how many connections the client has opened.
func (c *Client) NewConnections() int64 { return c.conns.Load() }

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
		pem, err := fsutil.ReadRegular(caFile, MaxCAFile)
		if err != nil {
			return nil, fmt.Errorf("endpoints.ca_file: %w", err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("endpoints.ca_file: %s holds no PEM certificate", caFile)
		}
	}
	t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	// A custom TLS config turns HTTP/2 off unless asked for: keep it, so
	// that a run's concurrent calls to one host share one connection.
	t.ForceAttemptHTTP2 = cert == nil
	if cert != nil {
		// The certificate token host: HTTP/1.1, so that a rejected client
		// certificate (an alert the server sends after TLS 1.3's handshake)
		// reaches us as itself, not as "http2: client conn could not be
		// established". One call per certificate needs no multiplexing.
		t.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	}
	if cert != nil {
		c := *cert
		t.TLSClientConfig.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &c, nil }
	}
	// A proxy that refuses the CONNECT (407, 403 …) is the proxy's answer,
	// not the platform's: keep its status so the diagnosis can say so.
	t.OnProxyConnectResponse = func(_ context.Context, proxy *url.URL, _ *http.Request, resp *http.Response) error {
		if resp.StatusCode != http.StatusOK {
			return &ProxyError{Status: resp.StatusCode, Proxy: redact.URL(proxy)}
		}
		return nil
	}
	return &http.Client{Transport: t, CheckRedirect: checkRedirect}, nil
}

// MaxRedirects bounds the redirects followed within one origin.
const MaxRedirects = 5

// checkRedirect follows a redirect only within the request's origin
// (scheme, host and port), at most MaxRedirects times. Anything else ends
// the request with the redirect itself as the answer, which the caller
// reports: a 307/308 would re-send the form body (client_secret) and a
// Bearer token to wherever Location names.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects || !SameOrigin(req.URL, via[0].URL) {
		return http.ErrUseLastResponse
	}
	return nil
}

// SameOrigin reports whether a and b share scheme, host and port.
func SameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// ProxyError is a proxy's refusal of a CONNECT.
type ProxyError struct {
	Status int
	Proxy  string // redacted
}

func (e *ProxyError) Error() string {
	return fmt.Sprintf("the proxy %s answered the CONNECT with HTTP %d %s", e.Proxy, e.Status, http.StatusText(e.Status))
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
	// Earlier are the timings of the attempts before this one.
	Earlier []Timing `json:"earlier,omitempty"`
}

// Timings are every attempt's timing, the last one last.
func (m Meta) Timings() []Timing {
	if m.Timing.TotalMS == 0 && m.Timing.Label == "" {
		return m.Earlier
	}
	return append(append([]Timing(nil), m.Earlier...), m.Timing)
}

// answer is a response read in full: status, headers (those quoted as
// evidence redacted), the bounded body as sent (for parsing data) and the
// same body redacted (for classification and anything quoted).
type answer struct {
	status int
	header http.Header // masked (quoted as evidence)
	raw    http.Header // as sent (for classification)
	body   []byte
	safe   []byte
}

// do sends one attempt with tracing and reads the body (bounded); the
// response is closed before it returns.
func (c *Client) do(ctx context.Context, req *http.Request, label string) (answer, Meta, *Error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.RequestTimeout)
	defer cancel()
	tr := c.newTracer(label)
	meta := Meta{URL: redactURL(req.URL), Method: req.Method, Attempts: 1}
	opened, werr := c.awaitFirstConn(ctx, req.URL.Host)
	defer opened()
	if werr != nil {
		meta.Timing = tr.finish()
		return answer{}, meta, c.classifyTransport(werr, tr.phase(), meta)
	}
	tr.onConn = opened
	req = req.WithContext(tr.attach(ctx))
	req.Header.Set("User-Agent", c.opts.UserAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		meta.Timing = tr.finish()
		return answer{}, meta, c.classifyTransport(err, tr.phase(), meta)
	}
	defer resp.Body.Close()
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	meta.Timing = tr.finish()
	meta.Status = resp.StatusCode
	meta.DateRaw = resp.Header.Get("Date")
	if d, err := http.ParseTime(meta.DateRaw); err == nil {
		meta.Date = d
	}
	a := c.redactAnswer(resp, body)
	if rerr != nil {
		return a, meta, c.classifyTransport(rerr, "body", meta)
	}
	if e := redirectError(a.status, a.header, resp.Request.URL, meta); e != nil {
		return a, meta, e
	}
	return a, meta, nil
}

// redactAnswer keeps a response with every known secret masked in its
// body and the headers that are quoted as evidence, before anything can
// cap or quote them: a server that echoes the request must not get half a
// secret past the gate.
func (c *Client) redactAnswer(resp *http.Response, body []byte) answer {
	h := resp.Header.Clone()
	for _, k := range []string{"WWW-Authenticate", "Location", "Content-Type"} {
		if v := h.Get(k); v != "" {
			h.Set(k, c.opts.Redactor.Server(v))
		}
	}
	return answer{status: resp.StatusCode, header: h, raw: resp.Header, body: body, safe: []byte(c.opts.Redactor.Server(string(body)))}
}

// classify reads an answer of a call of kind: the cause from what the
// server sent (a mask inside it must not change the diagnosis: a secret
// "Address2026!" would turn "ip address is not verified" into something
// else), the words kept as evidence from the masked answer.
func (c *Client) classify(kind string, a answer) *Error {
	e := ClassifyHTTP(kind, a.status, a.raw, a.body)
	if e == nil {
		return nil
	}
	if m := ClassifyHTTP(kind, a.status, a.header, a.safe); m != nil {
		e.Detail, e.Location = m.Detail, m.Location
	} else {
		e.Detail = clean(c.opts.Redactor.Server(e.Detail))
	}
	e.Code = c.opts.Redactor.Server(e.Code)
	return e
}

// redirectError reports a redirect the client did not follow (another
// origin, or a loop), with its real status and the redacted Location.
func redirectError(status int, header http.Header, from *url.URL, meta Meta) *Error {
	if status < 300 || status >= 400 || status == http.StatusNotModified {
		return nil
	}
	loc := header.Get("Location")
	e := &Error{Cause: CauseRedirect, Status: status, Meta: meta}
	if loc == "" {
		e.Detail = "a redirect without a Location header"
		return e
	}
	target, err := from.Parse(loc)
	if err != nil {
		e.Detail = clean("a redirect to an unreadable Location: " + redact.URLString(loc))
		return e
	}
	e.Location = redact.URL(target)
	if SameOrigin(target, from) {
		e.Detail = clean(fmt.Sprintf("more than %d redirects (a redirect loop), the last to %s", MaxRedirects, e.Location))
	} else {
		e.Detail = clean("a redirect to another origin, not followed: " + e.Location)
	}
	return e
}

func redactURL(u *url.URL) string { return redact.URL(u) }
