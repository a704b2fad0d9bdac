//go:build windows

package diagnose

// PasteEnd is how a paste on a terminal is ended.
const PasteEnd = "Ctrl-Z, then Enter, on a new line"
