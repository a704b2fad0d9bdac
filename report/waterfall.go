package report

import (
	"fmt"
	"strings"

	"github.com/cprready/cprready/checks"
)

// Waterfall draws a row's request timings (evidence "timings": a list of
// {label, dns_ms, connect_ms, tls_ms, wait_ms, total_ms}) as bars.
func Waterfall(r checks.Result, st styles, width int) string {
	raw, ok := r.Evidence["timings"]
	if !ok {
		return ""
	}
	ts := checks.TimingsOf(raw)
	if len(ts) == 0 {
		return ""
	}
	var maxTotal int64 = 1
	for _, t := range ts {
		maxTotal = max(maxTotal, t.TotalMS)
	}
	barW := max(min(width-44, 40), 10)
	var b strings.Builder
	for _, t := range ts {
		scale := func(ms int64) int {
			n := int(ms * int64(barW) / maxTotal)
			if ms > 0 && n == 0 {
				n = 1
			}
			return n
		}
		dns, conn, tls := scale(t.DNSMS), scale(t.ConnectMS), scale(t.TLSMS)
		wait := max(scale(t.TotalMS)-dns-conn-tls, 0)
		bar := strings.Repeat("░", dns) + strings.Repeat("▒", conn) + strings.Repeat("▓", tls) + strings.Repeat("█", wait)
		fmt.Fprintf(&b, "%-12s %s %s\n", clean(limit(t.Label, 12)), st.bar.Render(pad(bar, barW)),
			st.dim.Render(fmt.Sprintf("%5dms (dns %d, connect %d, tls %d, wait %d)", t.TotalMS, t.DNSMS, t.ConnectMS, t.TLSMS, t.WaitMS)))
	}
	return b.String()
}

func limit(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
