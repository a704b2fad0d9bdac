package profile

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
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

// MaxDecodeTime bounds how long opening a certificate may take. A real
// PKCS#12 file opens in milliseconds; one whose inner, encrypted key bag
// asks for billions of key-derivation iterations (invisible until the
// outer layer is decrypted) would take hours.
const MaxDecodeTime = 20 * time.Second

// ErrCertTooSlow is a certificate that did not open within MaxDecodeTime.
var ErrCertTooSlow = fmt.Errorf("opening the certificate takes longer than %s: its key derivation asks for far more work than any real certificate's; export it again", MaxDecodeTime)

// decodes are the certificate decodes of the process, one per (file
// content, password): a decode that is running is waited for, not
// started again, and one that overran MaxDecodeTime fails at once from
// then on. A key derivation cannot be stopped half-way; this keeps a
// hostile file to one runaway computation, never one per run.
var decodes = struct {
	sync.Mutex
	m map[[32]byte]*decodeFlight
}{m: map[[32]byte]*decodeFlight{}}

type decodeFlight struct {
	done chan struct{}
	lc   *LoadedCert
	err  error
	slow atomic.Bool
}

// LoadCertificateContext is LoadCertificate bounded by ctx and by
// MaxDecodeTime; the same file and password are decoded once at a time.
func (p *Profile) LoadCertificateContext(ctx context.Context, c *Certificate, password string) (*LoadedCert, error) {
	if c.PKCS12 == "" {
		return p.LoadCertificate(c, password) // PEM: no key derivation
	}
	path := p.ResolvePath(c.PKCS12)
	data, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	h.Write(data)
	h.Write([]byte{0})
	h.Write([]byte(password))
	var key [32]byte
	copy(key[:], h.Sum(nil))
	decodes.Lock()
	f, ok := decodes.m[key]
	if !ok {
		f = &decodeFlight{done: make(chan struct{})}
		decodes.m[key] = f
		go func() {
			defer close(f.done)
			f.lc, f.err = DecodePKCS12(data, password)
			if f.lc != nil {
				f.lc.Source = path
			}
			if f.err != nil {
				f.err = fmt.Errorf("%s: %w", path, f.err)
			}
			decodes.Lock()
			if !f.slow.Load() {
				delete(decodes.m, key) // finished in time: a later call decodes afresh
			}
			decodes.Unlock()
		}()
	}
	decodes.Unlock()
	if f.slow.Load() {
		return nil, fmt.Errorf("%s: %w", path, ErrCertTooSlow)
	}
	budget := time.NewTimer(MaxDecodeTime)
	defer budget.Stop()
	select {
	case <-f.done:
		if f.lc == nil {
			return nil, f.err
		}
		lc := *f.lc
		return &lc, nil
	case <-budget.C:
		f.slow.Store(true)
		return nil, fmt.Errorf("%s: %w", path, ErrCertTooSlow)
	case <-ctx.Done():
		return nil, fmt.Errorf("the certificate was not read: %w", ctx.Err())
	}
}

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
	if err := checkPKCS12Work(data, password); err != nil {
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

// MaxPKCS12Iterations bounds the key-derivation work one KDF of a PKCS#12
// file may ask for. OpenSSL writes 2048 (PBES2, PBMAC1 and the classic
// MAC alike); a file asking for millions would stall every run (a damaged
// or hostile file).
const MaxPKCS12Iterations = 1 << 20

// MaxPKCS12Work bounds the iterations of all the file's KDFs together.
const MaxPKCS12Work = 1 << 22

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

// Key-derivation algorithms whose parameters carry an iteration count.
var (
	oidPBKDF2     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidPKCS12PBE  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1} // pbeWithSHAAnd… (.1 to .6)
	oidPKCS5PBES1 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5}     // pbeWithMD5AndDES … (.1 .3 .4 .6 .10 .11)
)

// checkPKCS12Work refuses a file whose key derivations ask for too many
// iterations: the classic MAC (macData.iterations), PBMAC1's PBKDF2
// parameters, PBES2's PBKDF2 parameters and the PKCS#12 PBE schemes of
// every bag, found wherever they sit in the file.
func checkPKCS12Work(data []byte, password string) error {
	var pfx pfxPDU
	if _, err := asn1.Unmarshal(data, &pfx); err != nil {
		return nil // not parseable here: go-pkcs12 gives the error
	}
	counts := []int{pfx.MacData.Iterations}
	w := &kdfWalk{budget: 1 << 16}
	w.walk(data, 0)
	counts = append(counts, w.counts...)
	if err := checkCounts(counts); err != nil {
		return err
	}
	// Only now, with the outer key derivations known to be bounded: what
	// the encrypted safes hold.
	return checkCounts(append(counts, innerKDFCounts(pfx.AuthSafe, password)...))
}

// checkCounts bounds each key derivation and all of them together.
func checkCounts(counts []int) error {
	total := 0
	for _, n := range counts {
		if n < 0 || n > MaxPKCS12Iterations {
			return fmt.Errorf("the PKCS#12 file asks for %d key-derivation iterations (at most %d are accepted); export it again", n, MaxPKCS12Iterations)
		}
		total += n
	}
	if total > MaxPKCS12Work {
		return fmt.Errorf("the PKCS#12 file asks for %d key-derivation iterations in all (at most %d are accepted); export it again", total, MaxPKCS12Work)
	}
	return nil
}

// kdfWalk finds the iteration counts of every KDF in a DER tree, looking
// into constructed values and into OCTET STRINGs that hold DER.
type kdfWalk struct {
	counts []int
	budget int // elements left to look at
}

func (w *kdfWalk) walk(der []byte, depth int) {
	for len(der) > 0 && w.budget > 0 && depth < 24 {
		w.budget--
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(der, &v)
		if err != nil {
			return
		}
		der = rest
		switch {
		case v.IsCompound && v.Class == asn1.ClassUniversal && v.Tag == asn1.TagSequence:
			w.algorithm(v.Bytes)
			w.walk(v.Bytes, depth+1)
		case v.IsCompound:
			w.walk(v.Bytes, depth+1)
		case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOctetString:
			w.walk(v.Bytes, depth+1) // stops at the first element that is not DER
		}
	}
}

// algorithm reads an AlgorithmIdentifier (OID, parameters) if seq is one.
func (w *kdfWalk) algorithm(seq []byte) {
	var oid asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(seq, &oid)
	if err != nil || len(rest) == 0 {
		return
	}
	var params asn1.RawValue
	if _, err := asn1.Unmarshal(rest, &params); err != nil || !params.IsCompound {
		return
	}
	var fields []asn1.RawValue
	for b := params.Bytes; len(b) > 0 && len(fields) < 4; {
		var f asn1.RawValue
		r, err := asn1.Unmarshal(b, &f)
		if err != nil {
			break
		}
		fields, b = append(fields, f), r
	}
	kdf := oid.Equal(oidPBKDF2) || hasPrefix(oid, oidPKCS12PBE) || (hasPrefix(oid, oidPKCS5PBES1) && len(oid) == len(oidPKCS5PBES1)+1 && oid[len(oid)-1] <= 11)
	if !kdf || len(fields) < 2 || fields[1].Tag != asn1.TagInteger {
		return
	}
	var n *big.Int
	if _, err := asn1.Unmarshal(fields[1].FullBytes, &n); err != nil {
		return
	}
	if !n.IsInt64() || n.Int64() > math.MaxInt32 {
		w.counts = append(w.counts, math.MaxInt32)
		return
	}
	w.counts = append(w.counts, int(n.Int64()))
}

func hasPrefix(oid, prefix asn1.ObjectIdentifier) bool {
	return len(oid) > len(prefix) && oid[:len(prefix)].Equal(prefix)
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
