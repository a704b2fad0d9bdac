package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cprready/cprready/internal/cmdutil"
	"github.com/cprready/cprready/profile"
	"github.com/cprready/cprready/schema"
)

func newSchemaCmd(std *stdio) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Fetch, compare and validate against Datafordeleren's GraphQL schemas",
		Long: `Schema tools for the CPR services: fetch the SDL with the API key into the
user's cache, compare schemas (breaking, dangerous, safe), and validate
queries offline with Datafordeleren's own rules before go-live.`,
	}
	cmd.AddCommand(newSchemaFetchCmd(std), newSchemaDiffCmd(std), newSchemaValidateCmd(std))
	return cmd
}

// openSchema opens the profile's schema source (schema.Open); needKey
// resolves its API key through the run's gate.
func openSchema(ctx context.Context, std *stdio, profileFlag, service string, needKey bool) (*schema.Source, error) {
	p, _, err := openProfile(std, profileFlag)
	if err != nil {
		return nil, err
	}
	var res *profile.Resolver
	if needKey {
		r := resolverFor(std, p)
		res = &r
	}
	src, err := schema.Open(ctx, p, service, res)
	return src, cmdutil.UsageError(err)
}

// liveSchema opens the source with its API key and its fetcher.
func liveSchema(ctx context.Context, std *stdio, o *schemaOptions) (*schema.Source, schema.FetchFunc, error) {
	src, err := openSchema(ctx, std, o.profile, o.service, true)
	if err != nil {
		return nil, nil, err
	}
	fetch, err := src.Fetcher(ctx, std.gate)
	return src, fetch, cmdutil.UsageError(err)
}

// schemaFailure is a fetch's error as an exit (schema.Source.Failure).
func schemaFailure(src *schema.Source, err error) error {
	if err == nil {
		return nil
	}
	notReady, explained := src.Failure(err)
	if notReady {
		return cmdutil.Exit(cmdutil.ExitNotReady, explained)
	}
	return cmdutil.UsageError(explained)
}

// schemaOptions are schema fetch's and diff's flags.
type schemaOptions struct {
	profile, service, format string
	failOnBreaking           bool
}

func newSchemaFetchCmd(std *stdio) *cobra.Command {
	o := &schemaOptions{}
	cmd := &cobra.Command{
		Use:   "fetch",
		Short: "Fetch a service's SDL with the API key and cache it",
		Long: `Fetch downloads the SDL of a CPR service (…/schema?apiKey=…) with the
profile's API key, caches it in the user's cache folder with its fetch time
and content hash (and ETag, sent back as If-None-Match), and reports what
changed since the last fetch.`,
		Example: `  cprready schema fetch --profile cprready.yaml
  cprready schema fetch --service events`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return schemaFetchRun(cmd.Context(), std, o) },
	}
	cmd.Flags().StringVarP(&o.profile, "profile", "p", "", "profile file (default $CPRREADY_PROFILE, then ./cprready.yaml)")
	cmd.Flags().StringVar(&o.service, "service", "", "public, private or events (default: the organisation's custom service)")
	return cmd
}

func schemaFetchRun(ctx context.Context, std *stdio, o *schemaOptions) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	src, fetch, err := liveSchema(ctx, std, o)
	if err != nil {
		return err
	}
	return schemaFailure(src, src.Cache.Refresh(std.gate.Writer(std.out), src.Endpoints.GraphQLBase, src.Service, fetch, time.Now()))
}

func newSchemaDiffCmd(std *stdio) *cobra.Command {
	o := &schemaOptions{}
	cmd := &cobra.Command{
		Use:   "diff [OLD.graphql NEW.graphql]",
		Short: "Compare two schemas: breaking, dangerous and safe changes",
		Long: `Diff compares two SDL files, or, without arguments, the cached schema with
the live one (fetched with the profile's API key, not cached). Each change
is breaking, dangerous or safe, as graphql-inspector classifies them, and
names the type and field.`,
		Example: `  cprready schema diff old.graphql new.graphql --fail-on-breaking
  cprready schema diff --service public`,
		Args: cmdutil.ArgCounts("diff takes two files (OLD NEW), or none to compare the cache with the live schema", 0, 2),
		RunE: func(cmd *cobra.Command, args []string) error { return schemaDiffRun(cmd.Context(), std, o, args) },
	}
	f := cmd.Flags()
	f.StringVarP(&o.profile, "profile", "p", "", "profile file, for cache-versus-live")
	f.StringVar(&o.service, "service", "", "public, private or events")
	f.StringVarP(&o.format, "format", "f", "text", "text or json")
	f.BoolVar(&o.failOnBreaking, "fail-on-breaking", false, "exit 1 when there is a breaking change")
	return cmd
}

// schemaDiffRun compares two files, or the cache with the live schema.
func schemaDiffRun(ctx context.Context, std *stdio, o *schemaOptions, files []string) error {
	var old, cur *ast.Schema
	if len(files) == 2 {
		s, err := schema.ReadFiles(files...)
		if err != nil {
			return cmdutil.UsageError(err)
		}
		old, cur = s[0], s[1]
	} else {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		src, fetch, err := liveSchema(ctx, std, o)
		if err != nil {
			return err
		}
		if old, cur, err = src.Cache.CachedAndLive(src.Endpoints.GraphQLBase, src.Service, fetch); err != nil {
			return schemaFailure(src, err)
		}
	}
	changes := schema.Diff(old, cur)
	if err := schema.WriteDiff(std.out, changes, o.format, std.gate.Value); err != nil {
		return err
	}
	if o.failOnBreaking && schema.HasBreaking(changes) {
		return cmdutil.ExitCode(cmdutil.ExitNotReady)
	}
	return nil
}

type validateOptions struct {
	profile, schemaFile, version string
	strict                       bool
}

func newSchemaValidateCmd(std *stdio) *cobra.Command {
	o := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate [--profile F | --schema FILE.graphql] QUERY.graphql…",
		Short: "Validate queries offline with the platform's rules",
		Long: `Validate checks query files offline with gqlparser and Datafordeleren's own
rules: beskyttelser selected on every person object (nested ones included:
boern { barn { … } }, foraeldreoplysninger { foraelder { … } }), no aliases
(DAF-GQL-0008), one root field (DAF-GQL-0010), first at most 1000, in lists
at most 100 values (DAF-GQL-0016), and the mandatory inputs.

The schema: --schema FILE, else the cached schema of the profile's
environment (cprready schema fetch), else cprready's reference schema of the
service at --version (else the profile's endpoints.service_version, else
v2; the platform serves v1 and v2). The reference schema labels every field
with its evidence: a query that uses a field that is only inferred (I) or
unknown (U) passes with a warning naming it; --strict makes warnings fail.

Each problem is printed as file:line:col: message, with its fix; exit 1 when
any is found.`,
		Example: `  cprready schema validate lookup.graphql
  cprready schema validate --version v1 --strict queries/*.graphql
  cprready schema validate --schema CPR-public.graphql queries/*.graphql`,
		Args: cmdutil.MinArgs("validate needs at least one query file", 1),
		RunE: func(cmd *cobra.Command, args []string) error { return validateRun(cmd.Context(), std, o, args) },
	}
	f := cmd.Flags()
	f.StringVarP(&o.profile, "profile", "p", "", "profile file: validate against its cached schemas and service version")
	f.StringVar(&o.schemaFile, "schema", "", "an SDL file to validate against")
	f.StringVar(&o.version, "version", "", "the reference schema's version: v1 or v2")
	f.BoolVar(&o.strict, "strict", false, "fields that are only inferred or unknown fail too")
	return cmd
}

func validateRun(ctx context.Context, std *stdio, o *validateOptions, files []string) error {
	v, err := newValidator(ctx, std, o)
	if err != nil {
		return err
	}
	failed, err := schema.ValidateFiles(ctx, v, files, o.strict, std.gate.Writer(std.out), std.gate.Writer(std.err))
	if err != nil {
		return cmdutil.UsageError(err)
	}
	if failed {
		return cmdutil.ExitCode(cmdutil.ExitNotReady)
	}
	return nil
}

// newValidator picks the schemas: --schema, the profile's cached ones, or
// the reference at the version asked for.
func newValidator(ctx context.Context, std *stdio, o *validateOptions) (schema.Validator, error) {
	v := schema.Validator{Version: o.version}
	if o.version != "" && o.version != "v1" && o.version != "v2" {
		return v, cmdutil.UsageErr("--version %q: the platform serves v1 and v2", o.version)
	}
	if o.schemaFile != "" {
		s, err := schema.ReadFiles(o.schemaFile)
		if err != nil {
			return v, cmdutil.UsageError(err)
		}
		v.Fixed = &schema.Target{Schema: s[0], Name: o.schemaFile}
		return v, nil
	}
	if _, err := profilePath(std, o.profile); err != nil {
		if o.profile != "" {
			return v, err
		}
		return v, nil // no profile: the reference schemas
	}
	src, err := openSchema(ctx, std, o.profile, "", false)
	if err != nil {
		return v, err
	}
	if v.Version == "" {
		v.Version = src.Endpoints.ServiceVersion
	}
	src.Cache.WithCached(&v, src.Endpoints.GraphQLBase)
	return v, nil
}
