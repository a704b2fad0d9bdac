package emulator

import (
	"fmt"
	"path/filepath"
	"strings"
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
