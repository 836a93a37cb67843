package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// staticFiles serves web/static. A URL with a version (?v=, the content
// hash the templates and the generated font CSS put there) never changes,
// so browsers keep it a year without asking again; one without keeps five
// minutes. Text files (CSS, JS, SVG) go gzipped to clients that accept it:
// Designsystemet's CSS is 147 kB as it is and a tenth of that gzipped, and
// it blocks the first paint of every page.
type staticFiles struct {
	files http.Handler
	gzips map[string][]byte // by path under web/static
}

// compressible are the extensions worth gzipping; fonts (woff2) and
// images are compressed already.
var compressible = map[string]bool{".css": true, ".js": true, ".svg": true, ".json": true, ".txt": true}

// newStaticFiles gzips every compressible file once, at start-up: they
// are embedded, so they cannot change while the server runs.
func newStaticFiles(static fs.FS) (*staticFiles, error) {
	s := &staticFiles{files: http.FileServerFS(static), gzips: map[string][]byte{}}
	err := fs.WalkDir(static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible[path.Ext(p)] {
			return err
		}
		b, err := fs.ReadFile(static, p)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(b); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		s.gzips[p] = buf.Bytes()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("gzip static files: %w", err)
	}
	return s, nil
}

// ServeHTTP serves r's path, which has /static/ stripped already.
func (s *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if r.URL.Query().Get("v") != "" {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	gz, ok := s.gzips[name]
	if !ok {
		s.files.ServeHTTP(w, r)
		return
	}
	h.Add("Vary", "Accept-Encoding")
	if !acceptsGzip(r) {
		s.files.ServeHTTP(w, r)
		return
	}
	h.Set("Content-Encoding", "gzip")
	// ServeContent takes the type from the name and answers HEAD; the
	// embedded files carry no time, as with the file server.
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(gz))
}
