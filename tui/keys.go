package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
)

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
