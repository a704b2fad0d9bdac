package profile

import (
	"fmt"
	"os"
	"strings"
)

func subjectf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

// Subject helpers name the parts of a profile the way the report does.

// ITSystemSubject is it_systems[i].
func ITSystemSubject(i int) string { return fmt.Sprintf("it_systems[%d]", i) }

// IPSubject is it_systems[i].ip_whitelist[j].
func IPSubject(i, j int) string { return fmt.Sprintf("it_systems[%d].ip_whitelist[%d]", i, j) }

// DataAccessSubject is the subject of findings about an IT-system's
// application (data_access): the IT-system itself, it_systems[i], as the
// contract reports per IP range, per IT-system and per credential.
func DataAccessSubject(i int) string { return ITSystemSubject(i) }

// APIKeySubject is it_systems[i].credentials.api_keys[j].
func APIKeySubject(i, j int) string {
	return fmt.Sprintf("it_systems[%d].credentials.api_keys[%d]", i, j)
}

// SharedSecretSubject is it_systems[i].credentials.oauth_shared_secrets[j].
func SharedSecretSubject(i, j int) string {
	return fmt.Sprintf("it_systems[%d].credentials.oauth_shared_secrets[%d]", i, j)
}

// CertificateSubject is it_systems[i].credentials.oauth_certificates[j].
func CertificateSubject(i, j int) string {
	return fmt.Sprintf("it_systems[%d].credentials.oauth_certificates[%d]", i, j)
}

// SubjectOf is the subject of findings about the field at path: the part
// of the profile it belongs to (contact.email: contact;
// it_systems[0].ip_whitelist[1].address: it_systems[0].ip_whitelist[1]),
// an IT-system's data_access being the IT-system's (DataAccessSubject).
func SubjectOf(path string) string {
	i := strings.LastIndex(path, ".")
	if i < 0 {
		return path
	}
	return strings.TrimSuffix(path[:i], ".data_access")
}

func userHome() (string, error) { return os.UserHomeDir() }
