package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// removeRounds bounds RemoveAll's retries: 50+100+200+400 ms between five
// rounds, enough for a virus scanner to let go of a file it just opened.
const removeRounds = 5

// RemoveAll removes path and everything under it, and returns what it
// could not remove. Where os.RemoveAll fails (on Windows, a file that
// another program holds open for a moment, as a virus scanner does with a
// new key file; under wine, which lacks the call Go's RemoveAll makes), it
// removes what it can one entry at a time, deepest first, and tries again
// for a short while. Symbolic links are removed, never followed.
func RemoveAll(path string) (left []string, err error) {
	for round := range removeRounds {
		if err = os.RemoveAll(path); err == nil {
			return nil, nil
		}
		if eachErr := removeEach(path); eachErr != nil {
			err = eachErr
		}
		if _, statErr := os.Lstat(path); errors.Is(statErr, fs.ErrNotExist) {
			return nil, nil
		}
		if round < removeRounds-1 {
			time.Sleep(time.Duration(50<<round) * time.Millisecond)
		}
	}
	return remaining(path), err
}

// removeEach removes every entry under path, then path, children before
// their folder; it returns the first error.
func removeEach(path string) error {
	var all []string
	_ = filepath.WalkDir(path, func(p string, _ fs.DirEntry, err error) error {
		if err == nil {
			all = append(all, p)
		}
		return nil
	})
	var first error
	for i := len(all) - 1; i >= 0; i-- {
		if err := os.Remove(all[i]); err != nil && !errors.Is(err, fs.ErrNotExist) && first == nil {
			first = err
		}
	}
	return first
}

// remaining lists path and every entry still under it (nil when path is
// gone).
func remaining(path string) []string {
	var left []string
	_ = filepath.WalkDir(path, func(p string, _ fs.DirEntry, err error) error {
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			left = append(left, p)
		}
		return nil
	})
	return left
}
