//go:build unix

package tui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cprready/cprready/profile"
	"github.com/creack/pty"
)

// ptyScreen is the other end of a pseudo-terminal: what the wizard wrote,
// and a way to type an answer once a prompt has appeared.
type ptyScreen struct {
	t      *testing.T
	master *os.File
	mu     sync.Mutex
	out    bytes.Buffer
	seen   int // what was matched so far
}

func newPTYScreen(t *testing.T) (*ptyScreen, *os.File) {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Skip("no pseudo-terminal here:", err)
	}
	t.Cleanup(func() { _ = master.Close(); _ = slave.Close() })
	s := &ptyScreen{t: t, master: master}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return s, slave
}

// answer waits for prompt to appear after what was matched before, then
// types line as a person would: after the prompt.
func (s *ptyScreen) answer(prompt, line string) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.mu.Lock()
		text := s.out.String()
		s.mu.Unlock()
		if i := strings.Index(text[s.seen:], prompt); i >= 0 {
			s.seen += i + len(prompt)
			break
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("prompt %q never appeared; the screen shows:\n%s", prompt, text[s.seen:])
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // the reader asks for the line after the prompt is written
	if _, err := s.master.Write([]byte(line + "\r")); err != nil {
		s.t.Fatal(err)
	}
}

func (s *ptyScreen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// On a real terminal, a secret typed at a hidden prompt is kept (saved,
// never dropped), never shown, and never taken by the next field; the
// PKCS#12 password too. A pasted CIDR address splits into address and
// range; "back" leaves a step. Piped tests cannot see any of this.
func TestAccessibleOnATerminal(t *testing.T) {
	const secret, p12pass = "SuperHemmeligNoegle42", "Test1234!"
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "certs"), 0o700); err != nil {
		t.Fatal(err)
	}
	p12, err := os.ReadFile("../examples/certs/graphql.p12")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "certs", "graphql.p12"), p12, 0o600); err != nil {
		t.Fatal(err)
	}
	scr, tty := newPTYScreen(t)
	path := filepath.Join(dir, "p.yaml")
	w := NewWizard(WizardConfig{Path: path, Accessible: true, In: tty, Out: tty, Now: func() time.Time { return testNow }})
	done := make(chan error, 1)
	go func() { done <- w.RunAccessibleContext(context.Background()) }()
	steps := [][2]string{
		{"Enter a number between 1 and 2: ", "1"},
		{"Organisation name ", "Eksempel Kommune"}, {"CVR number ", "29189846"},
		{"MitID Erhverv? [Y/n] ", "y"}, {"for you? [y/N] ", "n"},
		{"Enter a number between 1 and 5: ", "1"},
		{"Enter a number between 1 and 2: ", "1"},
		{"Name of the IT-system (as in Administration) ", "Borgerservice GraphQL"}, {"Owner's CVR ", ""},
		{"Enter a number between 1 and 2: ", "1"},
		{"Enter a number between 1 and 2: ", "1"},
		// A CIDR pasted as the address: wider than /24, so the range is
		// asked again; /24 is accepted.
		{"Name ", "Kontor"}, {"IPv4 address ", "80.62.117.0/23"}, {"Range (prefix length) ", ""},
		{"(type a new value, or back to leave this step)", "24"},
		{"Enter a number between 1 and 4: ", "1"},
		{"Enter a number between 0 and 1: ", "0"},
		{"Enter a number between 1 and 5: ", "3"},
		{"Udløbsdato (expiry) of the approved access ", "2027-05-11"},
		{"[y/N] ", "y"},
		{"Enter a number between 0 and 3: ", "2"}, {"Enter a number between 0 and 3: ", "3"}, {"Enter a number between 0 and 3: ", "0"},
		{"Enter a number between 1 and 2: ", "1"}, // protected files
		{"Shared secret name ", "Borgerservice"}, {"Client ID ", "a4098663-0502-45ce-954c-b660160be961"},
		{"Secret ", secret}, {"Udløbsdato ", "2027-05-08"},
		{"Certificate name ", "GraphQL"}, {"Client ID ", "9831e4b1-73ae-4e15-b8ba-e0377c4a21f1"},
		{"PKCS#12 file ", "certs/graphql.p12"}, {"PKCS#12 password ", p12pass},
		{"(Fingeraftryk) ", "D25276D04F0D9CE25F8E4DC6ECC3B58C062BB5EC"},
		{"Enter a number between 1 and 4: ", "1"},
		{"First name (Fornavn) ", "Simon"}, {"Last name (Efternavn) ", "Sørensen"}, {"CVR ", ""},
		{"E-mail ", "it@eksempel.dk"}, {"Phone (optional) ", ""},
		{"Servicedesk ticket number ", "back"}, // leaves the follow-up…
		// …back to the contact: an empty answer keeps what was given.
		{"First name (Fornavn) ", ""}, {"Last name (Efternavn) ", ""}, {"CVR ", ""}, {"E-mail ", ""}, {"Phone (optional) ", ""},
		{"Servicedesk ticket number ", "CPR-1234"}, {"[y/N] ", "y"},
		{"Enter a number between 1 and 3: ", "1"},
	}
	for _, s := range steps {
		scr.answer(s[0], s[1])
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%v\n%s", err, scr.text())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("the wizard did not finish:\n%s", scr.text())
	}
	screen := scr.text()
	for _, s := range []string{secret, "HemmeligNoegle", p12pass} {
		if strings.Contains(screen, s) {
			t.Fatalf("a secret was shown on the terminal (%q):\n%s", s, screen)
		}
	}
	if !w.Result().Saved {
		t.Fatalf("not saved:\n%s", screen)
	}
	p, err := profile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	res := profile.Resolver{BaseDir: dir}
	value := func(s profile.Secret) (string, error) {
		if err := s.Resolve(context.Background(), res); err != nil {
			return "", err
		}
		return s.Reveal()
	}
	sys := p.ITSystems[0]
	ss := sys.Credentials.OAuthSharedSecrets[0]
	if v, err := value(ss.Secret); err != nil || v != secret {
		t.Fatalf("the typed secret was not kept: %q %v", v, err)
	}
	if ss.Expires.String() != "2027-05-08" {
		t.Fatalf("the next field took the secret's line: expires %q", ss.Expires.String())
	}
	cert := sys.Credentials.OAuthCertificates[0]
	if v, err := value(cert.Password); err != nil || v != p12pass {
		t.Fatalf("the PKCS#12 password was not kept: %q %v", v, err)
	}
	if cert.Fingerprint != "D25276D04F0D9CE25F8E4DC6ECC3B58C062BB5EC" {
		t.Fatalf("the fingerprint took another line: %q", cert.Fingerprint)
	}
	ip := sys.IPWhitelist[0]
	if ip.Address != "80.62.117.0" || ip.Range.Raw() != "24" && ip.Range.Raw() != "/24" {
		t.Fatalf("the pasted CIDR was not split: %q %q", ip.Address, ip.Range.Raw())
	}
	if p.Followup.ServicedeskTicket != "CPR-1234" || p.Contact.FirstName != "Simon" {
		t.Fatalf("back lost answers: %+v %+v", p.Followup, p.Contact)
	}
}
