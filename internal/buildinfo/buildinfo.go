// Package buildinfo names the running build.
package buildinfo

import (
	"fmt"
	"runtime/debug"
)

// String is "NAME VERSION (commit C, built D)": the values injected at
// link time, else what the Go toolchain recorded (module version, VCS
// revision and time), else "dev"/"unknown".
func String(name, version, commit, date string) string {
	v, c, d := version, commit, date
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && c == "":
				c = s.Value
			case s.Key == "vcs.time" && d == "":
				d = s.Value
			}
		}
		if v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
	}
	if len(c) > 12 {
		c = c[:12]
	}
	if c == "" {
		c = "unknown"
	}
	if d == "" {
		d = "unknown"
	}
	return fmt.Sprintf("%s %s (commit %s, built %s)", name, v, c, d)
}
