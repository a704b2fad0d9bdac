package profile

import (
	"maps"
	"strings"
	"testing"
)

// The validate tags state each field's format; FieldErrors names the
// fields that break theirs by their path in the profile.
func TestFieldErrorsByPath(t *testing.T) {
	p, err := Parse([]byte(`version: 1
environment: prod
organisation: {name: K, cvr: "29189847", kind: public, mitid_erhverv: true}
supplier: {name: S, cvr: "13748136", data_processing_agreement: sent}
contact: {first_name: A, last_name: B, cvr: "29189846", email: "it(at)k.dk", phone: "12"}
it_systems:
  - name: S
    owner_cvr: "29189846"
    purpose: graphql
    ip_whitelist: [{name: x, address: 80.62.117.23, range: 32}, {name: y, address: "80.62.117", range: 32}]
    data_access: {register: CPR, entities: [CustomPublicSectorPerson], status: Godkendt, expires: 2027-13-01}
    credentials:
      api_keys: [{name: k, key: env:K, expires: 2027-01-01}]
      oauth_shared_secrets: [{name: s, client_id: not-a-uuid, secret: env:S}]
      oauth_certificates: [{name: c, client_id: a4098663-0502-45ce-954c-b660160be961, fingerprint: "XYZ", pkcs12: c.p12, password: env:P}]
`), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for path, fp := range p.FieldErrors() {
		got[path] = fp.Tag + " " + fp.Check
		if fp.Err == nil || fp.Fix == "" || fp.Path != path {
			t.Errorf("%s: %+v", path, fp)
		}
	}
	want := map[string]string{
		"organisation.cvr":                      "cvr org.cvr",
		"contact.email":                         "email contact.complete",
		"contact.phone":                         "dk_phone contact.complete",
		"it_systems[0].ip_whitelist[1].address": "ip_address ip.ipv4",
		"it_systems[0].data_access.expires":     "date access.status",
		"it_systems[0].credentials.oauth_shared_secrets[0].client_id": "uuid cred.client-id",
		"it_systems[0].credentials.oauth_certificates[0].fingerprint": "sha1_fingerprint cred.cert-fingerprint",
	}
	if !maps.Equal(got, want) {
		t.Fatalf("FieldErrors:\n got %v\nwant %v", got, want)
	}
}

// A date is valid as Administration writes it (11-05-2027) and as
// 2027-05-11, as the profile reads it: the tag and the reader agree.
func TestDateTagAgreesWithTheReader(t *testing.T) {
	for _, s := range []string{"2027-05-11", "11-05-2027", "11.05.2027", "24.10.2026, 12.09.27", "2026-10-24T12:09:27Z", "2027-05-11 10:00", "30-02-2027", "tomorrow", "2027-13-01",
		"2027-05-11 sk_live_ABCDEFSECRET123456", "2027-05-11,", "11.05.2027Tanything"} {
		tagOK := ValidateAs("it_systems[].data_access.expires", s) == nil
		if tagOK != NewDate(s).Valid() || tagOK && strings.Contains(s, "sk_live") || tagOK && strings.HasSuffix(s, ",") || tagOK && strings.Contains(s, "anything") {
			t.Errorf("%q: tag says valid=%v, the reader %v", s, tagOK, NewDate(s).Valid())
		}
	}
}

// Every tag the model uses has a format that explains it, and every field
// with a format names the rule that reports it.
func TestEveryTagHasAFormat(t *testing.T) {
	n := 0
	for path, f := range TaggedFields() {
		n++
		if f.Check == "" {
			t.Errorf("%s (validate:%q) names no rule in a check tag", path, f.Validate)
		}
		for tag := range strings.SplitSeq(f.Validate, ",") {
			if tag == "omitempty" || tag == "dive" {
				continue
			}
			for alt := range strings.SplitSeq(tag, "|") {
				name, _, _ := strings.Cut(alt, "=")
				if _, ok := formats[name]; !ok {
					t.Errorf("%s: tag %q has no entry in formats", path, name)
				}
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d tagged fields found", n)
	}
}
