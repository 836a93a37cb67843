package app_test

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// noarkExportView is the API's view of an export.
type noarkExportView struct {
	ID, Cycle, State, Error, File, FileName string
	DocumentsDone                           int        `json:"documents_done"`
	DocumentsTotal                          int        `json:"documents_total"`
	DownloadedAt                            *time.Time `json:"downloaded_at"`
	RemovesAt                               *time.Time `json:"removes_at"`
}

// noarkExport asks for the cycle's deposit through the API as c and
// follows the export to its end, as a script would.
func noarkExport(t *testing.T, a *apptest.App, c *http.Client, cycle string) noarkExportView {
	t.Helper()
	status, header, body := a.DoHeader(t, c, http.MethodPost, "/api/v1/cycles/"+cycle+"/noark5/exports", "")
	loc := header.Get("Location")
	if status != http.StatusAccepted || !strings.HasPrefix(loc, "/api/v1/cycles/"+cycle+"/noark5/exports/") {
		t.Fatalf("ask for the deposit: %d %q %s", status, loc, body)
	}
	var e noarkExportView
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(200 * time.Millisecond) {
		status, body := a.Do(t, c, http.MethodGet, loc, "")
		if err := json.Unmarshal([]byte(body), &e); status != http.StatusOK || err != nil {
			t.Fatalf("the export: %d %v %s", status, err, body)
		}
		if e.State == "done" || e.State == "failed" || time.Now().After(deadline) {
			break
		}
	}
	if e.State != "done" || e.File != loc+"/file" || e.DocumentsTotal == 0 || e.DocumentsDone != e.DocumentsTotal {
		t.Fatalf("the export did not finish: %+v", e)
	}
	return e
}

// untarAll reads a tar file into its files' contents by name, writing
// them under dir too.
func untarAll(t *testing.T, r io.Reader, dir string) map[string][]byte {
	t.Helper()
	got := map[string][]byte{}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		path := filepath.Join(dir, h.Name)
		if err == nil {
			err = os.MkdirAll(filepath.Dir(path), 0o755)
		}
		if err == nil {
			err = os.WriteFile(path, body, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		got[h.Name] = body
	}
}

// validateDeposit validates a deposit's XML files against Arkivverket's
// schemas.
func validateDeposit(t *testing.T, dir string) {
	t.Helper()
	schemas, err := filepath.Abs("../noark/testdata/schemas")
	if err != nil {
		t.Fatal(err)
	}
	for file, schema := range map[string]string{"arkivstruktur.xml": "arkivstruktur.xsd", "endringslogg.xml": "endringslogg.xsd", "arkivuttrekk.xml": "addml.xsd"} {
		if out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join(schemas, schema), filepath.Join(dir, file)).CombinedOutput(); err != nil {
			t.Errorf("%s does not validate: %v\n%s", file, err, out)
		}
	}
}

// TestNoarkDepositOfDemo downloads the demo's published 2017 cycle as its
// owner admin would, directly and made by the job, and validates both
// against Arkivverket's schemas: the job's holds the same documents, the
// open cycle's is refused with a reason, and the first download of the
// job's file marks it and sets when it is removed.
func TestNoarkDepositOfDemo(t *testing.T) {
	t.Parallel()
	browsertest.NeedTool(t, "xmllint", "libxml2-utils")
	a := apptest.Start(t)
	kdd := a.Login(t, "eier-kdd")
	db := receiptDB(t, a)
	var published, open string
	for phase, id := range map[string]*string{"published": &published, "open": &open} {
		if err := db.NewRaw(`SELECT c.public_id FROM cycles c JOIN awards a ON a.id = c.award_id
			WHERE a.slug = 'kommunal-innovasjonspris' AND c.phase = ? AND (c.phase <> 'published' OR c.year = 2017)`, phase).Scan(context.Background(), id); err != nil {
			t.Fatalf("the demo's %s cycle: %v", phase, err)
		}
	}
	_, page := a.Do(t, kdd, "GET", "/admin/sykluser/"+published, "")
	if !strings.Contains(page, `action="/admin/sykluser/`+published+`/arkivuttrekk"`) || !strings.Contains(page, "24 timer etter første nedlasting") {
		t.Errorf("the published cycle's page lacks the deposit's button or how long the file is kept")
	}
	if _, page := a.Do(t, kdd, "GET", "/admin/sykluser/"+open, ""); strings.Contains(page, "/arkivuttrekk") || !strings.Contains(page, "når syklusen er publisert") {
		t.Errorf("the open cycle's page offers a deposit")
	}
	if status, body := a.Do(t, kdd, "GET", "/api/v1/cycles/"+open+"/noark5", ""); status != http.StatusConflict || !strings.Contains(body, "only a published cycle") {
		t.Errorf("the open cycle's deposit: %d %s", status, body)
	}
	if status, body := a.Do(t, kdd, "POST", "/api/v1/cycles/"+open+"/noark5/exports", ""); status != http.StatusConflict || !strings.Contains(body, "only a published cycle") {
		t.Errorf("the open cycle's export: %d %s", status, body)
	}
	if status, page := a.Do(t, kdd, "POST", "/admin/sykluser/"+open+"/arkivuttrekk", ""); status != http.StatusConflict ||
		!strings.Contains(page, `id="noark-problem"`) || !strings.Contains(page, "bare en publisert syklus kan avleveres") {
		t.Errorf("the open cycle's export from its page: %d", status)
	}

	req, err := http.NewRequest("GET", a.URL+"/api/v1/cycles/"+published+"/noark5", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := kdd.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/x-tar" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename=noark5-kommunal-innovasjonspris-2017-`) {
		t.Fatalf("the deposit: %d %v", resp.StatusCode, resp.Header)
	}
	dir := t.TempDir()
	direct := untarAll(t, resp.Body, dir)
	validateDeposit(t, dir)

	e := noarkExport(t, a, kdd, published)
	status, header, body := a.DoHeader(t, kdd, http.MethodGet, e.File, "")
	if status != http.StatusOK || header.Get("Content-Type") != "application/x-tar" || header.Get("Cache-Control") != "no-store" ||
		header.Get("Content-Disposition") != resp.Header.Get("Content-Disposition") {
		t.Fatalf("the job's deposit: %d %v", status, header)
	}
	size := len(body)
	dir = t.TempDir()
	made := untarAll(t, strings.NewReader(body), dir)
	validateDeposit(t, dir)
	if len(made) != len(direct) {
		t.Errorf("the job's deposit has %d files, the direct one %d", len(made), len(direct))
	}
	docs := 0
	for name, b := range direct {
		// The XML files say when they were made; the rest is the same.
		if name == "arkivstruktur.xml" || name == "arkivuttrekk.xml" {
			continue
		}
		if !bytes.Equal(made[name], b) {
			t.Errorf("%s differs between the job's deposit and the direct one", name)
		}
		if strings.HasPrefix(name, "dokumenter/") {
			docs++
		}
	}
	if docs != e.DocumentsTotal {
		t.Errorf("progress counted %d documents, the deposit has %d", e.DocumentsTotal, docs)
	}
	_, body = a.Do(t, kdd, http.MethodGet, strings.TrimSuffix(e.File, "/file"), "")
	var after noarkExportView
	if err := json.Unmarshal([]byte(body), &after); err != nil || after.DownloadedAt == nil || after.RemovesAt == nil ||
		after.RemovesAt.Sub(*after.DownloadedAt) != 24*time.Hour {
		t.Errorf("the downloaded export: %v %s", err, body)
	}
	t.Logf("the demo's 2017 deposit: %d files, %d documents, %d bytes", len(direct), docs, size)
}
