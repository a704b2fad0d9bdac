//go:build windows

package main

// pasteEnd is how a paste on a terminal is ended.
const pasteEnd = "Ctrl-Z, then Enter, on a new line"
