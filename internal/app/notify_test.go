package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/app"
	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/notify"
	"github.com/heder-awards/heder/internal/pgtest"
)

// TestReceiptScenario: a submission's receipt reaches Asker's member
// through River and the dev catcher, in the organisation's written form;
// its link opens the printable receipt for the nominees' members and
// admins, and for no one else.
func TestReceiptScenario(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := receiptDB(t, a)
	asker, traena, admin := a.Login(t, "asker"), a.Login(t, "traena"), a.Login(t, "admin")
	// Træna writes nynorsk; its member gets nynorsk mail.
	if status, body := a.Do(t, admin, http.MethodPatch, fmt.Sprintf("/api/v1/organisations/%d", orgID(t, a, "Træna")), `{"language":"nn"}`); status != http.StatusOK {
		t.Fatalf("set Træna to nynorsk: %d %s", status, body)
	}
	public := submitForReceipt(t, db, "Scenarioprisen", "Asker", "Træna")

	kari := waitMail(t, db, "kari@asker.kommune.no", public)
	tore := waitMail(t, db, "tore@traena.kommune.no", public)
	link := a.URL + notify.ReceiptPath(public)
	for _, tt := range []struct {
		id   int64
		want []string
	}{
		{kari, []string{"Kvittering: «Løsningsjakten» er sendt inn", "ble sendt inn", "medlem av Asker", link}},
		{tore, []string{"Kvittering: «Løsningsjakten» er send inn", "vart send inn", "medlem av Træna", link}},
	} {
		// Any logged-in demo user reads the caught mail in heder dev.
		status, body := a.Do(t, traena, http.MethodGet, fmt.Sprintf("/dev/e-post/%d", tt.id), "")
		if status != http.StatusOK {
			t.Fatalf("caught mail %d: %d", tt.id, status)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("caught mail %d lacks %q:\n%.2000s", tt.id, w, body)
			}
		}
	}
	if status, body := a.Do(t, asker, http.MethodGet, "/dev/e-post", ""); status != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`href="/dev/e-post/%d"`, kari)) {
		t.Errorf("caught mail list: %d, lists Kari's receipt: %v", status, strings.Contains(body, fmt.Sprint(kari)))
	}

	// The link in the mail.
	status, body := a.Do(t, asker, http.MethodGet, notify.ReceiptPath(public), "")
	if status != http.StatusOK {
		t.Fatalf("receipt as asker: %d %.500s", status, body)
	}
	for _, want := range []string{"Kvittering for innsendt nominasjon", public, "Løsningsjakten", "Scenarioprisen 2027",
		"<li>Asker</li>", "<li>Træna</li>", "Holmen svømmehall", "Asker velferdslab", "1. mars 2027 kl. 23.59", `<time datetime="`} {
		if !strings.Contains(body, want) {
			t.Errorf("receipt page lacks %q", want)
		}
	}
	// The co-nominee's member and admins see it too; Træna's member, in nynorsk.
	status, body = a.Do(t, traena, http.MethodGet, "/lang/nn?next="+notify.ReceiptPath(public), "")
	if status != http.StatusSeeOther {
		t.Fatalf("choose nynorsk: %d", status)
	}
	if status, body = a.Do(t, traena, http.MethodGet, notify.ReceiptPath(public), ""); status != http.StatusOK || !strings.Contains(body, "Kvittering for innsend nominasjon") {
		t.Errorf("receipt as traena in nynorsk: %d %.300s", status, body)
	}
	if status, _ := a.Do(t, admin, http.MethodGet, notify.ReceiptPath(public), ""); status != http.StatusOK {
		t.Errorf("receipt as admin: %d", status)
	}

	// Another municipality's member, a juror, a draft and a made-up number: 404.
	draft := ""
	if err := db.NewRaw(`INSERT INTO nominations (cycle_id, title) SELECT cycle_id, 'Utkast' FROM nominations WHERE public_id = ? RETURNING public_id`, public).
		Scan(context.Background(), &draft); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(context.Background(), `INSERT INTO nomination_organisations (nomination_id, organisation_id)
		SELECT n.id, o.organisation_id FROM nominations n, nomination_organisations o JOIN nominations s ON s.id = o.nomination_id
		WHERE n.public_id = ? AND s.public_id = ?`, draft, public); err != nil {
		t.Fatal(err)
	}
	outsider := submitForReceipt(t, db, "Naboprisen", "Bærum")
	for _, tt := range []struct {
		who  string
		path string
	}{
		{"traena", notify.ReceiptPath(outsider)},
		{"jury-1", notify.ReceiptPath(public)},
		{"asker", notify.ReceiptPath(draft)},
		{"asker", notify.ReceiptPath("0123456789abcdef0123456789abcdef")},
		{"asker", "/nominasjoner/%27%3B%20--/kvittering"},
		{"asker", "/dev/e-post/999999"},
		{"asker", "/dev/e-post/-1"},
		{"asker", "/dev/e-post/abc"},
	} {
		c := map[string]*http.Client{"asker": asker, "traena": traena}[tt.who]
		if c == nil {
			c = a.Login(t, tt.who)
		}
		if status, body := a.Do(t, c, http.MethodGet, tt.path, ""); status != http.StatusNotFound || strings.Contains(body, "Løsningsjakten") {
			t.Errorf("%s as %s: %d, want 404 telling nothing", tt.path, tt.who, status)
		}
	}
	// Not logged in: off to log in, not told whether it exists.
	if status, _ := a.Do(t, a.Client(t), http.MethodGet, notify.ReceiptPath(public), ""); status != http.StatusSeeOther {
		t.Errorf("receipt anonymously: %d, want 303 to login", status)
	}
}

// TestServeHasNoMailCatcher: `heder serve` starts River and sends by SMTP;
// the catcher's pages are not there at all (404 even to someone who
// could log in), while the receipt route is.
func TestServeHasNoMailCatcher(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := map[string]string{
		"DATABASE_URL":         pgtest.URL(t),
		"HEDER_ADDR":           addr,
		"HEDER_BASE_URL":       "http://" + addr,
		"HEDER_SESSION_KEY":    "9f8e7d6c5b4a39281706f5e4d3c2b1a0ZYXWVUTS",
		"HEDER_OIDC_PROVIDERS": `[{"id":"x","name":"X","issuer":"http://127.0.0.1:1","client_id":"c","client_secret":"s"}]`,
		"HEDER_SMTP_URL":       "smtp://127.0.0.1:1?starttls=0",
		"HEDER_MAIL_FROM":      "Heder <noreply@heder.example.no>",
		"HEDER_LOG_LEVEL":      "warn",
		"HEDER_FILES_URL":      "file://" + t.TempDir(),
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stdout, stderr bytes.Buffer
	go func() {
		done <- app.Run(ctx, []string{"serve"}, func(k string) string { return env[k] }, &stdout, &stderr)
	}()
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) int {
		resp, err := client.Get("http://" + addr + path)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	deadline := time.Now().Add(30 * time.Second)
	for get("/healthz") != http.StatusOK {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve not up after 30s: %v\n%s", <-done, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for path, want := range map[string]int{
		"/dev/e-post":   http.StatusNotFound,
		"/dev/e-post/1": http.StatusNotFound,
		notify.ReceiptPath("0123456789abcdef0123456789abcdef"): http.StatusSeeOther,
	} {
		if got := get(path); got != want {
			t.Errorf("serve: GET %s = %d, want %d", path, got, want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve ended with %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20s")
	}
}
