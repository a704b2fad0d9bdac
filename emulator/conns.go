package emulator

import (
	"net"
	"net/http"
	"sync"
)

// idleConns tracks the connections with no request in flight: HTTP/1.1
// keep-alives, and HTTP/2 connections, which the HTTP/2 server reports
// idle when their last stream ends. Close ends them at once; a graceful
// shutdown would wait a second for each idle HTTP/2 client to answer its
// GOAWAY, and every test that starts an emulator would pay it.
type idleConns struct {
	mu   sync.Mutex
	idle map[net.Conn]bool
}

// track is the server's ConnState hook.
func (c *idleConns) track(conn net.Conn, st http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idle == nil {
		c.idle = map[net.Conn]bool{}
	}
	if st == http.StateIdle {
		c.idle[conn] = true
	} else {
		delete(c.idle, conn)
	}
}

// closeIdle closes every idle connection.
func (c *idleConns) closeIdle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for conn := range c.idle {
		_ = conn.Close()
		delete(c.idle, conn)
	}
}
