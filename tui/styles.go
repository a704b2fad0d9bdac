// Package tui is cprready's terminal UI: the home screen, the onboarding
// wizard and the live check runner (bubbletea, bubbles, huh, lipgloss). It
// holds no rule logic: every field is judged by the checks package.
package tui

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/report"
)

// glyph is the report's symbol for a status; a running row has none yet.
func glyph(s checks.Status) string {
	if s == "" {
		return " "
	}
	return report.Glyph(s)
}

var (
	styleTitle    = lipgloss.NewStyle().Bold(true)
	styleDim      = lipgloss.NewStyle().Faint(true)
	styleReady    = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("2"))
	styleNotReady = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("1"))
	styleRunning  = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("4"))
	styleCursor   = lipgloss.NewStyle().Reverse(true)
	styleGroup    = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("5"))
	styleFix      = lipgloss.NewStyle().Foreground(lipgloss.Color("3"))
	styleRule     = lipgloss.NewStyle().Faint(true)
	styleStatus   = map[checks.Status]lipgloss.Style{
		checks.Pass: lipgloss.NewStyle().Foreground(lipgloss.Color("2")),
		checks.Warn: lipgloss.NewStyle().Foreground(lipgloss.Color("3")),
		checks.Fail: lipgloss.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		checks.Skip: lipgloss.NewStyle().Faint(true),
		checks.Info: lipgloss.NewStyle().Foreground(lipgloss.Color("4")),
	}
)
