package emulator

// The GraphQL services: schemas at …/schema, queries and SSE subscriptions,
// answered by the reference schema (platform package) of the service
// version asked for, in the media type asked for.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cprready/cprready/platform/errcode"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/platform"
)

// version is the request's service version (the entity-based service
// has v1 only); "" when the platform serves no such version.
func version(svc platform.Service, r *http.Request) string {
	v := r.PathValue("version")
	if svc == platform.Events {
		v = "v1"
	}
	if !svc.ValidVersion(v) {
		return ""
	}
	return v
}

// notFound answers a path or version the platform does not serve: a bare
// 404 with no body (ConvUnservedVersion, recorded on CVR v1 and v3).
func notFound(w http.ResponseWriter) { w.WriteHeader(http.StatusNotFound) }

func (s *Server) schema(svc platform.Service) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := version(svc, r)
		if v == "" {
			notFound(w)
			return
		}
		key, has := apiKeyOf(r)
		if has && r.Header.Get("Authorization") != "" {
			problem(w, http.StatusBadRequest, errcode.AuthBothCredentials, "Both API key and Authorization header were supplied; use one authentication method")
			return
		}
		switch {
		case !has:
			problem(w, http.StatusUnauthorized, errcode.AuthNoCredential, noAuthDetail)
			return
		case s.apiKeys[key] == nil || s.fault(FaultAPIKeyInvalid) || s.fault(FaultAPIKeyNew) || s.keyNotSpreadYet():
			// A wrong key and a new one get the same words (ConvNewKey).
			problem(w, http.StatusUnauthorized, errcode.AuthNoCredential, platform.UnrecognisedKeyDetail)
			return
		}
		sdl, err := platform.SDL(svc, v)
		if err != nil {
			notFound(w)
			return
		}
		etag := fmt.Sprintf(`"%x-%s-%s"`, len(sdl), svc, v)
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, sdl) // #nosec G705 -- our own schema, served as text/plain
	}
}

type gqlError struct {
	Message    string         `json:"message"`
	Locations  []any          `json:"locations,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// mediaType is the media type the answer comes in (platform.ResponseMediaType:
// application/graphql-response+json also without an Accept header,
// ConvNoAccept).
func mediaType(r *http.Request) string { return platform.ResponseMediaType(r.Header.Get("Accept")) }

// requestErrors answers a rejected request (syntax, validation, mandatory
// selections, aliases, limits) as Hot Chocolate does: HTTP 400 and the
// errors under application/graphql-response+json (asked for, or no Accept
// header: measured on DAR/v3), HTTP 200 and the errors under
// application/json (platform.md: GraphQL conventions).
func requestErrors(w http.ResponseWriter, r *http.Request, errs ...gqlError) {
	mt := mediaType(r)
	writeJSON(w, platform.RejectedStatus(mt), mt+"; charset=utf-8", map[string]any{"errors": errs})
}

// notAuthorized answers a call without approved access: 200 with
// errors[].extensions.code DAF-AUTH-0001 (platform.md: I).
func notAuthorized(w http.ResponseWriter, r *http.Request, what string) {
	writeJSON(w, http.StatusOK, mediaType(r), map[string]any{"data": nil, "errors": []gqlError{{
		Message: "The current user is not authorized to access this resource (" + what + ").", Extensions: map[string]any{"code": errcode.AuthNotAuthorized}}}})
}

func hasEntity(sys *itSystem, e string) bool {
	return slices.Contains(sys.entities, e)
}

func (s *Server) graphql(svc platform.Service) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := version(svc, r)
		if v == "" {
			notFound(w)
			return
		}
		c := s.authorize(w, r)
		if c == nil || badAccept(w, r) {
			return
		}
		if s.fault(FaultMalformed) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html><body>Upstream error \x1b[31m<b>502</b></body>")
			return
		}
		if s.fault(FaultNoAccess) {
			notAuthorized(w, r, "CPR")
			return
		}
		req, ok := readRequest(w, r)
		if !ok {
			return
		}
		if strings.Contains(req.Query, "__schema") || strings.Contains(req.Query, "__type(") {
			// Hot Chocolate's words (its DefaultSecurityTests); fetch the SDL from …/schema.
			requestErrors(w, r, gqlError{Message: "Introspection is not allowed for the current request.", Extensions: map[string]any{"code": errcode.Introspection}})
			return
		}
		schema, err := platform.Schema(svc, v)
		if err != nil {
			notFound(w)
			return
		}
		doc, probs := gql.ValidateQuery(r.Context(), schema, req.Query, req.Variables)
		if len(probs) > 0 {
			answerProblems(w, r, doc, probs)
			return
		}
		op := doc.Operations.ForName(req.OperationName)
		if op == nil && len(doc.Operations) > 0 && req.OperationName == "" {
			op = doc.Operations[0]
		}
		if op == nil {
			requestErrors(w, r, gqlError{Message: "No operation to run."})
			return
		}
		s.execute(w, r, c, doc, op, req.Variables)
	}
}

// resolve answers one root field; ok is false when it already answered.
func (s *Server) resolve(w http.ResponseWriter, r *http.Request, c *client, f *ast.Field, args map[string]any) (any, bool) {
	switch f.Name {
	case "CPRCustom_PublicSectorPerson":
		if !hasEntity(c.sys, "CustomPublicSectorPerson") {
			notAuthorized(w, r, "CustomPublicSectorPerson")
			return nil, false
		}
		in, _ := args["input"].(map[string]any)
		return connection(publicPersons(in, s.cfg.EqFold), args), true
	case "CPRCustom_PrivateSectorPerson":
		if !hasEntity(c.sys, "CustomPrivateSectorPerson") {
			notAuthorized(w, r, "CustomPrivateSectorPerson")
			return nil, false
		}
		in, _ := args["input"].(map[string]any)
		return privatePersons(in), true
	case "CPR_Events":
		if c.sys.kind != "public" || !hasEntity(c.sys, "CustomPublicSectorPerson") {
			notAuthorized(w, r, "CPR_Events needs CustomPublicSectorPerson")
			return nil, false
		}
		where, _ := args["where"].(map[string]any)
		return connection(eventItems(where), args), true
	case "DAF_RegisterImportStatus":
		return importStatus(), true
	case "CPR_AdministrativEnhed":
		return connection(administrativeUnits(), args), true
	case "CPR_AdministrativEnhedType":
		return connection([]any{map[string]any{"typeKode": "LAND", "typeNavn": "Land"}, map[string]any{"typeKode": "KOMMUNE", "typeNavn": "Kommune"}}, args), true
	}
	return nil, true
}

func (s *Server) execute(w http.ResponseWriter, r *http.Request, c *client, doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any) {
	data := map[string]any{}
	for _, f := range fields(doc, op.SelectionSet) {
		if f.Name == "__typename" {
			data[f.Name] = "Query"
			continue
		}
		args := f.ArgumentMap(vars)
		if op.Operation == ast.Subscription {
			s.subscribe(w, r, c, doc, f, args)
			return
		}
		v, ok := s.resolve(w, r, c, f, args)
		if !ok {
			return
		}
		typeName := ""
		if f.Definition != nil {
			typeName = f.Definition.Type.Name()
		}
		data[f.Name] = project(doc, f.SelectionSet, v, typeName)
	}
	writeJSON(w, http.StatusOK, mediaType(r), map[string]any{"data": data})
}

// subscribe streams over Server-Sent Events, without a nodes wrapper:
// CPR_Events ten events 50 ms apart, DAF_RegisterImportStatus one status;
// then complete (or until the client leaves).
func (s *Server) subscribe(w http.ResponseWriter, r *http.Request, c *client, doc *ast.QueryDocument, f *ast.Field, args map[string]any) {
	if !strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		requestErrors(w, r, gqlError{Message: "Subscriptions are served over Server-Sent Events: send Accept: text/event-stream."})
		return
	}
	var items []any
	switch f.Name {
	case "CPR_Events":
		if c.sys.kind != "public" || !hasEntity(c.sys, "CustomPublicSectorPerson") {
			notAuthorized(w, r, "CPR_Events needs CustomPublicSectorPerson")
			return
		}
		where, _ := args["where"].(map[string]any)
		items = eventItems(where)
		items = items[:min(len(items), 10)]
	case "DAF_RegisterImportStatus":
		items = []any{importStatus()}
	}
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	typeName := f.Definition.Type.Name()
	for _, e := range items {
		payload, _ := json.Marshal(map[string]any{"data": map[string]any{f.Name: project(doc, f.SelectionSet, e, typeName)}})
		if _, err := fmt.Fprintf(w, "event: next\ndata: %s\n\n", payload); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
		t := time.NewTimer(50 * time.Millisecond)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.shutdown:
			t.Stop()
			return
		}
	}
	_, _ = io.WriteString(w, "event: complete\n\n")
}
