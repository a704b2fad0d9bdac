package httpguard

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHosts(t *testing.T) {
	h := NewHosts("0.0.0.0:9464", "Prom.Example")
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST:9464": true, "127.0.0.1:9464": true, "[::1]:9464": true, "127.9.9.9": true,
		"prom.example:9464": true, "0.0.0.0:9464": false, "evil.example": false, "": false, "10.0.0.5:9464": false,
	} {
		if got := h.Allows(host); got != want {
			t.Errorf("%q: %v, want %v", host, got, want)
		}
	}
	if !NewHosts("10.0.0.5:9464").Allows("10.0.0.5:9464") {
		t.Error("the listen address itself is not allowed")
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Host = "evil.example"
	h.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Fatal("served a foreign Host") })).ServeHTTP(rec, req)
	if rec.Code != http.StatusMisdirectedRequest {
		t.Fatalf("got %d", rec.Code)
	}
}

func TestLimit(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if Limit(ln, 2) == nil {
		t.Fatal("no listener")
	}
}

// Beyond loopback the server says so, with the names it answers.
func TestExposure(t *testing.T) {
	if e := NewHosts("127.0.0.1:9464").Exposure("127.0.0.1:9464"); e != "" {
		t.Fatalf("loopback is no exposure: %q", e)
	}
	e := NewHosts("0.0.0.0:9464", "cprready.monitoring.svc").Exposure("0.0.0.0:9464")
	for _, want := range []string{"beyond loopback", "loopback names, cprready.monitoring.svc only", "--allow-host"} {
		if !strings.Contains(e, want) {
			t.Errorf("lacks %q: %s", want, e)
		}
	}
}
