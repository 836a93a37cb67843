package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/postgres"
)

// tinyPDF is a small valid PDF without pages.
var tinyPDF = []byte("%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n" +
	"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")

// tinyPNG is a valid 2×2 PNG.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// filesDB opens the app's database, for setting up what no route creates.
func filesDB(t *testing.T, a *apptest.App) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), a.DBURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// filesProject makes a project owned by Asker kommune and returns its
// public ID.
func filesProject(t *testing.T, db *postgres.DB, title string) string {
	t.Helper()
	var id string
	err := db.NewRaw(`INSERT INTO projects (organisation_id, title)
		SELECT id, ? FROM organisations WHERE kind = 'municipality' AND number = '3203' AND valid_to IS NULL
		RETURNING public_id`, title).Scan(context.Background(), &id)
	if err != nil {
		t.Fatalf("make project: %v", err)
	}
	return id
}

// postFile posts a multipart form with a file (when filename is not "")
// and alt_text, without following redirects.
func postFile(t *testing.T, a *apptest.App, c *http.Client, path, filename, alt string, content io.Reader, header map[string]string) (*http.Response, string) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := mw.WriteField("alt_text", alt)
		if err == nil && filename != "" {
			var fw io.Writer
			if fw, err = mw.CreateFormFile("file", filename); err == nil {
				_, err = io.Copy(fw, content)
			}
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, a.URL+path, pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return sendRaw(t, c, req)
}

// sendRaw sends req without following redirects and returns the answer
// with its body read.
func sendRaw(t *testing.T, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	nc := *c
	nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := nc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// getFile gets path with the extra header, without following redirects.
func getFile(t *testing.T, a *apptest.App, c *http.Client, path string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, a.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return sendRaw(t, c, req)
}

// zeroReader is an endless source of zero bytes.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestAttachmentScenario walks a submitter's files over HTTP: uploads in
// the browser and through the API, downloads with safe headers, refused
// uploads with their messages, an outsider who learns nothing, deletion.
func TestAttachmentScenario(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := filesDB(t, a)
	project := filesProject(t, db, "Asker velferdslab")
	asker, traena := a.Login(t, "asker"), a.Login(t, "traena")
	page := "/prosjekter/" + project + "/vedlegg"
	api := "/api/v1/projects/" + project + "/attachments"

	// The page offers the form.
	if status, body := a.Do(t, asker, http.MethodGet, page, ""); status != http.StatusOK ||
		!strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, "Asker velferdslab") ||
		!strings.Contains(body, `for="alt_text"`) || !strings.Contains(body, "Ingen vedlegg er lastet opp ennå.") {
		t.Fatalf("page: %d %.2000s", status, body)
	}

	// In the browser: a PDF, then back to the page with a confirmation.
	resp, body := postFile(t, a, asker, page, "Søknad velferdslab.pdf", "", bytes.NewReader(tinyPDF), nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page {
		t.Fatalf("browser upload: %d %s %.500s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if status, body := a.Do(t, asker, http.MethodGet, page, ""); status != http.StatusOK ||
		!strings.Contains(body, "Vedlegget er lastet opp.") || !strings.Contains(body, "Søknad velferdslab.pdf") {
		t.Errorf("page after upload: %d %.3000s", status, body)
	}

	// Through the API: an image with its alt text.
	img := tinyPNG(t)
	resp, body = postFile(t, a, asker, api, "workshop.png", "Ansatte og innbyggere i en workshop", bytes.NewReader(img), nil)
	var meta struct {
		ID          string `json:"id"`
		ProjectID   string `json:"project_id"`
		Filename    string `json:"filename"`
		ContentType string `json:"content_type"`
		Size        int64  `json:"size"`
		SHA256      string `json:"sha256"`
		AltText     string `json:"alt_text"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal([]byte(body), &meta); resp.StatusCode != http.StatusCreated || err != nil {
		t.Fatalf("API upload: %d %v %s", resp.StatusCode, err, body)
	}
	sum := sha256.Sum256(img)
	if meta.ContentType != "image/png" || meta.Size != int64(len(img)) || meta.SHA256 != hex.EncodeToString(sum[:]) ||
		meta.AltText != "Ansatte og innbyggere i en workshop" || meta.ProjectID != project || meta.Filename != "workshop.png" || resp.Header.Get("Location") != meta.URL || meta.URL != "/api/v1/attachments/"+meta.ID {
		t.Errorf("API upload answered %+v, Location %q", meta, resp.Header.Get("Location"))
	}

	var list struct {
		Items []struct {
			ID       string `json:"id"`
			Filename string `json:"filename"`
		}
		CanChange bool `json:"can_change"`
	}
	status, listBody := a.Do(t, asker, http.MethodGet, api, "")
	if err := json.Unmarshal([]byte(listBody), &list); status != http.StatusOK || err != nil || len(list.Items) != 2 || !list.CanChange {
		t.Fatalf("list: %d %v %s", status, err, listBody)
	}
	pdfID := list.Items[0].ID

	// Downloads: the stored bytes, the stored type, never run.
	for _, tc := range []struct {
		path, disposition, contentType string
		want                           []byte
	}{
		{"/api/v1/attachments/" + pdfID, `attachment; filename="S_knad velferdslab.pdf"; filename*=UTF-8''S%C3%B8knad%20velferdslab.pdf`, "application/pdf", tinyPDF},
		{"/vedlegg/" + pdfID, `attachment; filename="S_knad velferdslab.pdf"; filename*=UTF-8''S%C3%B8knad%20velferdslab.pdf`, "application/pdf", tinyPDF},
		{"/vedlegg/" + meta.ID, `inline; filename="workshop.png"; filename*=UTF-8''workshop.png`, "image/png", img},
	} {
		resp, body := getFile(t, a, asker, tc.path, nil)
		sum := sha256.Sum256(tc.want)
		etag := `"` + hex.EncodeToString(sum[:]) + `"`
		h := resp.Header
		if resp.StatusCode != http.StatusOK || body != string(tc.want) || h.Get("Content-Type") != tc.contentType ||
			h.Get("Content-Disposition") != tc.disposition || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Content-Security-Policy") != "sandbox; default-src 'none'" || h.Get("ETag") != etag {
			t.Errorf("GET %s: %d, %d bytes, headers %v", tc.path, resp.StatusCode, len(body), h)
		}
		if resp, _ := getFile(t, a, asker, tc.path, map[string]string{"If-None-Match": etag}); resp.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match: %d, want 304", tc.path, resp.StatusCode)
		}
	}

	// Refused uploads say why, in the language the person chose, and store
	// nothing.
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 500)...)
	for _, tc := range []struct {
		name, filename, alt, lang string
		content                   io.Reader
		field, want               string
	}{
		{"program renamed .pdf", "søknad.pdf", "", "nb", bytes.NewReader(exe), "file", "Innholdet i denne filen er ingen av dem"},
		{"program renamed .pdf, English", "application.pdf", "", "en", bytes.NewReader(exe), "file", "The content of this file is none of them"},
		{"image without alt text", "bilde.png", "", "nn", bytes.NewReader(img), "alt_text", "Skriv ein alternativ tekst"},
		{"21 MB", "stor.pdf", "", "nb", io.MultiReader(strings.NewReader("%PDF-1.4\n"), io.LimitReader(zeroReader{}, 21<<20)), "file", "større enn 20 MB"},
		{"no file", "", "", "nb", nil, "file", "Velg en fil å laste opp."},
	} {
		resp, body := postFile(t, a, asker, api, tc.filename, tc.alt, tc.content, map[string]string{"Cookie": "heder_lang=" + tc.lang})
		var problem struct {
			Status int
			Errors map[string]string
		}
		_ = json.Unmarshal([]byte(body), &problem)
		if resp.StatusCode != http.StatusUnprocessableEntity || resp.Header.Get("Content-Type") != "application/problem+json" ||
			problem.Status != 422 || !strings.Contains(problem.Errors[tc.field], tc.want) {
			t.Errorf("%s: %d %s %.500s", tc.name, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
	// In the browser the form comes back with the message by the field.
	resp, body = postFile(t, a, asker, page, "bilde.png", "", bytes.NewReader(img), nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `class="ds-error-summary"`) ||
		!strings.Contains(body, `href="#alt_text"`) || !strings.Contains(body, `id="alt_text-error"`) ||
		!strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, "Skriv en alternativ tekst") {
		t.Errorf("browser upload without alt text: %d %.3000s", resp.StatusCode, body)
	}
	var n int
	if err := db.NewRaw(`SELECT count(*) FROM attachments`).Scan(context.Background(), &n); err != nil || n != 2 {
		t.Errorf("%d attachments stored after the refused uploads (%v), want 2", n, err)
	}

	// Someone from another municipality learns nothing.
	for _, path := range []string{page, api, "/vedlegg/" + pdfID, "/api/v1/attachments/" + pdfID} {
		if status, _ := a.Do(t, traena, http.MethodGet, path, ""); status != http.StatusNotFound {
			t.Errorf("traena GET %s: %d, want 404", path, status)
		}
	}
	if resp, _ := postFile(t, a, traena, api, "x.pdf", "", bytes.NewReader(tinyPDF), nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("traena upload: %d, want 404", resp.StatusCode)
	}

	// Deleting in the browser, and through the API.
	if status, _ := a.Do(t, asker, http.MethodPost, "/vedlegg/"+pdfID+"/slett", ""); status != http.StatusSeeOther {
		t.Errorf("browser delete: %d", status)
	}
	if status, _ := a.Do(t, asker, http.MethodDelete, "/api/v1/attachments/"+meta.ID, ""); status != http.StatusNoContent {
		t.Errorf("API delete: %d", status)
	}
	for _, path := range []string{"/vedlegg/" + pdfID, "/api/v1/attachments/" + meta.ID} {
		if status, _ := a.Do(t, asker, http.MethodGet, path, ""); status != http.StatusNotFound {
			t.Errorf("GET %s after delete: %d, want 404", path, status)
		}
	}
	if status, body := a.Do(t, asker, http.MethodGet, page, ""); status != http.StatusOK || !strings.Contains(body, "Vedlegget er slettet.") {
		t.Errorf("page after delete: %d %.2000s", status, body)
	}
}
