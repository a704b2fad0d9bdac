package emulator

import (
	"fmt"
	"io"
	"log"
	"time"
)

// quietLog drops net/http's own server log (TLS handshake noise from
// clients that reject the emulator's CA is expected in tests).
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }

// logf writes one line to the request log, when there is one.
func (s *Server) logf(format string, a ...any) {
	if s.cfg.Log == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.cfg.Log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05.000")}, a...)...)
}
