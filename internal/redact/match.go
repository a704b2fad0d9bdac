package redact

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// mode is how strongly a piece of text is matched: the rules of the
// tool's own text, of outside text, of text from a server.
type mode uint8

const (
	modeTool mode = iota
	modeLocal
	modeServer
)

// grams finds runs of text made of n-grams of registered forms: a whole
// form of n or more characters is such a run, and so is any piece of one
// at least n long. One pass whatever the number of forms.
type grams struct {
	n     int
	set   map[string]struct{}
	first [256]bool // the bytes a gram can start with (a cheap pre-filter)
}

func newGrams(n int) grams { return grams{n: n, set: map[string]struct{}{}} }

func (g *grams) add(f string) {
	for i := 0; i+g.n <= len(f); i++ {
		k := f[i : i+g.n]
		g.set[k] = struct{}{}
		g.first[k[0]] = true
	}
}

// find reports every maximal run [i, j) of s made of grams.
func (g *grams) find(s string, hit func(i, j int)) {
	if len(g.set) == 0 || len(s) < g.n {
		return
	}
	for i := 0; i+g.n <= len(s); {
		if !g.first[s[i]] {
			i++
			continue
		}
		if _, ok := g.set[s[i:i+g.n]]; !ok {
			i++
			continue
		}
		j := i + g.n
		for j < len(s) {
			if _, ok := g.set[s[j-g.n+1:j+1]]; !ok {
				break
			}
			j++
		}
		hit(i, j)
		i = j
	}
}

// whole finds registered forms shorter than the gram length, whole; a
// form marked word-only only where it stands as a whole word.
type whole struct {
	byLen map[int]map[string]bool // length → form → word only
	lens  []int                   // the lengths present, longest first
	first [256]bool
}

func newWhole() whole { return whole{byLen: map[int]map[string]bool{}} }

func (w *whole) add(f string, wordOnly bool) {
	m := w.byLen[len(f)]
	if m == nil {
		m = map[string]bool{}
		w.byLen[len(f)] = m
		w.lens = append(w.lens, len(f))
		slices.SortFunc(w.lens, func(a, b int) int { return b - a })
	}
	if prev, ok := m[f]; ok {
		wordOnly = wordOnly && prev // a form that is also a long secret's matches anywhere
	}
	m[f] = wordOnly
	w.first[f[0]] = true
}

func (w *whole) find(s string, hit func(i, j int)) {
	if len(w.lens) == 0 {
		return
	}
	for i := range len(s) {
		if !w.first[s[i]] {
			continue
		}
		for _, n := range w.lens {
			if i+n > len(s) {
				continue
			}
			wordOnly, ok := w.byLen[n][s[i:i+n]]
			if !ok || wordOnly && !isWordAt(s, i, i+n) {
				continue
			}
			hit(i, i+n)
			break
		}
	}
}

// isWordAt reports whether s[i:j] stands as a whole word: no letter,
// digit or underscore joins it on a side where it begins or ends with one.
func isWordAt(s string, i, j int) bool {
	if i > 0 {
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		first, _ := utf8.DecodeRuneInString(s[i:])
		if wordRune(before) && wordRune(first) {
			return false
		}
	}
	if j < len(s) {
		after, _ := utf8.DecodeRuneInString(s[j:])
		last, _ := utf8.DecodeLastRuneInString(s[:j])
		if wordRune(after) && wordRune(last) {
			return false
		}
	}
	return true
}

func wordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// foldASCII lowercases text for case-folded matching without moving a
// byte: ASCII letters, and every other letter whose lower case is as long
// in UTF-8 (Æ Ø Å and most others); the rest stays as it is.
func foldASCII(s string) string {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			break
		}
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for i < len(b) {
		c := b[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if l := unicode.ToLower(r); l != r && utf8.RuneLen(l) == size {
			utf8.EncodeRune(b[i:], l)
		}
		i += size
	}
	return string(b)
}

// spans collects the intervals to mask, merged.
type spans [][2]int

func (sp *spans) add(i, j int) { *sp = append(*sp, [2]int{i, j}) }

// apply replaces every span of s with Mask (overlapping spans as one).
func (sp spans) apply(s string) string {
	if len(sp) == 0 {
		return s
	}
	slices.SortFunc(sp, func(a, b [2]int) int { return a[0] - b[0] })
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for k := 0; k < len(sp); {
		i, j := sp[k][0], sp[k][1]
		for k++; k < len(sp) && sp[k][0] <= j; k++ {
			j = max(j, sp[k][1])
		}
		if i < last {
			i = last
		}
		b.WriteString(s[last:i])
		b.WriteString(Mask)
		last = j
	}
	b.WriteString(s[last:])
	return b.String()
}

// collect finds what to mask in s under m, for r and its parents.
func (r *Redactor) collect(s string, folded *string, m mode, sp *spans) {
	if r == nil {
		return
	}
	r.parent.collect(s, folded, m, sp)
	r.mu.RLock()
	defer r.mu.RUnlock()
	r.long.find(s, sp.add)
	if m == modeTool {
		return
	}
	r.mid.find(s, sp.add)
	if m == modeServer {
		if *folded == "" {
			*folded = foldASCII(s)
		}
		r.server.find(*folded, sp.add)
		r.srvWord.find(*folded, sp.add)
	}
}

// mask masks one piece of text under m.
func (r *Redactor) mask(s string, m mode) string {
	if s == "" {
		return s
	}
	s = URLsIn(s)
	if r == nil {
		return s
	}
	var sp spans
	folded := ""
	r.collect(s, &folded, m, &sp)
	return sp.apply(s)
}

// changes reports whether mask would change s.
func (r *Redactor) changes(s string, m mode) bool {
	if r == nil || s == "" {
		return false
	}
	var sp spans
	folded := ""
	r.collect(s, &folded, m, &sp)
	return len(sp) > 0
}

// value masks s: each part by the rules of its marks (at least floor),
// the marks removed.
func (r *Redactor) value(s string, floor mode) string {
	if !hasMarks(s) {
		return r.mask(s, floor)
	}
	var b strings.Builder
	b.Grow(len(s))
	eachSegment(s, func(seg string, m mode) {
		b.WriteString(r.mask(seg, max(m, floor)))
	})
	return b.String()
}

// Enter masks each marked part of s by its origin's rules and keeps the
// marks: text entering the report model is masked at once, and the final
// gate still knows where it came from.
func (r *Redactor) Enter(s string) string {
	if !hasMarks(s) {
		return r.mask(s, modeTool)
	}
	var b strings.Builder
	b.Grow(len(s))
	eachSegmentMarks(s, func(seg string, m mode, mark string) {
		b.WriteString(r.mask(seg, m))
		b.WriteString(mark)
	})
	return b.String()
}
