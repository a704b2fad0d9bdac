package main

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/migrate"
	"github.com/cprready/cprready/schema"
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
		return cmdutil.UsageErr("%q is not a retired CPR REST service; known: %s", name, strings.Join(migrate.Names(), ", "))
	}
	// The cached live schema when the profile's environment has one, else
	// the reference schema: the same choice `schema validate` makes.
	v := schema.Validator{Version: o.version}
	if path, err := profilePath(std, o.profile); err == nil {
		if src, err := openSchema(ctx, std, path, string(s.Target), false); err == nil {
			v.Version = cmp.Or(v.Version, src.Endpoints.ServiceVersion)
			src.Cache.WithCached(&v, src.Endpoints.GraphQLBase)
		}
	}
	version := cmp.Or(v.Version, s.Target.DefaultVersion())
	if !s.Target.ValidVersion(version) {
		return cmdutil.UsageErr("--version %q: the %s service has %s", version, s.Target, strings.Join(s.Target.Versions(), ", "))
	}
	q := s.StartingQuery(version)
	out := v.Validate(ctx, q)
	if o.queryOnly {
		fmt.Fprint(std.out, q)
	} else {
		s.WriteGuide(std.gate.Writer(std.out), version, s.SourceNote(out.Against, v.Cached[s.Target] != nil, version), gql.Result{Problems: out.Problems, Warnings: out.Warnings})
	}
	if len(out.Problems) > 0 {
		for _, p := range out.Problems {
			fmt.Fprintln(std.err, std.gate.Value("query:"+p.String()))
		}
		return cmdutil.Exit(cmdutil.ExitNotReady, fmt.Errorf("the starting query does not validate against %s; the schema may have changed: run `cprready schema diff`", out.Against))
	}
	return nil
}
