// Package migrate maps Datafordeleren's retired CPR REST services to the
// GraphQL services that replace them.
package migrate

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// RetirementWording is the platform's own word on when the CPR REST
// services close (C: CPR's REST pages, March 2026). An older page said 30
// June 2026 and third-party notes of September 2026 cite 15 January 2027
// for related services: the day is a setting (rest_retirement: in the
// profile, --rest-retirement), never hard-coded.
const RetirementWording = "ultimo 2026; the final date will be announced later"

// Retirement describes the REST retirement as of day at; date is the
// announced day, or zero while it is not announced.
func Retirement(date, at time.Time) string {
	if date.IsZero() {
		return "CPR's REST services on Datafordeleren close " + RetirementWording + " (the platform's wording; set rest_retirement: when the day is announced)"
	}
	day := date.Format(time.DateOnly)
	if !at.Before(date) {
		return "CPR's REST services on Datafordeleren closed on " + day
	}
	days := int(date.Sub(at).Hours() / 24)
	return fmt.Sprintf("CPR's REST services on Datafordeleren close on %s (in %d days)", day, days)
}

// Service is one retired REST service.
type Service struct {
	Name   string // as the seed names it, e.g. CprPersonFullComplete
	Kind   string // public or private: who used it
	Entity string // what to apply for: CustomPublicSectorPerson or CustomPrivateSectorPerson
	Root   string // the GraphQL root field
	Path   string // the GraphQL service path
	Note   string // what the REST service returned, and what changes
}

// Services are the nine retired services of the seed, in its order.
func Services() []Service {
	return []Service{
		{Name: "CprPrivateAdressName", Kind: "private", Entity: "CustomPrivateSectorPerson", Root: "CPRCustom_PrivateSectorPerson", Path: "/CPR/custom/PrivateSector/v2",
			Note: "Look-up by name and address. In GraphQL the person is found by name with the address fields in the input, and the mandatory fields must be selected."},
		{Name: "CprPrivateDateOfBirthName", Kind: "private", Entity: "CustomPrivateSectorPerson", Root: "CPRCustom_PrivateSectorPerson", Path: "/CPR/custom/PrivateSector/v2",
			Note: "Look-up by name and date of birth (the seed's PrivatePersonCurrentDateOfBirthName example): input navn{fornavn efternavn} and foedselsdato."},
		{Name: "CprPrivatePNR", Kind: "private", Entity: "CustomPrivateSectorPerson", Root: "CPRCustom_PrivateSectorPerson", Path: "/CPR/custom/PrivateSector/v2",
			Note: "Look-up by CPR number: input personnummer."},
		{Name: "CprPersonFullComplete", Kind: "public", Entity: "CustomPublicSectorPerson", Root: "CPRCustom_PublicSectorPerson", Path: "/CPR/custom/PublicSector/v2",
			Note: "The full person with history. In GraphQL you select exactly the fields you need; beskyttelser is mandatory on every person object."},
		{Name: "CprPersonFullSimple", Kind: "public", Entity: "CustomPublicSectorPerson", Root: "CPRCustom_PublicSectorPerson", Path: "/CPR/custom/PublicSector/v2",
			Note: "The full current person. Filter status Aktuel on the lists you select."},
		{Name: "CprPersonMediumComplete", Kind: "public", Entity: "CustomPublicSectorPerson", Root: "CPRCustom_PublicSectorPerson", Path: "/CPR/custom/PublicSector/v2",
			Note: "Names, addresses and civil status with history."},
		{Name: "CprPersonMediumSimple", Kind: "public", Entity: "CustomPublicSectorPerson", Root: "CPRCustom_PublicSectorPerson", Path: "/CPR/custom/PublicSector/v2",
			Note: "Current names, addresses and civil status."},
		{Name: "CprPersonSmallComplete", Kind: "public", Entity: "CustomPublicSectorPerson", Root: "CPRCustom_PublicSectorPerson", Path: "/CPR/custom/PublicSector/v2",
			Note: "Names and addresses with history."},
		{Name: "CprPersonSmallSimple", Kind: "public", Entity: "CustomPublicSectorPerson", Root: "CPRCustom_PublicSectorPerson", Path: "/CPR/custom/PublicSector/v2",
			Note: "Current name and address."},
	}
}

// Lookup finds a service by name, case-insensitively.
func Lookup(name string) (Service, bool) {
	for _, s := range Services() {
		if strings.EqualFold(s.Name, strings.TrimSpace(name)) {
			return s, true
		}
	}
	return Service{}, false
}

// Names lists the known service names, sorted.
func Names() []string {
	var n []string
	for _, s := range Services() {
		n = append(n, s.Name)
	}
	sort.Strings(n)
	return n
}
