package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/profile"
)

// Credentials is the emulator's registry: what Administration would know.
// It is stored in DIR/credentials.json (owner-only: mode 0600, an ACL on
// Windows) so that profiles keep working across restarts.
type Credentials struct {
	Public  PublicCreds  `json:"public"`
	Private PrivateCreds `json:"private"`
}

// PublicCreds are the public authority's: a GraphQL IT-system with an API
// key, a shared secret and a certificate, and a file-download IT-system.
type PublicCreds struct {
	APIKey            string `json:"api_key"`
	GraphQLClientID   string `json:"graphql_client_id"`
	GraphQLSecret     string `json:"graphql_secret"`
	CertClientID      string `json:"cert_client_id"`
	CertFingerprint   string `json:"cert_fingerprint"`
	P12Password       string `json:"p12_password"`
	FilesClientID     string `json:"files_client_id"`
	FilesSecret       string `json:"files_secret"`
	CertNotAfterMonth string `json:"cert_not_after"`
}

// PrivateCreds are the private user's.
type PrivateCreds struct {
	APIKey   string `json:"api_key"`
	ClientID string `json:"client_id"`
	Secret   string `json:"secret"`
}

// Organisations of the emulator's profiles (valid CVR numbers of fictional
// organisations: they pass the modulus-11 check).
const (
	PublicCVR  = "29189846"
	PrivateCVR = "13748136"
)

// DefaultEgressIP is the caller's pretended public address.
const DefaultEgressIP = "80.62.117.23"

// WrongEgressIP is pretended by the ip-not-whitelisted fault.
const WrongEgressIP = "93.184.216.34"

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func randomUUID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// state is everything on disk.
type state struct {
	dir   string
	ca    *x509.Certificate
	caKey *ecdsa.PrivateKey
	caPEM []byte
	creds Credentials
}

type tlsPair struct {
	certPEM, keyPEM []byte
}

// maxStateFile bounds what the emulator reads back from its state folder.
const maxStateFile = 1 << 20

// StateMarker marks a folder as the emulator's own; the emulator writes
// only into an empty folder or one that carries it.
const StateMarker = ".cprready-emulator"

// ErrStateDirInUse is a --state folder that holds someone else's files.
var ErrStateDirInUse = errors.New("not the emulator's folder")

// claimStateDir makes sure dir is the emulator's: it creates a missing
// folder, marks an empty one, and refuses a folder with other files in it
// (a checkout's examples/, /etc …): the emulator overwrites public.yaml,
// private.yaml and secrets/ there.
func claimStateDir(dir string) error {
	marker := filepath.Join(dir, StateMarker)
	// A planted link on the way (a folder link in /tmp, or another user's)
	// would turn every write of the emulator onto someone else's folder.
	if err := fsutil.CheckFolderLinks(dir); err != nil {
		return fmt.Errorf("emulator state: %w", err)
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("emulator state: %w", err)
		}
	case err != nil:
		return fmt.Errorf("emulator state: %w", err)
	case !fi.IsDir():
		return fmt.Errorf("emulator state: %s is not a folder", dir)
	default:
		if err := ownState(dir); err != nil {
			return err
		}
		if _, err := os.Stat(marker); err == nil {
			return nil
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("emulator state: %w", err)
		}
		if len(entries) > 0 {
			return fmt.Errorf("emulator state: %s is %w: it is not empty and has no %s file; give a new or empty folder (the emulator writes public.yaml, private.yaml, secrets/ and certs/ there)", dir, ErrStateDirInUse, StateMarker)
		}
	}
	return fsutil.WriteFileAtomic(marker, []byte("This folder belongs to `cprready emulator`: its CA, credentials and profiles.\n"))
}

// ownState refuses a state folder, or anything in it, that another user
// owns: the emulator writes profiles and secrets there, and a folder
// prepared by someone else could turn those writes onto the user's files.
func ownState(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("emulator state: %w", err)
		}
		fi, err := os.Lstat(path)
		if err != nil {
			return fmt.Errorf("emulator state: %w", err)
		}
		if who, other := fsutil.OwnedByOther(fi); other {
			what := "a file in it"
			if path == dir {
				what = "the folder"
			}
			return fmt.Errorf("emulator state: %s is %w: %s (%s) belongs to another user (%s); give a folder of your own", dir, ErrStateDirInUse, what, path, who)
		}
		if d.IsDir() && path != dir && filepath.Dir(path) != dir {
			return fs.SkipDir // the emulator's own folders are one level deep
		}
		return nil
	})
}

// loadState creates DIR and its CA and credentials if missing, and loads them.
func loadState(dir string, now time.Time) (*state, error) {
	if err := claimStateDir(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "secrets"), 0o700); err != nil {
		return nil, fmt.Errorf("emulator state: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "certs"), 0o700); err != nil {
		return nil, fmt.Errorf("emulator state: %w", err)
	}
	s := &state{dir: dir}
	if err := s.loadOrCreateCA(now); err != nil {
		return nil, err
	}
	credPath := filepath.Join(dir, "credentials.json")
	if b, err := fsutil.ReadRegular(credPath, maxStateFile); err == nil {
		if err := json.Unmarshal(b, &s.creds); err != nil {
			return nil, fmt.Errorf("emulator state: %s is damaged (%w); remove the folder to start afresh", credPath, err)
		}
	}
	if s.creds.Public.APIKey == "" || s.creds.Private.APIKey == "" {
		if err := s.createCredentials(now); err != nil {
			return nil, err
		}
		b, _ := json.MarshalIndent(s.creds, "", "  ")
		if err := fsutil.WriteFileAtomic(credPath, b); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *state) loadOrCreateCA(now time.Time) error {
	certPath, keyPath := filepath.Join(s.dir, "ca.pem"), filepath.Join(s.dir, "ca.key")
	cb, cerr := fsutil.ReadRegular(certPath, maxStateFile)
	kb, kerr := fsutil.ReadRegular(keyPath, maxStateFile)
	if cerr == nil && kerr == nil {
		cblk, _ := pem.Decode(cb)
		kblk, _ := pem.Decode(kb)
		if cblk != nil && kblk != nil {
			ca, err1 := x509.ParseCertificate(cblk.Bytes)
			key, err2 := x509.ParseECPrivateKey(kblk.Bytes)
			if err1 == nil && err2 == nil && now.Before(ca.NotAfter) {
				s.ca, s.caKey, s.caPEM = ca, key, cb
				return nil
			}
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "cprready emulator CA", Organization: []string{"cprready emulator"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(5, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	ca, _ := x509.ParseCertificate(der)
	kder, _ := x509.MarshalECPrivateKey(key)
	s.ca, s.caKey = ca, key
	s.caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := fsutil.WriteFileAtomic(certPath, s.caPEM); err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	return n
}

// serverCert issues a certificate for the listening address (loopback
// names always included); it is made fresh at every start.
func (s *state) serverCert(host string, now time.Time) (tlsPair, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tlsPair{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "cprready emulator"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(0, 0, 30),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
	}
	if ip := net.ParseIP(host); ip != nil && !ip.IsLoopback() && !ip.IsUnspecified() {
		tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
	} else if host != "" && ip == nil && host != "localhost" {
		tmpl.DNSNames = append(tmpl.DNSNames, host)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, s.ca, &key.PublicKey, s.caKey)
	if err != nil {
		return tlsPair{}, err
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	return tlsPair{
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}),
	}, nil
}

// createCredentials makes API keys, secrets and a client certificate
// (PKCS#12, OpenSSL 3-style AES) and writes them as files in DIR.
func (s *state) createCredentials(now time.Time) error {
	c := Credentials{
		Public: PublicCreds{
			APIKey: "emu-" + randomHex(16), GraphQLClientID: randomUUID(), GraphQLSecret: "emu-" + randomHex(20),
			CertClientID: randomUUID(), P12Password: "emu-" + randomHex(8),
			FilesClientID: randomUUID(), FilesSecret: "emu-" + randomHex(20),
		},
		Private: PrivateCreds{APIKey: "emu-" + randomHex(16), ClientID: randomUUID(), Secret: "emu-" + randomHex(20)},
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	notAfter := now.AddDate(1, 0, 0)
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "Eksempel Kommune GraphQL (emulator)", Organization: []string{"Eksempel Kommune"}, SerialNumber: "CVR:" + PublicCVR + "-UID:emulator"},
		NotBefore:    now.Add(-24 * time.Hour),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, s.ca, &key.PublicKey, s.caKey)
	if err != nil {
		return err
	}
	leaf, _ := x509.ParseCertificate(der)
	p12, err := pkcs12.Modern.Encode(key, leaf, []*x509.Certificate{s.ca}, c.Public.P12Password)
	if err != nil {
		return err
	}
	c.Public.CertFingerprint, _ = profile.Fingerprints(der)
	c.Public.CertNotAfterMonth = notAfter.Format(time.DateOnly)
	files := map[string][]byte{
		"certs/client.p12":        p12,
		"secrets/p12-password":    []byte(c.Public.P12Password + "\n"),
		"secrets/public-api-key":  []byte(c.Public.APIKey + "\n"),
		"secrets/public-secret":   []byte(c.Public.GraphQLSecret + "\n"),
		"secrets/files-secret":    []byte(c.Public.FilesSecret + "\n"),
		"secrets/private-api-key": []byte(c.Private.APIKey + "\n"),
		"secrets/private-secret":  []byte(c.Private.Secret + "\n"),
	}
	for name, b := range files {
		if err := fsutil.WriteFileAtomic(filepath.Join(s.dir, name), b); err != nil {
			return err
		}
	}
	s.creds = c
	return nil
}
