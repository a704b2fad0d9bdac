// Command scale writes a profile with many IT-systems for the speed and
// memory measurements of scripts/bench.sh: the emulator's public profile
// with its GraphQL IT-system repeated -n times, sharing one certificate
// or (-distinct) each with its own.
//
//	go run ./scripts/scale -n 1000 -distinct -out /tmp/scale
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/profile"
)

func main() {
	n := flag.Int("n", 1000, "IT-systems")
	distinct := flag.Bool("distinct", false, "a certificate file per IT-system")
	out := flag.String("out", "", "folder to write (new or empty)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "scale: -out DIR is required")
		os.Exit(2)
	}
	if err := run(*n, *distinct, *out); err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

func run(n int, distinct bool, out string) error {
	srv, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: out})
	if err != nil {
		return err
	}
	_ = srv.Close()
	p, err := profile.Load(srv.PublicProfile())
	if err != nil {
		return err
	}
	base := p.ITSystems[0]
	p.ITSystems = nil
	for i := range n {
		s := base
		s.Name = fmt.Sprintf("%s %d", base.Name, i+1)
		s.Credentials.OAuthCertificates = slices.Clone(base.Credentials.OAuthCertificates)
		if distinct {
			rel := filepath.Join("certs", fmt.Sprintf("c%d.p12", i))
			if err := writeP12(filepath.Join(out, rel), srv.Credentials().Public.P12Password); err != nil {
				return err
			}
			s.Credentials.OAuthCertificates[0].PKCS12 = rel
		}
		p.ITSystems = append(p.ITSystems, s)
	}
	return p.Save(filepath.Join(out, "scale.yaml"))
}

func writeP12(path, password string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "scale", SerialNumber: "CVR:29189846-UID:s"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	data, err := pkcs12.Modern.Encode(key, leaf, nil, password)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o600)
}
