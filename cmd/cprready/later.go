package main

import (
	"context"

	"github.com/spf13/cobra"
)

// Commands and views that later work fills in; until then they fall back
// to the plain paths.

func addLaterCommands(_ *cobra.Command, _ *stdio) {}

func runHome(_ context.Context, io *stdio) error {
	return usageErr("the terminal UI is not built yet: run `cprready check --profile FILE`")
}

