//go:build !windows

package main

import (
	"fmt"
	"os"
)

// permOf is a file's permission bits in octal ("600").
func permOf(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%o", fi.Mode().Perm()), nil
}

func shareWithOthers(path string) error { return os.Chmod(path, 0o644) }
