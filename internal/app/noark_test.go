package app_test

import (
	"archive/tar"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// TestNoarkDepositOfDemo downloads the demo's published 2017 cycle as its
// owner admin would, through the link on the cycle's page, and validates
// its arkivstruktur.xml against Arkivverket's schema; the open cycle's is
// refused with a reason.
func TestNoarkDepositOfDemo(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("xmllint"); err != nil {
		if os.Getenv("HEDER_REQUIRE_BROWSER") != "" {
			t.Fatal("xmllint is missing: apt-get install libxml2-utils (make test installs it)")
		}
		t.Skip("xmllint is missing: apt-get install libxml2-utils")
	}
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
	link := "/api/v1/cycles/" + published + "/noark5"
	if !strings.Contains(page, `href="`+link+`" download>Last ned arkivuttrekket</a>`) {
		t.Errorf("the published cycle's page lacks the deposit's link")
	}
	if _, page := a.Do(t, kdd, "GET", "/admin/sykluser/"+open, ""); strings.Contains(page, "/noark5") || !strings.Contains(page, "når syklusen er publisert") {
		t.Errorf("the open cycle's page offers a deposit")
	}
	if status, body := a.Do(t, kdd, "GET", "/api/v1/cycles/"+open+"/noark5", ""); status != http.StatusConflict || !strings.Contains(body, "only a published cycle") {
		t.Errorf("the open cycle's deposit: %d %s", status, body)
	}

	req, err := http.NewRequest("GET", a.URL+link, nil)
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
	tr := tar.NewReader(resp.Body)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		path := filepath.Join(dir, h.Name)
		body, err := io.ReadAll(tr)
		if err == nil {
			err = os.MkdirAll(filepath.Dir(path), 0o755)
		}
		if err == nil {
			err = os.WriteFile(path, body, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	schemas, err := filepath.Abs("../noark/testdata/schemas")
	if err != nil {
		t.Fatal(err)
	}
	for file, schema := range map[string]string{"arkivstruktur.xml": "arkivstruktur.xsd", "endringslogg.xml": "endringslogg.xsd", "arkivuttrekk.xml": "addml.xsd"} {
		if out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join(schemas, schema), filepath.Join(dir, file)).CombinedOutput(); err != nil {
			t.Errorf("the demo's %s does not validate: %v\n%s", file, err, out)
		}
	}
	t.Logf("the demo's 2017 deposit: %d files", len(names))
}
