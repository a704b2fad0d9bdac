package report

import (
	"encoding/json"
	"io"

	"github.com/cprready/cprready/checks"
)

// JSON writes the contract's JSON report.
func JSON(w io.Writer, rep *checks.Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	r := *rep
	if r.Checks == nil {
		r.Checks = []checks.Result{}
	}
	return enc.Encode(r)
}
