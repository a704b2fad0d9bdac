package tui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/sheet"
)

// KeyringStore stores a secret in the OS keyring (nil: none is available).
type KeyringStore func(ctx context.Context, service, account, value string) error

// WizardConfig configures the onboarding wizard.
type WizardConfig struct {
	Path       string           // where the profile is saved
	Draft      *profile.Profile // an existing profile to edit, or nil
	Accessible bool             // huh's accessible mode: plain line prompts
	Keyring    KeyringStore
	Now        func() time.Time
	In         io.Reader // accessible mode
	Out        io.Writer // accessible mode
}

// WizardResult says what the wizard did.
type WizardResult struct {
	Saved     bool
	Path      string
	SheetPath string
	Notes     []string // things the user must know (env: variables to export …)
}

type step int

const (
	stepWelcome step = iota
	stepOrg
	stepEnv
	stepSystems
	stepSystem
	stepIPs
	stepIP
	stepAccess
	stepCreds
	stepContact
	stepFollowup
	stepSummary
	stepDone
)

var stepNames = map[step]string{
	stepWelcome: "Welcome", stepOrg: "Organisation", stepEnv: "Environment", stepSystems: "IT-systems",
	stepSystem: "IT-system", stepIPs: "IP whitelist", stepIP: "IP address", stepAccess: "Data access",
	stepCreds: "Credentials", stepContact: "Contact", stepFollowup: "Follow-up", stepSummary: "Summary",
}

// The seed's order, shown as a breadcrumb.
var breadcrumb = []step{stepOrg, stepEnv, stepSystems, stepContact, stepFollowup, stepSummary}

type state struct {
	step step
	sys  int
	ip   int
}

// Wizard is the onboarding wizard. It edits a draft profile in place, so
// going back and forth never loses input; every field is judged by the
// checks package.
type Wizard struct {
	cfg     WizardConfig
	p       *profile.Profile
	secrets map[string]string          // planned keyring reference -> typed value
	groups  []*huh.Group               // the current step's groups
	hides   map[*huh.Group]func() bool // their hide conditions
	history []state
	cur     state
	form    *huh.Form
	width   int
	height  int
	result  WizardResult
	quit    bool
	// interrupted is a ctrl+c (exit 130), not a chosen "quit".
	interrupted bool
	err         error

	// lives recompute the current form's live descriptions.
	lives   []func()
	liveSeq int

	// The Summary's scrolling view (terminal UI).
	summary     viewport.Model
	summaryText string

	// Form-bound scratch values.
	choice      string
	hasSupplier bool
	supplier    profile.Supplier
	mitid       bool
	rangeText   string
	normalise   bool
	expiresText string
	entities    []string
	status      string
	credKinds   []string
	cred        credDraft
	secretStore string // storeFile or storeEnv, without a keyring
	ticket      string
}

// credDraft holds the credential fields while a form edits them (the
// fields are exported so that huh can hash them to refresh descriptions).
type credDraft struct {
	KeyName, KeyValue, KeyExpires                          string
	SsName, SsClientID, SsValue, SsExpires                 string
	CertName, CertClientID, CertPath, CertPass, CertFinger string
}

// NewWizard makes a wizard for a new profile or an existing one.
func NewWizard(cfg WizardConfig) *Wizard {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	p := cfg.Draft
	if p == nil {
		t := true
		p = &profile.Profile{Version: 1, Environment: "prod", Organisation: profile.Organisation{Kind: checks.KindPublic, MitIDErhverv: &t}}
	}
	if p.Path == "" {
		p.Path = cfg.Path
	}
	w := &Wizard{cfg: cfg, p: p, secrets: map[string]string{}, hides: map[*huh.Group]func() bool{}, width: 80, height: 24, secretStore: storeFile}
	if p.Supplier != nil {
		w.hasSupplier, w.supplier = true, *p.Supplier
	}
	w.mitid = p.Organisation.MitIDErhverv == nil || *p.Organisation.MitIDErhverv
	w.cur = state{step: stepWelcome}
	w.form = w.build()
	return w
}

// Profile is the draft.
func (w *Wizard) Profile() *profile.Profile { return w.p }

// Result is what happened.
func (w *Wizard) Result() WizardResult { return w.result }

// Interrupted reports ctrl+c: the caller exits 130.
func (w *Wizard) Interrupted() bool { return w.interrupted }

// Err is set when saving failed.
func (w *Wizard) Err() error { return w.err }

// RunAccessible runs the wizard as plain line prompts, one group at a
// time so that hidden groups stay hidden. Any input survives: wrong
// numbers and letters are asked again, the end of the input (Ctrl-D, a
// pipe that ends) stops with ErrInputEnded, and ctx's cancellation
// (Ctrl-C) stops at once with ctx's error; nothing is saved then.
func (w *Wizard) RunAccessible() error { return w.RunAccessibleContext(context.Background()) }

// RunAccessibleContext is RunAccessible bound to ctx.
func (w *Wizard) RunAccessibleContext(ctx context.Context) (err error) {
	in := w.cfg.In
	if in == nil {
		in = os.Stdin
	}
	// huh reads each field with a fresh scanner; hand it one line at a
	// time so piped input is not swallowed by the first field. A terminal
	// keeps its Fd, which huh needs to read passwords without echo; a pipe
	// does not (huh cannot read a password from it, and secrets are then
	// read as plain lines, which a pipe never echoes).
	lr := newLineReader(ctx, in)
	var rd io.Reader = lr
	if w.inputIsTerminal() {
		rd = fdLineReader{lineReader: lr, fd: w.cfg.In.(interface{ Fd() uintptr }).Fd()}
	}
	out := w.cfg.Out
	if out == nil {
		out = os.Stdout
	}
	// Whatever the prompts print back (a validation message quoting what
	// was typed) passes the typed secrets' gate.
	out = &secretGate{w: out, secrets: w.typedSecrets}
	defer func() {
		// huh's accessible prompts treat the end of input as an empty
		// answer and then index with it; the reader ends them instead.
		if r := recover(); r != nil {
			stop, ok := r.(inputStop)
			if !ok {
				panic(r)
			}
			err = stop.err
		}
	}()
	for w.cur.step != stepDone && !w.quit {
		fmt.Fprintf(out, "\n== %s ==\n", stepNames[w.cur.step])
		for _, g := range w.groups {
			if hide := w.hides[g]; hide != nil && hide() {
				continue
			}
			if err := huh.NewForm(g).WithAccessible(true).WithInput(rd).WithOutput(out).Run(); err != nil {
				return err
			}
		}
		w.advance()
	}
	return w.err
}

// inputIsTerminal reports whether the wizard reads from a terminal.
func (w *Wizard) inputIsTerminal() bool {
	f, ok := w.cfg.In.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(f.Fd())
}

// typedSecrets are the secret values typed so far.
func (w *Wizard) typedSecrets() []string {
	out := []string{w.cred.KeyValue, w.cred.SsValue, w.cred.CertPass}
	for _, v := range w.secrets {
		out = append(out, v)
	}
	return out
}

// secretGate redacts typed secrets from what the prompts print.
type secretGate struct {
	w       io.Writer
	secrets func() []string
}

func (g *secretGate) Write(p []byte) (int, error) {
	if _, err := g.w.Write(redact.New(g.secrets()...).Bytes(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// ErrInputEnded means the input ended before the wizard did.
var ErrInputEnded = errors.New("the input ended before the wizard did; nothing was saved")

// inputStop ends huh's accessible prompts from inside the reader.
type inputStop struct{ err error }

// lineReader returns at most one line per Read. At the end of the input,
// or when ctx is cancelled, it stops the prompts (see RunAccessible)
// instead of handing huh an empty answer.
type lineReader struct {
	ctx   context.Context
	lines chan lineRead
	buf   []byte
	ended bool // the input has no more lines
}

type lineRead struct {
	b   []byte
	err error
}

func newLineReader(ctx context.Context, r io.Reader) *lineReader {
	l := &lineReader{ctx: ctx, lines: make(chan lineRead)}
	go func() {
		br := bufio.NewReader(r)
		for {
			b, err := br.ReadBytes('\n')
			select {
			case l.lines <- lineRead{b, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return l
}

func (l *lineReader) Read(p []byte) (int, error) {
	if len(l.buf) == 0 {
		if l.ended {
			panic(inputStop{ErrInputEnded})
		}
		select {
		case <-l.ctx.Done():
			panic(inputStop{l.ctx.Err()})
		case r := <-l.lines:
			l.ended = r.err != nil
			if len(r.b) == 0 && l.ended {
				panic(inputStop{ErrInputEnded})
			}
			l.buf = r.b
		}
	}
	n := copy(p, l.buf)
	l.buf = l.buf[n:]
	return n, nil
}

type fdLineReader struct {
	*lineReader
	fd uintptr
}

func (f fdLineReader) Fd() uintptr { return f.fd }

// Init starts the first form.
func (w *Wizard) Init() tea.Cmd { return w.form.Init() }

var (
	keyScroll = key.NewBinding(key.WithKeys("pgup", "pgdown", "home", "end"), key.WithHelp("pgup/pgdn", "scroll"))
	keyBack   = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "previous step"))
	keyQuit   = key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit without saving"))
)

// Update drives the current form; esc goes back a step.
func (w *Wizard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var live tea.Cmd
	switch msg := msg.(type) {
	case liveTick:
		if msg.seq == w.liveSeq {
			for _, f := range w.lives {
				f()
			}
		}
		return w, nil
	case tea.WindowSizeMsg:
		w.width, w.height = msg.Width, msg.Height
		w.sizeSummary()
	case tea.MouseMsg:
		if w.cur.step == stepSummary {
			var cmd tea.Cmd
			w.summary, cmd = w.summary.Update(msg)
			return w, cmd
		}
	case tea.KeyMsg:
		switch {
		case w.cur.step == stepSummary && key.Matches(msg, keyScroll):
			switch msg.String() {
			case "pgup":
				w.summary.PageUp()
			case "pgdown":
				w.summary.PageDown()
			case "home":
				w.summary.GotoTop()
			case "end":
				w.summary.GotoBottom()
			}
			return w, nil
		case key.Matches(msg, keyQuit):
			w.quit, w.interrupted = true, true
			return w, tea.Quit
		case key.Matches(msg, keyBack):
			if len(w.history) > 0 {
				w.cur = w.history[len(w.history)-1]
				w.history = w.history[:len(w.history)-1]
				w.form = w.build()
				return w, w.form.Init()
			}
			return w, nil
		default:
			// Judge the field once the user pauses typing.
			w.liveSeq++
			seq := w.liveSeq
			live = tea.Tick(liveDelay, func(time.Time) tea.Msg { return liveTick{seq} })
		}
	}
	m, cmd := w.form.Update(msg)
	if f, ok := m.(*huh.Form); ok {
		w.form = f
	}
	if w.form.State == huh.StateCompleted {
		w.advance()
		if w.cur.step == stepDone || w.quit {
			return w, tea.Quit
		}
		return w, w.form.Init()
	}
	return w, tea.Batch(cmd, live)
}

// View shows the breadcrumb, the form and the keys.
func (w *Wizard) View() string {
	if w.cur.step == stepDone || w.quit {
		return ""
	}
	var crumbs []string
	for _, s := range breadcrumb {
		name := stepNames[s]
		if w.section() == s {
			name = styleTitle.Render("[" + name + "]")
		} else {
			name = styleDim.Render(name)
		}
		crumbs = append(crumbs, name)
	}
	head := styleTitle.Render("cprready init") + "  " + strings.Join(crumbs, styleDim.Render(" › "))
	if w.cur.step >= stepSystem && w.cur.step <= stepCreds && w.cur.sys < len(w.p.ITSystems) {
		head += "\n" + styleDim.Render(fmt.Sprintf("IT-system %q · %s", w.p.ITSystems[w.cur.sys].Name, stepNames[w.cur.step]))
	}
	keys := "enter next · shift+tab previous field · esc previous step · ctrl+c quit without saving"
	if w.cur.step == stepSummary && !w.cfg.Accessible {
		keys = "pgup/pgdn scroll · " + keys
		return head + "\n\n" + w.summary.View() + "\n" + w.form.View() + "\n" + styleDim.Render(keys)
	}
	return head + "\n\n" + w.form.View() + "\n" + styleDim.Render(keys)
}

// sizeSummary fits the Summary's view between the heading and the choice.
func (w *Wizard) sizeSummary() {
	if w.summaryText == "" {
		return
	}
	width := max(w.width-2, 30)
	h := max(w.height-12, 4)
	if w.summary.Width != width || w.summary.Height != h {
		w.summary = viewport.New(width, h)
	}
	w.summary.SetContent(lipgloss.NewStyle().Width(width).Render(w.summaryText))
}

// section is the breadcrumb step the current step belongs to.
func (w *Wizard) section() step {
	switch {
	case w.cur.step == stepWelcome:
		return stepOrg
	case w.cur.step >= stepSystems && w.cur.step <= stepCreds:
		return stepSystems
	}
	return w.cur.step
}

func (w *Wizard) push(next state) {
	w.history = append(w.history, w.cur)
	w.cur = next
}

// advance applies the finished form and moves to the next step.
func (w *Wizard) advance() {
	s := w.cur
	switch s.step {
	case stepWelcome:
		w.push(state{step: stepOrg})
	case stepOrg:
		w.p.Organisation.MitIDErhverv = &w.mitid
		if w.hasSupplier && checks.NormKind(w.p.Organisation.Kind) == checks.KindPublic {
			sup := w.supplier
			w.p.Supplier = &sup
		} else {
			w.p.Supplier = nil
		}
		w.push(state{step: stepEnv})
	case stepEnv:
		w.push(state{step: stepSystems})
	case stepSystems:
		switch {
		case w.choice == "add":
			w.p.ITSystems = append(w.p.ITSystems, profile.ITSystem{OwnerCVR: w.p.Organisation.CVR, Purpose: checks.PurposeGraphQL})
			w.push(state{step: stepSystem, sys: len(w.p.ITSystems) - 1})
		case strings.HasPrefix(w.choice, "edit:"):
			w.push(state{step: stepSystem, sys: atoi(w.choice[5:])})
		case strings.HasPrefix(w.choice, "remove:"):
			i := atoi(w.choice[7:])
			w.p.ITSystems = append(w.p.ITSystems[:i], w.p.ITSystems[i+1:]...)
		default:
			w.push(state{step: stepContact})
		}
	case stepSystem:
		w.push(state{step: stepIPs, sys: s.sys})
	case stepIPs:
		sys := &w.p.ITSystems[s.sys]
		switch {
		case w.choice == "add":
			sys.IPWhitelist = append(sys.IPWhitelist, profile.IPEntry{Range: profile.NewRange(32)})
			w.push(state{step: stepIP, sys: s.sys, ip: len(sys.IPWhitelist) - 1})
		case strings.HasPrefix(w.choice, "edit:"):
			w.push(state{step: stepIP, sys: s.sys, ip: atoi(w.choice[5:])})
		case strings.HasPrefix(w.choice, "remove:"):
			j := atoi(w.choice[7:])
			sys.IPWhitelist = append(sys.IPWhitelist[:j], sys.IPWhitelist[j+1:]...)
		default:
			w.push(state{step: stepAccess, sys: s.sys})
		}
	case stepIP:
		e := &w.p.ITSystems[s.sys].IPWhitelist[s.ip]
		e.Range = profile.RangeOf(w.rangeText)
		if w.normalise {
			if n := normalised(w.p, s.sys, s.ip, w.cfg.Now()); n != "" {
				addr, bits, _ := strings.Cut(n, "/")
				e.Address, e.Range = addr, profile.RangeOf(bits)
			}
		}
		w.back()
	case stepAccess:
		if w.choice == "back" {
			// back to the IT-system's own step (what it is for)
			for len(w.history) > 0 && w.cur.step != stepSystem {
				w.back()
			}
			w.form = w.build()
			return
		}
		d := w.dataAccess(s.sys)
		d.Entities, d.Status, d.Expires = w.entities, w.status, profile.NewDate(w.expiresText)
		if len(d.Entities) == 0 && d.Status == "" {
			w.p.ITSystems[s.sys].DataAccess = nil
		}
		w.push(state{step: stepCreds, sys: s.sys})
	case stepCreds:
		w.applyCreds(s.sys)
		// Back to the IT-system list, forgetting this system's sub-steps.
		for len(w.history) > 0 && w.history[len(w.history)-1].step != stepSystems {
			w.history = w.history[:len(w.history)-1]
		}
		if len(w.history) > 0 {
			w.history = w.history[:len(w.history)-1]
		}
		w.push(state{step: stepSystems})
	case stepContact:
		w.push(state{step: stepFollowup})
	case stepFollowup:
		w.p.Followup.ServicedeskTicket = strings.TrimSpace(w.ticket)
		w.push(state{step: stepSummary})
	case stepSummary:
		switch w.choice {
		case "save":
			w.save()
			w.cur = state{step: stepDone}
			return
		case "quit":
			w.quit = true
			return
		default:
			w.back()
		}
	}
	w.form = w.build()
}

// back returns to the previous step.
func (w *Wizard) back() {
	if len(w.history) == 0 {
		return
	}
	w.cur = w.history[len(w.history)-1]
	w.history = w.history[:len(w.history)-1]
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
		}
	}
	return n
}

func (w *Wizard) dataAccess(i int) *profile.DataAccess {
	s := &w.p.ITSystems[i]
	if s.DataAccess == nil {
		s.DataAccess = &profile.DataAccess{Register: "CPR"}
	}
	return s.DataAccess
}

// resolver resolves the draft's secrets from what the user typed.
func (w *Wizard) resolver() profile.Resolver {
	return profile.Resolver{
		BaseDir: w.p.Dir(),
		Keyring: func(_ context.Context, service, account string) (string, error) {
			if v, ok := w.secrets["keyring:"+service+"/"+account]; ok {
				return v, nil
			}
			return "", errors.New("not stored yet")
		},
	}
}

// findings runs the given rules on the draft and returns what they say
// about subject (fail and warn), so each field is judged by `check`'s code.
func (w *Wizard) findings(subject string, ids ...string) []checks.Result {
	return checks.Findings(context.Background(), w.p, w.cfg.Now(), w.resolver(), subject, ids...)
}

// keeps reports an empty answer in accessible mode, which huh turns into
// "keep the current value" after validation.
func (w *Wizard) keeps(v string) bool { return v == "" && w.cfg.Accessible }

// validator sets a field, runs the rules, and fails on their failures.
func (w *Wizard) validator(set func(string), subject string, ids ...string) func(string) error {
	return func(v string) error {
		if !w.keeps(v) {
			set(v)
		}
		return w.failures(subject, ids...)
	}
}

// failures is the rules' failures on subject as one error (nil if none).
func (w *Wizard) failures(subject string, ids ...string) error {
	var msgs []string
	for _, r := range w.findings(subject, ids...) {
		if r.Status == checks.Fail {
			msgs = append(msgs, r.Message)
		}
	}
	if len(msgs) > 0 {
		return errors.New(strings.Join(msgs, "; "))
	}
	return nil
}

// md makes text safe for huh's note renderer, which reads _ and * as
// emphasis (CPR_Events would lose its underscore); accessible mode prints
// notes as they are.
func (w *Wizard) md(s string) string {
	if w.cfg.Accessible {
		return s
	}
	return strings.NewReplacer(`\`, `\\`, "_", `\_`, "*", `\*`, "`", "\\`").Replace(s)
}

// liveInput shows fn's text as the field's description, recomputed on the
// event loop shortly after the user stops typing (liveDelay): the rules
// judge the draft as it is typed, and no rule ever runs beside the form.
func (w *Wizard) liveInput(in *huh.Input, fn func() string) *huh.Input {
	in.Description(fn())
	w.lives = append(w.lives, func() { in.Description(fn()) })
	return in
}

// liveConfirm is liveInput for a confirm's title.
func (w *Wizard) liveConfirm(c *huh.Confirm, fn func() string) *huh.Confirm {
	c.Title(fn())
	w.lives = append(w.lives, func() { c.Title(fn()) })
	return c
}

// liveDelay debounces the live descriptions.
const liveDelay = 120 * time.Millisecond

// liveTick asks for the live descriptions to be recomputed.
type liveTick struct{ seq int }

// live is a field's description as the user types: what the rules say
// about subject now (failures first, then warnings), else base.
func (w *Wizard) live(subject, base string, ids ...string) func() string {
	return func() string {
		if msg := w.findingText(w.findings(subject, ids...)); msg != "" {
			return msg
		}
		return base
	}
}

// warnings describes the rules' warnings on subject.
func (w *Wizard) warnings(subject string, ids ...string) string {
	var msgs []string
	for _, r := range w.findings(subject, ids...) {
		msgs = append(msgs, glyph(r.Status)+" "+r.Message)
	}
	return strings.Join(msgs, "\n")
}

var slugRe = regexp.MustCompile(`[^a-z0-9]+`)

func slug(s string) string {
	s = strings.Trim(slugRe.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if s == "" {
		return "profile"
	}
	return s
}

// secretRef plans a keyring reference for a typed secret:
// keyring:cprready/<IT-system>-<kind>.
func (w *Wizard) secretRef(i int, kind, value string) profile.Secret {
	name := w.p.ITSystems[i].Name
	if name == "" {
		name = fmt.Sprintf("it-system-%d", i+1)
	}
	ref := fmt.Sprintf("keyring:cprready/%s-%s", slug(name), kind)
	w.secrets[ref] = value
	return profile.NewSecret(ref)
}

// save stores typed secrets in the keyring or, where there is none, in
// protected files beside the profile (never in the profile, never
// dropped), writes the profile atomically (0600) and the application
// sheet beside it.
func (w *Wizard) save() {
	ctx := context.Background()
	replace := map[string]string{}
	for ref, v := range w.secrets {
		spec := strings.TrimPrefix(ref, "keyring:")
		service, account, _ := strings.Cut(spec, "/")
		var err error
		if w.cfg.Keyring == nil {
			err = profile.ErrNoKeyring
		} else {
			err = w.cfg.Keyring(ctx, service, account, v)
		}
		if err != nil {
			rel := filepath.Join("secrets", account)
			if werr := writeSecretFile(filepath.Join(w.p.Dir(), rel), v); werr != nil {
				w.err = fmt.Errorf("no OS keyring is available and the secret file cannot be written: %w", werr)
				return
			}
			replace[ref] = "file:" + filepath.ToSlash(rel)
			w.result.Notes = append(w.result.Notes, fmt.Sprintf("No OS keyring is available, so the secret you typed is kept in %s beside the profile (mode 0600), and the profile refers to it as file:%s. Keep that folder out of version control and shared backups.", rel, filepath.ToSlash(rel)))
		}
	}
	for _, ns := range w.p.Secrets() {
		if file, ok := replace[ns.Secret.Reference()]; ok {
			*ns.Secret = profile.NewSecret(file)
		}
	}
	if err := w.p.Save(w.cfg.Path); err != nil {
		w.err = err
		return
	}
	w.result.Saved, w.result.Path = true, w.cfg.Path
	env := checks.NewEnv(ctx, w.p, w.cfg.Now(), w.resolver())
	var open []checks.Result
	for _, r := range checks.RunOffline(env, checks.Registry()) {
		if r.Status == checks.Fail || r.Status == checks.Warn {
			open = append(open, r)
		}
	}
	sheetPath := strings.TrimSuffix(w.cfg.Path, filepath.Ext(w.cfg.Path)) + ".application.md"
	if err := fsutil.WriteFileAtomic(sheetPath, []byte(sheet.Markdown(w.p, open, w.cfg.Now()))); err != nil {
		w.err = err
		return
	}
	w.result.SheetPath = sheetPath
}

// writeSecretFile writes a typed secret owner-only, in an owner-only folder.
func writeSecretFile(path, value string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(path, []byte(value+"\n"))
}

// normalised is ip.host-bits' suggestion for an entry, if any.
func normalised(p *profile.Profile, i, j int, now time.Time) string {
	env := checks.NewEnv(context.Background(), p, now, profile.Resolver{})
	for _, r := range checks.RunOffline(env, []*checks.Check{checks.Lookup("ip.host-bits")}) {
		if r.Subject == profile.IPSubject(i, j) && r.Status == checks.Warn {
			if n, ok := r.Evidence["normalised"].(string); ok {
				return n
			}
		}
	}
	return ""
}

// certInfo describes a certificate file as soon as it is readable.
func certInfo(p *profile.Profile, path, password, fingerprint string) string {
	if strings.TrimSpace(path) == "" {
		return "The PKCS#12 file (.p12/.pfx) with the certificate and its key."
	}
	c := &profile.Certificate{PKCS12: path}
	if strings.HasSuffix(strings.ToLower(path), ".pem") || strings.HasSuffix(strings.ToLower(path), ".crt") {
		return "Give the PKCS#12 file (openssl pkcs12 -export makes one from PEM)."
	}
	if _, err := os.Stat(p.ResolvePath(path)); err != nil {
		return "Not readable yet: " + p.ResolvePath(path)
	}
	lc, err := p.LoadCertificate(c, password)
	if err != nil {
		return err.Error()
	}
	s := fmt.Sprintf("%s\nSHA-1   %s\nSHA-256 %s\nValid   %s to %s", lc.Subject, lc.SHA1, lc.SHA256, lc.NotBefore.Format("2006-01-02"), lc.NotAfter.Format("2006-01-02"))
	if fingerprint != "" {
		if n, err := profile.NormalizeFingerprint(fingerprint); err == nil && n == lc.SHA1 {
			s += "\n✓ matches the fingerprint from Administration"
		} else if err == nil {
			s += "\n✗ differs from the fingerprint from Administration"
		}
	}
	return s
}
