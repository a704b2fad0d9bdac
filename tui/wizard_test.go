package tui

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/golden"
	"github.com/cprready/cprready/profile"
)

var testNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

type fakeKeyring struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *fakeKeyring) set(_ context.Context, service, account, value string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[service+"/"+account] = value
	return nil
}

func (k *fakeKeyring) get(_ context.Context, service, account string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.m[service+"/"+account], nil
}

// A newcomer answers plain prompts (accessible mode) and ends with a saved,
// rule-clean profile, an application sheet, and the secret in the keyring.
func TestWizardAccessibleToRuleCleanProfile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cprready.yaml")
	kr := &fakeKeyring{m: map[string]string{}}
	w, _, out, err := keyedRun(t, WizardConfig{Path: path, Keyring: kr.set}, cleanScript())
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	res := w.Result()
	if !res.Saved || res.SheetPath == "" {
		t.Fatalf("not saved: %+v\n%s", res, out)
	}
	p, err := profile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "CANARY-s3cret-value") || strings.Contains(out, "CANARY-s3cret-value") {
		t.Fatal("the secret was written into the profile")
	}
	ref := p.ITSystems[0].Credentials.OAuthSharedSecrets[0].Secret.Reference()
	if ref != "keyring:cprready/borgerservice-graphql-secret" || kr.m["cprready/borgerservice-graphql-secret"] != "CANARY-s3cret-value" {
		t.Fatalf("secret reference %q, keyring %v", ref, kr.m)
	}
	rep, err := checks.Evaluate(context.Background(), p, checks.Options{At: testNow, Offline: true}, profile.Resolver{BaseDir: dir, Keyring: kr.get})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Checks {
		if r.Status == checks.Fail || r.Status == checks.Warn {
			t.Errorf("not rule-clean: %s %s %s: %s", r.Status, r.ID, r.Subject, r.Message)
		}
	}
	sheet, _ := os.ReadFile(res.SheetPath)
	if !strings.Contains(string(sheet), "| Server | 80.62.117.23 | /32 |") {
		t.Fatalf("sheet:\n%s", sheet)
	}
}

// Without a keyring the wizard keeps a typed secret in a protected file
// beside the profile, never drops it, and says so plainly.
func TestWizardWithoutKeyring(t *testing.T) {
	w := NewWizard(WizardConfig{Path: filepath.Join(t.TempDir(), "p.yaml"), Now: func() time.Time { return testNow }})
	w.p.ITSystems = []profile.ITSystem{{Name: "Kundeopslag"}}
	w.p.ITSystems[0].Credentials.OAuthSharedSecrets = []profile.SharedSecret{{Secret: w.secretRef(0, "secret", "typed-value-123")}}
	w.save()
	if w.Err() != nil {
		t.Fatal(w.Err())
	}
	got := w.p.ITSystems[0].Credentials.OAuthSharedSecrets[0].Secret.Reference()
	if got != "file:secrets/kundeopslag-secret" || len(w.Result().Notes) != 1 || !strings.Contains(w.Result().Notes[0], "mode 0600") {
		t.Fatalf("%s %v", got, w.Result().Notes)
	}
	raw, _ := os.ReadFile(w.Result().Path)
	if strings.Contains(string(raw), "typed-value-123") {
		t.Fatal("plaintext secret saved in the profile")
	}
	p, err := profile.Load(w.Result().Path)
	if err != nil {
		t.Fatal(err)
	}
	s := p.ITSystems[0].Credentials.OAuthSharedSecrets[0].Secret
	if err := s.Resolve(context.Background(), profile.Resolver{BaseDir: p.Dir()}); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Reveal(); v != "typed-value-123" {
		t.Fatalf("the typed secret was lost: %q", v)
	}
	fi, err := os.Stat(filepath.Join(p.Dir(), "secrets", "kundeopslag-secret"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v %v", fi, err)
	}
}

// Input that ends early stops the wizard without saving.
func TestWizardInputEnds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.yaml")
	w := NewWizard(WizardConfig{Path: path, Accessible: true, In: strings.NewReader("1\nKommune\n"), Out: &bytes.Buffer{}})
	if err := w.RunAccessible(); !errors.Is(err, ErrInputEnded) {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("saved on early EOF")
	}
}

// In the terminal UI, esc goes back a step and nothing typed is lost.
func TestWizardBackKeepsInput(t *testing.T) {
	w := NewWizard(WizardConfig{Path: filepath.Join(t.TempDir(), "p.yaml"), Now: func() time.Time { return testNow }})
	tm := teatest.NewTestModel(t, w, teatest.WithInitialTermSize(100, 40))
	wait := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), s) }, teatest.WithDuration(5*time.Second))
	}
	// huh moves focus with a command: give each step time to land.
	enter := func() {
		tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
		time.Sleep(150 * time.Millisecond)
	}
	wait("Get onto CPR on Datafordeleren")
	enter()
	wait("Who is applying?")
	enter()
	tm.Type("Eksempel Kommune")
	enter()
	tm.Type("29189847")
	enter()
	wait("fails the modulus-11 check")
	tm.Send(tea.KeyMsg{Type: tea.KeyBackspace})
	tm.Type("6")
	enter() // CVR
	enter() // MitID
	enter() // no supplier
	wait("Which environment is this profile for?")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	wait("Who is applying?") // the organisation step again, as it was left
	time.Sleep(150 * time.Millisecond)
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Wizard)
	if o := fm.Profile().Organisation; o.Name != "Eksempel Kommune" || o.CVR != "29189846" {
		t.Fatalf("input lost going back: %+v", o)
	}
	if fm.Result().Saved {
		t.Fatal("ctrl+c must not save")
	}
}

// The Summary at 80x24 shows what fails first, fits the screen, and
// scrolls with PgDn; underscores survive the note renderer.
func TestWizardSummaryScrollsFailuresFirst(t *testing.T) {
	p, err := profile.Load("../examples/findings.yaml")
	if err != nil {
		t.Fatal(err)
	}
	w := NewWizard(WizardConfig{Path: filepath.Join(t.TempDir(), "p.yaml"), Draft: p, Now: func() time.Time { return testNow }})
	w.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	w.cur = state{step: stepSummary}
	w.form = w.build()
	w.form.Init()
	v := w.View()
	lines := strings.Split(v, "\n")
	if len(lines) > 24 {
		t.Fatalf("%d lines at 80x24:\n%s", len(lines), v)
	}
	if !strings.Contains(v, "✗") || !strings.Contains(v, "still fail") {
		t.Fatalf("no failure at the top:\n%s", v)
	}
	first := w.summary.View()
	w.Update(tea.KeyMsg{Type: tea.KeyPgDown})
	if w.summary.View() == first {
		t.Fatal("PgDn does not scroll the summary")
	}
	if got := w.md("CPR_Events it_systems[0]"); !strings.Contains(got, `CPR\_Events`) {
		t.Fatalf("md: %q", got)
	}
}

// Every step of the wizard at 80x24: the breadcrumb and the focused
// field's title on the screen, the footer whole, nothing wider than 80
// cells; the screens are goldens (go test ./tui -run Screens -update).
func TestWizardScreensAt80x24(t *testing.T) {
	p, err := profile.Load("../examples/public.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []state{{step: stepWelcome}, {step: stepOrg}, {step: stepEnv}, {step: stepSystems}, {step: stepSystem}, {step: stepIPs}, {step: stepIP},
		{step: stepAccess}, {step: stepCreds}, {step: stepContact}, {step: stepFollowup}, {step: stepSummary}} {
		w := NewWizard(WizardConfig{Path: "/profiles/p.yaml", Draft: p, Now: func() time.Time { return testNow }})
		w.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		w.cur = st
		w.form = w.build()
		w.form.Init()
		v := ansi.Strip(w.View())
		lines := strings.Split(v, "\n")
		if len(lines) > 24 {
			t.Errorf("%s: %d lines at 80x24:\n%s", stepNames[st.step], len(lines), v)
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > 80 {
				t.Errorf("%s: a line of %d cells:\n%s", stepNames[st.step], ansi.StringWidth(l), l)
			}
		}
		if !strings.Contains(lines[0], "["+stepNames[w.section()]+"]") {
			t.Errorf("%s: the breadcrumb is not on the first line:\n%s", stepNames[st.step], v)
		}
		if last := lines[len(lines)-1]; !strings.HasPrefix(last, "enter next") && !strings.HasPrefix(last, "pgup/pgdn") {
			t.Errorf("%s: the footer is not the last line: %q", stepNames[st.step], last)
		}
		for i := range lines {
			lines[i] = strings.TrimRight(lines[i], " ")
		}
		golden.Check(t, "screens/"+strings.ReplaceAll(strings.ToLower(stepNames[st.step]), " ", "-")+".txt", []byte(strings.Join(lines, "\n")+"\n"))
	}
}

// The sheet replaces only an earlier sheet: notes of the user's, or a
// link onto the profile's secret, are kept and the sheet gets a new name.
func TestSheetNeverReplacesAnotherFile(t *testing.T) {
	dir := t.TempDir()
	p := &profile.Profile{Path: filepath.Join(dir, "p.yaml")}
	notes := filepath.Join(dir, "p.application.md")
	if err := os.WriteFile(notes, []byte("my notes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := writeSheet(p, notes, []byte("# Application sheet: K\n"))
	if err != nil || filepath.Base(got) != "p.application-2.md" {
		t.Fatalf("got %s %v", got, err)
	}
	if b, _ := os.ReadFile(notes); string(b) != "my notes\n" {
		t.Fatalf("the notes were replaced: %q", b)
	}
	if got, err := writeSheet(p, got, []byte("# Application sheet: K again\n")); err != nil || filepath.Base(got) != "p.application-2.md" {
		t.Fatalf("an earlier sheet was not replaced: %s %v", got, err)
	}
}

// esc leaves an address step without applying it: an edited address is put
// back as it was, a new one half-typed is dropped.
func TestWizardEscDropsHalfTypedAddress(t *testing.T) {
	draft, err := profile.Load("../examples/public.yaml")
	if err != nil {
		t.Fatal(err)
	}
	w := NewWizard(WizardConfig{Path: filepath.Join(t.TempDir(), "p.yaml"), Draft: draft, Now: func() time.Time { return testNow }})
	list := &w.p.ITSystems[0].IPWhitelist
	was, n := (*list)[0], len(*list)
	w.history = []state{{step: stepIPs}}
	w.cur = state{step: stepIP, ip: 0}
	w.form = w.build()
	(*list)[0].Address = "80.62.1" // typed halfway
	w.Update(tea.KeyMsg{Type: tea.KeyEsc})
	if w.cur.step != stepIPs || len(*list) != n || (*list)[0] != was {
		t.Fatalf("esc kept a half-typed edit: step %v, %+v", w.cur.step, *list)
	}
	*list = append(*list, profile.IPEntry{})
	w.history = []state{{step: stepIPs}}
	w.cur = state{step: stepIP, ip: n}
	w.form = w.build()
	(*list)[n].Address = "80.62."
	w.Update(tea.KeyMsg{Type: tea.KeyEsc})
	if len(*list) != n {
		t.Fatalf("esc kept a new half-typed address: %+v", *list)
	}
}

// The wizard's footer names huh's own keys: the key map says enter and
// shift+tab because huh's fields move on them.
func TestWizardKeysNameHuhsKeys(t *testing.T) {
	k, huhKeys := DefaultWizardKeys(), huh.NewDefaultKeyMap()
	for _, c := range []struct {
		ours, huhs key.Binding
	}{{k.Next, huhKeys.Input.Next}, {k.PrevField, huhKeys.Input.Prev}, {k.Next, huhKeys.Select.Next}, {k.PrevField, huhKeys.Select.Prev}} {
		for _, want := range c.ours.Keys() {
			if !slices.Contains(c.huhs.Keys(), want) {
				t.Errorf("the footer names %q, huh moves on %v", want, c.huhs.Keys())
			}
		}
	}
	w := NewWizard(WizardConfig{Path: filepath.Join(t.TempDir(), "p.yaml")})
	w.width = 200
	for _, b := range []key.Binding{k.Next, k.PrevField, k.Back, k.Quit} {
		if !strings.Contains(w.footer(), b.Help().Key+" "+b.Help().Desc) {
			t.Errorf("the footer lacks %q: %s", b.Help().Key, w.footer())
		}
	}
}
