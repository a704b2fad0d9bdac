// Command cprready gets Danish integrators onto the modernised CPR services
// on Datafordeleren and proves they are ready before go-live.
package main

import (
	"os"
	"runtime/debug"
	_ "time/tzdata" // --tz works where the OS has no zone database (Windows, small containers)
)

// memoryLimit is the heap the garbage collector aims to stay under (a
// soft limit: a profile of a thousand IT-systems fits well within it; a
// larger one runs with more collections, never fails). GOMEMLIMIT
// overrides it.
const memoryLimit = 80 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	os.Exit(run(os.Args[1:], newStdio()))
}
