package fsutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Output is a file the user asked cprready to write (--output): it never
// replaces one of the run's inputs, and replaces an existing file only
// when that file is an earlier output of the same kind, or with --force.
type Output struct {
	Path string
	// Kind names what is written, for messages: "JSON report", "support
	// bundle", "calendar".
	Kind string
	// Is recognises an earlier output of the same kind from the start of
	// an existing file (at most MaxRecognise bytes).
	Is func(head []byte) bool
	// Force replaces any existing file that is not an input.
	Force bool
	// Inputs are the files the run reads (the profile, secret files,
	// certificates, the CA file, queries): never written over.
	Inputs []Input
}

// Input is a file a run reads, and what it is for messages.
type Input struct {
	Path string
	What string // "the profile", "the secret file of …"
}

// MaxRecognise is how much of an existing file is read to recognise it.
const MaxRecognise = 1 << 20

// UsageError is a refused output: the user's choice of file, exit 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Check refuses, before any work, an output that is an input (or a link
// to one), a folder or a device, or an existing file of another kind
// (unless Force). Nothing is written.
func (o Output) Check() error {
	if o.Path == "" {
		return nil
	}
	abs, _ := filepath.Abs(o.Path)
	out, serr := os.Stat(o.Path)
	for _, in := range o.Inputs {
		if in.Path == "" {
			continue
		}
		inAbs, _ := filepath.Abs(in.Path)
		same := inAbs == abs
		if !same && serr == nil {
			if fi, err := os.Stat(in.Path); err == nil {
				same = os.SameFile(fi, out)
			}
		}
		if same {
			return &UsageError{fmt.Sprintf("--output %s is %s: writing the %s there would replace your input; name another file", o.Path, in.What, o.Kind)}
		}
	}
	if serr != nil {
		if errors.Is(serr, fs.ErrNotExist) {
			return nil
		}
		return &UsageError{fmt.Sprintf("--output %s: %v", o.Path, unwrapPath(serr))}
	}
	if err := regular(o.Path, out.Mode()); err != nil {
		return &UsageError{fmt.Sprintf("--output %s: %v; name a file", o.Path, err)}
	}
	if o.Force || out.Size() == 0 {
		return nil
	}
	head, err := readHead(o.Path)
	if err == nil && o.Is != nil && o.Is(head) {
		return nil
	}
	return &UsageError{fmt.Sprintf("--output %s exists and is not a cprready %s: not replaced (add --force to replace it, or name another file)", o.Path, o.Kind)}
}

// Write checks the output again and writes data atomically.
func (o Output) Write(data []byte) error {
	if err := o.Check(); err != nil {
		return err
	}
	return WriteFileAtomic(o.Path, data)
}

// readHead reads the start of an existing regular file.
func readHead(path string) ([]byte, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxRecognise))
}
