// Package tui is cprready's terminal UI: the home screen, the onboarding
// wizard and the live check runner (bubbletea, bubbles, huh, lipgloss). It
// holds no rule logic: every field is judged by the checks package.
package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/report"
)

// The look and the keys of every screen, in one place: Styles, and the
// key maps of the runner, the wizard and the home screen.

// glyph is the report's symbol for a status; a running row has none yet.
func glyph(s checks.Status) string {
	if s == "" {
		return " "
	}
	return report.Glyph(s)
}

// Styles are every style the terminal UI draws with, in one place beside
// its key maps (below), as soft-serve and gum keep theirs: a screen
// takes them from its model (Runner.styles, Wizard.styles), never from
// package globals.
type Styles struct {
	Title, Dim, Ready, NotReady, Running, Cursor, Group, Fix, Rule lipgloss.Style
	// Status colours a result's glyph by its status.
	Status map[checks.Status]lipgloss.Style
}

// DefaultStyles are cprready's styles: the terminal's own palette (ANSI
// colours 1 to 5), so a light or dark theme keeps its contrast.
func DefaultStyles() Styles {
	return Styles{
		Title:    lipgloss.NewStyle().Bold(true),
		Dim:      lipgloss.NewStyle().Faint(true),
		Ready:    lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("2")),
		NotReady: lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("1")),
		Running:  lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("4")),
		Cursor:   lipgloss.NewStyle().Reverse(true),
		Group:    lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("5")),
		Fix:      lipgloss.NewStyle().Foreground(lipgloss.Color("3")),
		Rule:     lipgloss.NewStyle().Faint(true),
		Status: map[checks.Status]lipgloss.Style{
			checks.Pass: lipgloss.NewStyle().Foreground(lipgloss.Color("2")),
			checks.Warn: lipgloss.NewStyle().Foreground(lipgloss.Color("3")),
			checks.Fail: lipgloss.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
			checks.Skip: lipgloss.NewStyle().Faint(true),
			checks.Info: lipgloss.NewStyle().Foreground(lipgloss.Color("4")),
		},
	}
}

// RunnerKeys are the check runner's keys, in one place: the footer and
// the full help (?) are drawn from them by bubbles/help.
type RunnerKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	NextFail, PrevFail, Filter              key.Binding
	Rerun, RerunAll, SaveJSON, SaveMD       key.Binding
	Help, Quit                              key.Binding
}

var _ help.KeyMap = RunnerKeys{}

// DefaultRunnerKeys are the runner's keys.
func DefaultRunnerKeys() RunnerKeys {
	return RunnerKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d", " "), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "first")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "last")),
		NextFail: key.NewBinding(key.WithKeys("n", "tab"), key.WithHelp("n", "next fail")),
		PrevFail: key.NewBinding(key.WithKeys("N", "shift+tab"), key.WithHelp("N", "previous fail")),
		Filter:   key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "fails only")),
		Rerun:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "rerun")),
		RerunAll: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "rerun all")),
		SaveJSON: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save JSON")),
		SaveMD:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "save Markdown")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c", "esc"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp is the footer's line.
func (k RunnerKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.NextFail, k.Filter, k.Rerun, k.SaveJSON, k.Help, k.Quit}
}

// FullHelp is what ? shows.
func (k RunnerKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.NextFail, k.PrevFail, k.Filter},
		{k.Rerun, k.RerunAll, k.SaveJSON, k.SaveMD, k.Help, k.Quit},
	}
}

// WizardKeys are the wizard's own keys, around huh's form keys: its
// footer is drawn from them (Wizard.footer). Next and PrevField are huh's
// (named here for the footer); the others the wizard handles itself.
type WizardKeys struct {
	Next, PrevField, Back, Quit  key.Binding
	Scroll, ScrollUp, ScrollDown key.Binding
	Top, Bottom                  key.Binding
}

// DefaultWizardKeys are the wizard's keys.
func DefaultWizardKeys() WizardKeys {
	return WizardKeys{
		Next:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		PrevField:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev field")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "previous step")),
		Quit:       key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit (not saved)")),
		Scroll:     key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", "scroll")),
		ScrollUp:   key.NewBinding(key.WithKeys("pgup")),
		ScrollDown: key.NewBinding(key.WithKeys("pgdown")),
		Top:        key.NewBinding(key.WithKeys("home")),
		Bottom:     key.NewBinding(key.WithKeys("end")),
	}
}

// helpLine names bindings in one line: "enter next · esc previous step",
// or the keys alone.
func helpLine(bs []key.Binding, desc bool) string {
	var parts []string
	for _, b := range bs {
		h := b.Help()
		if desc {
			parts = append(parts, h.Key+" "+h.Desc)
		} else {
			parts = append(parts, h.Key)
		}
	}
	return strings.Join(parts, " · ")
}

// HomeKeys are huh's keys for the home screen, with q and esc quitting
// it as they quit every other screen of cprready.
func HomeKeys() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("ctrl+c", "q", "esc"), key.WithHelp("q", "quit"))
	return km
}
