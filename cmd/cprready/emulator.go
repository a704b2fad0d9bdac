package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/cmdutil"
)

func newEmulatorCmd(std *stdio) *cobra.Command {
	o := &emulatorOptions{}
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Run a local emulator of Datafordeleren's CPR services",
		Long: `The emulator serves Datafordeleren's CPR endpoints over HTTPS on one address:
token hosts (shared secret and certificate), schemas, the public and private
custom services, events (query and SSE subscription), file downloads, and an
echo of your pretended public address. It writes its CA, credentials and two
ready profiles (public.yaml, private.yaml) into --state.

Faults (--fault NAME[,NAME…]) make it fail the way the platform does:
` + emulator.FaultHelp() + `
With --control ADDR (loopback only) faults change while it runs:
  curl -X PUT --data ip-not-whitelisted http://ADDR/faults   set
  curl -X DELETE http://ADDR/faults                         clear
  curl http://ADDR/faults                                   list`,
		Example: `  cprready emulator --state ./emu
  cprready check --profile ./emu/public.yaml
  cprready emulator --state ./emu --fault ip-not-whitelisted,clock-skew --latency 200ms
  cprready emulator --state ./emu --control 127.0.0.1:8444`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return emulatorRun(cmd.Context(), std, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.cfg.Addr, "addr", "127.0.0.1:8443", "listen address")
	f.StringVar(&o.cfg.StateDir, "state", "", "state folder: CA, credentials, profiles (created if missing)")
	f.DurationVar(&o.cfg.Latency, "latency", 0, "delay every response by this much")
	f.StringSliceVar(&o.faults, "fault", nil, "faults to inject: "+strings.Join(emulator.FaultNames(), ", "))
	f.StringVar(&o.cfg.EgressIP, "egress-ip", emulator.DefaultEgressIP, "the caller's pretended public address")
	f.BoolVar(&o.quiet, "quiet", false, "do not log requests")
	f.StringVar(&o.control, "control", "", "serve a control endpoint on this loopback address (e.g. 127.0.0.1:8444): PUT /faults changes faults while running")
	return cmd
}

type emulatorOptions struct {
	cfg     emulator.Config
	faults  []string
	quiet   bool
	control string
}

// emulatorRun serves the emulator until ctx ends.
func emulatorRun(ctx context.Context, std *stdio, o *emulatorOptions) error {
	cfg := o.cfg
	cfg.Faults = o.faults
	if !o.quiet {
		cfg.Log = std.out
	}
	if cfg.StateDir == "" {
		return cmdutil.UsageErr("--state DIR is required: the emulator writes its CA, credentials and profiles there")
	}
	start := time.Now()
	srv, err := emulator.Start(cfg)
	if err != nil {
		return cmdutil.UsageError(err)
	}
	defer srv.Close()
	controlURL := ""
	if o.control != "" {
		if controlURL, err = srv.ServeControl(o.control); err != nil {
			return cmdutil.UsageError(err)
		}
	}
	srv.WriteBanner(std.err, time.Since(start), controlURL)
	<-ctx.Done()
	fmt.Fprintln(std.err, "cprready emulator: stopped")
	return nil
}
