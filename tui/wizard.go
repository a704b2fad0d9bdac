package tui

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/profile"
)

// KeyringStore stores a secret in the OS keyring (nil: none is available).
type KeyringStore func(ctx context.Context, service, account, value string) error

// WizardConfig configures the onboarding wizard.
type WizardConfig struct {
	Path       string           // where the profile is saved
	Draft      *profile.Profile // an existing profile to edit, or nil
	Width      int              // plain prompts wrap at it (0: as the text comes)
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
	styles Styles
	keys   WizardKeys
	// known are the secrets the edited profile refers to, read once.
	known struct {
		once   sync.Once
		values []string
	}
	// ctx is the run's (Run, RunAccessibleContext): every rule and secret
	// the wizard resolves is bound to it.
	ctx context.Context

	cfg     WizardConfig
	p       *profile.Profile
	secrets map[string]string          // planned keyring reference -> typed value
	groups  []*huh.Group               // the current step's groups
	hides   map[*huh.Group]func() bool // their hide conditions
	// fields are each group's fields (accessible mode asks them one at a
	// time); secretFields are the fields that take a secret.
	fields       map[*huh.Group][]huh.Field
	secretFields map[huh.Field]bool
	// before is the address or IT-system as the current step found it:
	// leaving the step (esc, "back") puts it back.
	before struct {
		ip      profile.IPEntry
		sys     profile.ITSystem
		expires profile.Date // the application's expiry as the step found it
	}
	// hints are the live descriptions of the current form's inputs, which
	// accessible mode prints above each prompt (huh prints only titles).
	hints   map[huh.Field]func() string
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
	choice      menuChoice
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
	// moved are secret files the profile referred to, now environment
	// variables (file reference → variable).
	moved  map[string]string
	ticket string
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
	w := &Wizard{cfg: cfg, p: p, styles: DefaultStyles(), keys: DefaultWizardKeys(), secrets: map[string]string{}, moved: map[string]string{}, hides: map[*huh.Group]func() bool{},
		fields: map[*huh.Group][]huh.Field{}, secretFields: map[huh.Field]bool{}, width: 80, height: 24, secretStore: storeFile}
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

// Init starts the first form.
func (w *Wizard) Init() tea.Cmd { return w.form.Init() }

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
		w.form = w.form.WithWidth(w.formWidth())
		if w.cur.step == stepSummary {
			w.form = w.form.WithHeight(summaryChoiceHeight)
		} else {
			w.form = w.form.WithHeight(w.formHeight())
		}
		return w, nil
	case tea.MouseMsg:
		if w.cur.step == stepSummary {
			var cmd tea.Cmd
			w.summary, cmd = w.summary.Update(msg)
			return w, cmd
		}
	case tea.KeyMsg:
		switch {
		case w.cur.step == stepSummary && key.Matches(msg, w.keys.ScrollUp):
			w.summary.PageUp()
			return w, nil
		case w.cur.step == stepSummary && key.Matches(msg, w.keys.ScrollDown):
			w.summary.PageDown()
			return w, nil
		case w.cur.step == stepSummary && key.Matches(msg, w.keys.Top):
			w.summary.GotoTop()
			return w, nil
		case w.cur.step == stepSummary && key.Matches(msg, w.keys.Bottom):
			w.summary.GotoBottom()
			return w, nil
		case key.Matches(msg, w.keys.Quit):
			w.quit, w.interrupted = true, true
			return w, tea.Quit
		case key.Matches(msg, w.keys.Back):
			if len(w.history) > 0 {
				w.leaveStep()
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
	head, foot := w.header(), w.footer()
	if w.cur.step == stepSummary && !w.cfg.Accessible {
		return head + "\n\n" + w.summary.View() + "\n" + w.form.View() + "\n" + foot
	}
	return head + "\n\n" + w.form.View() + "\n" + foot
}

// header is the breadcrumb (and the IT-system being edited), fitted to
// the terminal's width: the step is always named whole.
func (w *Wizard) header() string {
	cur := 0
	var crumbs []string
	for i, s := range breadcrumb {
		name := stepNames[s]
		if w.section() == s {
			cur, name = i, w.styles.Title.Render("["+name+"]")
		} else {
			name = w.styles.Dim.Render(name)
		}
		crumbs = append(crumbs, name)
	}
	trail := strings.Join(crumbs, w.styles.Dim.Render(" › "))
	step := w.styles.Title.Render("["+stepNames[breadcrumb[cur]]+"]") + w.styles.Dim.Render(fmt.Sprintf(" step %d of %d", cur+1, len(breadcrumb)))
	head := fitFirst(w.width, w.styles.Title.Render("cprready init")+"  "+trail, trail, w.styles.Title.Render("cprready init")+"  "+step, step)
	if w.cur.step >= stepSystem && w.cur.step <= stepCreds && w.cur.sys < len(w.p.ITSystems) {
		head += "\n" + w.styles.Dim.Render(words.Limit(fmt.Sprintf("IT-system %q · %s", w.p.ITSystems[w.cur.sys].Name, stepNames[w.cur.step]), max(w.width, 20)))
	}
	return head
}

// footer names the keys, as many as fit the width, whole: drawn from the
// key map (theme.go), so a key and its name cannot part.
func (w *Wizard) footer() string {
	k := w.keys
	long, short, keys := []key.Binding{k.Next, k.PrevField, k.Back, k.Quit}, []key.Binding{k.Next, k.Back, k.Quit}, []key.Binding{k.Next, k.Back, k.Quit}
	if w.cur.step == stepSummary && !w.cfg.Accessible {
		long, short = append([]key.Binding{k.Scroll}, long...), append([]key.Binding{k.Scroll}, short...)
	}
	return w.styles.Dim.Render(fitFirst(w.width, helpLine(long, true), helpLine(short, true), helpLine(keys, false)))
}

// fitFirst is the first of the texts that fits width cells.
func fitFirst(width int, texts ...string) string {
	for _, t := range texts {
		if ansi.StringWidth(t) <= width {
			return t
		}
	}
	return texts[len(texts)-1]
}

// summaryChoiceHeight is the Summary's choice (title, three options,
// help): the summary text scrolls above it.
const summaryChoiceHeight = 7

// formHeight is what is left of the terminal for the form: the header
// and the footer always stay on the screen.
//
// Two more lines are kept free for a field's error, which huh adds below
// the form's height (a wrapped message would push the header off).
func (w *Wizard) formHeight() int {
	return max(w.height-lipgloss.Height(w.header())-lipgloss.Height(w.footer())-2-errorLines, 6)
}

// errorLines are the lines a field's error may take below the form.
const errorLines = 2

// selectHeight is the height that shows a select's title, description and
// every one of its options at the form's width.
func (w *Wizard) selectHeight(title, desc string, options int) int {
	return lipgloss.Height(w.fit(title)) + lipgloss.Height(w.fit(desc)) + options
}

// sizeSummary fits the Summary's view between the heading and the choice.
func (w *Wizard) sizeSummary() {
	if w.summaryText == "" {
		return
	}
	width := max(w.width-2, 30)
	h := max(w.formHeight()-summaryChoiceHeight-1, 4)
	if w.summary.Width != width || w.summary.Height != h {
		w.summary = viewport.New(width, h)
	}
	w.summary.SetContent(lipgloss.NewStyle().Width(width).Render(w.summaryText))
}

// liveDelay debounces the live descriptions.
const liveDelay = 120 * time.Millisecond

var slugRe = regexp.MustCompile(`[^a-z0-9]+`)

// Run runs the wizard: as plain line prompts when accessible, else full
// screen at most fps frames a second. A full-screen failure is wrapped
// "terminal UI: …"; Interrupted, Err and Result say how it ended.
func (w *Wizard) Run(ctx context.Context, accessible bool, in io.Reader, out io.Writer, fps int) error {
	w.ctx = ctx
	if accessible {
		return w.RunAccessibleContext(ctx)
	}
	p := tea.NewProgram(w, tea.WithAltScreen(), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out), tea.WithFPS(fps))
	if _, err := p.Run(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}

// context is the run's context (Background before a run).
func (w *Wizard) context() context.Context {
	if w.ctx == nil {
		return context.Background()
	}
	return w.ctx
}
