// Package platform is cprready's one model of Datafordeleren's CPR GraphQL
// services: their paths, versions and reference schemas, each type and
// field labelled with its evidence (C confirmed, I inferred, U unknown,
// and the source). The emulator serves these schemas and answers by them;
// `schema validate`, `migrate` and the live probes read the same ones, so
// the twin and the product can never disagree about the platform.
package platform

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/cprready/cprready/gql"
)

//go:embed sdl/*.graphql
var sdlFiles embed.FS

// Service is one of CPR's GraphQL services, by the name
// `schema fetch --service` uses.
type Service string

// The services.
const (
	Public  Service = "public"  // CPRCustom_PublicSectorPerson
	Private Service = "private" // CPRCustom_PrivateSectorPerson
	Events  Service = "events"  // the entity-based CPR/v1: CPR_Events, DAF_RegisterImportStatus
)

// Services lists every service.
func Services() []Service { return []Service{Public, Private, Events} }

// ParseService reads a service name (public, private, events).
func ParseService(s string) (Service, error) {
	for _, x := range Services() {
		if strings.EqualFold(strings.TrimSpace(s), string(x)) {
			return x, nil
		}
	}
	return "", fmt.Errorf("unknown service %q (public, private or events)", s)
}

// Versions are the versions of a service the platform serves (2026: v1 and
// v2 of both custom services; v1 of the entity-based service).
func (s Service) Versions() []string {
	if s == Events {
		return []string{"v1"}
	}
	return []string{"v1", "v2"}
}

// DefaultVersion is the version used when a profile names none.
func (s Service) DefaultVersion() string {
	if s == Events {
		return "v1"
	}
	return "v2"
}

// RootField is the service's person (or events) root field.
func (s Service) RootField() string {
	switch s {
	case Public:
		return "CPRCustom_PublicSectorPerson"
	case Private:
		return "CPRCustom_PrivateSectorPerson"
	}
	return "CPR_Events"
}

// Entity is what an application names to reach the service.
func (s Service) Entity() string {
	switch s {
	case Public:
		return "CustomPublicSectorPerson"
	case Private:
		return "CustomPrivateSectorPerson"
	}
	return "CPR_Events (with CustomPublicSectorPerson)"
}

// Path is the service's query path on the GraphQL host; its schema is at
// Path + "/schema". The entity-based service has one version (v1).
func (s Service) Path(version string) string {
	switch s {
	case Public:
		return "/CPR/custom/PublicSector/" + version
	case Private:
		return "/CPR/custom/PrivateSector/" + version
	}
	return "/CPR/v1"
}

// Confidence of a path: both custom versions are served (public v1 C in
// production use mid-2026; private v1 I).
func (s Service) Confidence(version string) string {
	if s == Private && version == "v1" {
		return "I"
	}
	return "C"
}

// ValidVersion reports whether the platform serves the version.
func (s Service) ValidVersion(v string) bool {
	return slices.Contains(s.Versions(), v)
}

// v2Removed are v1 fields that v2 does not have (the seed's v2 example
// names the first names fornavn where v1 has fornavne).
var v2Removed = map[string][]string{"CPRCustom_Navn": {"fornavne"}}

type built struct {
	sdl    string
	schema *ast.Schema
	err    error
}

var (
	mu    sync.Mutex
	cache = map[string]*built{}
)

// SDL is the reference schema document of a service version, as the
// emulator serves it at …/schema.
func SDL(s Service, version string) (string, error) {
	b := build(s, version)
	return b.sdl, b.err
}

// Schema is the parsed reference schema (parsed once per process).
func Schema(s Service, version string) (*ast.Schema, error) {
	b := build(s, version)
	return b.schema, b.err
}

func build(s Service, version string) *built {
	key := string(s) + "/" + version
	mu.Lock()
	defer mu.Unlock()
	if b, ok := cache[key]; ok {
		return b
	}
	b := &built{}
	b.sdl, b.err = compose(s, version)
	if b.err == nil {
		b.schema, b.err = gql.LoadSchema(key+".graphql", []byte(b.sdl))
	}
	cache[key] = b
	return b
}

func file(name string) string {
	b, err := sdlFiles.ReadFile("sdl/" + name)
	if err != nil {
		panic(err) // embedded: cannot happen
	}
	return string(b)
}

// compose assembles a service version's SDL from the embedded files.
func compose(s Service, version string) (string, error) {
	if !s.ValidVersion(version) {
		return "", fmt.Errorf("the %s service has no version %q (the platform serves %s)", s, version, strings.Join(s.Versions(), ", "))
	}
	common := file("common.graphql")
	switch {
	case s == Public && version == "v1":
		return file("public-v1.graphql") + "\n" + common, nil
	case s == Public:
		return overlay(file("public-v1.graphql"), file("public-v2.overlay.graphql"), v2Removed)
	case s == Private && version == "v1":
		return "# Version 1 of the private service is likely served too [I]; it is taken to be the same as v2.\n" + file("private-v2.graphql") + "\n" + common, nil
	case s == Private:
		return file("private-v2.graphql") + "\n" + common, nil
	}
	return file("cpr-v1.graphql") + "\n" + common, nil
}

// overlay builds a version from a base and a document of differences:
// definitions in the overlay replace or add fields (and descriptions) of
// the base's; removed names fields that go. Every base field the overlay
// does not confirm is inherited by inference and labelled [I].
func overlay(base, diff string, removed map[string][]string) (string, error) {
	bd, err := parser.ParseSchema(&ast.Source{Name: "base", Input: base})
	if err != nil {
		return "", err
	}
	od, err := parser.ParseSchema(&ast.Source{Name: "overlay", Input: diff})
	if err != nil {
		return "", err
	}
	over := map[string]*ast.Definition{}
	for _, d := range od.Definitions {
		over[d.Name] = d
	}
	for _, d := range bd.Definitions {
		o := over[d.Name]
		delete(over, d.Name)
		d.Fields = drop(d.Fields, removed[d.Name])
		for _, f := range d.Fields {
			if o != nil {
				if of := o.Fields.ForName(f.Name); of != nil {
					*f = *of
					continue
				}
			}
			f.Description = inherited(f.Description)
			for _, a := range f.Arguments {
				a.Description = inherited(a.Description)
			}
		}
		if o != nil {
			for _, of := range o.Fields {
				if d.Fields.ForName(of.Name) == nil {
					d.Fields = append(d.Fields, of)
				}
			}
			if o.Description != "" {
				d.Description = o.Description
			}
		} else {
			d.Description = inherited(d.Description)
		}
	}
	for _, d := range od.Definitions {
		if _, ok := over[d.Name]; ok {
			bd.Definitions = append(bd.Definitions, d)
		}
	}
	var sb strings.Builder
	formatter.NewFormatter(&sb, formatter.WithComments()).FormatSchemaDocument(bd)
	header := leadingComments(diff)
	return header + sb.String() + "\n" + file("common.graphql"), nil
}

func drop(fs ast.FieldList, names []string) ast.FieldList {
	if len(names) == 0 {
		return fs
	}
	var out ast.FieldList
	for _, f := range fs {
		keep := true
		for _, n := range names {
			keep = keep && f.Name != n
		}
		if keep {
			out = append(out, f)
		}
	}
	return out
}

// inherited relabels a v1 description for a version that inherits it
// without evidence of its own.
func inherited(desc string) string {
	if desc == "" {
		return "[I] Inherited from v1 (no SDL of this version is public)."
	}
	return "[I] Inherited from v1, where: " + desc
}

func leadingComments(s string) string {
	var b strings.Builder
	for l := range strings.SplitSeq(s, "\n") {
		if !strings.HasPrefix(l, "#") {
			break
		}
		b.WriteString(l + "\n")
	}
	return b.String() + "\n"
}

// ServedPaths are the GraphQL paths cprready knows the platform serves,
// every service at every version ("/CPR/custom/PublicSector/v2" …).
func ServedPaths() []string {
	var out []string
	for _, s := range Services() {
		for _, v := range s.Versions() {
			out = append(out, s.Path(v))
		}
	}
	return slices.Compact(out)
}
