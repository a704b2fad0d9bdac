package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/cprready/cprready/internal/httpguard"
)

// The control endpoint lets a test or a person change the emulator's
// faults while it runs, so that `cprready watch` can be shown noticing a
// fault that appears later and recovering when it goes:
//
//	curl http://127.0.0.1:8444/faults                                   # list
//	curl -X PUT --data ip-not-whitelisted http://127.0.0.1:8444/faults  # set
//	curl -X DELETE http://127.0.0.1:8444/faults                         # clear
//
// It is plain HTTP on a loopback address only, and it changes state only
// on PUT and DELETE, which a web page cannot send cross-origin without
// the browser asking first (CORS preflight, never granted here).

// maxControlBody bounds a PUT body.
const maxControlBody = 4 << 10

// ControlState is what GET /faults answers.
type ControlState struct {
	Active []string          `json:"active"`
	Known  map[string]string `json:"known"`
}

// ServeControl serves the control endpoint on addr (a loopback address,
// e.g. 127.0.0.1:8444 or 127.0.0.1:0) until the emulator closes. It
// returns the endpoint's base URL.
func (s *Server) ServeControl(addr string) (string, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--control %q: write HOST:PORT, e.g. 127.0.0.1:8444", addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", fmt.Errorf("--control %q: the control endpoint listens on a loopback address only (127.0.0.1 or ::1)", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("--control: cannot listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s.ControlHandler(), ReadHeaderTimeout: 5 * time.Second, ErrorLog: quietLog()}
	go func() { _ = srv.Serve(ln) }()
	go func() {
		<-s.shutdown
		_ = srv.Close()
	}()
	return "http://" + ln.Addr().String(), nil
}

// ControlHandler serves /faults: GET lists, PUT replaces (a body of
// NAME[,NAME…], or JSON {"active":[…]}), DELETE clears.
func (s *Server) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/faults", func(w http.ResponseWriter, r *http.Request) {
		// A web page that rebinds its own name to 127.0.0.1 still sends
		// its name as Host: only loopback names are served.
		if !httpguard.LoopbackHost(r.Host) {
			http.Error(w, "the control endpoint answers requests to a loopback address only", http.StatusForbidden)
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead:
		case http.MethodPut:
			list, err := readFaultList(r)
			if err == nil {
				err = s.SetFaults(list)
			}
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			s.logf("control: faults now %q", s.ActiveFaults())
		case http.MethodDelete:
			_ = s.SetFaults(nil)
			s.logf("control: faults cleared")
		default:
			w.Header().Set("Allow", "GET, PUT, DELETE")
			http.Error(w, "use GET, PUT or DELETE", http.StatusMethodNotAllowed)
			return
		}
		active := s.ActiveFaults()
		if active == nil {
			active = []string{}
		}
		writeJSON(w, http.StatusOK, "application/json", ControlState{Active: active, Known: Faults})
	})
	return mux
}

// readFaultList reads a PUT body: JSON {"active": […]} or NAME[,NAME…]
// (commas, spaces or new lines between names).
func readFaultList(r *http.Request) ([]string, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxControlBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxControlBody {
		return nil, errors.New("the body is too large: name the faults, e.g. ip-not-whitelisted")
	}
	text := strings.TrimSpace(string(b))
	if strings.HasPrefix(text, "{") {
		var st ControlState
		if err := json.Unmarshal(b, &st); err != nil {
			return nil, fmt.Errorf("the body is not JSON of the form {\"active\": [\"ip-not-whitelisted\"]}: %w", err)
		}
		return st.Active, nil
	}
	return strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }), nil
}
