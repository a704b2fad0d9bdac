package emulator

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
)

// FaultHelp lists every fault with what it does, one per line.
func FaultHelp() string {
	var b strings.Builder
	for _, n := range FaultNames() {
		fmt.Fprintf(&b, "  %-22s %s\n", n, Faults[n])
	}
	return b.String()
}

// ProfileSnippet is the endpoints: block that points a profile at the
// emulator.
func (srv *Server) ProfileSnippet() string {
	ca, _ := filepath.Abs(srv.CAFile())
	base := srv.URL()
	return fmt.Sprintf(`environment: custom
endpoints:
  graphql: %[1]s
  token: %[1]s/auth/realms/distribution/protocol/openid-connect/token
  token_mtls: %[1]s/auth-oces/realms/distribution/protocol/openid-connect/token
  filedownload: %[1]s/FileDownloads
  ca_file: %[2]s
  egress_echo: %[1]s/egress
`, base, ca)
}

// WriteBanner tells a person where the emulator is, how to check against
// it and how to point a profile at it.
func (srv *Server) WriteBanner(w io.Writer, startup time.Duration, controlURL string) {
	fmt.Fprintf(w, "cprready emulator listening on %s (ready in %s)\n", srv.URL(), startup.Round(time.Millisecond))
	if e := srv.Exposure(); e != "" {
		fmt.Fprintf(w, "WARNING: %s.\n", e)
	}
	fmt.Fprintf(w, "state: %s\nfaults: %s\n", srv.StateDir(), strings.Join(srv.ActiveFaults(), ", "))
	if controlURL != "" {
		fmt.Fprintf(w, "control: %s/faults (PUT a fault list to change them, DELETE to clear)\n", controlURL)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Check against it:\n  cprready check --profile %s\n  cprready check --profile %s\n\n", srv.PublicProfile(), srv.PrivateProfile())
	fmt.Fprintf(w, "Or point your own profile at it:\n%s\n", srv.ProfileSnippet())
}
