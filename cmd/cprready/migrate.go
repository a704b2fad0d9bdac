package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cprready/cprready/emulator/schemas"
	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/migrate"
)

func newMigrateCmd(io *stdio) *cobra.Command {
	var (
		prof      string
		queryOnly bool
	)
	cmd := &cobra.Command{
		Use:   "migrate SERVICE",
		Short: "Map a retired REST service to its GraphQL successor, with a starting query",
		Long: `Migrate says, for a CPR REST service retired at the end of 2026, which GraphQL
service and entity to apply for and from which kind of user, what changes in
the application, and prints a starting query with every mandatory selection,
validated against the cached schema (or the emulator's when none is cached).

Services: ` + strings.Join(migrate.Names(), ", "),
		Example: `  cprready migrate CprPersonFullComplete
  cprready migrate CprPrivatePNR --query-only > lookup.graphql`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, ok := migrate.Lookup(args[0])
			if !ok {
				return usageErr("%q is not a retired CPR REST service; known: %s", args[0], strings.Join(migrate.Names(), ", "))
			}
			q := s.StartingQuery()
			sch, source := migrationSchema(io, prof, s.Kind)
			_, probs := gql.ValidateQuery(sch, q, nil)
			if queryOnly {
				fmt.Fprint(io.out, q)
			} else {
				who := "public authorities"
				if s.Kind == "private" {
					who = "private users"
				}
				fmt.Fprintf(io.out, "%s (REST, used by %s) → GraphQL %s\n\n", s.Name, who, s.Root)
				fmt.Fprintf(io.out, "Apply for:   %s (Administration → IT-systemer → <GraphQL IT-system> → Dataadgang)\n", s.Entity)
				fmt.Fprintf(io.out, "Endpoint:    POST https://graphql.datafordeler.dk%s (schema: GET …%s/schema)\n", s.Path, s.Path)
				fmt.Fprintf(io.out, "Credential:  OAuth Shared Secret or OAuth Certificate (an API key fetches schemas only)\n")
				fmt.Fprintf(io.out, "What changes: %s\n\n", s.Note)
				fmt.Fprintf(io.out, "Starting query, validated against %s:\n\n%s\n", source, q)
			}
			if len(probs) > 0 {
				for _, p := range probs {
					fmt.Fprintf(io.err, "query:%s\n", p)
				}
				return &exitError{code: exitNotReady, err: fmt.Errorf("the starting query does not validate against %s; the schema may have changed: run `cprready schema diff`", source)}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&prof, "profile", "p", "", "profile whose cached schema to validate against")
	cmd.Flags().BoolVar(&queryOnly, "query-only", false, "print only the query")
	return cmd
}

// migrationSchema is the cached schema of the service, or the emulator's.
func migrationSchema(io *stdio, prof, service string) (*ast.Schema, string) {
	if path, err := profilePath(io, prof); err == nil {
		if t, err := loadSchemaTarget(context.Background(), io, path, service, false); err == nil {
			if sdl, e, err := t.cache.Load(t.ep.GraphQLBase, service); err == nil {
				if s, err := gql.LoadSchema(service, sdl); err == nil {
					return s, fmt.Sprintf("the cached %s schema (fetched %s)", service, e.FetchedAt.Format("2006-01-02 15:04"))
				}
			}
		}
	}
	sdl, _ := schemas.SDL(service)
	s, _ := gql.LoadSchema(service, []byte(sdl))
	return s, "the emulator's " + service + " schema (run `cprready schema fetch` to use the live one)"
}
