package tui

import (
	"strings"

	"github.com/charmbracelet/huh"
)

// group is huh.NewGroup that remembers its fields (accessible mode asks
// them one at a time, secrets hidden).
func (w *Wizard) group(fields ...huh.Field) *huh.Group {
	g := huh.NewGroup(fields...)
	w.fields[g] = fields
	return g
}

// secretInput is an input that takes a secret: masked on screen, hidden
// at a terminal's line prompt, never echoed back. key is the field's key
// (see fieldKeys).
func (w *Wizard) secretInput(key, title string, value *string) *huh.Input {
	in := huh.NewInput().Key(key).Title(title).Value(value).EchoMode(w.secretEcho())
	w.secretFields[in] = true
	return in
}

// hideIf hides a group while hide is true (also in accessible mode).
func (w *Wizard) hideIf(g *huh.Group, hide func() bool) *huh.Group {
	w.hides[g] = hide
	return g.WithHideFunc(hide)
}

func (w *Wizard) newForm(groups ...*huh.Group) *huh.Form {
	w.groups = groups
	f := huh.NewForm(groups...).WithShowHelp(true).WithWidth(w.formWidth())
	if w.cfg.Accessible {
		return f.WithAccessible(true)
	}
	if w.cur.step == stepSummary {
		return f.WithHeight(summaryChoiceHeight)
	}
	return f.WithHeight(w.formHeight())
}

// formWidth is the form's width: the terminal's, at most 100.
func (w *Wizard) formWidth() int { return min(max(w.width-2, 40), 100) }

// build makes the current step's form, bound to the draft.
func (w *Wizard) build() *huh.Form {
	w.lives = nil
	w.hints = map[huh.Field]func() string{}
	switch w.cur.step {
	case stepWelcome:
		return w.newForm(w.group(huh.NewNote().Title("Get onto CPR on Datafordeleren").Description(w.md(
			"This wizard walks you through what Datafordeler's Administration and CPR will ask for, in the order they ask:\n\n" +
				"1. your organisation (public authority or private user) and MitID Erhverv,\n" +
				"2. the environment (production or a test environment),\n" +
				"3. IT-systems: their whitelisted IP addresses, the data access to apply for, and credentials,\n" +
				"4. the application's contact, and the follow-up with CPR's servicedesk and virk.dk.\n\n" +
				"Every field is checked as you type, by the same rules cprready check runs. At the end you get the profile " +
				"and an application sheet: exactly what to enter where in Administration.")).Next(true).NextLabel("Start")))
	case stepOrg:
		return w.orgForm()
	case stepEnv:
		return w.envForm()
	case stepSystems:
		return w.systemsForm()
	case stepSystem:
		return w.systemForm(w.cur.sys)
	case stepIPs:
		return w.ipsForm(w.cur.sys)
	case stepIP:
		return w.ipForm(w.cur.sys, w.cur.ip)
	case stepAccess:
		return w.accessForm(w.cur.sys)
	case stepCreds:
		return w.credsForm(w.cur.sys)
	case stepContact:
		return w.contactForm()
	case stepFollowup:
		return w.followupForm()
	case stepSummary:
		return w.summaryForm()
	}
	return w.newForm(w.group(huh.NewNote().Title("Done")))
}

// menuAction is what a menu of the wizard chose.
type menuAction int

const (
	actNone menuAction = iota
	actAdd
	actEdit
	actRemove
	actContinue
	actBack
	actSave
	actQuit
)

// menuChoice is a menu's answer: an action and, for edit and remove, the
// index of the IT-system or address.
type menuChoice struct {
	act menuAction
	i   int
}

// orDefault is a name left empty filled with its placeholder.
func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return v
}

func replaceFirst[T any](list []T, v T) []T {
	if len(list) == 0 {
		return []T{v}
	}
	out := append([]T(nil), list...)
	out[0] = v
	return out
}

// secretEcho masks secrets in the terminal UI. Line prompts read a
// secret through the wizard's one reader, which turns a terminal's echo
// off for it (lineReader): huh's own password prompt would read the
// terminal beside it.
func (w *Wizard) secretEcho() huh.EchoMode {
	if w.cfg.Accessible {
		return huh.EchoModeNormal
	}
	return huh.EchoModePassword
}
