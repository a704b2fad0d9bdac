// Package buildinfo names the running build, once: `cprready version`,
// the support bundle and the watcher's cprready_build_info all read it.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Info is a build: the values injected at link time, else what the Go
// toolchain recorded (module version, VCS revision and time), else
// "dev"/"unknown".
type Info struct {
	Name, Version, Revision, Date, GoVersion string
}

// Read is the running build of name, given what was injected at link time
// (version "dev" and empty commit and date when nothing was).
func Read(name, version, commit, date string) Info {
	i := Info{Name: name, Version: version, Revision: commit, Date: date, GoVersion: runtime.Version()}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && i.Revision == "":
				i.Revision = s.Value
			case s.Key == "vcs.time" && i.Date == "":
				i.Date = s.Value
			}
		}
		if i.Version == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			i.Version = info.Main.Version
		}
	}
	if len(i.Revision) > 12 {
		i.Revision = i.Revision[:12]
	}
	if i.Revision == "" {
		i.Revision = "unknown"
	}
	if i.Date == "" {
		i.Date = "unknown"
	}
	return i
}

// String is "NAME VERSION (commit C, built D)".
func (i Info) String() string {
	return fmt.Sprintf("%s %s (commit %s, built %s)", i.Name, i.Version, i.Revision, i.Date)
}
