package live

import (
	"context"
	"fmt"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
)

func (g *graph) build() {
	p := g.env.P
	// net.reach: one row per distinct host.
	names := map[string][]string{}
	var hosts []string
	for _, h := range []struct{ name, url string }{{"graphql", g.ep.GraphQLBase}, {"token", g.ep.Token}, {"token_mtls", g.ep.TokenMTLS}, {"filedownload", g.ep.FileList}} {
		if h.url == "" {
			continue
		}
		host := platform.HostOf(h.url)
		if _, ok := names[host]; !ok {
			hosts = append(hosts, host)
		}
		names[host] = append(names[host], h.name)
	}
	for _, h := range hosts {
		base := "https://" + h
		for _, u := range []string{g.ep.GraphQLBase, g.ep.Token, g.ep.TokenMTLS, g.ep.FileList} {
			if platform.HostOf(u) == h {
				base = platform.Origin(u)
				break
			}
		}
		t := g.add(newTask(checks.IDNetReach, "endpoints."+names[h][0]))
		t.host = h
		g.reach[h] = t
		t.run = g.reachRun(base, names[h])
	}
	// clock.skew: from the first host's Date header.
	if len(hosts) > 0 {
		first := g.reach[hosts[0]]
		t := g.add(newTask(checks.IDClockSkew, "environment", first))
		t.run = func(context.Context) checks.Result { return g.clockRun(first) }
	}
	kind := checks.NormKind(p.Organisation.Kind)
	for i := range p.ITSystems {
		s := &p.ITSystems[i]
		sysSubj := profile.ITSystemSubject(i)
		et := g.add(newTask(checks.IDNetEgressIP, sysSubj))
		et.run = g.egressRun(i)
		approved := g.approval(i)
		for j := range s.Credentials.APIKeys {
			k := &s.Credentials.APIKeys[j]
			subj := profile.APIKeySubject(i, j)
			t := g.add(newTask(checks.IDSchemaAPIKey, subj, g.secretDep(subj, &k.Key)))
			t.host = platform.HostOf(g.ep.GraphQLBase)
			t.run = g.schemaRun(t, i, k, kind)
		}
		for j := range s.Credentials.OAuthSharedSecrets {
			c := &s.Credentials.OAuthSharedSecrets[j]
			subj := profile.SharedSecretSubject(i, j)
			tok := g.add(newTask(checks.IDOAuthToken, subj, g.secretDep(subj, &c.Secret)))
			tok.host = platform.HostOf(g.ep.Token)
			tok.run = g.tokenRun(tok, i, profile.SharedSecretCred, func(ctx context.Context) (*datafordeler.Token, error) {
				secret, err := g.env.Secret(&c.Secret)
				if err != nil {
					return nil, err
				}
				return g.client.TokenSharedSecret(ctx, g.ep.Token, c.ClientID, secret)
			}, g.ep.Token, &c.Secret)
			g.dataTasks(i, subj, tok, approved)
		}
		for j := range s.Credentials.OAuthCertificates {
			c := &s.Credentials.OAuthCertificates[j]
			subj := profile.CertificateSubject(i, j)
			dep := g.certDep(i, j, subj)
			tok := g.add(newTask(checks.IDOAuthToken, subj, dep))
			tok.host = platform.HostOf(g.ep.TokenMTLS)
			ii, jj := i, j
			tok.run = g.tokenRun(tok, i, profile.CertificateCred, func(ctx context.Context) (*datafordeler.Token, error) {
				lc, err := g.env.Cert(ii, jj)
				if err != nil {
					return nil, err
				}
				mc, err := g.certClient(lc)
				if err != nil {
					return nil, err
				}
				return mc.TokenCertificate(ctx, g.ep.TokenMTLS, c.ClientID)
			}, g.ep.TokenMTLS, nil)
			g.dataTasks(i, subj, tok, approved)
		}
	}
}

// approval is a pseudo-task: passes when the IT-system's application is
// Godkendt, otherwise the data checks skip with its reason.
func (g *graph) approval(i int) *task {
	subj := profile.DataAccessSubject(i)
	d := g.env.P.ITSystems[i].DataAccess
	switch {
	case !d.Declared():
		return offline(checks.IDAccessStatus, subj, checks.Fail, "no application (data_access) is declared for this IT-system")
	case checks.NormStatus(d.Status) == checks.StatusGodkendt:
		return offline(checks.IDAccessStatus, subj, checks.Pass, "")
	case checks.NormStatus(d.Status) == checks.StatusNy:
		return offline(checks.IDAccessStatus, subj, checks.Skip, "the application is pending (Ny): protected data cannot be fetched until CPR approves it")
	}
	return offline(checks.IDAccessStatus, subj, checks.Fail, fmt.Sprintf("the application's status is %s, not Godkendt", d.Status))
}

// secretDep is a pseudo-task for a secret that must be readable.
func (g *graph) secretDep(subject string, s *profile.Secret) *task {
	if _, err := g.env.Secret(s); err != nil {
		return offline(checks.IDCredStorage, subject, checks.Fail, "")
	}
	return offline(checks.IDCredStorage, subject, checks.Pass, "")
}

func (g *graph) certDep(i, j int, subject string) *task {
	if _, err := g.env.Cert(i, j); err != nil {
		return offline(checks.IDCredCertValid, subject, checks.Fail, "")
	}
	return offline(checks.IDCredCertValid, subject, checks.Pass, "")
}

// dataTasks adds the protected checks that need tok's token.
func (g *graph) dataTasks(i int, subj string, tok, approved *task) {
	p := g.env.P
	s := &p.ITSystems[i]
	kind := checks.NormKind(p.Organisation.Kind)
	switch checks.NormPurpose(s.Purpose) {
	case checks.PurposeGraphQL:
		t := g.add(newTask(checks.IDGraphQLProtected, subj, tok, approved))
		t.host = platform.HostOf(g.ep.GraphQLBase)
		t.run = g.protectedRun(t, i, tok, kind)
		if kind == checks.KindPublic && s.DataAccess != nil && s.DataAccess.Events {
			ev := g.add(newTask(checks.IDGraphQLEvents, subj, tok, approved))
			ev.host = t.host
			ev.run = g.eventsRun(ev, i, tok)
		}
	case checks.PurposeFileDownload:
		t := g.add(newTask(checks.IDFileDownloadList, subj, tok, approved))
		t.host = platform.HostOf(g.ep.FileList)
		t.run = g.fileListRun(t, i, tok)
	}
}
