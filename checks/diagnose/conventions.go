package diagnose

import (
	"fmt"
	"strings"
	"time"

	"github.com/cprready/cprready/platform/errcode"

	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/internal/redact"
	"github.com/cprready/cprready/internal/words"
	"github.com/cprready/cprready/platform"
	"github.com/cprready/cprready/profile"
)

// Diagnoses and docs that rest on what other registers recorded in
// production (platform.Conventions): each quotes its convention, with its
// label for CPR and its source.

// graphqlCode is one of the platform's GraphQL error codes that reads as
// graphql-error: what it means and the fix.
type graphqlCode struct{ Code, Means, Fix string }

// graphqlCodes are the codes of CauseGraphQL, most common first; the cause
// doc and the diagnosis both read them.
func graphqlCodes() []graphqlCode {
	return []graphqlCode{
		{errcode.InListTooLong, "an in list holds more than 100 values (the platform: \"The number of elements in the supplied 'in' list is not allowed to exceed 100\"; HTTP 400 when no Accept header is sent) [" + level(platform.ConvInList) + "]",
			"Split the values into queries of 100 or fewer."},
		{errcode.OneRootField, "the query has more than one root field", "Send one query per root field."},
		{errcode.Syntax, "the query does not parse; a field name with Danish letters (æ, ø, å) is a common cause: the platform's names are ASCII [" + level(platform.ConvSyntaxHC0011) + "]",
			"Spell every name as the schema does (æ→ae, ø→oe, å→aa: foraeldreoplysninger, boern); `cprready schema validate` shows the place and the spelling."},
		{errcode.Introspection, "introspection is disabled", "Fetch the SDL from …/schema with `cprready schema fetch`."},
		{errcode.AcceptHeader, "the Accept header could not be read (Hot Chocolate: \"Unable to parse the accept header value\"; recorded in Hot Chocolate's own tests, platform/testdata/evidence)",
			"Send Accept: application/graphql-response+json (or application/json), or no Accept header."},
	}
}

// level is a convention's label for CPR and where it was recorded, short.
func level(id string) string {
	c, _ := platform.LookupConvention(id)
	return c.Level + " for CPR; " + c.Source
}

func graphqlDoc() CauseDoc {
	d := CauseDoc{Cause: datafordeler.CauseGraphQL, Title: "The query was rejected",
		TellApart: "The error's extensions.code says which; `cprready schema validate` checks them offline. The errors come with HTTP 200 under Accept: application/json and with HTTP 400 under application/graphql-response+json or with no Accept header: read the body whatever the status.",
		Fix:       "Fix the query, or fetch the schema with `cprready schema fetch`."}
	for _, c := range graphqlCodes() {
		d.Codes = append(d.Codes, c.Code)
		d.Causes = append(d.Causes, c.Code+": "+c.Means+".")
	}
	return d
}

// diagnoseGraphQL names a known code's meaning and fix.
func diagnoseGraphQL(e *datafordeler.Error) (Diagnosis, bool) {
	for _, c := range graphqlCodes() {
		if strings.EqualFold(e.Code, c.Code) {
			msg := fmt.Sprintf("The platform refused the query (%s): %s", c.Code, c.Means)
			if e.Detail != "" {
				msg += " — \"" + redact.Server(e.Detail).String() + "\""
			}
			return Diagnosis{Message: msg, Remedy: c.Fix}, true
		}
	}
	return Diagnosis{}, false
}

func requiredFilterDoc() CauseDoc {
	return CauseDoc{datafordeler.CauseRequiredFilter, []string{errcode.TimeArgument}, "A time argument or a required filter is missing (DAF-GQL-0009)",
		[]string{
			"The query asks an entity-based (bitemporal) entity, one that takes virkningstid and registreringstid, for rows without either of them and without an id filter: the platform refuses it. On CPR/v1 that is CPR_AdministrativEnhed [" + level(platform.ConvTimeOrID) + "].",
			"On CVR the platform wants a filter on one of the fields its message names (recorded: \"When retrieving data for this entity, a filter on at least one of the following fields must be specified: CVREnhedsId, datafordelerRowId, vaerdi\").",
		},
		"The message names what is missing. CPR_Events and DAF_RegisterImportStatus take no time argument and never answer this; `cprready schema validate` finds the query offline, with file:line:col.",
		"Add virkningstid: \"<the moment the data should be as of>\" or registreringstid, or an id filter (where: { id_lokalId: { eq: … } }); on CVR, filter on one of the fields the message names."}
}

func pagePastLastDoc() CauseDoc {
	return CauseDoc{datafordeler.CausePagePastLast, nil, "The file list has no such page (400 \"" + platform.PagePastLastMessage + "\")",
		[]string{
			"Paging went past the last page: the file list ends with this error, not with an empty page [" + level(platform.ConvListPastLast) + "].",
			"On page 1 it means the list holds nothing for the register (and entity) asked for: nothing generated yet, or the filter names no file.",
		},
		"The first page's paginationMetadata.totalPages says how many pages there are; the server ignores PageSize, so that count is the server's.",
		"Stop paging at totalPages; on page 1, check Register=CPR (and Entity=) and that the IT-system has file-download access to CPR entities."}
}

func notFoundDoc() CauseDoc {
	return CauseDoc{datafordeler.CauseNotFound, []string{"404"}, "The platform does not serve that path (404)",
		[]string{"The service path or its version is wrong: cprready knows these are served: " + strings.Join(platform.ServedPaths(), ", ") + "; a version the platform does not serve answers a bare 404 [" + level(platform.ConvUnservedVersion) + "].",
			"A typo in endpoints.graphql or endpoints.filedownload, or a REST path of the retired services.",
			"The schema URL lacks /schema, or the file list its path (" + strings.Join(platform.FileListPaths(), " or ") + ")."},
		"A bare 404 without a body is the gateway's answer to a path it does not serve; the diagnosis names the path that was called. On FileDownloads paths a bad key answers 401, never 404 [" + level(platform.ConvFiles401) + "]: a 404 there means the key passed and the path is wrong.",
		"Use one of the served paths and versions (`cprready migrate` names the GraphQL service for a REST one); check endpoints: in the profile."}
}

// diagnoseNotFound names the path a 404 answered and what cprready knows
// is served for it; without a URL the doc says what it can.
func diagnoseNotFound(e *datafordeler.Error) (Diagnosis, bool) {
	if e.Meta.URL == "" {
		return Diagnosis{}, false
	}
	r := platform.ReadPath(e.Meta.URL)
	msg := fmt.Sprintf("The platform does not serve %s (HTTP 404): a path or version it does not serve answers a bare 404", r.Path)
	remedy := "Set endpoints.graphql to the host alone (e.g. https://graphql.datafordeler.dk) and endpoints.service_version to a served version: cprready adds each service's path."
	switch {
	case r.What == "":
		msg += fmt.Sprintf("; it is not a CPR path cprready knows (the CPR services are served at %s)", words.JoinAnd(r.Served))
	case strings.HasPrefix(r.Path, "/FileDownloads"):
		msg += fmt.Sprintf("; cprready knows %s is served at %s (a bad key there answers 401, so the key passed and the path is wrong)", r.What, words.JoinAnd(r.Served))
		remedy = "Set endpoints.filedownload to …/FileDownloads and endpoints.filedownload_version to v2.0 (or leave it out); cprready adds the list's path."
	default:
		msg += fmt.Sprintf("; cprready knows %s is served at %s", r.What, words.JoinAnd(r.Served))
	}
	return Diagnosis{Message: msg, Remedy: remedy}, true
}

// KeyIsNew reports an API key created on the evaluation day or after:
// the only thing a date can say about a key that may be minutes old
// (platform.ConvNewKey).
func KeyIsNew(created, at time.Time) bool {
	return !created.IsZero() && !at.IsZero() && !profile.DateOf(created).Time().Before(profile.DateOf(at).Time())
}

// newKeyWords says how a new key behaves (platform.ConvNewKey).
const newKeyWords = "a new key answers 401 DAF-AUTH-0005 for about 15 minutes after it is created, and then now and then (about 30% of calls) for up to about an hour while it spreads to the gateway's nodes"

// diagnoseKey explains a 401 DAF-AUTH-0005 on a call with an API key.
func diagnoseKey(e *datafordeler.Error, d Context) Diagnosis {
	tab := d.where(profile.APIKeyCred.Tab())
	unrecognised := strings.Contains(strings.ToLower(e.Detail), "since creation") || strings.Contains(strings.ToLower(e.Detail), "unrecognized authentication key")
	switch {
	case d.Check == "schema.apikey" && KeyIsNew(d.KeyCreated, d.At):
		tried := ""
		if d.KeyAttempts > 1 {
			tried = fmt.Sprintf("; cprready tried it %d times and every call failed", d.KeyAttempts)
		}
		return Diagnosis{
			Message: "The API key was created today and is most likely still new: " + newKeyWords + tried,
			Remedy:  "Wait about 15 minutes and run again with the same key; it can take up to about an hour before every call passes. Do not create a new key: a new one starts over. If it still fails after an hour, check the key under " + tab + ".",
		}
	case d.Check == "schema.apikey":
		return Diagnosis{
			Message: "The API key is not accepted (401 DAF-AUTH-0005): it is wrong, deactivated or expired — or created within the hour: " + newKeyWords,
			Remedy:  fmt.Sprintf("Copy the key again from %s (status Aktiv, Udløbsdato in the future). If you created it within the hour, retry the same key instead of making a new one, which starts over.", tab),
		}
	case d.Check == "explain" && unrecognised:
		return Diagnosis{
			Message: "The platform does not recognise the API key (401 DAF-AUTH-0005 \"Unrecognized Authentication key\"): it is wrong — or new: " + newKeyWords,
			Remedy:  fmt.Sprintf("If the key was created within the hour, wait and retry the same key; do not create another, which starts over. Otherwise copy it again from %s (status Aktiv).", tab),
		}
	case d.Check == "explain":
		return Diagnosis{
			Message: "No valid credential reached the platform (401 DAF-AUTH-0005): on a schema call the API key was missing, wrong or expired, or new (" + newKeyWords + "); on a data call the Bearer token was missing or stripped",
			Remedy:  fmt.Sprintf("Schema calls: check the apiKey parameter against %s; retry a key created within the hour rather than make a new one. Data calls: send Authorization: Bearer <access_token>, and check that no proxy strips it.", tab),
		}
	}
	return Diagnosis{
		Message: "No valid credential reached the platform (401 DAF-AUTH-0005 \"No authentication method found\"); the Bearer token was missing or stripped",
		Remedy:  "Send Authorization: Bearer <access_token> on data calls; check that no proxy strips the header.",
	}
}

// hostAddressNote is where the production hosts resolved, for firewall
// rules (platform.ConvHostAddress).
var hostAddressNote = "In September 2026 graphql.datafordeler.dk and api.datafordeler.dk resolved to " + platform.HostAddress2026 + " (one source; it can change): allow the host names in the firewall, or check the address before you pin it."
