package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

func newVersionCmd(std *stdio) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(std.out, "%s\n%s %s/%s\n", build().String(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
