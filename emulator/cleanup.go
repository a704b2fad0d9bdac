package emulator

import (
	"fmt"
	"io"

	"github.com/cprready/cprready/internal/fsutil"
)

// maxLeftovers bounds the paths listed when a state folder stays behind.
const maxLeftovers = 20

// RemoveState removes a state folder made for one run (the demo's) and,
// when something cannot be removed, says on w what and where, each line
// after prefix: the folder holds the emulator's CA key and credentials.
func RemoveState(w io.Writer, prefix, dir string) {
	left, err := fsutil.RemoveAll(dir)
	reportLeftovers(w, prefix, dir, left, err)
}

func reportLeftovers(w io.Writer, prefix, dir string, left []string, err error) {
	if len(left) == 0 {
		return
	}
	fmt.Fprintf(w, "%s: could not remove the temporary folder %s (%v).\n", prefix, dir, err)
	fmt.Fprintf(w, "%s: it holds the emulator's CA key (ca.key) and the demo's credentials; delete what is left by hand:\n", prefix)
	for i, p := range left {
		if i == maxLeftovers {
			fmt.Fprintf(w, "  … and %d more\n", len(left)-maxLeftovers)
			break
		}
		fmt.Fprintln(w, "  "+p)
	}
}
