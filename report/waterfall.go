package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/datafordeler"
)

// Waterfall draws a row's request timings (evidence "timings") as bars on
// one time axis: each request starts where it started, and its phases are
// DNS ░, connect ▒, TLS ▓ and waiting plus transfer █.
func Waterfall(r checks.Result, st styles, width int) string {
	raw, ok := r.Evidence["timings"]
	if !ok {
		return ""
	}
	ts := datafordeler.TimingsOf(raw)
	if len(ts) == 0 {
		return ""
	}
	first := ts[0].StartUnixMS
	var end int64 = 1
	for _, t := range ts {
		if t.StartUnixMS > 0 && t.StartUnixMS < first {
			first = t.StartUnixMS
		}
	}
	for _, t := range ts {
		end = max(end, offset(t, first)+t.TotalMS)
	}
	// The phases stand after the bar when the line has room for both, else
	// on a line of their own under it (an 80-column terminal).
	timing := func(t datafordeler.Timing) string {
		return fmt.Sprintf("%5dms dns %d · tcp %d · tls %d · wait %d", t.TotalMS, t.DNSMS, t.ConnectMS, t.TLSMS, t.WaitMS)
	}
	timingW := 0
	for _, t := range ts {
		timingW = max(timingW, utf8.RuneCountInString(timing(t)))
	}
	barW, below := min(width-labelWidth-timingW-3, 40), false
	if barW < 8 {
		barW, below = max(min(width-labelWidth-2, 40), 8), true
	}
	scale := func(ms int64) int { return int(ms * int64(barW) / end) }
	var b strings.Builder
	for _, t := range ts {
		off := scale(offset(t, first))
		dns, conn, tls := scale(t.DNSMS), scale(t.ConnectMS), scale(t.TLSMS)
		total := max(scale(t.TotalMS), 1)
		wait := max(total-dns-conn-tls, 1)
		bar := strings.Repeat(" ", off) + strings.Repeat("░", dns) + strings.Repeat("▒", conn) + strings.Repeat("▓", tls) + strings.Repeat("█", wait)
		label := padRunes(ShortLabel(clean(t.Label), labelWidth), labelWidth)
		if below {
			fmt.Fprintf(&b, "%s %s\n  %s\n", label, strings.TrimRight(st.bar.Render(bar), " "), st.dim.Render(strings.TrimSpace(timing(t))))
			continue
		}
		fmt.Fprintf(&b, "%s %s %s\n", label, st.bar.Render(padRunes(bar, barW+1)), st.dim.Render(timing(t)))
	}
	return b.String()
}

func offset(t datafordeler.Timing, first int64) int64 {
	if t.StartUnixMS == 0 || first == 0 {
		return 0
	}
	return t.StartUnixMS - first
}

func padRunes(s string, n int) string {
	if c := utf8.RuneCountInString(s); c < n {
		return s + strings.Repeat(" ", n-c)
	}
	return s
}

// labelWidth is the waterfall's label column.
const labelWidth = 16

// ShortLabel fits a label into n runes without cutting a word, a host or
// a port: it drops whole parts from the left ("graphql.datafordeler.dk"
// becomes "…datafordeler.dk"), never keeps "127.0.0.1:44" of
// "127.0.0.1:44321".
func ShortLabel(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	for i, r := range s {
		if r != '.' && r != ' ' && r != '/' && r != '-' {
			continue
		}
		if rest := s[i+1:]; utf8.RuneCountInString(rest) <= n-1 {
			return "…" + rest
		}
	}
	r := []rune(s)
	return "…" + string(r[len(r)-(n-1):])
}

// WaterfallPlain draws the waterfall without colour (the TUI styles it).
func WaterfallPlain(r checks.Result, width int) string {
	return Waterfall(r, newStyles(false), width)
}
