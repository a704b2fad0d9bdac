package profile

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

func FuzzCVRFormat(f *testing.F) {
	for _, s := range []string{"29189846", "13748136", "2918984", "02918984", "2918 9846", "", "ABCDEFGH", "２９１８９８４６"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := cvrProblem(s)
		if err == nil {
			if len(s) != 8 || s[0] == '0' {
				t.Fatalf("%q accepted", s)
			}
			sum := 0
			for i, w := range []int{2, 7, 6, 5, 4, 3, 2, 1} {
				sum += int(s[i]-'0') * w
			}
			if sum%11 != 0 {
				t.Fatalf("%q accepted with sum %d", s, sum)
			}
		}
	})
}

func FuzzDecodePKCS12(f *testing.F) {
	for _, name := range []string{"testdata/aes.p12", "testdata/legacy.p12", "testdata/expired.p12"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b, "Test1234!")
			f.Add(b, "wrong")
		}
	}
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n"), "")
	f.Add([]byte{0x30, 0x82, 0x00, 0x01}, "")
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		lc, err := DecodePKCS12(data, password)
		if err == nil && (lc == nil || lc.Leaf == nil || len(lc.SHA1) != 40) {
			t.Fatal("success without a certificate")
		}
	})
}

func FuzzDecodePEMPair(f *testing.F) {
	c, _ := os.ReadFile("testdata/leaf.pem")
	k, _ := os.ReadFile("testdata/leaf.key")
	f.Add(c, k)
	f.Add(c, []byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA==\n-----END ENCRYPTED PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, cert, key []byte) {
		if lc, err := DecodePEMPair(cert, key); err == nil && lc.Leaf == nil {
			t.Fatal("success without a certificate")
		}
	})
}

func TestNormalizeFingerprint(t *testing.T) {
	want := "52CAB8C21DC2EA477BC994D0252F5CC8A495555B"
	for _, in := range []string{want, "52:ca:b8:c2:1d:c2:ea:47:7b:c9:94:d0:25:2f:5c:c8:a4:95:55:5b", " 52CAB8C2 1DC2EA47 7BC994D0 252F5CC8 A495555B "} {
		if got, err := NormalizeFingerprint(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "52CAB8", want + "00", "ZZCAB8C21DC2EA477BC994D0252F5CC8A495555B"} {
		if _, err := NormalizeFingerprint(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A PKCS#12 file asking for an absurd number of MAC iterations is refused
// at once instead of stalling the run.
func TestPKCS12IterationCap(t *testing.T) {
	b, err := os.ReadFile("testdata/aes.p12")
	if err != nil {
		t.Fatal(err)
	}
	var pfx pfxPDU
	if _, err := asn1.Unmarshal(b, &pfx); err != nil || pfx.MacData.Iterations != 2048 {
		t.Fatalf("fixture: %v %d", err, pfx.MacData.Iterations)
	}
	pfx.MacData.Iterations = 1 << 30
	evil, err := asn1.Marshal(pfx)
	if err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	_, err = DecodePKCS12(evil, "Test1234!")
	if err == nil || !strings.Contains(err.Error(), "iterations") || time.Since(begin) > time.Second {
		t.Fatalf("got %v after %s", err, time.Since(begin))
	}
}

// PBMAC1 (RFC 9579) and PBES2 carry their iteration counts inside the
// algorithm parameters, not in macData: they are capped too.
func TestPKCS12IterationCapPBMAC1AndPBES2(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "t"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	for name, enc := range map[string]*pkcs12.Encoder{"PBMAC1": pkcs12.Modern2026, "PBES2": pkcs12.Modern2023} {
		// 65536 iterations encode as 02 03 01 00 00; patch them to 8388607.
		b, err := enc.WithIterations(65536).Encode(key, leaf, nil, "pw")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DecodePKCS12(b, "pw"); err != nil {
			t.Fatalf("%s: a sane file must decode: %v", name, err)
		}
		n := bytes.Count(b, []byte{2, 3, 1, 0, 0})
		if n == 0 {
			t.Fatalf("%s: fixture has no iteration count to patch", name)
		}
		// Patch one KDF at a time (the MAC's, the bags'): each alone must be refused.
		for i := range n {
			evil := bytes.Clone(b)
			at := 0
			for range i + 1 {
				at += bytes.Index(evil[at:], []byte{2, 3, 1, 0, 0}) + 1
			}
			copy(evil[at-1:], []byte{2, 3, 0x7f, 0xff, 0xff})
			begin := time.Now()
			_, err := DecodePKCS12(evil, "pw")
			if err == nil || !strings.Contains(err.Error(), "iterations") || time.Since(begin) > 2*time.Second {
				t.Errorf("%s, KDF %d: got %v after %s", name, i, err, time.Since(begin))
			}
		}
	}
}

// BenchmarkDecodePKCS12 is the cost of one certificate's key derivation
// and decode: the unit of the offline target for many certificates.
func BenchmarkDecodePKCS12(b *testing.B) {
	data, err := os.ReadFile("testdata/aes.p12")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := DecodePKCS12(data, "Test1234!"); err != nil {
			b.Fatal(err)
		}
	}
}
