package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Faults change while the emulator runs, through the control endpoint;
// the data endpoints follow at once.
func TestControlChangesFaultsWhileRunning(t *testing.T) {
	s, err := Start(Config{Addr: "127.0.0.1:0", StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	base, err := s.ServeControl("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, body string) (int, ControlState, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+"/faults", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var st ControlState
		_ = json.Unmarshal(b, &st)
		return resp.StatusCode, st, string(b)
	}
	if code, st, _ := do(http.MethodGet, ""); code != 200 || len(st.Active) != 0 || st.Known[FaultIPNotWhitelisted] == "" {
		t.Fatalf("GET: %d %+v", code, st)
	}
	if code, st, _ := do(http.MethodPut, "ip-not-whitelisted, clock-skew\n"); code != 200 || strings.Join(st.Active, ",") != "clock-skew,ip-not-whitelisted" {
		t.Fatalf("PUT: %d %+v", code, st)
	}
	if s.egress().String() != WrongEgressIP || !s.fault(FaultClockSkew) {
		t.Fatal("the faults did not take effect")
	}
	if code, st, _ := do(http.MethodPut, `{"active":["no-access"]}`); code != 200 || strings.Join(st.Active, ",") != "no-access" {
		t.Fatalf("PUT JSON: %d %+v", code, st)
	}
	if code, _, body := do(http.MethodPut, "no-such-fault"); code != 400 || !strings.Contains(body, `unknown fault "no-such-fault"`) {
		t.Fatalf("unknown fault: %d %s", code, body)
	}
	if got := s.ActiveFaults(); strings.Join(got, ",") != "no-access" {
		t.Fatalf("a refused PUT changed the faults: %v", got)
	}
	if code, _, _ := do(http.MethodPost, "no-access"); code != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d (a web page can POST cross-origin; only PUT and DELETE change state)", code)
	}
	if code, _, _ := do(http.MethodPut, strings.Repeat("a", maxControlBody+10)); code != 400 {
		t.Fatalf("huge body: %d", code)
	}
	if code, st, _ := do(http.MethodDelete, ""); code != 200 || len(st.Active) != 0 || s.egress().String() == WrongEgressIP {
		t.Fatalf("DELETE: %d %+v", code, st)
	}
}

// The control endpoint is for this machine only.
func TestControlLoopbackOnly(t *testing.T) {
	s, err := Start(Config{Addr: "127.0.0.1:0", StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:8444", "example.com:80", "nonsense"} {
		if _, err := s.ServeControl(addr); err == nil {
			t.Errorf("ServeControl(%q) accepted", addr)
		}
	}
}

// A DNS-rebinding page names its own host: refused.
func TestControlRefusesForeignHost(t *testing.T) {
	s, err := Start(Config{Addr: "127.0.0.1:0", StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	base, err := s.ServeControl("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPut, base+"/faults", strings.NewReader("no-access"))
	req.Host = "attacker.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || len(s.ActiveFaults()) != 0 {
		t.Fatalf("status %d, faults %v", resp.StatusCode, s.ActiveFaults())
	}
}
