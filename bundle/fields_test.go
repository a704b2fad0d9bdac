package bundle

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cprready/cprready/profile"
)

// Every field of the profile model, whatever its type, is masked in a
// bundle when it holds a secret: the masking reads the YAML's values, so
// a field added to the model is covered without being named. The walk
// fills each text field in turn (a new field is filled by itself; a new
// kind of field fails here until the test can fill it).
func TestEveryProfileFieldIsMaskedByDefault(t *testing.T) {
	var paths []string
	eachTextField(t, reflect.TypeFor[profile.Profile](), "", &paths)
	if len(paths) < 40 {
		t.Fatalf("only %d text fields found: %v", len(paths), paths)
	}
	for _, path := range paths {
		p, gate := canaryProfile(t, "A")
		v := reflect.ValueOf(p).Elem()
		setText(v, strings.Split(path, "."), canaryLit)
		files, _, err := Build(Options{Profile: p, Report: sampleReport(p), Tool: "t", Now: time.Now(), Gate: gate})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		for _, f := range files {
			if strings.Contains(string(f.Data), canaryLit) || strings.Contains(string(f.Data), strings.ToLower(canaryLit)) {
				t.Errorf("%s: the secret reached %s", path, f.Name)
			}
		}
	}
}

// textTypes are the model's types that hold text: a new one fails
// eachTextField until it is listed, and setText can fill it.
var textTypes = map[reflect.Type]func(string) reflect.Value{
	reflect.TypeFor[string]():         func(s string) reflect.Value { return reflect.ValueOf(s) },
	reflect.TypeFor[profile.Date]():   func(s string) reflect.Value { return reflect.ValueOf(profile.NewDate(s)) },
	reflect.TypeFor[profile.Range]():  func(s string) reflect.Value { return reflect.ValueOf(profile.RangeOf(s)) },
	reflect.TypeFor[profile.Secret](): func(s string) reflect.Value { return reflect.ValueOf(profile.NewSecret(s)) },
}

func eachTextField(t *testing.T, rt reflect.Type, prefix string, out *[]string) {
	for rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	for f := range rt.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		path := prefix + f.Name
		if ft.Kind() == reflect.Slice {
			path += "[]"
			ft = ft.Elem()
		}
		switch {
		case textTypes[ft] != nil:
			*out = append(*out, path)
		case ft.Kind() == reflect.Struct:
			eachTextField(t, ft, path+".", out)
		case ft.Kind() == reflect.Bool || ft.Kind() == reflect.Int:
		default:
			t.Errorf("%s: a %s the test cannot fill: add it to textTypes", path, ft)
		}
	}
}

// setText sets the field at path (Go names, [] the first element) to s.
func setText(v reflect.Value, path []string, s string) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	name, list := strings.CutSuffix(path[0], "[]")
	f := v.FieldByName(name)
	for f.Kind() == reflect.Pointer {
		if f.IsNil() {
			f.Set(reflect.New(f.Type().Elem()))
		}
		f = f.Elem()
	}
	if list {
		if f.Len() == 0 {
			f.Set(reflect.Append(f, reflect.Zero(f.Type().Elem())))
		}
		f = f.Index(0)
	}
	if len(path) == 1 {
		f.Set(textTypes[f.Type()](s))
		return
	}
	setText(f, path[1:], s)
}

// A secret's echo in another case or encoding, pasted into a field, is
// masked with the value it sits in: the bundle is written, and holds no
// form of the secret (before, the scan refused the whole bundle).
func TestBundleMasksASecretsEchoes(t *testing.T) {
	for _, echo := range []string{strings.ToUpper(canaryLit), strings.ToLower(canaryLit), fmt.Sprintf("%x", canaryLit)} {
		p, gate := canaryProfile(t, "A")
		p.Contact.FirstName = "Simon " + echo
		files, _, err := Build(Options{Profile: p, Report: sampleReport(p), Tool: "t", Now: time.Now(), Gate: gate})
		if err != nil {
			t.Fatalf("%s: %v", echo, err)
		}
		for _, f := range files {
			if strings.Contains(string(f.Data), echo) {
				t.Errorf("%s holds the echo %s", f.Name, echo)
			}
		}
	}
}
