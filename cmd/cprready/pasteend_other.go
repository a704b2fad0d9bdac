//go:build !windows

package main

// pasteEnd is how a paste on a terminal is ended.
const pasteEnd = "Ctrl-D on a new line"
