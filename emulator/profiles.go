package emulator

import (
	"bytes"
	"path/filepath"
	"text/template"
	"time"

	"github.com/cprready/cprready/internal/fsutil"
)

// The emulator's profiles: valid, pointing at this emulator, with the
// credentials it accepts as file: references inside DIR.
var profileTmpl = template.Must(template.New("p").Parse(`{{define "endpoints"}}endpoints:
  graphql: {{.Base}}
  token: {{.Base}}/auth/realms/distribution/protocol/openid-connect/token
  token_mtls: {{.Base}}/auth-oces/realms/distribution/protocol/openid-connect/token
  filedownload: {{.Base}}/FileDownloads
  ca_file: ca.pem
  egress_echo: {{.Base}}/egress
{{end}}{{define "public"}}# A public authority's profile for the cprready emulator at {{.Base}}.
# Written by ` + "`cprready emulator`" + `; the secrets are files in this folder.
#
#   cprready check --profile {{.Dir}}/public.yaml
version: 1
environment: custom
{{template "endpoints" .}}organisation:
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
          key: file:secrets/public-api-key
          created: {{.KeyCreated}}
          expires: {{.KeyExpires}}
      oauth_shared_secrets:
        - name: Borgerservice
          client_id: {{.C.Public.GraphQLClientID}}
          secret: file:secrets/public-secret
          created: {{.SecretCreated}}
          expires: {{.SecretExpires}}
      oauth_certificates:
        - name: GraphQL
          client_id: {{.C.Public.CertClientID}}
          fingerprint: {{.C.Public.CertFingerprint}}
          pkcs12: certs/client.p12
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
      entities: [Person, CprAdresse, Beskyttelse, Forældremyndighed]
      status: Godkendt
      expires: {{.AccessExpires}}
    credentials:
      oauth_shared_secrets:
        - name: Fildownloads
          client_id: {{.C.Public.FilesClientID}}
          secret: file:secrets/files-secret
          created: {{.SecretCreated}}
          expires: {{.SecretExpires}}
followup:
  servicedesk_ticket: "EMU-0001"
  virk_application: true
legacy_rest: []
{{end}}{{define "private"}}# A private user's profile for the cprready emulator at {{.Base}}.
# Written by ` + "`cprready emulator`" + `; the secrets are files in this folder.
#
#   cprready check --profile {{.Dir}}/private.yaml
version: 1
environment: custom
{{template "endpoints" .}}organisation:
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
        address: {{.Egress}}
        range: 32
    data_access:
      register: CPR
      entities: [CustomPrivateSectorPerson]
      status: Godkendt
      expires: {{.AccessExpires}}
    credentials:
      api_keys:
        - name: Skema
          key: file:secrets/private-api-key
          created: {{.KeyCreated}}
          expires: {{.KeyExpires}}
      oauth_shared_secrets:
        - name: Kundeopslag
          client_id: {{.C.Private.ClientID}}
          secret: file:secrets/private-secret
          created: {{.SecretCreated}}
          expires: {{.SecretExpires}}
followup:
  servicedesk_ticket: "EMU-0002"
  virk_application: true
{{end}}`))

type profileData struct {
	Base, Dir, Egress, EgressNet                                        string
	AccessExpires, KeyCreated, KeyExpires, SecretCreated, SecretExpires string
	C                                                                   Credentials
}

// writeProfiles (re)writes public.yaml and private.yaml for base.
func (s *state) writeProfiles(base string, whitelisted string, now time.Time, newKey bool) error {
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	d := profileData{
		Base: base, Dir: s.dir, Egress: whitelisted, EgressNet: network24(whitelisted), C: s.creds,
		AccessExpires: day(now.AddDate(1, 0, 0)),
		KeyCreated:    day(now.AddDate(0, -1, 0)), KeyExpires: day(now.AddDate(1, 6, 0)),
		SecretCreated: day(now.AddDate(0, -1, 0)), SecretExpires: day(now.AddDate(1, 0, 0)),
	}
	if newKey {
		// The apikey-new fault: a key created today, as one younger than 15 minutes is.
		d.KeyCreated = day(now)
	}
	for _, name := range []string{"public", "private"} {
		var buf bytes.Buffer
		if err := profileTmpl.ExecuteTemplate(&buf, name, d); err != nil {
			return err
		}
		if err := fsutil.WriteFileAtomic(filepath.Join(s.dir, name+".yaml"), buf.Bytes()); err != nil {
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
