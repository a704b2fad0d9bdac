package checks

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/cprready/cprready/profile"
)

const cs = "it_systems[0].credentials.oauth_certificates[0]"

func fixture(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "profile", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func leafSHA1(t *testing.T) string {
	b, err := os.ReadFile(fixture(t, "leaf.sha1"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func withCert(t *testing.T, c profile.Certificate) *profile.Profile {
	p := base(t)
	if c.ClientID == "" {
		c.ClientID = "9831e4b1-73ae-4e15-b8ba-e0377c4a21f1"
	}
	p.ITSystems[0].Credentials.OAuthCertificates = []profile.Certificate{c}
	return p
}

func TestCertificates(t *testing.T) {
	fp := leafSHA1(t) // with colons, upper case
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("Test1234!\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wrong := filepath.Join(dir, "wrong")
	if err := os.WriteFile(wrong, []byte("nope"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A PKCS#12 whose key is not the certificate's (OpenSSL refuses to write one).
	mismatch := filepath.Join(dir, "mismatch.p12")
	{
		lc, err := profile.DecodePKCS12(mustRead(t, fixture(t, "aes.p12")), "Test1234!")
		if err != nil {
			t.Fatal(err)
		}
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		der, err := pkcs12.Modern.Encode(k, lc.Leaf, nil, "Test1234!")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(mismatch, der, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name        string
		cert        profile.Certificate
		valid, fpSt Status
		msg         string
	}{
		{"OpenSSL 3 AES", profile.Certificate{PKCS12: fixture(t, "aes.p12"), Password: profile.NewSecret("file:" + pw), Fingerprint: fp}, Pass, Pass, ""},
		{"legacy RC2", profile.Certificate{PKCS12: fixture(t, "legacy.p12"), Password: profile.NewSecret("file:" + pw), Fingerprint: fp}, Pass, Pass, ""},
		{"lower case, colons", profile.Certificate{PKCS12: fixture(t, "aes.p12"), Password: profile.NewSecret("file:" + pw), Fingerprint: strings.ToLower(fp)}, Pass, Pass, ""},
		{"no colons", profile.Certificate{PKCS12: fixture(t, "aes.p12"), Password: profile.NewSecret("file:" + pw), Fingerprint: strings.ReplaceAll(fp, ":", "")}, Pass, Pass, ""},
		{"PEM pair", profile.Certificate{Certificate: fixture(t, "leaf.pem"), PrivateKey: fixture(t, "leaf.key"), Fingerprint: fp}, Pass, Pass, ""},
		{"wrong password", profile.Certificate{PKCS12: fixture(t, "aes.p12"), Password: profile.NewSecret("file:" + wrong), Fingerprint: fp}, Fail, Skip, "password is wrong"},
		{"legacy wrong password", profile.Certificate{PKCS12: fixture(t, "legacy.p12"), Password: profile.NewSecret("file:" + wrong), Fingerprint: fp}, Fail, Skip, "password is wrong"},
		{"key mismatch PEM", profile.Certificate{Certificate: fixture(t, "leaf.pem"), PrivateKey: fixture(t, "other.key"), Fingerprint: fp}, Fail, Skip, "does not belong"},
		{"key mismatch PKCS#12", profile.Certificate{PKCS12: mismatch, Password: profile.NewSecret("file:" + pw), Fingerprint: fp}, Fail, Skip, "does not belong"},
		{"expired", profile.Certificate{PKCS12: fixture(t, "expired.p12"), Password: profile.NewSecret("file:" + pw), Fingerprint: fp}, Fail, Fail, "expired"},
		{"other fingerprint", profile.Certificate{PKCS12: fixture(t, "aes.p12"), Password: profile.NewSecret("file:" + pw), Fingerprint: "52CAB8C21DC2EA477BC994D0252F5CC8A495555B"}, Pass, Fail, ""},
		{"garbled fingerprint", profile.Certificate{PKCS12: fixture(t, "aes.p12"), Password: profile.NewSecret("file:" + pw), Fingerprint: "52CAB8"}, Pass, Fail, ""},
		{"no fingerprint", profile.Certificate{PKCS12: fixture(t, "aes.p12"), Password: profile.NewSecret("file:" + pw)}, Pass, Fail, ""},
		{"missing file", profile.Certificate{PKCS12: filepath.Join(dir, "nope.p12"), Password: profile.NewSecret("file:" + pw), Fingerprint: fp}, Fail, Skip, "cannot read"},
		{"PEM named as PKCS#12", profile.Certificate{PKCS12: fixture(t, "leaf.pem"), Password: profile.NewSecret("file:" + pw), Fingerprint: fp}, Fail, Skip, "PEM"},
		{"garbage file", profile.Certificate{PKCS12: fixture(t, "leaf.sha1"), Password: profile.NewSecret("file:" + pw), Fingerprint: fp}, Fail, Skip, "PKCS#12"},
		{"nothing", profile.Certificate{Fingerprint: fp}, Fail, Skip, "no certificate file"},
		{"unset password variable", profile.Certificate{PKCS12: fixture(t, "aes.p12"), Password: profile.NewSecret("env:NOPE_UNSET"), Fingerprint: fp}, Fail, Skip, "NOPE_UNSET"},
	}
	for _, c := range cases {
		rows := run(t, withCert(t, c.cert), testAt)
		v := rowOf(rows, "cred.cert-valid", cs)
		if v == nil || v.Status != c.valid {
			t.Errorf("%s: cert-valid %+v, want %s", c.name, v, c.valid)
			continue
		}
		if c.msg != "" && !strings.Contains(v.Message, c.msg) {
			t.Errorf("%s: message %q lacks %q", c.name, v.Message, c.msg)
		}
		if got := statusOf(rows, "cred.cert-fingerprint", cs); got != c.fpSt {
			t.Errorf("%s: fingerprint %s want %s", c.name, got, c.fpSt)
		}
		if c.valid == Pass {
			if v.Evidence["sha1"] != strings.ReplaceAll(fp, ":", "") || v.Evidence["sha256"] == "" {
				t.Errorf("%s: evidence %v", c.name, v.Evidence)
			}
		}
		if strings.Contains(dump(rows), "Test1234!") {
			t.Errorf("%s: the password leaked into a message", c.name)
		}
	}
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A certificate expiring before the profile's date drives cred.expiry.
func TestCertExpiryUsesNotAfter(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	_ = os.WriteFile(pw, []byte("Test1234!"), 0o600)
	p := withCert(t, profile.Certificate{PKCS12: fixture(t, "aes.p12"), Password: profile.NewSecret("file:" + pw), Fingerprint: leafSHA1(t), Expires: profile.NewDate("2030-01-01")})
	rows := run(t, p, testAt)
	r := rowOf(rows, "cred.expiry", cs)
	if r == nil || r.Status != Pass || r.Evidence["expires"] != "2027-12-31" {
		t.Fatalf("got %+v", r)
	}
	expect(t, run(t, p, testAt.AddDate(1, 0, 10)), "cred.expiry", cs, Warn)
	expect(t, run(t, p, testAt.AddDate(2, 0, 0)), "cred.expiry", cs, Fail)
}

// A test certificate in production, a production one in Test04.
func TestAccessEnvironmentCertificate(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	_ = os.WriteFile(pw, []byte("Test1234!"), 0o600)
	p := withCert(t, profile.Certificate{PKCS12: fixture(t, "aes.p12"), Password: profile.NewSecret("file:" + pw), Fingerprint: leafSHA1(t)})
	expect(t, run(t, p, testAt), "access.environment", cs, "") // fixture CA is not a TEST CA
	p.Environment = "test04"
	expect(t, run(t, p, testAt), "access.environment", cs, Warn)
}

func TestCredExpiry(t *testing.T) {
	const ak = "it_systems[0].credentials.api_keys[0]"
	const ss = "it_systems[0].credentials.oauth_shared_secrets[0]"
	day := func(d int) profile.Date { return profile.DateOf(testAt.AddDate(0, 0, d)) }
	cases := []struct {
		name             string
		created, expires profile.Date
		subject          string
		want             Status
	}{
		{"key ok", profile.Date{}, day(400), ak, Pass},
		{"key on the day", profile.Date{}, day(0), ak, Warn},
		{"key yesterday", profile.Date{}, day(-1), ak, Fail},
		{"key in 30", profile.Date{}, day(30), ak, Warn},
		{"key in 31", profile.Date{}, day(31), ak, Pass},
		{"key no date", profile.Date{}, profile.Date{}, ak, Warn},
		{"key garbled date", profile.Date{}, profile.NewDate("soon"), ak, Fail},
		{"secret 2 years", profile.NewDate("2026-05-08"), profile.NewDate("2028-05-08"), ss, Pass},
		{"secret 2 years + 1 day", profile.NewDate("2026-05-08"), profile.NewDate("2028-05-09"), ss, Fail},
		{"secret too far without created", profile.Date{}, day(800), ss, Fail},
		{"secret expired", profile.Date{}, day(-10), ss, Fail},
	}
	for _, c := range cases {
		p := base(t)
		cr := &p.ITSystems[0].Credentials
		if c.subject == ak {
			cr.APIKeys[0].Created, cr.APIKeys[0].Expires = c.created, c.expires
		} else {
			cr.OAuthSharedSecrets[0].Created, cr.OAuthSharedSecrets[0].Expires = c.created, c.expires
		}
		if got := statusOf(run(t, p, testAt), "cred.expiry", c.subject); got != c.want {
			t.Errorf("%s: got %q want %q", c.name, got, c.want)
		}
	}
}

func TestClientID(t *testing.T) {
	const ss = "it_systems[0].credentials.oauth_shared_secrets[0]"
	for _, c := range []struct {
		id   string
		want Status
	}{
		{"a4098663-0502-45ce-954c-b660160be961", Pass},
		{"A4098663-0502-45CE-954C-B660160BE961", Pass},
		{"a4098663050245ce954cb660160be961", Fail},
		{"Borgerservice", Fail},
		{"", Fail},
	} {
		p := base(t)
		p.ITSystems[0].Credentials.OAuthSharedSecrets[0].ClientID = c.id
		if got := statusOf(run(t, p, testAt), "cred.client-id", ss); got != c.want {
			t.Errorf("%q: got %s want %s", c.id, got, c.want)
		}
	}
}

func TestSecretStorageAndHygiene(t *testing.T) {
	const ss = "it_systems[0].credentials.oauth_shared_secrets[0]"
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return "file:" + p
	}
	cases := []struct {
		name             string
		ref              string
		storage, hygiene Status
	}{
		{"env", "env:SECRET", Pass, Pass},
		{"unset env", "env:CPRREADY_TEST_UNSET", Fail, Skip},
		{"file with one newline", file("one", "s3cret-value\n"), Pass, Pass},
		{"file with CRLF", file("crlf", "s3cret-value\r\n"), Pass, Pass},
		{"file with two newlines", file("two", "s3cret-value\n\n"), Pass, Warn},
		{"file with BOM", file("bom", "\ufeffs3cret-value\n"), Pass, Warn},
		{"file with quotes", file("quotes", "\"s3cret-value\"\n"), Pass, Warn},
		{"file with single quotes", file("squotes", "'s3cret-value'"), Pass, Warn},
		{"file with spaces", file("spaces", " s3cret-value"), Pass, Warn},
		{"empty file", file("empty", "\n"), Fail, Skip},
		{"missing file", "file:" + filepath.Join(dir, "none"), Fail, Skip},
		{"literal", "s3cret-value", Warn, Pass},
		{"literal with newline", "s3cret-value\n", Warn, Warn},
		{"keyring without keyring", "keyring:cprready/x", Fail, Skip},
		{"malformed keyring ref", "keyring:nothing", Fail, Skip},
		{"empty env name", "env:", Fail, Skip},
		{"none", "", Fail, ""},
	}
	for _, c := range cases {
		p := base(t)
		p.ITSystems[0].Credentials.OAuthSharedSecrets[0].Secret = profile.NewSecret(c.ref)
		rows := run(t, p, testAt)
		if got := statusOf(rows, "cred.storage", ss); got != c.storage {
			t.Errorf("%s: storage %q want %q", c.name, got, c.storage)
		}
		if got := statusOf(rows, "cred.secret-hygiene", ss); got != c.hygiene {
			t.Errorf("%s: hygiene %q want %q", c.name, got, c.hygiene)
		}
		if strings.Contains(dump(rows), "s3cret-value") {
			t.Errorf("%s: the secret leaked into a message:\n%s", c.name, dump(rows))
		}
	}
}

func TestHygieneProblems(t *testing.T) {
	if p := HygieneProblems("clean-value"); len(p) != 0 {
		t.Fatal(p)
	}
	if p := HygieneProblems("\ufeff\"x\"\n"); len(p) != 4 {
		t.Fatalf("want BOM, line break, whitespace and quotes; got %v", p)
	}
}

// Tabs, escapes, NUL and bidirectional controls are copy-paste errors too.
func TestHygieneControlAndBidi(t *testing.T) {
	for _, v := range []string{"ab\tcd1234", "ab\x1bcd1234", "ab\x00cd1234", "ab\u202ecd1234", "ab\u200bcd1234"} {
		if p := HygieneProblems(v); len(p) == 0 {
			t.Errorf("%q passes", v)
		}
	}
}

// A client certificate with an RSA key under 2048 bits is never silent.
func TestWeakCertificateKeyWarns(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024) // #nosec G403 -- the weak key under test
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "weak"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	b, err := pkcs12.Modern.Encode(key, leaf, nil, "pw")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p12 := filepath.Join(dir, "weak.p12")
	if err := os.WriteFile(p12, b, 0o600); err != nil {
		t.Fatal(err)
	}
	p := withCert(t, profile.Certificate{Name: "w", PKCS12: p12, Password: profile.LiteralSecret("pw")})
	rows := run(t, p, time.Now())
	r := rowOf(rows, "cred.cert-valid", profile.CertificateSubject(0, 0))
	if r == nil || r.Status != Warn || !strings.Contains(r.Message, "RSA 1024 bits") {
		t.Fatalf("%s", dump(rows))
	}
}

// A certificate issued to another CVR than the organisation's is named.
func TestCertificateOfAnotherCVRWarns(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(8), Subject: pkix.Name{CommonName: "Leverandør", SerialNumber: "CVR:13748136-UID:1"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	b, err := pkcs12.Modern.Encode(key, leaf, nil, "pw")
	if err != nil {
		t.Fatal(err)
	}
	p12 := filepath.Join(t.TempDir(), "other.p12")
	if err := os.WriteFile(p12, b, 0o600); err != nil {
		t.Fatal(err)
	}
	p := withCert(t, profile.Certificate{Name: "o", PKCS12: p12, Password: profile.LiteralSecret("pw")})
	rows := run(t, p, time.Now())
	r := rowOf(rows, "cred.cert-valid", profile.CertificateSubject(0, 0))
	if r == nil || r.Status != Warn || !strings.Contains(r.Message, "issued to CVR 13748136") {
		t.Fatalf("%s", dump(rows))
	}
}
