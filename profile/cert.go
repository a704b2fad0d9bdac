package profile

import (
	"bytes"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/internal/textsafe"
	"software.sslmate.com/src/go-pkcs12"
)

// maxCertFile bounds a certificate or PKCS#12 file.
const maxCertFile = 1 << 20

// LoadedCert is an OAuth Certificate read from disk, ready for mutual TLS.
type LoadedCert struct {
	TLS       tls.Certificate
	Leaf      *x509.Certificate
	Chain     []*x509.Certificate
	Subject   string
	Issuer    string
	NotBefore time.Time
	NotAfter  time.Time
	SHA1      string
	SHA256    string
	Source    string // the file it came from
}

// Cert errors, so checks can say precisely what is wrong.
var (
	ErrWrongPassword = errors.New("the PKCS#12 password is wrong")
	ErrKeyMismatch   = errors.New("the private key does not belong to the certificate")
	ErrNoCertFile    = errors.New("no certificate file given (pkcs12:, or certificate: and private_key:)")
)

// IsTestCertificate reports whether the issuer is a test CA (OCES3 test
// certificates carry TEST in the issuer's name).
func (c *LoadedCert) IsTestCertificate() bool {
	return testIssuerRe.MatchString(c.Issuer)
}

// testIssuerRe matches the word TEST as OCES test CAs spell it.
var testIssuerRe = regexp.MustCompile(`\bTEST\b`)

// LoadCertificate reads a certificate credential. password is the resolved
// PKCS#12 password ("" when none). Paths are relative to the profile.
func (p *Profile) LoadCertificate(c *Certificate, password string) (*LoadedCert, error) {
	switch {
	case c.PKCS12 != "":
		path := p.ResolvePath(c.PKCS12)
		data, err := readBounded(path)
		if err != nil {
			return nil, err
		}
		lc, err := DecodePKCS12(data, password)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		lc.Source = path
		return lc, nil
	case c.Certificate != "" || c.PrivateKey != "":
		if c.Certificate == "" || c.PrivateKey == "" {
			return nil, errors.New("a PEM certificate needs both certificate and private_key")
		}
		certPath, keyPath := p.ResolvePath(c.Certificate), p.ResolvePath(c.PrivateKey)
		certPEM, err := readBounded(certPath)
		if err != nil {
			return nil, err
		}
		keyPEM, err := readBounded(keyPath)
		if err != nil {
			return nil, err
		}
		lc, err := DecodePEMPair(certPEM, keyPEM)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", certPath, err)
		}
		lc.Source = certPath
		return lc, nil
	}
	return nil, ErrNoCertFile
}

func readBounded(path string) ([]byte, error) {
	b, err := fsutil.ReadRegular(path, maxCertFile)
	var big *fsutil.TooLargeError
	if errors.As(err, &big) {
		return nil, fmt.Errorf("%w; is it a certificate?", err)
	}
	return b, err
}

// DecodePKCS12 decodes a PKCS#12 file (OpenSSL 3 AES or legacy RC2/3DES)
// with its chain, and checks that key and certificate belong together.
func DecodePKCS12(data []byte, password string) (lc *LoadedCert, err error) {
	defer func() {
		if r := recover(); r != nil {
			lc, err = nil, errors.New("the file is not a readable PKCS#12 file")
		}
	}()
	if bytes.Contains(data, []byte("-----BEGIN")) {
		return nil, errors.New("this is a PEM file, not PKCS#12: name it under certificate: and private_key: instead")
	}
	if err := checkPKCS12Work(data); err != nil {
		return nil, err
	}
	key, leaf, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return nil, ErrWrongPassword
		}
		return nil, fmt.Errorf("not a readable PKCS#12 file: %s", textsafe.Line(err.Error()))
	}
	if leaf == nil || key == nil {
		return nil, errors.New("the PKCS#12 file holds no certificate with its private key")
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, errors.New("the PKCS#12 private key is of an unsupported type")
	}
	if !publicKeysEqual(leaf.PublicKey, signer.Public()) {
		return nil, ErrKeyMismatch
	}
	tc := tls.Certificate{PrivateKey: key, Leaf: leaf, Certificate: [][]byte{leaf.Raw}}
	for _, c := range chain {
		tc.Certificate = append(tc.Certificate, c.Raw)
	}
	return newLoaded(tc, leaf, chain), nil
}

// DecodePEMPair reads a PEM certificate (with optional chain) and its key.
func DecodePEMPair(certPEM, keyPEM []byte) (*LoadedCert, error) {
	if blk, _ := pem.Decode(keyPEM); blk != nil && (strings.Contains(blk.Type, "ENCRYPTED") || blk.Headers["Proc-Type"] != "") {
		return nil, errors.New("the private key is encrypted; export it as PKCS#12 (openssl pkcs12 -export) and name it under pkcs12")
	}
	tc, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		if strings.Contains(err.Error(), "does not match") {
			return nil, ErrKeyMismatch
		}
		return nil, fmt.Errorf("not a readable PEM certificate and key: %s", textsafe.Line(err.Error()))
	}
	leaf, err := x509.ParseCertificate(tc.Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("the certificate cannot be parsed: %s", textsafe.Line(err.Error()))
	}
	tc.Leaf = leaf
	var chain []*x509.Certificate
	for _, der := range tc.Certificate[1:] {
		if c, err := x509.ParseCertificate(der); err == nil {
			chain = append(chain, c)
		}
	}
	return newLoaded(tc, leaf, chain), nil
}

// MaxPKCS12Iterations bounds the key-derivation work a PKCS#12 file may
// ask for. OpenSSL writes 2048; a file asking for millions would stall
// every run (a damaged or hostile file).
const MaxPKCS12Iterations = 1 << 20

type pfxPDU struct {
	Version  int
	AuthSafe asn1.RawValue
	MacData  pfxMacData `asn1:"optional"`
}

type pfxMacData struct {
	Mac        asn1.RawValue
	MacSalt    []byte
	Iterations int `asn1:"optional,default:1"`
}

// checkPKCS12Work refuses a file whose MAC asks for too many iterations;
// the MAC is computed before anything else is decrypted.
func checkPKCS12Work(data []byte) error {
	var pfx pfxPDU
	if _, err := asn1.Unmarshal(data, &pfx); err != nil {
		return nil // not parseable here: go-pkcs12 gives the error
	}
	if pfx.MacData.Iterations > MaxPKCS12Iterations || pfx.MacData.Iterations < 0 {
		return fmt.Errorf("the PKCS#12 file asks for %d key-derivation iterations (at most %d are accepted); export it again", pfx.MacData.Iterations, MaxPKCS12Iterations)
	}
	return nil
}

func newLoaded(tc tls.Certificate, leaf *x509.Certificate, chain []*x509.Certificate) *LoadedCert {
	s1, s256 := Fingerprints(leaf.Raw)
	return &LoadedCert{
		TLS: tc, Leaf: leaf, Chain: chain,
		Subject:   textsafe.Line(leaf.Subject.String()),
		Issuer:    textsafe.Line(leaf.Issuer.String()),
		NotBefore: leaf.NotBefore, NotAfter: leaf.NotAfter,
		SHA1: s1, SHA256: s256,
	}
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	eq, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(b)
}
