package emulator_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/live"
	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/profile"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The emulator comes up well under a second and its profiles pass every
// offline rule.
func TestStartAndProfilesAreValid(t *testing.T) {
	dir := t.TempDir()
	begin := time.Now()
	srv, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if d := time.Since(begin); d > time.Second {
		t.Errorf("start took %s", d)
	}
	for _, path := range []string{srv.PublicProfile(), srv.PrivateProfile()} {
		p, err := profile.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := checks.Evaluate(context.Background(), p, checks.Options{Offline: true}, profile.DefaultResolver(p))
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Ready || rep.Summary.Warn != 0 {
			for _, r := range rep.Checks {
				if r.Status != checks.Pass && r.Status != checks.Info {
					t.Errorf("%s: %s %s %s: %s", path, r.Status, r.ID, r.Subject, r.Message)
				}
			}
		}
	}
	for _, f := range []string{"ca.pem", "public.yaml", "private.yaml", "certs/client.p12", "secrets/public-secret"} {
		if pv, err := fsutil.CheckPrivate(filepath.Join(dir, f)); err != nil || !pv.Private {
			t.Errorf("%s: others can read it: %+v %v", f, pv, err)
		}
	}
	// A second start on the same folder keeps the credentials.
	creds := srv.Credentials()
	srv.Close()
	again, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Credentials() != creds {
		t.Fatal("credentials changed across restarts")
	}
}

func TestUnknownFaultAndBadEgress(t *testing.T) {
	if _, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: t.TempDir(), Faults: []string{"nope"}}); err == nil || !strings.Contains(err.Error(), "ip-not-whitelisted") {
		t.Fatalf("unknown fault: %v", err)
	}
	if _, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: t.TempDir(), EgressIP: "::1"}); err == nil {
		t.Fatal("IPv6 egress must be refused")
	}
}

// The request log shows method, path, status and latency, never a query
// string or a secret.
func TestLogHasNoSecrets(t *testing.T) {
	var log syncBuf
	srv, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: t.TempDir(), Log: &log, Latency: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	p, _ := profile.Load(srv.PublicProfile())
	rep, err := checks.Evaluate(context.Background(), p, checks.Options{Prober: live.New(live.Options{})}, profile.DefaultResolver(p))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Ready {
		t.Fatalf("healthy emulator not ready: %+v", rep.Summary)
	}
	out := log.String()
	if !strings.Contains(out, "GET  /CPR/custom/PublicSector/v2/schema") || !strings.Contains(out, " 200 ") {
		t.Fatalf("log:\n%s", out)
	}
	c := srv.Credentials()
	for _, s := range []string{c.Public.APIKey, c.Public.GraphQLSecret, c.Public.P12Password, "apiKey", "emu-at-"} {
		if strings.Contains(out, s) {
			t.Fatalf("log leaks %q:\n%s", s, out)
		}
	}
}

func TestStateFolderIsNeverSomeoneElses(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "public.yaml")
	if err := os.WriteFile(mine, []byte("my own profile\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: dir})
	if !errors.Is(err, emulator.ErrStateDirInUse) {
		t.Fatalf("want a refusal, got %v", err)
	}
	if b, _ := os.ReadFile(mine); string(b) != "my own profile\n" {
		t.Fatal("the user's file was changed")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("the emulator wrote into a folder it refused: %v", entries)
	}
	// A new folder, then the same folder again (restart keeps credentials).
	fresh := filepath.Join(dir, "emu")
	srv, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: fresh})
	if err != nil {
		t.Fatal(err)
	}
	creds := srv.Credentials()
	_ = srv.Close()
	srv, err = emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: fresh})
	if err != nil {
		t.Fatalf("restart with its own folder: %v", err)
	}
	defer srv.Close()
	if srv.Credentials().Public.APIKey != creds.Public.APIKey {
		t.Fatal("a restart must keep the credentials")
	}
}

// Loopback by default; every interface only when asked, and then said
// plainly.
func TestEmulatorSaysWhereItListens(t *testing.T) {
	for addr, want := range map[string]string{"127.0.0.1:0": "", "0.0.0.0:0": "EVERY interface"} {
		srv, err := emulator.Start(emulator.Config{Addr: addr, StateDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		srv.WriteBanner(&b, 0, "")
		_ = srv.Close()
		if want == "" && strings.Contains(b.String(), "WARNING") || want != "" && !strings.Contains(b.String(), want) {
			t.Errorf("%s: banner:\n%s", addr, b.String())
		}
	}
}
