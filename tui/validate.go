package tui

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/profile"
)

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
// Their texts pass the gate of the secrets typed so far (which also
// removes the marks of outside text) before anything shows them.
//
// A finding about a field's format that the wizard does not ask (a
// credential's created date, say) is left to the Summary: a field is
// never refused for another field the person cannot change.
func (w *Wizard) findings(subject string, ids ...string) []checks.Result {
	rows := checks.Findings(w.context(), w.p, w.cfg.Now(), w.resolver(), subject, ids...)
	asked := w.askedKeys()
	gate := w.redactor()
	out := rows[:0]
	for _, r := range rows {
		if f, ok := r.Evidence["field"].(string); ok && !asked[fieldKey(f)] {
			continue
		}
		r.Message, r.Remedy, r.Subject = gate.Value(r.Message), gate.Value(r.Remedy), gate.Value(r.Subject)
		out = append(out, r)
	}
	return out
}

var indexRe = regexp.MustCompile(`\[\d+\]`)

// fieldKey is a field's path as the wizard's keys name it:
// it_systems[0].owner_cvr is it_systems[].owner_cvr.
func fieldKey(path string) string { return indexRe.ReplaceAllString(path, "[]") }

// askedKeys are the keys of the fields the wizard has built, this
// step's among them.
func (w *Wizard) askedKeys() map[string]bool {
	keys := map[string]bool{}
	for _, fs := range w.fields {
		for _, f := range fs {
			if k := f.GetKey(); k != "" {
				keys[k] = true
			}
		}
	}
	return keys
}

// rules are the rules that judge the field with key: the rule its format
// names (the model's check tag, see profile.TaggedFields), then extra. A
// field with a format is judged by its tags, never by a check of its own.
func rules(key string, extra ...string) []string {
	if f, ok := profile.TaggedFields()[key]; ok && f.Check != "" && !slices.Contains(extra, f.Check) {
		return append([]string{f.Check}, extra...)
	}
	return extra
}

// keeps reports an empty answer in accessible mode, which huh turns into
// "keep the current value" after validation.
func (w *Wizard) keeps(v string) bool { return v == "" && w.cfg.Accessible }

// keepsValue is keeps where there is a value to keep: an empty answer to
// an empty required field is no answer.
func (w *Wizard) keepsValue(v, now string) bool { return w.keeps(v) && strings.TrimSpace(now) != "" }

// validator sets a field, runs the rules, and fails on their failures.
// Spaces around the value are not judged: the form saves it without them.
func (w *Wizard) validator(set func(string), subject string, ids ...string) func(string) error {
	return func(v string) error {
		if !w.keeps(v) {
			set(strings.TrimSpace(v))
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
	s = textsafe.Multiline(s, 0) // names from a profile carry no escapes or bidi controls
	if w.cfg.Accessible {
		return w.fit(s)
	}
	return strings.NewReplacer(`\`, `\\`, "_", `\_`, "*", `\*`, "`", "\\`").Replace(w.fit(s))
}

// fit wraps a field's text to the form between words, and a URL longer
// than a line after a slash of its path: huh would break it anywhere, in
// the host name too (virk.dk, mitid-erhverv.dk).
func (w *Wizard) fit(s string) string {
	if w.cfg.Accessible {
		// Plain prompts wrap at the terminal's width when it is known.
		if w.cfg.Width > 0 {
			return words.WrapText(s, w.cfg.Width)
		}
		return s
	}
	return words.FitText(s, w.formWidth()-4)
}

// liveInput shows fn's text as the field's description, recomputed on the
// event loop shortly after the user stops typing (liveDelay): the rules
// judge the draft as it is typed, and no rule ever runs beside the form.
// Its text passes the gate of the typed secrets (marks of outside text
// removed).
func (w *Wizard) liveInput(in *huh.Input, fn func() string) *huh.Input {
	desc := func() string { return w.fit(w.redactor().Value(fn())) }
	in.Description(desc())
	w.lives = append(w.lives, func() { in.Description(desc()) })
	if w.hints != nil {
		w.hints[in] = func() string { return w.redactor().Value(fn()) }
	}
	return in
}

// gated is a field's validation whose message passes the gate of the
// typed secrets before huh shows it (marks of outside text removed).
func gated[T any](w *Wizard, fn func(T) error) func(T) error {
	return func(v T) error {
		if err := fn(v); err != nil {
			msg := w.redactor().Value(err.Error())
			if w.cfg.Accessible {
				msg = w.fit(msg + " (type a new value, or back to leave this step)")
			}
			return errors.New(msg)
		}
		return nil
	}
}

// liveConfirm is liveInput for a confirm's title.
func (w *Wizard) liveConfirm(c *huh.Confirm, fn func() string) *huh.Confirm {
	c.Title(fn())
	w.lives = append(w.lives, func() { c.Title(fn()) })
	return c
}

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

// warningsOnly describes the rules' warnings on subject, not their
// failures (another field shows those).
func (w *Wizard) warningsOnly(subject string, ids ...string) string {
	var msgs []string
	for _, r := range w.findings(subject, ids...) {
		if r.Status == checks.Warn {
			msgs = append(msgs, glyph(r.Status)+" "+r.Message)
		}
	}
	return strings.Join(msgs, "\n")
}

// warnings describes the rules' warnings on subject.
func (w *Wizard) warnings(subject string, ids ...string) string {
	var msgs []string
	for _, r := range w.findings(subject, ids...) {
		msgs = append(msgs, glyph(r.Status)+" "+r.Message)
	}
	return strings.Join(msgs, "\n")
}
