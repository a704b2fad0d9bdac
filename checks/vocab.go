package checks

import (
	"slices"
	"strings"
)

// Normalised vocabulary of the profile. Profiles may use Danish or English
// words and any case; rules compare the canonical forms.

// Kinds of user.
const (
	KindPublic  = "public"
	KindPrivate = "private"
)

// NormKind gives public, private or "".
func NormKind(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "public", "offentlig", "offentlig myndighed", "authority", "public authority":
		return KindPublic
	case "private", "privat", "privat anvender":
		return KindPrivate
	}
	return ""
}

// Purposes of an IT-system.
const (
	PurposeGraphQL      = "graphql"
	PurposeFileDownload = "filedownload"
)

// NormPurpose gives graphql, filedownload or "".
func NormPurpose(s string) string {
	switch strings.ToLower(squash.Replace(s)) {
	case "graphql":
		return PurposeGraphQL
	case "filedownload", "filedownloads", "fildownload", "fildownloads":
		return PurposeFileDownload
	}
	return ""
}

// Application statuses (Danish, as Administration shows them).
const (
	StatusNy       = "Ny"
	StatusAfvist   = "Afvist"
	StatusGodkendt = "Godkendt"
	StatusUdloebet = "Udløbet"
)

// NormStatus gives the Danish status word or "".
func NormStatus(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ny", "new", "pending":
		return StatusNy
	case "afvist", "rejected":
		return StatusAfvist
	case "godkendt", "approved":
		return StatusGodkendt
	case "udløbet", "udlobet", "udloebet", "expired":
		return StatusUdloebet
	}
	return ""
}

// Entities and services an application can name.
const (
	EntityPublicPerson       = "CustomPublicSectorPerson"
	EntityPrivatePerson      = "CustomPrivateSectorPerson"
	EntityBeskyttelse        = "Beskyttelse"
	EntityCprAdresse         = "CprAdresse"
	EntityForaeldremyndighed = "Forældremyndighed"
	EntityPerson             = "Person"
	EntityAdmEnhed           = "AdministrativEnhed"
	EntityAdmEnhedType       = "AdministrativEnhedType"
	EntityEvents             = "CPR_Events"
)

// FileDownloadEntities are the entities a public authority's file-download
// IT-system may apply for.
var FileDownloadEntities = []string{EntityBeskyttelse, EntityCprAdresse, EntityForaeldremyndighed, EntityPerson}

// NotApplicableEntities are never applied for.
var NotApplicableEntities = []string{EntityAdmEnhed, EntityAdmEnhedType, EntityEvents}

// AllEntities is every name the application form offers, in its order.
var AllEntities = []string{EntityPublicPerson, EntityPrivatePerson, EntityBeskyttelse, EntityCprAdresse, EntityForaeldremyndighed, EntityPerson, EntityAdmEnhed, EntityAdmEnhedType, EntityEvents}

// NormEntity gives the canonical entity name or "" when unknown.
func NormEntity(s string) string {
	k := danishASCII.Replace(strings.ToLower(strings.TrimSpace(s)))
	switch k {
	case "foraldremyndighed", "foraeldremyndighed":
		return EntityForaeldremyndighed
	}
	for _, e := range AllEntities {
		if k == danishASCII.Replace(strings.ToLower(e)) {
			return e
		}
	}
	return ""
}

// squash drops the separators people put in words (file_download, file-download).
var squash = strings.NewReplacer("_", "", "-", "", " ", "")

// danishASCII spells æ, ø and å the ASCII way.
var danishASCII = strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa")

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}
