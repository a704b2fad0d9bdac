package platform

import (
	"fmt"
	"strings"

	"github.com/cprready/cprready/gql"
)

// Convention is a behaviour of the platform that clients recorded in
// production, on CPR or on another register, with how sure cprready is
// that the CPR services share it: C where it was recorded for this very
// behaviour (on CPR, or on a part every register shares: the gateway,
// Hot Chocolate, the file-download service), I where it is carried over
// from another register to CPR. The emulator behaves so, `schema
// validate` and the live checks judge by it, and `explain` and
// docs/emulator.md quote it with its label and source.
type Convention struct {
	ID     string
	Level  string // for CPR: C, I or U
	Rule   string // what the platform does
	Source string // who recorded it, where (platform/testdata/evidence names every source)
}

// The conventions, by ID.
const (
	ConvInList          = "in-list-limit"
	ConvTimeOrID        = "time-or-id-required"
	ConvGET             = "graphql-get"
	ConvNoAccept        = "no-accept-header"
	ConvSyntaxHC0011    = "syntax-hc0011"
	ConvUnservedVersion = "unserved-version-404"
	ConvNewKey          = "new-api-key-propagation"
	ConvListUnversioned = "file-list-unversioned"
	ConvListPageSize    = "file-list-pagesize"
	ConvListPastLast    = "file-list-page-past-last"
	ConvFileSplit       = "file-municipality-split"
	ConvFiles401        = "filedownloads-401"
	ConvEqExact         = "eq-exact"
	ConvHostAddress     = "hosts-one-address"
)

// Conventions lists every convention, in the order docs/emulator.md shows them.
func Conventions() []Convention {
	return []Convention{
		{ConvTimeOrID, Inferred,
			"An entity-based (bitemporal) root field, one that takes virkningstid and registreringstid, refuses a query that gives neither of them nor an id filter (id_lokalId, datafordelerRowId, id): DAF-GQL-0009, answered with HTTP 200, the root field null and errors[].extensions {code, traceId}. For CPR/v1 this is CPR_AdministrativEnhed; CPR_Events and DAF_RegisterImportStatus take no time argument and answer without one.",
			"measured on DAR (sfpkartago/retailkort dawa.py, 29-09-2026) and MAT (a farm-map project's notes, 9 September 2026), stated for BBR/MAT/DAR (kaspermunck/dafcli README); the body recorded on CVR/v2 (bergholdt/cvrvaelger navn_missing_filter.yml), where CVR demands a filter on named fields instead and answers without a time argument"},
		{ConvInList, Inferred,
			"An in list holds at most " + fmt.Sprint(gql.MaxInList) + " values; more is refused with DAF-GQL-0016 \"" + gql.InListMessage + "\", HTTP 400 for a POST with Content-Type: application/json and no Accept header.",
			"measured on DAR/v3 (Adamsinator/bolig-tracker scripts/fetch_bbr_once.py and scripts/probe_dar_batch.py, August 2026: 100 works, 150 and more fail)"},
		{ConvGET, Confirmed,
			"A query may be sent as GET or POST; on GET the query, its variables (JSON) and the operation name are URL parameters (query, variables, operationName; the parameter names are Hot Chocolate's [I]).",
			"the platform's page \"GraphQL på Datafordeleren\" (confluence.sdfi.dk pageId 187105434 and 187105560: \"En query sendes til et GraphQL-endepunkt som et GET- eller POST-request\")"},
		{ConvNoAccept, Inferred,
			"A request without an Accept header (or with */*) is answered as application/graphql-response+json: a request rejected before it runs gets HTTP 400 with the errors; under Accept: application/json the same errors come with HTTP 200.",
			"HTTP 400 measured on DAR/v3 for DAF-GQL-0016 with no Accept header (Adamsinator/bolig-tracker); Hot Chocolate's own tests (GraphQLOverHttpSpecTests) for no Accept and */*"},
		{ConvSyntaxHC0011, Confirmed,
			"A document that does not parse fails with HC0011, a field name with Danish letters (æ, ø, å) among them: the platform's names are ASCII (æ→ae, ø→oe, å→aa, as in foraeldreoplysninger).",
			"kaspermunck/dafcli README (\"Danish chars in field names … trigger HC0011\"); Hot Chocolate's tests (GraphQLOverHttpSpecTests: HC0011 for a syntax error)"},
		{ConvUnservedVersion, Confirmed,
			"A service version (or path) the platform does not serve answers a bare 404 with no body; only the path tells what is wrong.",
			"recorded on CVR/v1 and CVR/v3 (a project's implementation log, 17 August 2026; a client's note of 2 June 2026: \"silent 404 for all POSTs\"), MAT/v1 and DAGI/v1 (a farm-map project's notes, 9 September 2026)"},
		{ConvNewKey, Confirmed,
			"A new API key fails with 401 DAF-AUTH-0005 (\"Unrecognized Authentication key … At least 15 minutes have passed since creation\"): at first on every call, then intermittently, about 30% of calls, for up to about an hour while it spreads to the gateway's nodes. Retry the same key; a new key starts over.",
			"three projects: sfpkartago/retailkort dawa.py (\"~30 % tilfældige 401 den første time\"), dacekroberts/expanded-heatmap (\"401s for ~15 minutes … retry the SAME key\"), a farm-map project's notes (live after five minutes; sporadic 401s on a known-good key after)"},
		{ConvListUnversioned, Confirmed,
			"The unversioned file list GET …/FileDownloads/GetAvailableFileDownloads answers 200 beside v2.0 (and GetFile beside v1.0/GetFile).",
			"working clients: bergholdt/cvrvaelger (recorded 2026-10-10), an EJF client (\"verificeret 4. sep. 2026\"), DAXGRID/dawa-address"},
		{ConvListPageSize, Confirmed,
			"The file list ignores PageSize: a page holds what the server decides (10000 in the recorded list).",
			"../shared/spec/platform.md's list of behaviour recorded on other registers (this round found its recording no more); the recorded list's own pageSize is 10000 (bergholdt/cvrvaelger fildownload_available.yml)"},
		{ConvListPastLast, Confirmed,
			"A file-list page past the last answers HTTP 400 \"" + PagePastLastMessage + "\": paging ends with an error, not an empty page (on page 1 it means the list holds nothing for the filter). The body's format is not recorded [U].",
			"dacekroberts/expanded-heatmap pipeline/copenhagen/fetch_sources.py (\"Measured 2026-09-24\")"},
		{ConvFileSplit, Inferred,
			"Some entities are also split per municipality: <REG>_V<n>_<Entity>_<kommunekode>_TotalDownload_…, with municipalityCode set.",
			"DAR (a DAR file extractor's notes: DAR_V3_Adressepunkt_0766_TotalDownload_json_Current_636.zip; dacekroberts/expanded-heatmap picks DAR files by municipalitycode)"},
		{ConvFiles401, Confirmed,
			"Every FileDownloads path answers 401 to a missing or bad key, never 404: a 401 there is the credential, not the URL.",
			"dacekroberts/expanded-heatmap (\"every FileDownloads path returns 401 unauthenticated and none returns 404\")"},
		{ConvEqExact, Unknown,
			"String eq is exact and case-sensitive on DAR and CVR; for CPR it is not known (the seed's example filters \"Aktuel\" while the data writes \"aktuel\"). The emulator compares exactly unless told otherwise (emulator.Config.EqFold).",
			"measured on DAR (sfpkartago/retailkort dawa.py: 'silkeborgvej' finds nothing) and recorded on CVR/v2 (bergholdt/cvrvaelger navn_wrong_case.yml: \"SALLING GROUP A/S\" finds nothing)"},
		{ConvHostAddress, Confirmed,
			"In September 2026 graphql.datafordeler.dk and api.datafordeler.dk resolved to one address, " + HostAddress2026 + " (AS3292, TDC), with no CDN in front: useful for an egress firewall rule, but it can change, so cprready never hard-wires it.",
			"one source, 2026-09-20 (a CVR pipeline's notes)"},
	}
}

// LookupConvention finds a convention by ID.
func LookupConvention(id string) (Convention, bool) {
	for _, c := range Conventions() {
		if c.ID == id {
			return c, true
		}
	}
	return Convention{}, false
}

// Platform texts and limits, as recorded.
const (
	// PagePastLastMessage is the file list's words for a page past the last
	// (dacekroberts/expanded-heatmap).
	PagePastLastMessage = "'pageNumber' is greater than the total amount of pages."
	// FileListPageSize is the list server's page size (recorded: 10000); it
	// ignores the PageSize parameter.
	FileListPageSize = 10000
	// UnrecognisedKeyDetail is DAF-AUTH-0005's detail for an API key the
	// gateway does not (yet) know, as two projects quote it; a wrong key and
	// a new key get the same words.
	UnrecognisedKeyDetail = "Unrecognized Authentication key. Please verify: 1) The APIkey or ClientId is correct 2) At least 15 minutes have passed since creation"
	// NewKeyAdvice is what to expect of a new API key (ConvNewKey), for
	// every text that tells a person to create or extend one.
	NewKeyAdvice = "a new key works after about 15 minutes, and fails now and then for up to about an hour while it spreads: retry the same key rather than create another"
	// HostAddress2026 is where the production hosts resolved in September
	// 2026 (one source); never used to connect.
	HostAddress2026 = "87.60.242.40"
)

// Media types a GraphQL answer comes in.
const (
	MediaGraphQLResponse = "application/graphql-response+json"
	MediaJSON            = "application/json"
)

// ResponseMediaType is the media type Hot Chocolate answers in for a
// request's Accept header: application/graphql-response+json when the
// client names it, sends no Accept header, or accepts anything
// (ConvNoAccept); application/json when it asks for that.
func ResponseMediaType(accept string) string {
	a := strings.ToLower(strings.TrimSpace(accept))
	switch {
	case a == "", strings.Contains(a, MediaGraphQLResponse), strings.Contains(a, "*/*"), strings.Contains(a, "application/*"):
		return MediaGraphQLResponse
	}
	return MediaJSON
}

// RejectedStatus is the HTTP status of a request rejected before it runs
// (syntax, validation, the platform's query rules): 400 under
// application/graphql-response+json, 200 under application/json.
func RejectedStatus(mediaType string) int {
	if mediaType == MediaGraphQLResponse {
		return 400
	}
	return 200
}
