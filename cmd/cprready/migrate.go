package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/migrate"
	"github.com/cprready/cprready/platform"
)

type migrateOptions struct {
	profile   string
	version   string
	queryOnly bool
}

func newMigrateCmd(std *stdio) *cobra.Command {
	o := &migrateOptions{}
	cmd := &cobra.Command{
		Use:   "migrate SERVICE",
		Short: "Map a retired REST service to its GraphQL successor, with a starting query",
		Long: `Migrate says, for a retired CPR REST service, which GraphQL service and entity
to apply for and from which kind of user, what changes in the application,
and prints a starting query with every mandatory selection, validated
against the cached schema, or cprready's reference schema of the service
version (--version, else the profile's endpoints.service_version, else v2;
the platform serves v1 and v2). Parts of the query that rest on inference
are named.

Services: ` + strings.Join(migrate.Names(), ", "),
		Example: `  cprready migrate CprPersonFullComplete
  cprready migrate CprPersonSmallSimple --version v1
  cprready migrate CprPrivatePNR --query-only > lookup.graphql`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return migrate.Names(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error { return migrateRun(cmd.Context(), std, o, args[0]) },
	}
	cmd.Flags().StringVarP(&o.profile, "profile", "p", "", "profile whose cached schema and service version to use")
	cmd.Flags().StringVar(&o.version, "version", "", "the service version: v1 or v2 (default: the profile's, else v2)")
	cmd.Flags().BoolVar(&o.queryOnly, "query-only", false, "print only the query")
	return cmd
}

func migrateRun(ctx context.Context, std *stdio, o *migrateOptions, name string) error {
	s, ok := migrate.Lookup(name)
	if !ok {
		return usageErr("%q is not a retired CPR REST service; known: %s", name, strings.Join(migrate.Names(), ", "))
	}
	version, cached, source := migrationTarget(ctx, std, o, s)
	if version != "" && !s.Target.ValidVersion(version) {
		return usageErr("--version %q: the %s service has %s", version, s.Target, strings.Join(s.Target.Versions(), ", "))
	}
	q := s.StartingQuery(version)
	var res gql.Result
	if cached != nil {
		res = gql.Check(cached.schema, q, nil)
	} else {
		res = s.Check(version)
	}
	if o.queryOnly {
		fmt.Fprint(std.out, q)
	} else {
		s.WriteGuide(std.out, version, source, res)
	}
	if len(res.Problems) > 0 {
		for _, p := range res.Problems {
			fmt.Fprintf(std.err, "query:%s\n", p)
		}
		return &exitError{code: exitNotReady, err: fmt.Errorf("the starting query does not validate against %s; the schema may have changed: run `cprready schema diff`", source)}
	}
	return nil
}

type cachedSchema struct{ schema *ast.Schema }

// migrationTarget picks the version (flag, profile, default) and the
// cached live schema when the profile's environment has one.
func migrationTarget(ctx context.Context, std *stdio, o *migrateOptions, s migrate.Service) (string, *cachedSchema, string) {
	version := o.version
	var cached *cachedSchema
	source := ""
	if path, err := profilePath(std, o.profile); err == nil {
		if t, err := loadSchemaTarget(ctx, std, path, string(s.Target), false); err == nil {
			if version == "" {
				version = t.p.Endpoints.ServiceVersion
			}
			if sdl, e, err := t.cache.Load(t.ep.GraphQLBase, string(s.Target)); err == nil {
				if sch, err := gql.LoadSchema(string(s.Target), sdl); err == nil {
					cached = &cachedSchema{sch}
					source = fmt.Sprintf("the cached %s schema (fetched %s)", s.Target, e.FetchedAt.Format("2006-01-02 15:04"))
				}
			}
		}
	}
	if version == "" {
		version = s.Target.DefaultVersion()
	}
	if cached == nil {
		source = fmt.Sprintf("cprready's reference schema of the %s service %s (%s; run `cprready schema fetch` to use the live one)", s.Target, version, evidenceNote(s.Target, version))
	}
	return version, cached, source
}

func evidenceNote(svc platform.Service, version string) string {
	if svc == platform.Public && version == "v1" {
		return "as production client code selects it"
	}
	return "each field labelled with its evidence"
}
