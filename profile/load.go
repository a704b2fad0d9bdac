package profile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/textsafe"
	"github.com/cprready/cprready/internal/words"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// MaxSize bounds a profile file; a real one is a few kilobytes.
const MaxSize = 1 << 20

// LoadError is a profile that cannot be read: syntax, unknown key, wrong
// type. It names the file, line and field; the command exits 2.
type LoadError struct {
	File   string
	Line   int
	Column int
	Field  string // the key path, e.g. it_systems[0].ip_whitelst
	Msg    string
	Hint   string // "did you mean …", when one is close
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Field != "" {
		fmt.Fprintf(&b, "%s: ", e.Field)
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (" + e.Hint + ")")
	}
	return b.String()
}

// Load reads and strictly decodes the profile at path.
func Load(path string) (*Profile, error) {
	data, err := fsutil.ReadRegular(path, MaxSize)
	if err != nil {
		var big *fsutil.TooLargeError
		if errors.As(err, &big) {
			return nil, &LoadError{File: path, Msg: fmt.Sprintf("the profile is larger than %d bytes; is this the right file?", MaxSize)}
		}
		return nil, &LoadError{File: path, Msg: "cannot read the profile: " + strings.TrimPrefix(err.Error(), "cannot read "+path+": ")}
	}
	p, err := Parse(data, path)
	if err != nil {
		return nil, err
	}
	p.Path = path
	return p, nil
}

// MaxNodes bounds the YAML values a profile may hold once every alias
// (*name) is expanded: a few kilobytes of anchors and aliases must not
// grow into gigabytes (a "billion laughs" file).
const MaxNodes = 200_000

// Parse decodes profile YAML; name is used in error messages. The YAML is
// parsed once: the position index and the decoded profile come from the
// same syntax tree. No error text quotes a value of a secret field.
func Parse(data []byte, name string) (p *Profile, err error) {
	defer func() {
		// The YAML library is third-party code fed hostile input; a panic
		// in it must still end as a load error, never a crash.
		if r := recover(); r != nil {
			p, err = nil, &LoadError{File: name, Msg: "the profile could not be parsed (malformed YAML)"}
		}
		if err != nil {
			err = scrubLoadError(err, data)
		}
	}()
	// Notepad and PowerShell 5 write a byte order mark; it is not content.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &LoadError{File: name, Line: 1, Msg: "the profile is empty; run `cprready init` to create one"}
	}
	// The YAML parser recurses on nesting: a few kilobytes of [[[[…]]]]
	// would cost it minutes and gigabytes. A profile is a handful of
	// levels deep; anything far deeper is refused before parsing.
	if ln, what := tooDeep(data); ln > 0 {
		return nil, &LoadError{File: name, Line: ln, Msg: what}
	}
	file, err := parser.ParseBytes(data, parser.ParseComments)
	if err != nil {
		return nil, yamlError(name, err, nil)
	}
	if len(file.Docs) > 1 {
		tk := file.Docs[1].GetToken()
		return nil, &LoadError{File: name, Line: line(tk), Msg: "the profile holds more than one YAML document; keep one"}
	}
	if len(file.Docs) == 0 || file.Docs[0].Body == nil || file.Docs[0].Body.Type() == ast.CommentType {
		return nil, &LoadError{File: name, Line: 1, Msg: "the profile is empty; run `cprready init` to create one"}
	}
	body := file.Docs[0].Body
	if body.Type() != ast.MappingType && body.Type() != ast.MappingValueType {
		return nil, &LoadError{File: name, Line: line(body.GetToken()), Msg: "the profile must be a mapping of keys (version:, organisation:, it_systems: …), found " + nodeKind(body)}
	}
	if n, tk := expandedSize(body, MaxNodes); n > MaxNodes {
		return nil, &LoadError{File: name, Line: line(tk), Msg: fmt.Sprintf("the profile holds more than %d values once its aliases (*name) are expanded, or nests too deep; write the values out, use fewer aliases and fewer levels", MaxNodes)}
	}
	idx := indexFile(file)
	var prof Profile
	comments := yaml.CommentMap{}
	dec := yaml.NewDecoder(bytes.NewReader(nil), yaml.DisallowUnknownField(), yaml.CommentToMap(comments))
	if err := dec.DecodeFromNode(body, &prof); err != nil {
		return nil, yamlError(name, err, idx)
	}
	if prof.Version == 0 {
		prof.Version = 1
	}
	if prof.Version != 1 {
		return nil, &LoadError{File: name, Line: idx.lines["version"], Field: "version", Msg: fmt.Sprintf("profile version %d is not known to this cprready (it reads version 1)", prof.Version)}
	}
	prof.lines = idx.lines
	prof.comments = comments
	sum := sha256.Sum256(data)
	prof.SHA256 = hex.EncodeToString(sum[:])
	return &prof, nil
}

// secretLineRe finds the value of a secret field on a line of YAML
// (block or flow style).
// Keys may be quoted and in any case; the value may sit on the next line.
var secretLineRe = regexp.MustCompile(`(?i)(?:^|[\s{,\-])["']?(?:key|secret|password|client_secret)["']?\s*:[ \t]*(?:\n[ \t]*)?([^\n#]*)`)

// aliasRe finds an alias name the YAML library quotes in an error: an
// unknown alias is a value that starts with *, which a secret may.
var aliasRe = regexp.MustCompile(`(alias )"[^"]*"`)

// scrubLoadError keeps the value of every secret field out of a load
// error: the YAML library quotes scalars in its messages ("could not find
// alias", "invalid header option"), and a secret may start with *, > or |.
// It also removes terminal escapes from whatever the error quotes.
func scrubLoadError(err error, data []byte) error {
	var le *LoadError
	if !errors.As(err, &le) {
		return err
	}
	r := redact.New()
	for _, m := range secretLineRe.FindAllSubmatch(data, -1) {
		v := strings.TrimSpace(string(m[1]))
		r.Add(v)
		for _, cut := range []string{"*", "&", "!", ">", "|", "\"", "'", "-", "+"} {
			v = strings.TrimSpace(strings.TrimPrefix(v, cut))
		}
		v = strings.TrimRight(v, ",}] \t\"'")
		r.Add(v)
		if f := strings.Fields(v); len(f) > 0 {
			r.Add(f[0])
		}
	}
	c := *le
	c.Msg = textsafe.Line(r.String(aliasRe.ReplaceAllString(le.Msg, `${1}(its name withheld: it may be a secret that starts with *)`)))
	c.Field = textsafe.Line(r.String(le.Field))
	c.Hint = textsafe.Line(r.String(le.Hint))
	c.File = textsafe.Line(le.File)
	return &c
}

func line(tk *token.Token) int {
	if tk == nil || tk.Position == nil {
		return 0
	}
	return tk.Position.Line
}

// fileIndex maps subject paths to lines, and token positions to paths.
type fileIndex struct {
	lines map[string]int    // path -> line
	keyAt map[[2]int]string // (line, col) of a key token -> path of that key
	valAt map[[2]int]string // (line, col) of a value token -> path of its key
}

func indexFile(f *ast.File) *fileIndex {
	idx := &fileIndex{lines: map[string]int{}, keyAt: map[[2]int]string{}, valAt: map[[2]int]string{}}
	for _, d := range f.Docs {
		idx.walk(d.Body, "", 0)
	}
	return idx
}

func pos(tk *token.Token) [2]int {
	if tk == nil || tk.Position == nil {
		return [2]int{}
	}
	return [2]int{tk.Position.Line, tk.Position.Column}
}

func (idx *fileIndex) walk(n ast.Node, path string, depth int) {
	if n == nil || depth > 64 {
		return
	}
	switch v := n.(type) {
	case *ast.MappingNode:
		for _, mv := range v.Values {
			idx.walk(mv, path, depth+1)
		}
	case *ast.MappingValueNode:
		key := ""
		if v.Key != nil && v.Key.GetToken() != nil {
			key = v.Key.GetToken().Value
		}
		p := key
		if path != "" {
			p = path + "." + key
		}
		if _, seen := idx.lines[p]; !seen {
			idx.lines[p] = line(v.Key.GetToken())
		}
		idx.keyAt[pos(v.Key.GetToken())] = p
		if v.Value != nil {
			idx.valAt[pos(v.Value.GetToken())] = p
			idx.walk(v.Value, p, depth+1)
		}
	case *ast.SequenceNode:
		for i, item := range v.Values {
			p := fmt.Sprintf("%s[%d]", path, i)
			if item != nil {
				idx.lines[p] = line(item.GetToken())
				idx.valAt[pos(item.GetToken())] = p
			}
			idx.walk(item, p, depth+1)
		}
	case *ast.TagNode:
		idx.walk(v.Value, path, depth+1)
	case *ast.AnchorNode:
		idx.walk(v.Value, path, depth+1)
	}
}

// yamlError turns a go-yaml error into a LoadError with file, line, field
// and, for an unknown key, the closest known key.
func yamlError(name string, err error, idx *fileIndex) error {
	le := &LoadError{File: name}
	var tk *token.Token
	var (
		unknown *yaml.UnknownFieldError
		typeErr *yaml.TypeError
		mine    *FieldTypeError
		syntax  *yaml.SyntaxError
		dup     *yaml.DuplicateKeyError
		over    *yaml.OverflowError
		yerr    yaml.Error
	)
	switch {
	case errors.As(err, &mine):
		tk = mine.Token
		le.Msg = mine.Error()
		if idx != nil {
			le.Field = idx.valAt[pos(tk)]
		}
	case errors.As(err, &unknown):
		tk = unknown.Token
		key := ""
		if tk != nil {
			key = tk.Value
		}
		le.Msg = fmt.Sprintf("unknown key %q", key)
		if idx != nil {
			le.Field = idx.keyAt[pos(tk)]
			parent := parentPath(le.Field)
			if best := words.Closest(key, knownKeys(parent)); best != "" {
				le.Hint = fmt.Sprintf("did you mean %q?", best)
			}
			if parent != "" {
				le.Msg += " in " + parent
			}
		}
	case errors.As(err, &typeErr):
		tk = typeErr.Token
		le.Msg = fmt.Sprintf("wrong type: expected %s, found %s", typeName(typeErr.DstType), typeValue(tk))
		if idx != nil {
			if f, ok := idx.valAt[pos(tk)]; ok {
				le.Field = f
			} else {
				le.Field = idx.keyAt[pos(tk)]
			}
		}
	case errors.As(err, &over):
		tk = over.Token
		le.Msg = "number out of range"
		if idx != nil {
			le.Field = idx.valAt[pos(tk)]
		}
	case errors.As(err, &dup):
		tk = dup.Token
		le.Msg = "duplicate key " + strings.TrimSpace(dupKey(dup))
		if idx != nil {
			le.Field = idx.keyAt[pos(tk)]
		}
	case errors.As(err, &syntax):
		tk = syntax.Token
		le.Msg = "YAML syntax error: " + syntax.Message
	case errors.As(err, &yerr):
		tk = yerr.GetToken()
		le.Msg = "YAML error: " + yerr.GetMessage()
		if idx != nil {
			le.Field = idx.valAt[pos(tk)]
		}
	default:
		le.Msg = "cannot parse the profile: " + firstLine(err.Error())
	}
	if tk != nil && tk.Position != nil {
		le.Line, le.Column = tk.Position.Line, tk.Position.Column
	}
	return le
}

func dupKey(e *yaml.DuplicateKeyError) string {
	if e.Token != nil {
		return fmt.Sprintf("%q", redact.Local(e.Token.Value))
	}
	return ""
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func typeValue(tk *token.Token) string {
	if tk == nil {
		return "another type"
	}
	switch tk.Type {
	case token.SequenceEntryType, token.SequenceStartType:
		return "a list"
	case token.MappingStartType, token.MappingValueType:
		return "a mapping"
	case token.BoolType:
		return "a boolean (" + tk.Value + ")"
	case token.IntegerType, token.FloatType:
		return "a number (" + tk.Value + ")"
	case token.NullType:
		return "null"
	}
	if tk.Value != "" {
		return fmt.Sprintf("%q", redact.Local(words.Limit(tk.Value, 40)))
	}
	return "another type"
}

func typeName(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Uint64:
		return "a number"
	case reflect.Slice:
		return "a list"
	case reflect.Struct:
		return "a mapping of keys"
	}
	return t.String()
}

// knownKeys lists the YAML keys allowed at a path of the Profile.
func knownKeys(path string) []string {
	t := reflect.TypeFor[Profile]()
	if path != "" {
		for seg := range strings.SplitSeq(path, ".") {
			name, _, _ := strings.Cut(seg, "[")
			ft, ok := fieldByTag(t, name)
			if !ok {
				return nil
			}
			t = ft
			if strings.Contains(seg, "[") {
				for t.Kind() == reflect.Slice {
					t = t.Elem()
				}
			}
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
		}
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for field := range t.Fields() {
		tag, _, _ := strings.Cut(field.Tag.Get("yaml"), ",")
		if tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	return keys
}

func fieldByTag(t reflect.Type, name string) (reflect.Type, bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	for field := range t.Fields() {
		tag, _, _ := strings.Cut(field.Tag.Get("yaml"), ",")
		if tag == name {
			ft := field.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			return ft, true
		}
	}
	return nil, false
}
