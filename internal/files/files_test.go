package files

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/awards"
)

// failingReader yields some bytes, then fails, as a broken upload does.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n >= 2000 {
		return 0, errors.New("connection reset")
	}
	k := min(len(p), 500)
	f.n += k
	return k, nil
}

// TestStores runs the same checks on the disk store (for real) and the
// in-memory one, which stands in for S3 through the same code path.
func TestStores(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	for _, tc := range []struct{ name, url string }{
		{"disk", "file://" + filepath.ToSlash(dir)},
		{"memory", "mem://"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(ctx, tc.url)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			want := []byte("%PDF-1.7 hei på deg")
			if err := s.Put(ctx, "attachments/abc", bytes.NewReader(want)); err != nil {
				t.Fatalf("Put: %v", err)
			}
			r, err := s.Open(ctx, "attachments/abc")
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			got, err := io.ReadAll(r)
			r.Close()
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("read back %q, %v; want %q", got, err, want)
			}

			// A failing reader leaves nothing behind, not even a partial file.
			if err := s.Put(ctx, "attachments/broken", &failingReader{}); err == nil {
				t.Error("Put of a failing reader succeeded")
			}
			if _, err := s.Open(ctx, "attachments/broken"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Open after failed Put: %v, want ErrNotFound", err)
			}

			if err := s.Delete(ctx, "attachments/abc"); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if _, err := s.Open(ctx, "attachments/abc"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Open after Delete: %v, want ErrNotFound", err)
			}
			if err := s.Delete(ctx, "attachments/abc"); err != nil {
				t.Errorf("second Delete: %v, want nil", err)
			}
		})
	}
	// On disk, exactly nothing is left: no temporary or sidecar files.
	var left []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("files left on disk: %v", left)
	}
}

func TestOpenRelativeFolder(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s, err := Open(context.Background(), "file://./files")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Put(context.Background(), "k", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "files", "k")); err != nil {
		t.Errorf("file not in ./files: %v", err)
	}
}

func TestOpenURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"ftp://x", "file:///tmp/x?bogus=1", "::", "s3://heder?bogus=1"} {
		if _, err := Open(context.Background(), u); err == nil {
			t.Errorf("Open(%q) succeeded", u)
		}
	}
	// The S3 driver is built in, and opening makes no network call.
	s, err := Open(context.Background(), "s3://heder?region=eu-north-1&endpoint=http://127.0.0.1:1&use_path_style=true&anonymous=true")
	if err != nil {
		t.Fatalf("Open(s3://…): %v", err)
	}
	s.Close()
}

func TestContentDisposition(t *testing.T) {
	t.Parallel()
	tests := []struct{ kind, name, want string }{
		{"attachment", "rapport.pdf", `attachment; filename="rapport.pdf"; filename*=UTF-8''rapport.pdf`},
		{"attachment", "Løsningsjakten på Borgen.pdf",
			`attachment; filename="L_sningsjakten p_ Borgen.pdf"; filename*=UTF-8''L%C3%B8sningsjakten%20p%C3%A5%20Borgen.pdf`},
		{"inline", `a"b\c;d.png`, `inline; filename="a_b_c;d.png"; filename*=UTF-8''a%22b%5Cc%3Bd.png`},
	}
	for _, tt := range tests {
		if got := ContentDisposition(tt.kind, tt.name); got != tt.want {
			t.Errorf("ContentDisposition(%q, %q) =\n %s\nwant\n %s", tt.kind, tt.name, got, tt.want)
		}
	}
}

func TestServe(t *testing.T) {
	t.Parallel()
	meta := Meta{Filename: "årsrapport.pdf", ContentType: "application/pdf", Size: 9, SHA256: "abc123"}
	rec := httptest.NewRecorder()
	Serve(rec, httptest.NewRequest(http.MethodGet, "/vedlegg/x", nil), meta, strings.NewReader("%PDF-1.7\n"))
	h := rec.Result().Header
	for k, want := range map[string]string{
		"Content-Type":            "application/pdf",
		"Content-Length":          "9",
		"Content-Disposition":     `attachment; filename="_rsrapport.pdf"; filename*=UTF-8''%C3%A5rsrapport.pdf`,
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "sandbox; default-src 'none'",
		"Etag":                    `"abc123"`,
		"Cache-Control":           "private, no-cache",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if rec.Code != http.StatusOK || rec.Body.String() != "%PDF-1.7\n" {
		t.Errorf("got %d %q", rec.Code, rec.Body.String())
	}

	img := Meta{Filename: "bilde.png", ContentType: "image/png", Size: 3, SHA256: "def"}
	rec = httptest.NewRecorder()
	Serve(rec, httptest.NewRequest(http.MethodGet, "/", nil), img, strings.NewReader("png"))
	if got := rec.Result().Header.Get("Content-Disposition"); !strings.HasPrefix(got, "inline;") {
		t.Errorf("image disposition %q, want inline", got)
	}

	// A cached copy is confirmed without sending the bytes again.
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("If-None-Match", `"other", "abc123"`)
	rec = httptest.NewRecorder()
	Serve(rec, req, meta, strings.NewReader("%PDF-1.7\n"))
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d with %d bytes, want 304 and none", rec.Code, rec.Body.Len())
	}
}

func multipartBody(t *testing.T, fileSize int) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("alt_text", "Et bilde")
	if fileSize >= 0 {
		fw, err := mw.CreateFormFile("file", "a.pdf")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(bytes.Repeat([]byte("x"), fileSize))
	}
	_ = mw.Close()
	return &buf, mw.FormDataContentType()
}

func TestFormFile(t *testing.T) {
	t.Parallel()
	const limit = 10_000
	tests := []struct {
		name      string
		size      int    // of the file in a multipart body; -1: no file part
		ct, body  string // a body other than multipart
		wantField string // the field error's message key, "" for none
		wantFile  bool
		wantAlt   string
	}{
		{"small", 100, "", "", "", true, "Et bilde"},
		{"no file", -1, "", "", "", false, "Et bilde"},
		{"over the limit", 20_000, "", "", "attachments.error.too_large", false, ""},
		{"a plain form has no file", 0, "application/x-www-form-urlencoded", "alt_text=Et+bilde", "", false, "Et bilde"},
		{"JSON has no file", 0, "application/json", `{"alt_text":"Et bilde"}`, "", false, ""},
		{"plain form over the limit", 0, "application/x-www-form-urlencoded", "alt_text=" + strings.Repeat("x", 20_000), "attachments.error.too_large", false, ""},
		{"broken multipart", 0, "multipart/form-data; boundary=nothing-like-it", "--other\r\n", "attachments.error.multipart", false, ""},
	}
	for _, tt := range tests {
		var body io.Reader
		var ct string
		if tt.ct == "" {
			body, ct = multipartBody(t, tt.size)
		} else {
			body, ct = strings.NewReader(tt.body), tt.ct
		}
		req := httptest.NewRequest(http.MethodPost, "/", body)
		req.Header.Set("Content-Type", ct)
		f, name, err := FormFile(httptest.NewRecorder(), req, "file", limit)
		if got := awards.ErrorFields(err)["file"]; got != tt.wantField {
			t.Errorf("%s: field error %q (%v), want %q", tt.name, got, err, tt.wantField)
		}
		if (f != nil) != tt.wantFile {
			t.Errorf("%s: file %v, want present=%v", tt.name, f, tt.wantFile)
		}
		if err == nil && req.PostForm.Get("alt_text") != tt.wantAlt {
			t.Errorf("%s: alt_text %q, want %q", tt.name, req.PostForm.Get("alt_text"), tt.wantAlt)
		}
		if f != nil {
			if name != "a.pdf" {
				t.Errorf("%s: name %q", tt.name, name)
			}
			f.Close()
		}
	}
}

// slowReader yields its bytes, then waits before the end, as a job that
// makes what it streams does.
type slowReader struct {
	body []byte
	wait time.Duration
}

func (s *slowReader) Read(p []byte) (int, error) {
	if len(s.body) == 0 {
		time.Sleep(s.wait)
		return 0, io.EOF
	}
	n := copy(p, s.body)
	s.body = s.body[n:]
	return n, nil
}

// TestPutTimeout: a Put without a deadline of its own is cut off at
// putTimeout and stores nothing; one whose caller set a later deadline
// (a job's) runs to its end, and stores nothing when it fails. Not
// parallel: it shortens putTimeout.
func TestPutTimeout(t *testing.T) {
	defer func(d time.Duration) { putTimeout = d }(putTimeout)
	putTimeout = 100 * time.Millisecond
	ctx := context.Background()
	s, err := Open(ctx, "file://"+filepath.ToSlash(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Put(ctx, "slow", &slowReader{body: []byte("tar"), wait: 300 * time.Millisecond}); err == nil {
		t.Error("a slow Put without a deadline succeeded")
	}
	if _, err := s.Open(ctx, "slow"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the cut-off Put left an object: %v", err)
	}
	job, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.Put(job, "slow", &slowReader{body: []byte("tar"), wait: 300 * time.Millisecond}); err != nil {
		t.Errorf("a slow Put within its caller's deadline: %v", err)
	}
	if _, err := s.Open(ctx, "slow"); err != nil {
		t.Errorf("the Put within its caller's deadline: %v", err)
	}
	// Within a deadline too, a failed write stores nothing.
	if err := s.Put(job, "broken", &failingReader{}); err == nil {
		t.Error("a broken Put succeeded")
	}
	if _, err := s.Open(ctx, "broken"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the broken Put left an object: %v", err)
	}
}
