package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cprready/cprready/datafordeler"
	"github.com/cprready/cprready/gql"
	"github.com/cprready/cprready/internal/fsutil"
	"github.com/cprready/cprready/profile"
)

// Cache keeps fetched SDL per GraphQL host and service, with the fetch
// time, a content hash and the ETag.
type Cache struct {
	Dir string
	Now func() time.Time
}

// Entry describes one cached schema.
type Entry struct {
	Service   string    `json:"service"`
	URL       string    `json:"url"` // redacted: no apiKey
	FetchedAt time.Time `json:"fetched_at"`
	SHA256    string    `json:"sha256"`
	ETag      string    `json:"etag,omitempty"`
	Size      int       `json:"size"`
}

// DefaultCache is in the user's cache folder ($XDG_CACHE_HOME/cprready/schemas
// on Linux, ~/Library/Caches on macOS, %LocalAppData% on Windows).
func DefaultCache() (*Cache, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return nil, fmt.Errorf("no cache folder: %w", err)
	}
	return &Cache{Dir: filepath.Join(d, "cprready", "schemas")}, nil
}

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// folder is the cache folder of a GraphQL base URL.
func (c *Cache) folder(base string) string {
	host := base
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		host = u.Host + u.Path
	}
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			return r
		}
		return '_'
	}, host)
	return filepath.Join(c.Dir, safe)
}

// MaxEntry bounds a cache entry's metadata file.
const MaxEntry = 64 << 10

// Load reads a cached schema; fs.ErrNotExist when there is none.
func (c *Cache) Load(base, service string) ([]byte, Entry, error) {
	dir := c.folder(base)
	// Bounded, and never blocking: a FIFO or a device planted where the
	// cache lives is refused at once (fsutil.ReadRegular).
	sdl, err := fsutil.ReadRegular(filepath.Join(dir, service+".graphql"), gql.MaxSDL)
	if err != nil {
		return nil, Entry{}, err
	}
	var e Entry
	if b, err := fsutil.ReadRegular(filepath.Join(dir, service+".json"), MaxEntry); err == nil {
		_ = json.Unmarshal(b, &e)
	}
	if e.SHA256 == "" {
		e.SHA256 = Hash(sdl)
	}
	return sdl, e, nil
}

// Store writes a schema and its entry atomically.
func (c *Cache) Store(base, service string, sdl []byte, etag, redactedURL string) (Entry, error) {
	dir := c.folder(base)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Entry{}, err
	}
	e := Entry{Service: service, URL: redactedURL, FetchedAt: c.now().UTC(), SHA256: Hash(sdl), ETag: etag, Size: len(sdl)}
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, service+".graphql"), sdl); err != nil {
		return e, err
	}
	b, _ := json.MarshalIndent(e, "", "  ")
	return e, fsutil.WriteFileAtomic(filepath.Join(dir, service+".json"), b)
}

// Touch records a fetch that found the schema unchanged (304).
func (c *Cache) Touch(base, service string) (Entry, error) {
	sdl, e, err := c.Load(base, service)
	if err != nil {
		return e, err
	}
	return c.Store(base, service, sdl, e.ETag, e.URL)
}

// Hash is the SDL's content hash.
func Hash(sdl []byte) string {
	s := sha256.Sum256(sdl)
	return hex.EncodeToString(s[:])
}

// Bound is the cache for one GraphQL base; it is what the live check
// schema.apikey consults.
type Bound struct {
	C    *Cache
	Base string
}

// Compare says how old the cached schema is and whether live differs.
func (b Bound) Compare(service string, live []byte) map[string]any {
	sdl, e, err := b.C.Load(b.Base, service)
	if errors.Is(err, fs.ErrNotExist) || err != nil {
		return map[string]any{"cached": false}
	}
	ev := map[string]any{
		"cached":            true,
		"cached_fetched_at": e.FetchedAt.Format(time.RFC3339),
		"cached_age":        Age(b.C.now().Sub(e.FetchedAt)),
		"differs":           Hash(live) != e.SHA256,
	}
	if Hash(live) != e.SHA256 {
		old, err1 := gql.LoadSchema("cached.graphql", sdl)
		cur, err2 := gql.LoadSchema("live.graphql", live)
		if err1 == nil && err2 == nil {
			cs := Diff(old, cur)
			n := map[Criticality]int{}
			for _, c := range cs {
				n[c.Criticality]++
			}
			ev["changes"] = map[string]int{"breaking": n[Breaking], "dangerous": n[Dangerous], "safe": n[Safe]}
		}
	}
	return ev
}

// Age renders a duration as a person reads it.
func Age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// CacheOf is the user's schema cache bound to the profile's environment,
// for schema.apikey's comparison of the cached and the live schema.
func CacheOf(p *profile.Profile) (Bound, bool) {
	ep, err := datafordeler.ResolveEndpoints(p)
	if err != nil {
		return Bound{}, false
	}
	c, err := DefaultCache()
	if err != nil {
		return Bound{}, false
	}
	return Bound{C: c, Base: ep.GraphQLBase}, true
}
