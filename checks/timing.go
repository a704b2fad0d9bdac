package checks

import "encoding/json"

// Timing is one request's phases, kept in evidence as "timings".
type Timing struct {
	Label     string `json:"label"`
	DNSMS     int64  `json:"dns_ms"`
	ConnectMS int64  `json:"connect_ms"`
	TLSMS     int64  `json:"tls_ms"`
	WaitMS    int64  `json:"wait_ms"`
	TotalMS   int64  `json:"total_ms"`
}

// TimingsOf reads evidence["timings"], whether it holds []Timing or the
// decoded JSON of a saved report.
func TimingsOf(v any) []Timing {
	switch t := v.(type) {
	case []Timing:
		return t
	case nil:
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out []Timing
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}
