package files

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/heder-awards/heder/internal/awards"
)

// Meta describes a stored file being served.
type Meta struct {
	Filename    string
	ContentType string
	Size        int64
	SHA256      string
}

// Serve writes body as the file f. Uploaded bytes are untrusted, so the
// answer says exactly what they are (nosniff), runs nothing even when a
// browser renders it (a sandboxing Content-Security-Policy), offers PDFs as
// downloads rather than opening them in the app's origin, and may be cached
// only by the user's own browser, which must ask again each time (the ETag
// makes that cheap) since rights to a file can change.
func Serve(w http.ResponseWriter, r *http.Request, f Meta, body io.Reader) {
	etag := `"` + f.SHA256 + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
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

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// ContentDisposition returns a Content-Disposition value of kind
// ("attachment" or "inline") for filename: an ASCII fallback for old
// clients and the exact name as RFC 8187 UTF-8.
func ContentDisposition(kind, filename string) string {
	var ascii, exact strings.Builder
	for _, r := range filename {
		if r < 0x20 || r >= 0x7f || r == '"' || r == '\\' {
			ascii.WriteByte('_')
		} else {
			ascii.WriteRune(r)
		}
	}
	for i := 0; i < len(filename); i++ {
		c := filename[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			exact.WriteByte(c)
		} else {
			fmt.Fprintf(&exact, "%%%02X", c)
		}
	}
	return fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`, kind, ascii.String(), exact.String())
}

// FormFile reads a form of at most limit bytes and returns the file sent
// in field (nil when none was sent) with the name the client gave it; the
// form's other fields are then in r.PostForm. Only multipart/form-data can
// carry a file: any other body has none, which the caller reports as a
// missing file after its own checks. A body over limit is cut off as soon
// as it passes it, with the field error "attachments.error.too_large" on
// field. The server removes any temporary files when the request ends;
// the caller closes the file.
func FormFile(w http.ResponseWriter, r *http.Request, field string, limit int64) (multipart.File, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		// Up to 1 MB is kept in memory; the rest of a file goes to a temporary file.
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) || errors.Is(err, multipart.ErrMessageTooLarge) {
			return nil, "", &awards.Error{Code: awards.EInvalid, Message: "the file is too large", Err: err,
				Fields: map[string]string{field: "attachments.error.too_large"}}
		}
		return nil, "", &awards.Error{Code: awards.EInvalid, Message: "the form could not be read", Err: err,
			Fields: map[string]string{field: "attachments.error.multipart"}}
	}
	if r.MultipartForm == nil {
		return nil, "", nil
	}
	f, hdr, err := r.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", &awards.Error{Code: awards.EInvalid, Message: "the file could not be read", Err: err,
			Fields: map[string]string{field: "attachments.error.multipart"}}
	}
	return f, hdr.Filename, nil
}
