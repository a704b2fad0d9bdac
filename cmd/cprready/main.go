// Command cprready gets Danish integrators onto the modernised CPR services
// on Datafordeleren and proves they are ready before go-live.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], newStdio()))
}
