package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/cprready/cprready/checks"
)

// JSON writes the contract's JSON report. The rows are encoded one at a
// time, so a report of thousands of rows never exists twice in memory;
// the bytes are those of one indented json.Encoder run.
func JSON(w io.Writer, rep *checks.Report) error {
	head := *rep
	head.Checks = []checks.Result{}
	var hb bytes.Buffer
	enc := json.NewEncoder(&hb)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(head); err != nil {
		return err
	}
	const empty = `"checks": [],`
	before, after, ok := bytes.Cut(hb.Bytes(), []byte(empty))
	if !ok || len(rep.Checks) == 0 {
		_, err := w.Write(hb.Bytes())
		return err
	}
	if _, err := w.Write(before); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\"checks\": [\n"); err != nil {
		return err
	}
	var rb bytes.Buffer
	renc := json.NewEncoder(&rb)
	renc.SetEscapeHTML(false)
	renc.SetIndent("    ", "  ")
	for i, r := range rep.Checks {
		rb.Reset()
		if err := renc.Encode(r); err != nil {
			return err
		}
		row := bytes.TrimRight(rb.Bytes(), "\n")
		sep := ",\n"
		if i == len(rep.Checks)-1 {
			sep = "\n"
		}
		if _, err := io.WriteString(w, "    "); err != nil {
			return err
		}
		if _, err := w.Write(row); err != nil {
			return err
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "  ],"+string(after))
	return err
}
