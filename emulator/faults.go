package emulator

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// Fault names of the contract; each is kept.
const (
	FaultIPNotWhitelisted   = "ip-not-whitelisted"
	FaultAPIKeyInvalid      = "apikey-invalid"
	FaultAPIKeyNew          = "apikey-new"
	FaultTokenInvalidClient = "token-invalid-client" // #nosec G101 -- a fault name
	FaultTokenUnavailable   = "token-unavailable"    // #nosec G101 -- a fault name
	FaultTokenSlow          = "token-slow"
	FaultMTLSUnknownCert    = "mtls-unknown-cert"
	FaultTokenExpired       = "token-expired"
	FaultNoAccess           = "no-access"
	FaultClockSkew          = "clock-skew"
	FaultMalformed          = "malformed"
	FaultAPIKeyPropagating  = "apikey-propagating" // #nosec G101 -- a fault name
)

// Faults describes every fault.
var Faults = map[string]string{ // #nosec G101 -- fault descriptions
	FaultIPNotWhitelisted:   "pretends a different public egress address (" + WrongEgressIP + "); data calls answer 401 DAF-AUTH-0005 \"ip address is not verified\"",
	FaultAPIKeyInvalid:      "schema calls answer 401 DAF-AUTH-0005",
	FaultAPIKeyNew:          "schema calls answer 401 DAF-AUTH-0005, as for a key younger than 15 minutes (the profiles' key is created today)",
	FaultTokenInvalidClient: "both token endpoints answer 401 {\"error\":\"invalid_client\"}",
	FaultTokenUnavailable:   "token endpoints answer 503 with Retry-After: 1",
	FaultTokenSlow:          "token endpoints never answer",
	FaultMTLSUnknownCert:    "the certificate token endpoint rejects the presented client certificate",
	FaultTokenExpired:       "data calls answer 401 WWW-Authenticate: Bearer error=\"invalid_token\"",
	FaultNoAccess:           "data calls answer 200 with errors[].extensions.code = \"DAF-AUTH-0001\"",
	FaultClockSkew:          "Date headers are 5 minutes ahead",
	FaultMalformed:          "data calls answer 200 with a body that is not JSON",
	FaultAPIKeyPropagating:  "the profiles' key is created today and about 30% of schema calls answer 401 DAF-AUTH-0005 (calls 1, 4 and 8 of every ten), as a new key does for up to about an hour while it spreads to the gateway's nodes",
}

// FaultNames lists the faults, sorted.
func FaultNames() []string {
	var n []string
	for k := range Faults {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// ParseFaults reads NAME[,NAME…].
func ParseFaults(list []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, item := range list {
		for f := range strings.SplitSeq(item, ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			if _, ok := Faults[f]; !ok {
				return nil, fmt.Errorf("unknown fault %q; known: %s", f, strings.Join(FaultNames(), ", "))
			}
			out[f] = true
		}
	}
	return out, nil
}

// fault reports whether a fault is on now. Faults can change while the
// emulator runs (SetFaults), so a test can show a watcher noticing a
// fault that appears later and recovering when it goes.
func (s *Server) fault(name string) bool {
	s.faultMu.RLock()
	defer s.faultMu.RUnlock()
	return s.faults[name]
}

// SetFaults replaces the active faults (NAME or NAME,NAME…; none: all off).
func (s *Server) SetFaults(list []string) error {
	f, err := ParseFaults(list)
	if err != nil {
		return err
	}
	s.faultMu.Lock()
	s.faults = f
	s.faultMu.Unlock()
	return nil
}

// ActiveFaults lists the faults that are on, sorted.
func (s *Server) ActiveFaults() []string {
	s.faultMu.RLock()
	defer s.faultMu.RUnlock()
	var out []string
	for _, f := range FaultNames() {
		if s.faults[f] {
			out = append(out, f)
		}
	}
	return out
}

// egress is the caller's pretended public address now.
func (s *Server) egress() netip.Addr {
	if s.fault(FaultIPNotWhitelisted) {
		return netip.MustParseAddr(WrongEgressIP)
	}
	return s.whitelisted
}
