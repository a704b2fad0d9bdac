package datafordeler

import "encoding/json"

// TimingsOf reads evidence["timings"], whether it holds []Timing or the
// decoded JSON of a saved report.
func TimingsOf(v any) []Timing {
	switch t := v.(type) {
	case []Timing:
		return t
	case nil:
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out []Timing
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}
