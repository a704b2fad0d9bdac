package emulator

import (
	"io"
	"log"
)

// quietLog drops net/http's own server log (TLS handshake noise from
// clients that reject the emulator's CA is expected in tests).
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }
