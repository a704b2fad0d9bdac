package platform

import (
	"net/url"
	"strings"
)

// File-download paths under the api host: the list is served versioned
// (v2.0; v1.0 retired) and unversioned (ConvListUnversioned), one file
// at v1.0/GetFile and GetFile.
var (
	fileListPaths = []string{"/FileDownloads/v2.0/GetAvailableFileDownloads", "/FileDownloads/GetAvailableFileDownloads"}
	getFilePaths  = []string{"/FileDownloads/v1.0/GetFile", "/FileDownloads/GetFile"}
)

// FileListPaths are the file list's served paths.
func FileListPaths() []string { return append([]string(nil), fileListPaths...) }

// GetFilePaths are the served paths of one file.
func GetFilePaths() []string { return append([]string(nil), getFilePaths...) }

// PathReading is what cprready knows of a URL path the platform answered
// 404 to (ConvUnservedVersion: a bare 404 says nothing else).
type PathReading struct {
	Path string // the path called, without its query
	// What names the service the path belongs to ("the public custom
	// service"), "" when it is none cprready knows.
	What string
	// Served are the paths cprready knows the platform serves for it: the
	// service's versions, or every CPR path when What is "".
	Served []string
}

// ReadPath reads the path of a URL (or a bare path) that answered 404.
func ReadPath(raw string) PathReading {
	p := raw
	if u, err := url.Parse(raw); err == nil && (u.Host != "" || strings.HasPrefix(u.Path, "/")) {
		p = u.Path
	}
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	r := PathReading{Path: p}
	base := strings.TrimSuffix(strings.TrimRight(p, "/"), "/schema")
	switch {
	case strings.HasPrefix(base, "/FileDownloads/") && strings.HasSuffix(base, "/GetAvailableFileDownloads"):
		r.What, r.Served = "the file list", FileListPaths()
		return r
	case strings.HasPrefix(base, "/FileDownloads/") && strings.HasSuffix(base, "/GetFile"):
		r.What, r.Served = "one file's download", GetFilePaths()
		return r
	case strings.HasPrefix(base, "/FileDownloads"):
		r.What, r.Served = "the file downloads", append(FileListPaths(), GetFilePaths()...)
		return r
	}
	for _, s := range Services() {
		prefix := strings.TrimSuffix(s.Path("x"), "x")
		if s == Events {
			prefix = "/CPR/v"
		}
		if !strings.HasPrefix(base, prefix) || strings.Contains(strings.TrimPrefix(base, prefix), "/") {
			continue
		}
		r.What = "the " + s.Title()
		for _, v := range s.Versions() {
			r.Served = append(r.Served, s.Path(v))
		}
		return r
	}
	r.Served = ServedPaths()
	return r
}

// Title names a service in a sentence.
func (s Service) Title() string {
	switch s {
	case Public:
		return "public custom service (CPRCustom_PublicSectorPerson)"
	case Private:
		return "private custom service (CPRCustom_PrivateSectorPerson)"
	}
	return "entity-based service (CPR_Events, DAF_RegisterImportStatus)"
}
