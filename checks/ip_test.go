package checks

import (
	"net/netip"
	"testing"

	"github.com/cprready/cprready/profile"
)

func TestIPRules(t *testing.T) {
	const (
		v4 = "ip.ipv4"
		pr = "ip.prefix-range"
		pu = "ip.public"
		hb = "ip.host-bits"
	)
	cases := []struct {
		addr, rng string
		want      map[string]Status // "" = no row
	}{
		{"80.62.117.23", "32", map[string]Status{v4: Pass, pr: Pass, pu: Pass, hb: Pass}},
		{"80.62.117.0", "24", map[string]Status{v4: Pass, pr: Pass, pu: Pass, hb: Pass}},
		{"80.62.116.0", "23", map[string]Status{v4: Pass, pr: Fail, pu: Pass, hb: ""}},
		{"80.62.117.23", "33", map[string]Status{v4: Pass, pr: Fail, pu: Pass, hb: ""}},
		{"80.62.117.23", "/32", map[string]Status{v4: Pass, pr: Pass}},
		{"80.62.117.23", "", map[string]Status{v4: Pass, pr: Fail, pu: Pass}},       // no prefix
		{"80.62.117.23", "thirty", map[string]Status{v4: Pass, pr: Fail, pu: Pass}}, // garbled
		{"80.62.117.23", "-1", map[string]Status{v4: Pass, pr: Fail}},               // garbled
		{"80.62.117.0/24", "", map[string]Status{v4: Pass, pr: Pass, hb: Pass}},     // inline prefix
		{"80.62.117.0/24", "32", map[string]Status{v4: Pass, pr: Fail}},             // disagreeing
		{"80.62.117.23", "24", map[string]Status{v4: Pass, pr: Pass, hb: Warn}},     // host bits
		{"2001:db8::1", "64", map[string]Status{v4: Fail, pr: "", pu: ""}},          // IPv6
		{"::ffff:80.62.117.23", "32", map[string]Status{v4: Fail, pr: "", pu: ""}},  // 4-in-6
		{"100.64.1.1", "32", map[string]Status{v4: Pass, pu: Fail}},                 // CGNAT
		{"100.127.255.0", "24", map[string]Status{pu: Fail}},                        // CGNAT top
		{"100.128.0.1", "32", map[string]Status{pu: Pass}},                          // just outside
		{"0.1.2.3", "32", map[string]Status{pu: Fail}},                              // 0/8
		{"192.0.2.10", "32", map[string]Status{pu: Fail}},                           // TEST-NET-1
		{"198.51.100.7", "32", map[string]Status{pu: Fail}},                         // TEST-NET-2
		{"203.0.113.7", "32", map[string]Status{pu: Fail}},                          // TEST-NET-3
		{"255.255.255.255", "32", map[string]Status{pu: Fail}},                      // broadcast
		{"10.1.2.3", "32", map[string]Status{pu: Fail}},                             // RFC 1918
		{"172.31.0.1", "32", map[string]Status{pu: Fail}},                           // RFC 1918
		{"172.32.0.1", "32", map[string]Status{pu: Pass}},                           // outside 172.16/12
		{"192.168.0.1", "32", map[string]Status{pu: Fail}},                          // RFC 1918
		{"127.0.0.1", "32", map[string]Status{pu: Fail}},                            // loopback
		{"169.254.1.1", "32", map[string]Status{pu: Fail}},                          // link-local
		{"224.0.0.1", "32", map[string]Status{pu: Fail}},                            // multicast
		{"240.0.0.1", "32", map[string]Status{pu: Fail}},                            // reserved
		{"198.18.0.1", "32", map[string]Status{pu: Fail}},                           // benchmarking
		{"not an ip", "32", map[string]Status{v4: Fail, pr: "", pu: ""}},            // garbage
		{"", "32", map[string]Status{v4: Fail}},                                     // empty
		{"080.062.117.023", "32", map[string]Status{v4: Fail}},                      // leading zeros are ambiguous
		{"80.62.117.256", "32", map[string]Status{v4: Fail}},                        // out of range
		{" 80.62.117.23 ", "32", map[string]Status{v4: Pass, pr: Pass}},             // stray spaces
		{"91.198.174.192", "32", map[string]Status{v4: Pass, pr: Pass, pu: Pass, hb: Pass}},
	}
	for _, c := range cases {
		p := base(t)
		p.ITSystems[0].IPWhitelist = []profile.IPEntry{{Name: "x", Address: c.addr, Range: profile.RangeOf(c.rng)}}
		rows := run(t, p, testAt)
		for id, want := range c.want {
			if got := statusOf(rows, id, "it_systems[0].ip_whitelist[0]"); got != want {
				t.Errorf("%s/%s %s: got %q want %q", c.addr, c.rng, id, got, want)
			}
		}
	}
}

func TestIPPrefixRangeSuggestsSplit(t *testing.T) {
	p := base(t)
	p.ITSystems[0].IPWhitelist = []profile.IPEntry{{Address: "80.62.116.0", Range: profile.NewRange(23)}}
	r := rowOf(run(t, p, testAt), "ip.prefix-range", "it_systems[0].ip_whitelist[0]")
	if r == nil || r.Message != "80.62.116.0/23 is wider than /24" || r.Remedy != "Split it into two /24 ranges (80.62.116.0/24 and 80.62.117.0/24) or narrow it." {
		t.Fatalf("got %+v", r)
	}
}

func TestIPHostBitsSuggestsNormalised(t *testing.T) {
	p := base(t)
	p.ITSystems[0].IPWhitelist = []profile.IPEntry{{Address: "80.62.117.23", Range: profile.NewRange(24)}}
	r := rowOf(run(t, p, testAt), "ip.host-bits", "it_systems[0].ip_whitelist[0]")
	if r == nil || r.Evidence["normalised"] != "80.62.117.0/24" {
		t.Fatalf("got %+v", r)
	}
}

func TestIPPresentAndDuplicate(t *testing.T) {
	p := base(t)
	p.ITSystems[0].IPWhitelist = nil
	expect(t, run(t, p, testAt), "ip.present", "it_systems[0]", Fail)

	p = base(t)
	p.ITSystems[0].IPWhitelist = []profile.IPEntry{
		{Address: "80.62.117.0", Range: profile.NewRange(24)},
		{Address: "91.198.174.192", Range: profile.NewRange(32)},
		{Address: "80.62.117.23", Range: profile.NewRange(32)},   // inside [0]
		{Address: "91.198.174.192", Range: profile.NewRange(32)}, // same as [1]
	}
	rows := run(t, p, testAt)
	expect(t, rows, "ip.duplicate", "it_systems[0].ip_whitelist[0]", Pass)
	expect(t, rows, "ip.duplicate", "it_systems[0].ip_whitelist[1]", Pass)
	expect(t, rows, "ip.duplicate", "it_systems[0].ip_whitelist[2]", Warn)
	expect(t, rows, "ip.duplicate", "it_systems[0].ip_whitelist[3]", Warn)
}

// Ranges on different IT-systems never count as duplicates.
func TestIPDuplicateIsPerITSystem(t *testing.T) {
	p := base(t)
	second := p.ITSystems[0]
	second.Purpose = "filedownload"
	second.DataAccess = &profile.DataAccess{Register: "CPR", Entities: []string{"Person"}, Status: "Godkendt"}
	p.ITSystems = append(p.ITSystems, second)
	expect(t, run(t, p, testAt), "ip.duplicate", "it_systems[1].ip_whitelist[0]", Pass)
}

func TestNonPublicReason(t *testing.T) {
	if NonPublicReason(netip.MustParsePrefix("80.62.117.0/24")) != "" {
		t.Fatal("public range flagged")
	}
	if NonPublicReason(netip.MustParsePrefix("100.64.0.0/24")) == "" {
		t.Fatal("CGNAT not flagged")
	}
}

func FuzzParseIPEntry(f *testing.F) {
	for _, s := range []string{"80.62.117.23", "80.62.117.0/24", "::ffff:1.2.3.4", "2001:db8::/64", "1.2.3.4/", "/32", ""} {
		f.Add(s, "32")
	}
	f.Add("80.62.117.0", "/24")
	f.Add("1.2.3.4", "999999999999999999999")
	f.Fuzz(func(t *testing.T, addr, rng string) {
		a, bits, err := profile.ParseIPEntry(addr, profile.RangeOf(rng))
		if err == nil && !a.IsValid() {
			t.Fatalf("no error but invalid address for %q/%q", addr, rng)
		}
		// The rules must never panic on what the parser returns.
		p := &profile.Profile{ITSystems: []profile.ITSystem{{IPWhitelist: []profile.IPEntry{{Address: addr, Range: profile.RangeOf(rng)}}}}}
		env := NewEnv(t.Context(), p, testAt, profile.Resolver{})
		for _, fn := range []func(*Env) []Result{checkIPv4, checkPrefixRange, checkIPPublic, checkHostBits, checkIPDuplicate} {
			_ = fn(env)
		}
		_ = bits
	})
}
