// Package cmdutil is what every command of cprready shares: the exit
// codes of the contract, errors that carry one, the profile flags' helpers
// and value completions for flags.
package cmdutil

import (
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/profile"
	"github.com/spf13/cobra"
)

// Exit codes of the contract.
const (
	ExitReady       = 0
	ExitNotReady    = 1
	ExitUsage       = 2
	ExitInterrupted = 130
)

// ExitError carries an exit code out of a command; Err, when set, is
// printed (redacted) on stderr.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return ""
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// Exit is an error that ends the program with code, printing err.
func Exit(code int, err error) error { return &ExitError{Code: code, Err: err} }

// ExitCode ends the program with code and prints nothing.
func ExitCode(code int) error { return &ExitError{Code: code} }

// UsageErr is exit 2 with a formatted message (%w keeps the wrapped error).
func UsageErr(format string, a ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, a...)}
}

// UsageError is exit 2 with err, kept whole (errors.Is and As see it);
// nil when err is nil.
func UsageError(err error) error {
	if err == nil {
		return nil
	}
	return &ExitError{Code: ExitUsage, Err: err}
}

// ParseAt reads --at as every date of a profile is read: 31-12-2026 and
// 31.12.2026 (as Administration writes dates) or 2026-12-31; empty means
// now.
func ParseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	d := profile.NewDate(s)
	if !d.Valid() {
		if err := d.Err(); err != nil && strings.Contains(err.Error(), "not a day") {
			return time.Time{}, UsageErr("--at: %w", err)
		}
		return time.Time{}, UsageErr("--at %q: write the date as 31-12-2026 (as Administration does), 31.12.2026 or 2026-12-31", s)
	}
	return d.Time(), nil
}

// SplitIDs reads repeated, comma-separated values (--only a,b --only c).
func SplitIDs(s []string) []string {
	var out []string
	for _, x := range s {
		for id := range strings.SplitSeq(x, ",") {
			if id = strings.TrimSpace(id); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

// RegisterCompletions gives every flag named in values, on every command
// under root, its values; a comma-separated list completes its last item.
func RegisterCompletions(root *cobra.Command, values map[string]func() []string) {
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for name, list := range values {
			if c.Flags().Lookup(name) != nil {
				_ = c.RegisterFlagCompletionFunc(name, ListCompletion(list))
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// ListCompletion completes a (comma-separated) value from list.
func ListCompletion(list func() []string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		done := ""
		if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
			done = toComplete[:i+1]
		}
		var out []string
		for _, v := range list() {
			out = append(out, done+v)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// ExitCrash is the exit code after a panic.
const ExitCrash = 70

// Crash prints a redacted report of a panic (r) and where to send it, and
// returns ExitCrash.
func Crash(w io.Writer, gate *redact.Redactor, r any, build string) int {
	// A panic's text and its stack are outside text (a library's words,
	// values): masked by those rules.
	msg := gate.Local(redact.URLsIn(fmt.Sprint(r)))
	stack := gate.Local(redact.URLsIn(string(debug.Stack())))
	fmt.Fprintf(w, "cprready crashed: %s\n\nThis is a bug. Please report it at https://github.com/cprready/cprready/issues with the text below (secrets are redacted).\n\n%s\n%s\n", msg, build, stack)
	return ExitCrash
}

// Width is the width text written to out should wrap at: the terminal's
// when out is one, else $COLUMNS, else 0 (the caller's default).
func Width(out io.Writer, terminal bool, getenv func(string) string) int {
	if f, ok := out.(interface{ Fd() uintptr }); ok && terminal {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
			return w
		}
	}
	if n, err := strconv.Atoi(getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 0
}

// ErrorText is an error as the terminal shows it: through the gate, and
// with no escape or control character (a file name or a server's words in
// it may carry them).
func ErrorText(gate *redact.Redactor, err error) string {
	return textsafe.Multiline(gate.String("cprready: "+err.Error()), 0)
}

// ArgCounts accepts exactly one of the given numbers of arguments, else a
// usage error (exit 2) with msg.
func ArgCounts(msg string, counts ...int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if slices.Contains(counts, len(args)) {
			return nil
		}
		return UsageErr("%s", msg)
	}
}

// MinArgs accepts n arguments or more, else a usage error with msg.
func MinArgs(msg string, n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) >= n {
			return nil
		}
		return UsageErr("%s", msg)
	}
}
