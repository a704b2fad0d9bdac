package main

import (
	"fmt"
	"os"

	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd writes man pages generated from the command tree (used by the
// release to put them in the archives).
func newManCmd(std *stdio) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:    "man",
		Short:  "Write the man pages into a folder",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return cmdutil.UsageError(err)
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true
			hdr := &doc.GenManHeader{Title: "CPRREADY", Section: "1", Source: "cprready " + version, Manual: "cprready manual"}
			if err := doc.GenManTree(root, hdr, dir); err != nil {
				return cmdutil.UsageError(err)
			}
			fmt.Fprintf(std.out, "wrote man pages to %s\n", dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "manpages", "folder to write into")
	return cmd
}
