package emulator

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/cprready/cprready/platform/errcode"

	"github.com/cprready/cprready/platform"
)

// File downloads: the list (v2.0 and unversioned) and files. Every path
// checks the caller first, so a bad key is a 401 wherever it goes, never
// a 404 (platform.ConvFiles401).

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
	if reg := param(r, "Register"); !strings.EqualFold(reg, "CPR") {
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
		problem(w, http.StatusForbidden, errcode.AuthNotAuthorized, "The IT-system has no approved access to CPR file downloads")
		return
	}
	files := fileDownloads(entities)
	// PageSize is ignored: a page holds what the server decides
	// (ConvListPageSize). A page past the last is an error, not an empty
	// page (ConvListPastLast); the body's format is not recorded (U), so
	// it is the recorded words as text.
	size := platform.FileListPageSize
	pages := (len(files) + size - 1) / size
	page := 1
	if v := param(r, "PageNumber"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			http.Error(w, "PageNumber must be a positive number", http.StatusBadRequest)
			return
		}
		page = n
	}
	if page > pages {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, platform.PagePastLastMessage)
		return
	}
	total := len(files)
	files = files[(page-1)*size : min(page*size, total)]
	writeJSON(w, http.StatusOK, "application/json; charset=utf-8", map[string]any{
		"paginationMetadata":     map[string]any{"currentPage": page, "pageSize": size, "totalCount": total, "totalPages": pages},
		"availableFileDownloads": files,
	})
}

// param reads a query parameter whatever its case (the list's own
// parameters are spelt PageNumber and pageNumber alike by clients).
func param(r *http.Request, name string) string {
	for k, v := range r.URL.Query() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func (s *Server) getFile(w http.ResponseWriter, r *http.Request) {
	if c := s.authorize(w, r); c == nil {
		return
	}
	// The emulator lists files but does not serve their contents.
	notFound(w)
}

// fileOther is every other FileDownloads path: the caller is checked
// first (401 to a bad key), then the path is unknown (404).
func (s *Server) fileOther(w http.ResponseWriter, r *http.Request) {
	if c := s.authorize(w, r); c == nil {
		return
	}
	notFound(w)
}
