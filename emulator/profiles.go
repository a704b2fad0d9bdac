package emulator

import (
	"bytes"
	"path/filepath"
	"text/template"
	"time"

	"github.com/cprready/cprready/internal/fsutil"
)

// The ready profiles, public and private, in one source: the emulator
// writes them pointing at itself (endpoints, the whitelisted address, the
// credentials it accepts as file: references inside its folder), and
// examples/public.yaml and examples/private.yaml are the same template
// rendered with ExampleData (TestExamplesAreTheTemplate; -update rewrites
// them). A field added to the ready profile is added here once.
var profileTmpl = template.Must(template.New("p").Parse(`{{define "endpoints"}}endpoints:
  graphql: {{.Base}}
  token: {{.Base}}/auth/realms/distribution/protocol/openid-connect/token
  token_mtls: {{.Base}}/auth-oces/realms/distribution/protocol/openid-connect/token
  filedownload: {{.Base}}/FileDownloads
  ca_file: ca.pem
  egress_echo: {{.Base}}/egress
{{end}}{{define "public"}}{{if .Base}}# A public authority's profile for the cprready emulator at {{.Base}}.
# Written by ` + "`cprready emulator`" + `; the secrets are files in this folder.
#
#   cprready check --profile {{.Dir}}/public.yaml
version: 1
environment: custom
{{template "endpoints" .}}{{else}}# A public authority, ready for go-live: a GraphQL IT-system (with events)
# and a separate file-download IT-system. The secrets are example files
# under secrets/; in real life use env:, keyring: or a protected file:.
#
#   go run ./cmd/cprready check --offline --profile examples/public.yaml
version: 1
environment: prod
{{end}}organisation:
  name: Eksempel Kommune
  cvr: "` + PublicCVR + `"
  kind: public
  mitid_erhverv: true
contact:
  first_name: Simon
  last_name: Sørensen
  cvr: "` + PublicCVR + `"
  email: it@eksempel.dk
  phone: "+45 22 47 50 18"
it_systems:
  - name: Borgerservice GraphQL
    owner_cvr: "` + PublicCVR + `"
    purpose: graphql
    ip_whitelist:
      - name: Udvikler maskine
        address: {{.Egress}}
        range: 32
    data_access:
      register: CPR
      entities: [CustomPublicSectorPerson]
      status: Godkendt
      expires: {{.AccessExpires}}
      events: true
    credentials:
      api_keys:
        - name: GraphQL Schema
          key: file:secrets/{{.Files.PublicAPIKey}}
          created: {{.KeyCreated}}
          expires: {{.KeyExpires}}
      oauth_shared_secrets:
        - name: Borgerservice
          client_id: {{.C.Public.GraphQLClientID}}
          secret: file:secrets/{{.Files.PublicSecret}}
          created: {{.SecretCreated}}
          expires: {{.SecretExpires}}
      oauth_certificates:
        - name: GraphQL
          client_id: {{.C.Public.CertClientID}}
          fingerprint: {{.C.Public.CertFingerprint}}
          pkcs12: certs/{{.Files.PKCS12}}
          password: file:secrets/p12-password
  - name: Borgerservice Fildownload
    owner_cvr: "` + PublicCVR + `"
    purpose: filedownload
    ip_whitelist:
      - name: Batch server
        address: {{.EgressNet}}
        range: 24
    data_access:
      register: CPR
      entities: [{{.FileEntities}}]
      status: Godkendt
      expires: {{.AccessExpires}}
    credentials:
      oauth_shared_secrets:
        - name: Fildownloads
          client_id: {{.C.Public.FilesClientID}}
          secret: file:secrets/{{.Files.FilesSecret}}
          created: {{.SecretCreated}}
          expires: {{.SecretExpires}}
followup:
  servicedesk_ticket: "{{.Tickets.Public}}"
  virk_application: true
legacy_rest: []
{{end}}{{define "private"}}{{if .Base}}# A private user's profile for the cprready emulator at {{.Base}}.
# Written by ` + "`cprready emulator`" + `; the secrets are files in this folder.
#
#   cprready check --profile {{.Dir}}/private.yaml
version: 1
environment: custom
{{template "endpoints" .}}{{else}}# A private company, ready for go-live with CustomPrivateSectorPerson.
#
#   go run ./cmd/cprready check --offline --profile examples/private.yaml
version: 1
environment: prod
{{end}}organisation:
  name: Eksempel Forsikring A/S
  cvr: "` + PrivateCVR + `"
  kind: private
  mitid_erhverv: true
contact:
  first_name: Anna
  last_name: Jensen
  cvr: "` + PrivateCVR + `"
  email: drift@eksempel-forsikring.dk
it_systems:
  - name: Kundeopslag
    owner_cvr: "` + PrivateCVR + `"
    purpose: graphql
    ip_whitelist:
      - name: Produktion
        address: {{.PrivateEgress}}
        range: 32
    data_access:
      register: CPR
      entities: [CustomPrivateSectorPerson]
      status: Godkendt
      expires: {{.AccessExpires}}
    credentials:
      api_keys:
        - name: Skema
          key: file:secrets/{{.Files.PrivateAPIKey}}
          created: {{.KeyCreated}}
          expires: {{.KeyExpires}}
      oauth_shared_secrets:
        - name: Kundeopslag
          client_id: {{.C.Private.ClientID}}
          secret: file:secrets/private-secret
          created: {{.SecretCreated}}
          expires: {{.SecretExpires}}
followup:
  servicedesk_ticket: "{{.Tickets.Private}}"
  virk_application: true
{{end}}`))

// ProfileData fills the ready profiles' template. Base is the emulator's
// address: empty, the profiles are the examples (environment prod, the
// platform's own endpoints).
type ProfileData struct {
	Base, Dir, Egress, EgressNet, PrivateEgress                         string
	AccessExpires, KeyCreated, KeyExpires, SecretCreated, SecretExpires string
	C                                                                   Credentials
	// Files are the secret and certificate files' names.
	Files struct{ PublicAPIKey, PublicSecret, FilesSecret, PrivateAPIKey, PKCS12 string }
	// FileEntities is the file-download application's entities.
	FileEntities string
	Tickets      struct{ Public, Private string }
}

// ExampleData renders the examples/ profiles: fixed dates and addresses
// (documentation addresses would fail ip.public), the example files under
// examples/secrets and examples/certs.
func ExampleData() ProfileData {
	d := ProfileData{ // #nosec G101 -- example dates and addresses; the secrets are files named below
		Egress: "80.62.117.23", EgressNet: "80.62.117.0", PrivateEgress: "91.198.174.192",
		AccessExpires: "2027-05-11", KeyCreated: "2026-05-08", KeyExpires: "2028-05-08",
		SecretCreated: "2026-05-08", SecretExpires: "2027-05-08",
		FileEntities: "Person, CprAdresse, Beskyttelse",
	}
	d.C.Public = PublicCreds{GraphQLClientID: "a4098663-0502-45ce-954c-b660160be961", CertClientID: "9831e4b1-73ae-4e15-b8ba-e0377c4a21f1",
		CertFingerprint: "D25276D04F0D9CE25F8E4DC6ECC3B58C062BB5EC", FilesClientID: "0c1f4d2e-8a3b-4c5d-9e6f-7a8b9c0d1e2f"}
	d.C.Private.ClientID = "5f0e7d3c-2b1a-4c9d-8e7f-6a5b4c3d2e1f"
	d.Files.PublicAPIKey, d.Files.PublicSecret, d.Files.FilesSecret, d.Files.PrivateAPIKey, d.Files.PKCS12 = "api-key", "shared-secret", "shared-secret", "api-key", "graphql.p12"
	d.Tickets.Public, d.Tickets.Private = "CPR-2026-04711", "CPR-2026-05123"
	return d
}

// RenderProfile renders the ready profile name ("public" or "private").
func RenderProfile(name string, d ProfileData) ([]byte, error) {
	var buf bytes.Buffer
	err := profileTmpl.ExecuteTemplate(&buf, name, d)
	return buf.Bytes(), err
}

// writeProfiles (re)writes public.yaml and private.yaml for base.
func (s *state) writeProfiles(base string, whitelisted string, now time.Time, newKey bool) error {
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	d := ProfileData{
		Base: base, Dir: s.dir, Egress: whitelisted, EgressNet: network24(whitelisted), PrivateEgress: whitelisted, C: s.creds,
		AccessExpires: day(now.AddDate(1, 0, 0)),
		KeyCreated:    day(now.AddDate(0, -1, 0)), KeyExpires: day(now.AddDate(1, 6, 0)),
		SecretCreated: day(now.AddDate(0, -1, 0)), SecretExpires: day(now.AddDate(1, 0, 0)),
		FileEntities: "Person, CprAdresse, Beskyttelse, Forældremyndighed",
	}
	d.Files.PublicAPIKey, d.Files.PublicSecret, d.Files.FilesSecret, d.Files.PrivateAPIKey, d.Files.PKCS12 = "public-api-key", "public-secret", "files-secret", "private-api-key", "client.p12"
	d.Tickets.Public, d.Tickets.Private = "EMU-0001", "EMU-0002"
	if newKey {
		// The apikey-new fault: a key created today, as one younger than 15 minutes is.
		d.KeyCreated = day(now)
	}
	for _, name := range []string{"public", "private"} {
		b, err := RenderProfile(name, d)
		if err != nil {
			return err
		}
		if err := fsutil.WriteFileAtomic(filepath.Join(s.dir, name+".yaml"), b); err != nil {
			return err
		}
	}
	return nil
}

// network24 is the /24 network of an IPv4 address.
func network24(ip string) string {
	n, dots := 0, 0
	for i := range len(ip) {
		if ip[i] == '.' {
			dots++
			if dots == 3 {
				n = i
				break
			}
		}
	}
	if n == 0 {
		return ip
	}
	return ip[:n] + ".0"
}
