package emulator

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/cprready/cprready/platform"
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

// Markdown is docs/emulator.md: what the emulator answers as the platform
// does, each behaviour with its label for CPR and its source, and every
// fault.
func Markdown() string {
	var b strings.Builder
	b.WriteString(`# The emulator: Datafordeleren's twin

` + "`cprready emulator`" + ` and ` + "`cprready demo`" + ` serve the CPR services on one
loopback address over HTTPS with their own CA: the token hosts (Keycloak's
shapes), the schemas and custom services by the reference schemas
(` + "`platform/sdl`" + `, every field labelled C, I or U), the entity-based service
(events, also as a Server-Sent Events subscription, the import status,
the administrative units), the file list, an echo of the caller's
pretended address, and the faults below. It is held against what real
clients recorded in production (` + "`platform/testdata/evidence`" + `: every
recorded response's replay: lines are answered by the emulator as
recorded).

Generated from ` + "`platform/conventions.go`" + ` and ` + "`emulator/faults.go`" + `
(` + "`go test ./emulator -run TestEmulatorDocs -update`" + `).

## What it answers as the platform does

Behaviours other registers recorded in production, August–October 2026.
The label is for CPR: C where it was recorded for this very behaviour (or
on a part every register shares), I where it is carried over from another
register, U where it is not known.

| Behaviour | Label | What the platform does | Recorded by |
|---|---|---|---|
`)
	for _, c := range platform.Conventions() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", c.ID, c.Level, strings.ReplaceAll(c.Rule, "|", `\|`), strings.ReplaceAll(c.Source, "|", `\|`))
	}
	b.WriteString(`
Settings of the package (` + "`emulator.Config`" + `): ` + "`EqFold`" + ` compares string
` + "`eq`" + ` filters case-insensitively, the other reading of ` + "`eq-exact`" + ` (the
seed's example filters "Aktuel" where the data writes "aktuel").

## Faults

` + "`cprready emulator --fault NAME[,NAME…]`" + ` and ` + "`cprready demo --fault NAME`" + `;
a running emulator changes them through its control endpoint.

| Fault | What it does |
|---|---|
`)
	for _, n := range FaultNames() {
		fmt.Fprintf(&b, "| `%s` | %s |\n", n, Faults[n])
	}
	return b.String()
}
