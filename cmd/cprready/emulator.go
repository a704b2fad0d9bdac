package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cprready/cprready/emulator"
)

func newEmulatorCmd(io *stdio) *cobra.Command {
	var (
		cfg    emulator.Config
		faults []string
		quiet  bool
	)
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Run a local emulator of Datafordeleren's CPR services",
		Long: `The emulator serves Datafordeleren's CPR endpoints over HTTPS on one address:
token hosts (shared secret and certificate), schemas, the public and private
custom services, events (query and SSE subscription), file downloads, and an
echo of your pretended public address. It writes its CA, credentials and two
ready profiles (public.yaml, private.yaml) into --state.

Faults (--fault NAME[,NAME…]) make it fail the way the platform does:
` + faultHelp(),
		Example: `  cprready emulator --state ./emu
  cprready check --profile ./emu/public.yaml
  cprready emulator --state ./emu --fault ip-not-whitelisted,clock-skew --latency 200ms`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.Faults = faults
			if !quiet {
				cfg.Log = io.out
			}
			if cfg.StateDir == "" {
				return usageErr("--state DIR is required: the emulator writes its CA, credentials and profiles there")
			}
			start := time.Now()
			srv, err := emulator.Start(cfg)
			if err != nil {
				return usageErr("%v", err)
			}
			defer srv.Close()
			fmt.Fprintf(io.err, "cprready emulator listening on %s (ready in %s)\n", srv.URL(), time.Since(start).Round(time.Millisecond))
			fmt.Fprintf(io.err, "state: %s\nfaults: %s\n\n", srv.StateDir(), strings.Join(faults, ", "))
			fmt.Fprintf(io.err, "Check against it:\n  cprready check --profile %s\n  cprready check --profile %s\n\n", srv.PublicProfile(), srv.PrivateProfile())
			fmt.Fprintf(io.err, "Or point your own profile at it:\n%s\n", profileSnippet(srv))
			<-cmd.Context().Done()
			fmt.Fprintln(io.err, "cprready emulator: stopped")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Addr, "addr", "127.0.0.1:8443", "listen address")
	f.StringVar(&cfg.StateDir, "state", "", "state folder: CA, credentials, profiles (created if missing)")
	f.DurationVar(&cfg.Latency, "latency", 0, "delay every response by this much")
	f.StringSliceVar(&faults, "fault", nil, "faults to inject: "+strings.Join(emulator.FaultNames(), ", "))
	f.StringVar(&cfg.EgressIP, "egress-ip", emulator.DefaultEgressIP, "the caller's pretended public address")
	f.BoolVar(&quiet, "quiet", false, "do not log requests")
	return cmd
}

func faultHelp() string {
	var b strings.Builder
	for _, n := range emulator.FaultNames() {
		fmt.Fprintf(&b, "  %-22s %s\n", n, emulator.Faults[n])
	}
	return b.String()
}

func profileSnippet(srv *emulator.Server) string {
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
