package emulator

import (
	"io"
	"net/http"
	"strings"
)

// File downloads: the list (v2.0) and files.

func (s *Server) fileList(w http.ResponseWriter, r *http.Request) {
	c := s.authorize(w, r)
	if c == nil {
		return
	}
	if s.fault(FaultMalformed) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html>Upstream error</html>")
		return
	}
	if reg := r.URL.Query().Get("Register"); !strings.EqualFold(reg, "CPR") {
		// The platform's answer here is not known (U): a plain 400.
		http.Error(w, "Register is required, e.g. Register=CPR", http.StatusBadRequest)
		return
	}
	var entities []string
	for _, e := range c.sys.entities {
		if e == "Person" || e == "CprAdresse" || e == "Beskyttelse" || e == "Forældremyndighed" {
			entities = append(entities, e)
		}
	}
	if len(entities) == 0 || s.fault(FaultNoAccess) {
		problem(w, http.StatusForbidden, "DAF-AUTH-0001", "The IT-system has no approved access to CPR file downloads")
		return
	}
	files := fileDownloads(entities)
	writeJSON(w, http.StatusOK, "application/json", map[string]any{
		"paginationMetadata":     map[string]any{"currentPage": 1, "pageSize": 10000, "totalCount": len(files), "totalPages": 1},
		"availableFileDownloads": files,
	})
}

func (s *Server) getFile(w http.ResponseWriter, r *http.Request) {
	if c := s.authorize(w, r); c == nil {
		return
	}
	// The emulator lists files but does not serve their contents.
	notFound(w)
}
