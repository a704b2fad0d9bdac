package checks_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/checks/live"
	"github.com/cprready/cprready/emulator"
	"github.com/cprready/cprready/profile"
)

// scaled is the emulator's public profile with its GraphQL IT-system
// repeated n times; distinct gives each its own certificate file.
func scaled(b *testing.B, srv *emulator.Server, n int, distinct bool) *profile.Profile {
	b.Helper()
	p, err := profile.Load(srv.PublicProfile())
	if err != nil {
		b.Fatal(err)
	}
	base := p.ITSystems[0]
	p.ITSystems = nil
	dir := b.TempDir()
	for i := range n {
		s := base
		s.Name = fmt.Sprintf("%s %d", base.Name, i+1)
		s.Credentials.OAuthCertificates = slices.Clone(base.Credentials.OAuthCertificates)
		s.Credentials.APIKeys = slices.Clone(base.Credentials.APIKeys)
		s.Credentials.OAuthSharedSecrets = slices.Clone(base.Credentials.OAuthSharedSecrets)
		if distinct {
			path := filepath.Join(dir, fmt.Sprintf("c%d.p12", i))
			writeP12(b, path, srv.Credentials().Public.P12Password)
			s.Credentials.OAuthCertificates[0].PKCS12 = path
		}
		p.ITSystems = append(p.ITSystems, s)
	}
	return p
}

func writeP12(b *testing.B, path, password string) {
	b.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "bench", SerialNumber: "CVR:29189846-UID:b"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		b.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	data, err := pkcs12.Modern.Encode(key, leaf, nil, password)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkOffline measures the offline rules on 1, 50 and 1000 IT-systems,
// sharing one certificate file or each with its own. Targets: 50 sharing
// one certificate at most 3x one IT-system; 1000 distinct within 1.3x of
// (one KDF x N / cores + parse).
//
//	go test ./checks -run '^$' -bench Offline -benchmem
func BenchmarkOffline(b *testing.B) {
	srv, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	for _, c := range []struct {
		n        int
		distinct bool
	}{{1, false}, {50, false}, {50, true}, {1000, false}, {1000, true}} {
		name := fmt.Sprintf("n=%d/shared", c.n)
		if c.distinct {
			name = fmt.Sprintf("n=%d/distinct", c.n)
		}
		b.Run(name, func(b *testing.B) {
			p := scaled(b, srv, c.n, c.distinct)
			for b.Loop() {
				// Secrets and certificates are read afresh each run, as the CLI does.
				q := *p
				q.ITSystems = slices.Clone(p.ITSystems)
				for i := range q.ITSystems {
					fresh(&q.ITSystems[i])
				}
				rep, err := checks.Evaluate(context.Background(), &q, checks.Options{Offline: true}, profile.DefaultResolver(&q))
				if err != nil || len(rep.Checks) == 0 {
					b.Fatal(err)
				}
			}
		})
	}
}

// fresh gives an IT-system unresolved copies of its secrets.
func fresh(s *profile.ITSystem) {
	c := &s.Credentials
	c.APIKeys = slices.Clone(c.APIKeys)
	for j := range c.APIKeys {
		c.APIKeys[j].Key = profile.NewSecret(c.APIKeys[j].Key.Reference())
	}
	c.OAuthSharedSecrets = slices.Clone(c.OAuthSharedSecrets)
	for j := range c.OAuthSharedSecrets {
		c.OAuthSharedSecrets[j].Secret = profile.NewSecret(c.OAuthSharedSecrets[j].Secret.Reference())
	}
	c.OAuthCertificates = slices.Clone(c.OAuthCertificates)
	for j := range c.OAuthCertificates {
		c.OAuthCertificates[j].Password = profile.NewSecret(c.OAuthCertificates[j].Password.Reference())
	}
}

// BenchmarkLive measures the live run on 1, 20 and 50 IT-systems with
// 250 ms of server-side latency, as the median wall time over the
// critical path (two round trips: token, then query). Targets: 1.10 for
// one IT-system, 1.15 for 20.
//
//	go test ./checks -run '^$' -bench 'Live$' -benchtime 5x
func BenchmarkLive(b *testing.B) {
	const latency = 250 * time.Millisecond
	srv, err := emulator.Start(emulator.Config{Addr: "127.0.0.1:0", StateDir: b.TempDir(), Latency: latency})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	for _, n := range []int{1, 20, 50} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			p := scaled(b, srv, n, false)
			var walls []time.Duration
			var conns int64
			for b.Loop() {
				q := *p
				q.ITSystems = slices.Clone(p.ITSystems)
				for i := range q.ITSystems {
					fresh(&q.ITSystems[i])
				}
				begin := time.Now()
				rep, err := checks.Evaluate(context.Background(), &q, checks.Options{Prober: live.New(live.Options{})}, profile.DefaultResolver(&q))
				walls = append(walls, time.Since(begin))
				for _, r := range rep.Checks {
					if n, ok := r.Evidence["connections_in_run"].(int64); ok {
						conns = n
					}
				}
				if err != nil || rep.Summary.Fail > 0 {
					for _, r := range rep.Checks {
						if r.Status == checks.Fail {
							b.Fatalf("%s %s: %s", r.ID, r.Subject, r.Message)
						}
					}
				}
			}
			slices.Sort(walls)
			median := walls[len(walls)/2]
			b.ReportMetric(float64(median.Milliseconds()), "median-ms")
			b.ReportMetric(float64(median)/float64(2*latency), "ratio")
			b.ReportMetric(float64(conns), "conns")

		})
	}
}
