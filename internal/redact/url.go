package redact

import (
	"net/url"
	"strings"
)

// sensitiveParams are query parameters whose values are credentials.
var sensitiveParams = map[string]bool{
	"apikey": true, "api_key": true, "token": true, "access_token": true,
	"client_secret": true, "password": true, "secret": true, "code": true,
	"key": true, "sig": true, "signature": true, "refresh_token": true, "id_token": true,
}

// URL returns u as text with user info and credential query values masked.
// The apiKey parameter is matched case-insensitively, as the platform does.
func URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	if c.User != nil {
		c.User = url.User(Mask)
	}
	if c.RawQuery != "" {
		c.RawQuery = redactQuery(c.RawQuery)
	}
	if c.Fragment != "" {
		c.Fragment, c.RawFragment = redactQuery(c.Fragment), ""
	}
	return c.String()
}

// URLString redacts a URL given as text; unparseable text has its query cut.
func URLString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if i := strings.IndexAny(s, "?#"); i >= 0 {
			s = s[:i] + "?" + Mask
		}
		if i := strings.Index(s, "://"); i >= 0 {
			if at := strings.LastIndexByte(s[i:], '@'); at >= 0 {
				s = s[:i+3] + Mask + s[i+at:]
			}
		}
		return s
	}
	return URL(u)
}

// URLCredentials are the credential values written inside a URL: the user
// info's password (and name) and the values of credential parameters.
// They are secrets like any other: the gate must know them.
func URLCredentials(raw string) []string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil
	}
	var out []string
	if u.User != nil {
		out = append(out, u.User.Username())
		if pw, ok := u.User.Password(); ok {
			out = append(out, pw)
		}
	}
	for _, q := range []string{u.RawQuery, u.Fragment} {
		vals, _ := url.ParseQuery(q)
		for k, vs := range vals {
			if sensitiveParams[strings.ToLower(strings.TrimSpace(k))] {
				out = append(out, vs...)
			}
		}
	}
	return out
}

// hasCredentials reports user info or a credential query parameter.
func hasCredentials(u *url.URL) bool {
	if u.User != nil {
		return true
	}
	for _, q := range []string{u.RawQuery, u.Fragment} {
		if q != "" && redactQuery(q) != q {
			return true
		}
	}
	return false
}

// redactQuery masks sensitive values without reordering the rest.
func redactQuery(raw string) string {
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, v, hasV := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if sensitiveParams[strings.ToLower(strings.TrimSpace(name))] && hasV && !isMask(v) {
			parts[i] = k + "=" + url.QueryEscape(Mask)
		}
	}
	return strings.Join(parts, "&")
}

// URLsIn redacts every http(s) URL found in free text, in one pass.
func URLsIn(s string) string {
	i := indexURL(s, 0)
	if i < 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for i >= 0 {
		end := i
		for end < len(s) && !strings.ContainsRune(" \t\r\n\"'<>`\\", rune(s[end])) {
			if _, mark := markAt(s, end); mark {
				break
			}
			end++
		}
		// *url.Error quotes the URL: Get "https://…": …
		raw := s[i:end]
		if u, err := url.Parse(raw); err != nil || hasCredentials(u) {
			if b.Len() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[last:i])
			b.WriteString(URLString(raw))
			last = end
		}
		i = indexURL(s, end)
	}
	if last == 0 {
		return s // nothing masked: no copy
	}
	b.WriteString(s[last:])
	return b.String()
}

// indexURL finds the next "http://" or "https://" (any case) at or after
// from, or -1.
func indexURL(s string, from int) int {
	for i := from; i < len(s); {
		j := strings.IndexAny(s[i:], "hH")
		if j < 0 {
			return -1
		}
		i += j
		rest := s[i:]
		if len(rest) >= 7 && strings.EqualFold(rest[:7], "http://") || len(rest) >= 8 && strings.EqualFold(rest[:8], "https://") {
			return i
		}
		i++
	}
	return -1
}

// isMask reports a value that is the mask already, escaped once or more
// ([REDACTED], %5BREDACTED%5D, %255BREDACTED%255D …): masking it again
// would only escape it again.
func isMask(v string) bool {
	for range 4 {
		if v == Mask {
			return true
		}
		u, err := url.QueryUnescape(v)
		if err != nil || u == v {
			return false
		}
		v = u
	}
	return v == Mask
}
