package platform

import (
	"context"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cprready/cprready/gql"
)

// Every type, field, argument and input field of every reference schema
// carries its evidence (C, I or U and a source): nothing is unlabelled.
func TestEveryFactIsLabelled(t *testing.T) {
	builtin := map[string]bool{"PageInfo": false}
	for _, svc := range Services() {
		for _, v := range svc.Versions() {
			s, err := Schema(svc, v)
			if err != nil {
				t.Fatalf("%s %s: %v", svc, v, err)
			}
			for name, def := range s.Types {
				if def.BuiltIn || strings.HasPrefix(name, "__") || builtin[name] || name == "Query" || name == "Subscription" {
					continue
				}
				if def.Kind != ast.Scalar && gql.EvidenceOf(def.Description) == "" {
					t.Errorf("%s %s: type %s has no evidence label", svc, v, name)
				}
				for _, f := range def.Fields {
					if gql.EvidenceOf(f.Description) == "" {
						t.Errorf("%s %s: %s.%s has no evidence label", svc, v, name, f.Name)
					}
					for _, a := range f.Arguments {
						if gql.EvidenceOf(a.Description) == "" {
							t.Errorf("%s %s: %s.%s(%s:) has no evidence label", svc, v, name, f.Name, a.Name)
						}
					}
				}
			}
			for _, root := range []*ast.Definition{s.Query, s.Subscription} {
				if root == nil {
					continue
				}
				for _, f := range root.Fields {
					if !strings.HasPrefix(f.Name, "__") && gql.EvidenceOf(f.Description) == "" {
						t.Errorf("%s %s: root %s has no evidence label", svc, v, f.Name)
					}
				}
			}
		}
	}
}

// The platform.md person tree: relation objects hold the person, and the
// mandatory selection sits on persons, never on a wrapper.
func TestPersonTreeShapes(t *testing.T) {
	s, err := Schema(Public, "v1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query string
		ok    bool
	}{
		{`{ CPRCustom_PublicSectorPerson(input:{personnummer:{personnummer:{in:"0101341235"}}}) { nodes { beskyttelser { status } boern { __typename } } } }`, true},
		{`{ CPRCustom_PublicSectorPerson(input:{personnummer:{personnummer:{in:"0101341235"}}}) { nodes { beskyttelser { status } boern { personnummer } } } }`, false},
		{`{ CPRCustom_PublicSectorPerson(input:{personnummer:{personnummer:{in:"0101341235"}}}) { nodes { beskyttelser { status } boern { virkningfra barn { personnummer navn { fornavne } } } } } }`, false},
		{`{ CPRCustom_PublicSectorPerson(input:{personnummer:{personnummer:{in:"0101341235"}}}) { nodes { beskyttelser { status } boern { virkningfra barn { personnummer beskyttelser { status } navn { fornavne } } } } } }`, true},
		{`{ CPRCustom_PublicSectorPerson(input:{personnummer:{personnummer:{in:"0101341235"}}}) { nodes { beskyttelser { status } foraeldreoplysninger { foraelderrolle foraelder { personid beskyttelser { status } } foraelderUdenCpr { navn foedselsdato } ikkeValidRelationsForaelder { personnummer } } } } }`, true},
		{`{ CPRCustom_PublicSectorPerson(input:{personnummer:{personnummer:{in:"0101341235"}}}) { nodes { beskyttelser { status } statsborgerskaber { cprland { kode administrativEnhedType { typeKode } } virkningFra } } } }`, true},
		{`{ CPRCustom_PublicSectorPerson(input:{personnummer:{personnummer:{in:"0101341235"}}}) { nodes { beskyttelser { status } statsborgerskaber { landekode } } } }`, false},
		{`{ CPRCustom_PublicSectorPerson(input:{personnummer:{personnummer:{in:"0101341235"}}}) { nodes { beskyttelser { status } navne { fornavn } } } }`, false}, // v2's name
	} {
		_, probs := gql.ValidateQuery(context.Background(), s, c.query, nil)
		if (len(probs) == 0) != c.ok {
			t.Errorf("ok=%v, got %v for %s", c.ok, probs, c.query)
		}
	}
	v2, _ := Schema(Public, "v2")
	if _, probs := gql.ValidateQuery(context.Background(), v2, `{ CPRCustom_PublicSectorPerson(input:{personnummer:{personnummer:{in:"0101341235"}}}) { nodes { beskyttelser { status } navne { fornavne } } } }`, nil); len(probs) == 0 {
		t.Error("v2 has fornavn, not fornavne")
	}
}

// The probes select confirmed fields where the evidence allows.
func TestProbesValidate(t *testing.T) {
	for _, svc := range Services() {
		for _, v := range svc.Versions() {
			s, _ := Schema(svc, v)
			r := gql.Check(context.Background(), s, ProbeQuery(svc), nil)
			if len(r.Problems) > 0 {
				t.Errorf("%s %s probe: %v", svc, v, r.Problems)
			}
			confirmedOnly := svc == Events || svc == Public && v == "v1"
			if confirmedOnly && len(r.Warnings) > 0 {
				t.Errorf("%s %s probe rests on inference: %v", svc, v, r.Warnings)
			}
		}
	}
}

func TestVersionsAndPaths(t *testing.T) {
	if Public.Path("v1") != "/CPR/custom/PublicSector/v1" || Private.Path("v2") != "/CPR/custom/PrivateSector/v2" || Events.Path("v1") != "/CPR/v1" {
		t.Fatal("paths")
	}
	if _, err := SDL(Public, "v3"); err == nil {
		t.Fatal("an unknown version must be an error")
	}
	if _, err := ParseService("EVENTS"); err != nil {
		t.Fatal(err)
	}
}
