package diagnose

import (
	"testing"

	"github.com/cprready/cprready/internal/golden"
)

// docs/errors.md lists exactly the classified causes.
func TestErrorsDocs(t *testing.T) {
	const path = "../../docs/errors.md"
	want := ErrorsMarkdown()
	golden.File(t, path, []byte(want))
}
