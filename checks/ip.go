package checks

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/cprready/cprready/profile"
)

// Prefix lengths Administration accepts.
const (
	MinPrefix = 24
	MaxPrefix = 32
)

// specialRanges are IPv4 ranges that are not public unicast (IANA special
// purpose registry, multicast, reserved). Datafordeleren only ever sees a
// caller's public egress address, so these can never match.
var specialRanges = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "\"this network\" (0.0.0.0/8)"},
	{netip.MustParsePrefix("10.0.0.0/8"), "a private address (RFC 1918, 10.0.0.0/8)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a carrier-grade NAT address (100.64.0.0/10)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "a loopback address (127.0.0.0/8)"},
	{netip.MustParsePrefix("169.254.0.0/16"), "a link-local address (169.254.0.0/16)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "a private address (RFC 1918, 172.16.0.0/12)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol assignment (192.0.0.0/24)"},
	{netip.MustParsePrefix("192.0.2.0/24"), "a documentation address (TEST-NET-1, 192.0.2.0/24)"},
	{netip.MustParsePrefix("192.88.99.0/24"), "a deprecated 6to4 relay address (192.88.99.0/24)"},
	{netip.MustParsePrefix("192.168.0.0/16"), "a private address (RFC 1918, 192.168.0.0/16)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address (198.18.0.0/15)"},
	{netip.MustParsePrefix("198.51.100.0/24"), "a documentation address (TEST-NET-2, 198.51.100.0/24)"},
	{netip.MustParsePrefix("203.0.113.0/24"), "a documentation address (TEST-NET-3, 203.0.113.0/24)"},
	{netip.MustParsePrefix("224.0.0.0/4"), "a multicast address (224.0.0.0/4)"},
	{netip.MustParsePrefix("255.255.255.255/32"), "the broadcast address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address (240.0.0.0/4)"},
}

// NonPublicReason says why a prefix is not public unicast ("" if it is).
func NonPublicReason(p netip.Prefix) string {
	for _, s := range specialRanges {
		if s.prefix.Overlaps(p) {
			return s.what
		}
	}
	return ""
}

// ipEntry is one whitelist entry parsed once per run.
type ipEntry struct {
	subject string
	entry   profile.IPEntry
	addr    netip.Addr
	bits    int
	err     error // from ParseIPEntry (address or range)
}

func (e ipEntry) shown() string {
	if e.err == nil && e.addr.IsValid() {
		return fmt.Sprintf("%s/%d", e.addr, e.bits)
	}
	if e.entry.Range.IsZero() {
		return e.entry.Address
	}
	return e.entry.Address + "/" + e.entry.Range.Raw()
}

// prefix is the entry as a valid IPv4 prefix within /24../32, if it is one.
func (e ipEntry) prefix() (netip.Prefix, bool) {
	if e.err != nil || !e.addr.Is4() || e.bits < MinPrefix || e.bits > MaxPrefix {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(e.addr, e.bits), true
}

func ipEntries(env *Env, i int) []ipEntry {
	var out []ipEntry
	for j, e := range env.P.ITSystems[i].IPWhitelist {
		addr, bits, err := profile.ParseIPEntry(e.Address, e.Range)
		out = append(out, ipEntry{subject: profile.IPSubject(i, j), entry: e, addr: addr, bits: bits, err: err})
	}
	return out
}

// WhitelistPrefixes gives the valid prefixes of an IT-system's whitelist
// (used by net.egress-ip).
func WhitelistPrefixes(p *profile.Profile, i int) []netip.Prefix {
	env := &Env{P: p}
	var out []netip.Prefix
	for _, e := range ipEntries(env, i) {
		if pf, ok := e.prefix(); ok {
			out = append(out, pf.Masked())
		}
	}
	return out
}

func adminIP(env *Env, i int) string {
	return fmt.Sprintf("Administration → IT-systemer → %s → IP-adresser", env.P.ITSystems[i].Name)
}

// ip.present
func checkIPPresent(env *Env) []Result {
	var out []Result
	for i, s := range env.P.ITSystems {
		subj := profile.ITSystemSubject(i)
		if len(s.IPWhitelist) == 0 {
			out = append(out, row(Fail, subj, fmt.Sprintf("%s has no whitelisted IP address; Administration says \"IT-systemet skal have en registreret IP for at oprette en dataadgangsanmodning\"", sysName(env, i)),
				fmt.Sprintf("Add your public egress address (what https://ifconfig.me shows from the server) as /32 under %s → Opret, and under ip_whitelist:.", adminIP(env, i))))
			continue
		}
		out = append(out, pass(subj, fmt.Sprintf("%s has %d whitelisted range(s)", sysName(env, i), len(s.IPWhitelist))))
	}
	return out
}

// ip.ipv4
func checkIPv4(env *Env) []Result {
	var out []Result
	for i := range env.P.ITSystems {
		for _, e := range ipEntries(env, i) {
			switch {
			case !e.addr.IsValid():
				// Not an address at all: the field's format (its tags),
				// reported by the engine under this rule.
			case e.addr.Is4In6():
				out = append(out, row(Fail, e.subject, fmt.Sprintf("%s is an IPv4-mapped IPv6 address; only plain IPv4 can be whitelisted", e.entry.Address),
					fmt.Sprintf("Write it as plain IPv4: %s.", e.addr.Unmap())))
			case e.addr.Is6():
				out = append(out, row(Fail, e.subject, fmt.Sprintf("%s is IPv6; Datafordeleren whitelists IPv4 only", e.entry.Address),
					"Whitelist the IPv4 address your server leaves by; make the client connect over IPv4."))
			default:
				out = append(out, pass(e.subject, fmt.Sprintf("%s is IPv4", e.addr)))
			}
		}
	}
	return out
}

// ip.prefix-range
func checkPrefixRange(env *Env) []Result {
	var out []Result
	for i := range env.P.ITSystems {
		for _, e := range ipEntries(env, i) {
			if !e.addr.Is4() {
				continue // ip.ipv4 reports it
			}
			if e.err != nil {
				out = append(out, row(Fail, e.subject, fmt.Sprintf("%s: %v", q(e.entry.Address), e.err),
					"Set range: to a prefix length from 24 to 32 (32 for one address)."))
				continue
			}
			switch {
			case e.bits < MinPrefix && e.bits >= 0:
				half := "Narrow it to the addresses you really leave by"
				if e.bits == MinPrefix-1 {
					base := netip.PrefixFrom(e.addr, e.bits).Masked()
					second := netip.PrefixFrom(nextBlock(base.Addr(), MinPrefix), MinPrefix)
					half = fmt.Sprintf("Split it into two /24 ranges (%s and %s) or narrow it", netip.PrefixFrom(base.Addr(), MinPrefix), second)
				}
				out = append(out, row(Fail, e.subject, fmt.Sprintf("%s is wider than /%d", e.shown(), MinPrefix), half+".").with("range", e.bits))
			case e.bits > MaxPrefix || e.bits < 0:
				out = append(out, row(Fail, e.subject, fmt.Sprintf("/%d is not a valid IPv4 prefix length (24 to 32)", e.bits),
					"Use 32 for a single address, or 24 to 31 for a range.").with("range", e.bits))
			default:
				out = append(out, pass(e.subject, fmt.Sprintf("%s is between /24 and /32", e.shown())).with("range", e.bits))
			}
		}
	}
	return out
}

// nextBlock is the first address of the /bits block after a's.
func nextBlock(a netip.Addr, bits int) netip.Addr {
	b := a.As4()
	v := binary.BigEndian.Uint32(b[:]) + 1<<(32-bits)
	binary.BigEndian.PutUint32(b[:], v)
	return netip.AddrFrom4(b)
}

// ip.public
func checkIPPublic(env *Env) []Result {
	var out []Result
	for i := range env.P.ITSystems {
		for _, e := range ipEntries(env, i) {
			if !e.addr.Is4() {
				continue // ip.ipv4 reports it
			}
			bits, shown, broken := e.bits, e.shown(), false
			if e.err != nil || bits < 0 || bits > 32 {
				// Judge the address itself while the range is broken
				// (ip.prefix-range reports the range).
				bits, shown, broken = 32, e.addr.String(), true
			}
			p := netip.PrefixFrom(e.addr, bits).Masked()
			if why := NonPublicReason(p); why != "" {
				out = append(out, row(Fail, e.subject, fmt.Sprintf("%s is %s; Datafordeleren sees your public egress address, so it can never match", shown, why),
					"Whitelist the public address your server leaves by (ask your network team, or run `curl https://ifconfig.me` on the server)."))
				continue
			}
			msg := fmt.Sprintf("%s is a public address", shown)
			if broken {
				msg = fmt.Sprintf("The address %s is public; its range %q is not valid (see ip.prefix-range)", shown, e.entry.Range.Raw())
			}
			out = append(out, pass(e.subject, msg))
		}
	}
	return out
}

// ip.host-bits
func checkHostBits(env *Env) []Result {
	var out []Result
	for i := range env.P.ITSystems {
		for _, e := range ipEntries(env, i) {
			p, ok := e.prefix()
			if !ok {
				continue
			}
			if m := p.Masked(); m != p {
				out = append(out, row(Warn, e.subject, fmt.Sprintf("%s has host bits set; it means %s", p, m),
					fmt.Sprintf("Write the network address: address: %s with range: %d.", m.Addr(), m.Bits())).with("normalised", m.String()))
				continue
			}
			out = append(out, pass(e.subject, fmt.Sprintf("%s is a network address", p)))
		}
	}
	return out
}

// ip.duplicate
func checkIPDuplicate(env *Env) []Result {
	var out []Result
	type seen struct {
		p netip.Prefix
		k int // the first entry with this prefix
	}
	for i := range env.P.ITSystems {
		es := ipEntries(env, i)
		// Ranges of /24 to /32 overlap only inside one /24, which holds at
		// most 511 distinct ranges: comparing within it keeps a whitelist
		// of thousands of entries linear.
		blocks := map[netip.Prefix][]seen{}
		for j, e := range es {
			p, ok := e.prefix()
			if !ok {
				continue
			}
			block, _ := p.Addr().Prefix(MinPrefix)
			dup, known := -1, false
			for _, s := range blocks[block] {
				if s.p.Overlaps(p.Masked()) {
					if dup < 0 {
						dup = s.k
					}
					known = known || s.p == p.Masked()
				}
			}
			if !known {
				blocks[block] = append(blocks[block], seen{p.Masked(), j})
			}
			if dup < 0 {
				out = append(out, pass(e.subject, fmt.Sprintf("%s is listed once", p.Masked())))
				continue
			}
			pk, _ := es[dup].prefix()
			what := "overlaps"
			if pk.Masked() == p.Masked() {
				what = "repeats"
			}
			out = append(out, row(Warn, e.subject, fmt.Sprintf("%s %s %s (%s)", p.Masked(), what, pk.Masked(), es[dup].subject),
				"Remove one of them, or keep the wider range only.").with("other", es[dup].subject))
		}
	}
	return out
}
