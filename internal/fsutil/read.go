package fsutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// NotRegularError is a path that names something other than a regular
// file: a FIFO would block forever, a device (/dev/zero) never ends, a
// directory cannot be read.
type NotRegularError struct {
	Path string
	What string // "a FIFO (named pipe)", "a device", "a directory", "a socket"
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file", e.Path, e.What)
}

// TooLargeError is a file larger than the reader accepts.
type TooLargeError struct {
	Path string
	Max  int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s", e.Path, humanBytes(e.Max))
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadRegular reads a regular file of at most max bytes. It never blocks
// on a FIFO (the file is opened non-blocking where the OS allows, and
// checked before it is read), never reads a device or a directory, and
// never reads more than max+1 bytes. Errors name the path, never content.
func ReadRegular(path string, max int64) ([]byte, error) {
	if fi, err := os.Stat(path); err == nil {
		if err := regular(path, fi.Mode()); err != nil {
			return nil, err
		}
	}
	f, err := openNoBlock(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPath(err))
	}
	if err := regular(path, fi.Mode()); err != nil {
		return nil, err
	}
	if fi.Size() > max {
		return nil, &TooLargeError{Path: path, Max: max}
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPath(err))
	}
	if int64(len(b)) > max {
		return nil, &TooLargeError{Path: path, Max: max}
	}
	return b, nil
}

// OpenRegular opens a regular file for reading with the same guards as
// ReadRegular (no FIFO, device or directory); the caller bounds the read.
func OpenRegular(path string) (*os.File, error) {
	if fi, err := os.Stat(path); err == nil {
		if err := regular(path, fi.Mode()); err != nil {
			return nil, err
		}
	}
	f, err := openNoBlock(path)
	if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", path, unwrapPath(err))
	}
	fi, err := f.Stat()
	if err == nil {
		err = regular(path, fi.Mode())
	}
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

func regular(path string, m fs.FileMode) error {
	switch {
	case m.IsRegular():
		return nil
	case m&fs.ModeNamedPipe != 0:
		return &NotRegularError{Path: path, What: "a FIFO (named pipe)"}
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return &NotRegularError{Path: path, What: "a device"}
	case m.IsDir():
		return &NotRegularError{Path: path, What: "a directory"}
	case m&fs.ModeSocket != 0:
		return &NotRegularError{Path: path, What: "a socket"}
	}
	return &NotRegularError{Path: path, What: "not a regular file"}
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
