// Package migrate maps Datafordeleren's retired CPR REST services to the
// GraphQL services that replace them, with starting queries built on the
// reference schema (platform package) of the version a profile uses.
package migrate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cprready/cprready/platform"
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
	Name    string           // as the platform names it, e.g. CprPersonFullComplete
	Kind    string           // public or private: who used it
	Target  platform.Service // the GraphQL service that replaces it
	Entity  string           // what to apply for ("" when nothing is applied for)
	Root    string           // the GraphQL root field
	Note    string           // what the REST service returned, and what changes
	Source  string           // where the mapping comes from, with its confidence
	Applied string           // how access is obtained, in the user's words
}

// Path is the GraphQL service path for a version.
func (s Service) Path(version string) string { return s.Target.Path(s.version(version)) }

func (s Service) version(v string) string {
	if v == "" || !s.Target.ValidVersion(v) {
		return s.Target.DefaultVersion()
	}
	return v
}

func public(name, note string) Service {
	return Service{Name: name, Kind: "public", Target: platform.Public, Entity: "CustomPublicSectorPerson", Root: platform.Public.RootField(), Note: note,
		Source: "the seed's list of public REST services (C)", Applied: "Apply for CustomPublicSectorPerson on a GraphQL IT-system."}
}

func private(name, note string) Service {
	return Service{Name: name, Kind: "private", Target: platform.Private, Entity: "CustomPrivateSectorPerson", Root: platform.Private.RootField(), Note: note,
		Source: "the seed's list of private REST services (C)", Applied: "Apply for CustomPrivateSectorPerson on a GraphQL IT-system."}
}

// Services are the retired services: the seed's nine and CprAuthorities
// (platform page x/n4ONBQ), in that order.
func Services() []Service {
	return []Service{
		private("CprPrivateAdressName", "Look-up by name and address. In GraphQL the person is found by name with the address in the input [I: the input's address fields are inferred], and the mandatory fields must be selected."),
		private("CprPrivateDateOfBirthName", "Look-up by name and date of birth (the seed's PrivatePersonCurrentDateOfBirthName example): input navn{fornavn efternavn} and foedselsdato."),
		private("CprPrivatePNR", "Look-up by CPR number [I: the input field's name is inferred]."),
		public("CprPersonFullComplete", "The full person with history. In GraphQL you select exactly the fields you need; beskyttelser is mandatory on every person object, children and parents included."),
		public("CprPersonFullSimple", "The full current person. Filter status aktuel on the lists you select."),
		public("CprPersonMediumComplete", "Names, addresses and civil status with history."),
		public("CprPersonMediumSimple", "Current names, addresses and civil status."),
		public("CprPersonSmallComplete", "Names and addresses with history."),
		public("CprPersonSmallSimple", "Current name and address."),
		{Name: "CprAuthorities", Kind: "public", Target: platform.Events, Root: "CPR_AdministrativEnhed",
			Note:    "CPR's authorities and administrative units (countries, municipalities …). They come from the entity-based service CPR/v1 as AdministrativEnhed and AdministrativEnhedType, which nobody applies for.",
			Source:  "CprAuthorities is among the retired public services (C, platform page x/n4ONBQ); its successor being AdministrativEnhed on CPR/v1 is inferred (I) from the seed's entity list",
			Applied: "Nothing to apply for: AdministrativEnhed and AdministrativEnhedType are not applied for (access.not-applicable)."},
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
