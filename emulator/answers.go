package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/cprready/cprready/platform/errcode"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/platform"
)

// graphqlRequest is a GraphQL request however it came.
type graphqlRequest struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName"`
}

// readRequest reads a GraphQL request: a POST's JSON body, or a GET's URL
// parameters query, variables (JSON) and operationName (ConvGET: the
// platform's GraphQL page says a query may be sent as GET or POST; the
// parameter names are Hot Chocolate's [I]). It answers and reports false
// when there is none.
func readRequest(w http.ResponseWriter, r *http.Request) (graphqlRequest, bool) {
	var req graphqlRequest
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		req.Query, req.OperationName = q.Get("query"), q.Get("operationName")
		if v := q.Get("variables"); v != "" {
			if err := json.Unmarshal([]byte(v), &req.Variables); err != nil {
				requestErrors(w, r, gqlError{Message: "The variables parameter is not a JSON object."})
				return req, false
			}
		}
		if req.Query == "" {
			requestErrors(w, r, gqlError{Message: "A GET request carries the query in the query parameter (?query=…)."})
			return req, false
		}
		return req, true
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Query == "" {
		requestErrors(w, r, gqlError{Message: "The request body is not a GraphQL request (expected {\"query\": …})."})
		return req, false
	}
	return req, true
}

// answerProblems answers a query the platform's rules refuse. Most are
// refused before the query runs (requestErrors: 400 or 200 by media
// type, the platform's recorded words where known). DAF-GQL-0009 is
// answered as the query runs, as recorded on CVR/v2: HTTP 200, the root
// field null in data, the error with its path and extensions {traceId,
// code} (gql.AnsweredAtExecution). Its words on CPR are not recorded: the
// emulator says it in the recorded message's form.
func answerProblems(w http.ResponseWriter, r *http.Request, doc *ast.QueryDocument, probs []gql.Problem) {
	var errs []gqlError
	atExecution := doc != nil
	for _, p := range probs {
		e := gqlError{Message: gql.PlatformMessage(p), Locations: []any{map[string]int{"line": p.Line, "column": p.Column}}}
		if p.Code != "" {
			e.Extensions = map[string]any{"code": p.Code}
		}
		atExecution = atExecution && gql.AnsweredAtExecution(p.Code)
		errs = append(errs, e)
	}
	if !atExecution {
		requestErrors(w, r, errs...)
		return
	}
	data := map[string]any{}
	for i, p := range probs {
		root := rootAt(doc, p.Line, p.Column)
		errs[i].Message = requiredFilterMessage
		errs[i].Path = []any{root}
		errs[i].Extensions["traceId"] = traceID()
		data[root] = nil
	}
	writeJSON(w, http.StatusOK, mediaType(r)+"; charset=utf-8", map[string]any{"errors": errs, "data": data})
}

// requiredFilterMessage is DAF-GQL-0009's message on a bitemporal CPR
// entity, in the form recorded on CVR/v2 ("When retrieving data for this
// entity, a filter on at least one of the following fields must be
// specified: …"); DAR's and CPR's own words are not recorded [I].
const requiredFilterMessage = "When retrieving data for this entity, virkningstid or registreringstid, or a filter on at least one of the following fields must be specified: id_lokalId, datafordelerRowId, id"

// rootAt names the root field at a place in the query.
func rootAt(doc *ast.QueryDocument, line, col int) string {
	for _, op := range doc.Operations {
		for _, f := range gql.CollectFields(doc, op.SelectionSet) {
			if f.Position != nil && f.Position.Line == line && f.Position.Column == col {
				return f.Name
			}
		}
	}
	return ""
}

// traceID is a W3C trace context, as the platform's errors carry one
// (recorded on CVR/v2: "00-<32 hex>-<16 hex>-01").
func traceID() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return "00-" + h[:32] + "-" + h[32:] + "-01"
}

// keyNotSpreadYet applies the apikey-propagating fault: a new key fails
// about 30% of its calls while it spreads to the gateway's nodes
// (ConvNewKey). Deterministic, so that tests can count on it: calls 1, 4
// and 8 of every ten fail.
func (s *Server) keyNotSpreadYet() bool {
	if !s.fault(FaultAPIKeyPropagating) {
		return false
	}
	n := s.keyCalls.Add(1) - 1
	switch n % 10 {
	case 0, 3, 7:
		return true
	}
	return false
}

// badAccept answers an Accept header Hot Chocolate cannot parse (a value
// that is no media range): 400 HC0064 in its words (its
// GraphQLOverHttpSpecTests, UnsupportedAcceptHeaderValue).
func badAccept(w http.ResponseWriter, r *http.Request) bool {
	for v := range strings.SplitSeq(r.Header.Get("Accept"), ",") {
		v = strings.TrimSpace(strings.SplitN(v, ";", 2)[0])
		if v != "" && !strings.Contains(v, "/") {
			writeJSON(w, http.StatusBadRequest, platform.MediaGraphQLResponse+"; charset=utf-8", map[string]any{"errors": []gqlError{{
				Message: "Unable to parse the accept header value `" + v + "`.", Extensions: map[string]any{"code": errcode.AcceptHeader, "headerValue": v}}}})
			return true
		}
	}
	return false
}
