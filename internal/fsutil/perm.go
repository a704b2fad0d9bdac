package fsutil

// Privacy is who, besides the owner, can read a file, and how to stop it.
// It describes files that hold or name secrets: the profile, file:
// secrets, reports.
type Privacy struct {
	Private bool
	// Readers says who else can read it, in words for a message: "other
	// users (mode 0644)" on Unix, the accounts on Windows.
	Readers string
	// Fix is the command that makes the file private, prefixed "Run: ".
	Fix string
	// Evidence is what a report keeps: the mode on Unix, the accounts on
	// Windows.
	Evidence map[string]any
}
