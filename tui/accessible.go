package tui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/x/term"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
)

// RunAccessible runs the wizard as plain line prompts, one field at a
// time so that hidden groups stay hidden. Any input survives: wrong
// numbers and letters are asked again, "back" leaves the step, the end of
// the input (Ctrl-D, a pipe that ends) stops with ErrInputEnded, and ctx's
// cancellation (Ctrl-C) stops at once with ctx's error; nothing is saved
// then.
func (w *Wizard) RunAccessible() error { return w.RunAccessibleContext(context.Background()) }

// RunAccessibleContext is RunAccessible bound to ctx.
//
// One reader owns the input: every prompt, visible or hidden, reads its
// line through it, one line when asked and never ahead, so a hidden prompt
// and a visible one cannot take each other's line. On a terminal a hidden
// prompt turns echo off for its line only; the terminal's state is
// restored however the wizard ends.
func (w *Wizard) RunAccessibleContext(ctx context.Context) (err error) {
	w.ctx = ctx
	in := w.cfg.In
	if in == nil {
		in = os.Stdin
	}
	out := w.cfg.Out
	if out == nil {
		out = os.Stdout
	}
	// Whatever the prompts print back (a validation message quoting what
	// was typed) passes the typed secrets' gate.
	out = &secretGate{w: out, secrets: w.typedSecrets}
	fd, tty := terminalFd(in)
	if tty {
		if st, err := term.GetState(fd); err == nil {
			defer func() { _ = term.Restore(fd, st) }()
		}
	}
	lr := newLineReader(ctx, in, fd, tty, out)
	for w.cur.step != stepDone && !w.quit {
		fmt.Fprintf(out, "\n== %s ==  (type back to leave this step)\n", stepNames[w.cur.step])
		switch err := w.runStepAccessible(lr, out); {
		case errors.Is(err, errBack):
			w.leaveStep()
			fmt.Fprintln(out, "Back.")
			continue
		case err != nil:
			return err
		}
		w.advance()
	}
	return w.err
}

// runStepAccessible asks every shown field of the current step.
func (w *Wizard) runStepAccessible(lr *lineReader, out io.Writer) (err error) {
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
	for _, g := range w.groups {
		if hide := w.hides[g]; hide != nil && hide() {
			continue
		}
		for _, f := range w.fields[g] {
			f.Init()
			f.Focus()
			lr.hidden = w.secretFields[f]
			if a, ok := w.cfg.In.(keyedInput); ok {
				a.Asking(f.GetKey())
			}
			w.printHint(out, f)
			err := f.RunAccessible(out, lr)
			lr.hidden = false
			fmt.Fprintln(out)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// printHint prints what the full-screen form shows under an input's title
// and the value an empty answer keeps (never a secret's).
func (w *Wizard) printHint(out io.Writer, f huh.Field) {
	in, ok := f.(*huh.Input)
	if !ok {
		return
	}
	now, _ := in.GetValue().(string)
	if hint := w.hints[f]; hint != nil {
		// A rule's failure on a field not yet answered is no news.
		if h := strings.TrimSpace(hint()); h != "" && (now != "" || !strings.HasPrefix(h, "✗")) {
			fmt.Fprintln(out, w.fit(h))
		}
	}
	switch {
	case strings.TrimSpace(now) == "":
	case w.secretFields[f]:
		fmt.Fprintln(out, "(a value is set; an empty answer keeps it)")
	default:
		fmt.Fprintf(out, "(now: %s; an empty answer keeps it)\n", w.redactor().Value(textsafe.Line(now)))
	}
}

// keyedInput is an input that answers by field key (a test's script): it
// is told which field asks before the field reads its line. The keys are
// the profile's paths, a list being [] (it_systems[].owner_cvr), and a few
// of the wizard's own (it_systems: the IT-systems menu; secret_store;
// summary).
type keyedInput interface{ Asking(key string) }

// terminalFd is in's file descriptor when it is a terminal.
func terminalFd(in io.Reader) (uintptr, bool) {
	f, ok := in.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0, false
	}
	return f.Fd(), true
}

// typedSecrets are the secret values typed so far, and those the edited
// profile already refers to (a name may hold a pasted secret).
func (w *Wizard) typedSecrets() []string {
	out := []string{w.cred.KeyValue, w.cred.SsValue, w.cred.CertPass}
	for _, v := range w.secrets {
		out = append(out, v)
	}
	w.known.once.Do(func() {
		res := w.resolver()
		for _, ns := range w.p.Secrets() {
			s := ns.Secret
			if err := s.Resolve(w.context(), res); err == nil {
				if v, _ := s.Reveal(); v != "" {
					w.known.values = append(w.known.values, v)
				}
			}
		}
	})
	return append(out, w.known.values...)
}

// redactor masks every secret the wizard knows of.
func (w *Wizard) redactor() *redact.Redactor { return redact.New(w.typedSecrets()...) }

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

// errBack is "back" typed at a prompt: the step is left.
var errBack = errors.New("back")

// inputStop ends huh's accessible prompts from inside the reader.
type inputStop struct{ err error }

// lineReader is the one reader of the wizard's input. It reads one line
// when a prompt asks for it, never ahead (a terminal's next line may be a
// hidden prompt's), and gives it whole. hidden reads the line without
// echo on a terminal (a secret). At the end of the input, when ctx is
// cancelled, or at "back", it stops the prompts (see runStepAccessible)
// instead of handing huh an answer.
type lineReader struct {
	ctx    context.Context
	req    chan bool // one request per line; true: read it hidden
	lines  chan lineRead
	buf    []byte
	ended  bool // the input has no more lines
	hidden bool // the prompt being asked is a secret
}

type lineRead struct {
	b   []byte
	err error
}

func newLineReader(ctx context.Context, r io.Reader, fd uintptr, tty bool, out io.Writer) *lineReader {
	l := &lineReader{ctx: ctx, req: make(chan bool), lines: make(chan lineRead)}
	go func() {
		br := bufio.NewReader(r)
		for {
			var hidden bool
			select {
			case hidden = <-l.req:
			case <-ctx.Done():
				return
			}
			var b []byte
			var err error
			if hidden && tty && br.Buffered() == 0 {
				// Echo off for this line only (term restores it).
				b, err = term.ReadPassword(fd)
				if err == nil {
					b = append(b, '\n')
					fmt.Fprintln(out)
				}
			} else {
				b, err = br.ReadBytes('\n')
			}
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
		case l.req <- l.hidden:
		}
		select {
		case <-l.ctx.Done():
			panic(inputStop{l.ctx.Err()})
		case r := <-l.lines:
			l.ended = r.err != nil
			if len(r.b) == 0 && l.ended {
				panic(inputStop{ErrInputEnded})
			}
			if strings.EqualFold(strings.TrimSpace(string(r.b)), "back") {
				panic(inputStop{errBack})
			}
			l.buf = r.b
		}
	}
	n := copy(p, l.buf)
	l.buf = l.buf[n:]
	return n, nil
}
