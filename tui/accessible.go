package tui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/x/term"
	"github.com/cprready/cprready/internal/redact"
)

// RunAccessible runs the wizard as plain line prompts, one group at a
// time so that hidden groups stay hidden. Any input survives: wrong
// numbers and letters are asked again, the end of the input (Ctrl-D, a
// pipe that ends) stops with ErrInputEnded, and ctx's cancellation
// (Ctrl-C) stops at once with ctx's error; nothing is saved then.
func (w *Wizard) RunAccessible() error { return w.RunAccessibleContext(context.Background()) }

// RunAccessibleContext is RunAccessible bound to ctx.
func (w *Wizard) RunAccessibleContext(ctx context.Context) (err error) {
	w.ctx = ctx
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
