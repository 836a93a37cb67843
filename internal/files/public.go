package files

import (
	"io"
	"net/http"
	"strconv"
	"strings"
)

// ServePublic writes body as the file f from the public archive. Like
// Serve, it says exactly what the bytes are (nosniff), sandboxes them and
// offers PDFs as downloads; unlike Serve, anyone may keep a copy and
// other sites may show the picture (public, cross-origin), but every copy
// must be checked again before use (no-cache with the file's hash as
// ETag), so that a file taken out of the archive is gone at once.
func ServePublic(w http.ResponseWriter, r *http.Request, f Meta, body io.Reader) {
	etag := `"` + f.SHA256 + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	kind := "attachment"
	if strings.HasPrefix(f.ContentType, "image/") {
		kind = "inline"
	}
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	h.Set("Content-Disposition", ContentDisposition(kind, f.Filename))
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, body) // a client that goes away is no error of ours
}
