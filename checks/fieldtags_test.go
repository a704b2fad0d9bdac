package checks

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cprready/cprready/profile"
)

// badValues breaks each format the model's tags use: a new tag needs one
// here, or TestEveryTaggedFieldReachesCheck fails.
var badValues = map[string]string{
	"cvr":              "29189847",
	"email":            "it(at)eksempel.dk",
	"dk_phone":         "12",
	"ip_address":       "80.62.117",
	"date":             "30-02-2027",
	"uuid":             "not-a-uuid",
	"sha1_fingerprint": "XYZ",
}

// formatOf is a validate tag's format name (omitempty,cvr: cvr).
func formatOf(validate string) string {
	parts := strings.Split(validate, ",")
	name, _, _ := strings.Cut(parts[len(parts)-1], "=")
	return name
}

// Every field with a format names a registered rule, and a value that
// breaks the format fails that rule on the field's subject, naming the
// field: no field needs a rule written for it.
func TestEveryTaggedFieldReachesCheck(t *testing.T) {
	fields := profile.TaggedFields()
	if len(fields) < 10 {
		t.Fatalf("only %d tagged fields", len(fields))
	}
	for tmpl, f := range fields {
		c := Lookup(f.Check)
		if c == nil || c.Live {
			t.Errorf("%s: check tag %q is not an offline rule", tmpl, f.Check)
			continue
		}
		bad, ok := badValues[formatOf(f.Validate)]
		if !ok {
			t.Errorf("%s: no bad value for format %q in badValues", tmpl, f.Validate)
			continue
		}
		p := base(t)
		p.Supplier = &profile.Supplier{Name: "Lev", CVR: "13748136", DataProcessingAgreement: "sent"}
		p.ITSystems[0].Credentials.OAuthCertificates = []profile.Certificate{{Name: "c", ClientID: "9831e4b1-73ae-4e15-b8ba-e0377c4a21f1", PKCS12: "missing.p12"}}
		path := strings.ReplaceAll(tmpl, "[]", "[0]")
		setField(t, p, path, bad)
		var found bool
		for _, r := range run(t, p, testAt) {
			if r.ID != f.Check || r.Status != Fail || r.Subject != profile.SubjectOf(path) {
				continue
			}
			named := r.Evidence["field"] == path
			if fs, ok := r.Evidence["fields"].([]string); ok {
				for _, x := range fs {
					named = named || x == path
				}
			}
			if named && r.Remedy != "" {
				found = true
			}
		}
		if !found {
			t.Errorf("%s = %q: no failure of %s on %s naming the field", path, bad, f.Check, profile.SubjectOf(path))
		}
	}
}

// setField sets the field at path (yaml names, [i] indexes) to value.
func setField(t *testing.T, p *profile.Profile, path, value string) {
	t.Helper()
	v := reflect.ValueOf(p).Elem()
	for part := range strings.SplitSeq(path, ".") {
		name, idx, list := strings.Cut(part, "[")
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		var next reflect.Value
		for i := range v.NumField() {
			if y, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ","); y == name {
				next = v.Field(i)
			}
		}
		if !next.IsValid() {
			t.Fatalf("no field %s in %s", name, path)
		}
		v = next
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		if list {
			i := int(idx[0] - '0')
			for v.Len() <= i {
				v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
			}
			v = v.Index(i)
		}
	}
	switch v.Interface().(type) {
	case string:
		v.SetString(value)
	case profile.Date:
		v.Set(reflect.ValueOf(profile.NewDate(value)))
	default:
		t.Fatalf("%s: cannot set a %s", path, v.Type())
	}
}
