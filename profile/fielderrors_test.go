package profile

import (
	"maps"
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
	got := p.FieldErrors()
	want := map[string]string{
		"organisation.cvr":                      "cvr",
		"contact.email":                         "email",
		"contact.phone":                         "dk_phone",
		"it_systems[0].ip_whitelist[1].address": "ip_addr|cidr",
		"it_systems[0].data_access.expires":     "datetime",
		"it_systems[0].credentials.oauth_shared_secrets[0].client_id": "uuid",
		"it_systems[0].credentials.oauth_certificates[0].fingerprint": "sha1_fingerprint",
	}
	if !maps.Equal(got, want) {
		t.Fatalf("FieldErrors:\n got %v\nwant %v", got, want)
	}
}
