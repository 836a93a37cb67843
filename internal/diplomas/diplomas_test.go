package diplomas_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/diplomas"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/pdfdoc/pdftest"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// world is a decided cycle of an award owned by a ministry: Asker (bokmål)
// won, with its statement in bokmål and nynorsk; Træna (nynorsk) is a
// finalist; Horten has an honourable mention with a statement in bokmål
// only; Bærum was assessed without an outcome.
type world struct {
	t     *testing.T
	ctx   context.Context
	db    *postgres.DB
	s     *diplomas.Service
	cycle string
	id    int64
	users map[string]int64
	pub   map[string]string
}

const (
	askerNB  = "Asker kommune vinner fordi kommunen arbeider helhetlig og systematisk med innovasjon."
	askerNN  = "Asker kommune vinn fordi kommunen arbeider heilskapleg og systematisk med innovasjon."
	hortenNB = "Horten får hedrende omtale for modig tjenesteinnovasjon."
	ministry = "Testdepartementet"
)

func newWorld(t *testing.T) *world {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, ctx: context.Background(), db: pgtest.New(t), users: map[string]int64{}, pub: map[string]string{}}
	w.s = diplomas.NewService(w.db, b)
	owner := w.int(`INSERT INTO organisations (kind, name) VALUES ('ministry', ?) RETURNING id`, ministry)
	w.exec(`INSERT INTO award_owners (organisation_id) VALUES (?)`, owner)
	orgs := map[string]int64{}
	for _, o := range []struct{ name, lang string }{{"Asker", "nb"}, {"Træna", "nn"}, {"Horten", "nb"}, {"Bærum", "nb"}} {
		orgs[o.name] = w.int(`INSERT INTO organisations (kind, name, language) VALUES ('municipality', ?, ?) RETURNING id`, o.name+" kommune", o.lang)
	}
	for _, u := range []struct{ name, org string }{{"admin", ""}, {"eier", ""}, {"kari", "Asker"}, {"tore", "Træna"}, {"bo", "Bærum"}} {
		w.users[u.name] = w.int(`INSERT INTO users (issuer, subject, name, email, is_admin) VALUES ('https://idp.example', ?, ?, ?, ?) RETURNING id`,
			u.name, u.name, u.name+"@example.no", u.name == "admin")
		if u.org != "" {
			w.exec(`INSERT INTO memberships (user_id, organisation_id, role, source) VALUES (?, ?, 'submitter', 'admin')`, w.users[u.name], orgs[u.org])
		}
	}
	w.exec(`INSERT INTO owner_admins (owner_id, user_id) VALUES (?, ?)`, owner, w.users["eier"])
	award := w.int(`INSERT INTO awards (slug, name_nb, name_nn, name_en, owner_id) VALUES ('kip', 'Kommunal innovasjonspris',
		'Kommunal innovasjonspris (nn)', 'Municipal Innovation Award', ?) RETURNING id`, owner)
	w.id = w.int(`INSERT INTO cycles (award_id, year, title, phase) VALUES (?, 2027, 'Innovasjonsprisen 2027', 'decided') RETURNING id`, award)
	if err := w.db.NewRaw(`SELECT public_id FROM cycles WHERE id = ?`, w.id).Scan(w.ctx, &w.cycle); err != nil {
		t.Fatal(err)
	}
	for _, n := range []struct{ org, title, outcome, nb, nn string }{
		{"Asker", "Innovasjon i hele Asker", "winner", askerNB, askerNN},
		{"Træna", "Træna 2030", "finalist", "", ""},
		{"Horten", "Horten viser vei", "honourable_mention", hortenNB, ""},
		{"Bærum", "Bærum prøver", "", "", ""},
	} {
		id := w.int(`INSERT INTO nominations (cycle_id, title, status, submitted_at) VALUES (?, ?, 'submitted', now()) RETURNING id`, w.id, n.title)
		w.exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?)`, id, orgs[n.org])
		if n.outcome != "" {
			w.exec(`INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb, statement_nn) VALUES (?, ?, ?, ?, ?)`,
				id, w.id, n.outcome, n.nb, n.nn)
		}
		var pub string
		if err := w.db.NewRaw(`SELECT public_id FROM nominations WHERE id = ?`, id).Scan(w.ctx, &pub); err != nil {
			t.Fatal(err)
		}
		w.pub[n.org] = pub
	}
	return w
}

func (w *world) int(q string, args ...any) int64 {
	w.t.Helper()
	var id int64
	if err := w.db.NewRaw(q, args...).Scan(w.ctx, &id); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
	return id
}

func (w *world) exec(q string, args ...any) {
	w.t.Helper()
	if _, err := w.db.ExecContext(w.ctx, q, args...); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
}

func (w *world) actor(name string) *awards.Actor {
	w.t.Helper()
	if name == "anonymous" {
		return &awards.Actor{}
	}
	a, err := users.NewService(w.db).Actor(w.ctx, w.users[name])
	if err != nil {
		w.t.Fatal(err)
	}
	return a
}

// titles lists the titles of the diplomas name may have.
func (w *world) titles(name string) string {
	w.t.Helper()
	set, err := w.s.List(w.ctx, w.actor(name), w.cycle)
	if err != nil {
		w.t.Fatalf("list as %s: %v", name, err)
	}
	var out []string
	for _, d := range set.Diplomas {
		out = append(out, d.Title)
	}
	return strings.Join(out, "; ")
}

func (w *world) pdf(name, org, lang string) []byte {
	w.t.Helper()
	var buf bytes.Buffer
	if err := w.s.WritePDF(w.ctx, w.actor(name), w.cycle, w.pub[org], lang, &buf); err != nil {
		w.t.Fatalf("diploma of %s as %s in %q: %v", org, name, lang, err)
	}
	return buf.Bytes()
}

func code(err error) string {
	var e *awards.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestWhoGetsWhichDiploma(t *testing.T) {
	w := newWorld(t)
	all := "Innovasjon i hele Asker; Træna 2030; Horten viser vei"
	// Before any announcement: the cycle's admins only.
	for name, want := range map[string]string{"admin": all, "eier": all, "kari": "", "tore": "", "bo": ""} {
		if got := w.titles(name); got != want {
			t.Errorf("before: %s sees %q, want %q", name, got, want)
		}
	}
	if _, err := w.s.List(w.ctx, w.actor("anonymous"), w.cycle); code(err) != awards.EUnauthenticated {
		t.Errorf("anonymous: %v", err)
	}
	if _, err := w.s.List(w.ctx, w.actor("admin"), "nosuchcycle"); code(err) != awards.ENotFound {
		t.Errorf("unknown cycle: %v", err)
	}
	var buf bytes.Buffer
	if err := w.s.WritePDF(w.ctx, w.actor("kari"), w.cycle, w.pub["Asker"], "", &buf); code(err) != awards.ENotFound || buf.Len() > 0 {
		t.Errorf("kari before the instant: %v, %d bytes", err, buf.Len())
	}
	if _, err := w.s.Manage(w.ctx, w.actor("kari"), w.cycle); !errors.Is(err, diplomas.ErrNotAdmin) {
		t.Errorf("kari manages: %v", err)
	}

	// Scheduled, not yet out: still the admins only.
	w.exec(`INSERT INTO announcements (cycle_id, kind, publish_at) VALUES (?, 'winners', now() + interval '1 day')`, w.id)
	if got := w.titles("kari"); got != "" {
		t.Errorf("scheduled: kari sees %q", got)
	}
	// Out: each member gets their organisation's, Bærum (no outcome) none.
	w.exec(`UPDATE announcements SET publish_at = now() - interval '1 minute' WHERE cycle_id = ?`, w.id)
	for name, want := range map[string]string{"eier": all, "kari": "Innovasjon i hele Asker", "tore": "Træna 2030", "bo": ""} {
		if got := w.titles(name); got != want {
			t.Errorf("after: %s sees %q, want %q", name, got, want)
		}
	}
	if err := w.s.WritePDF(w.ctx, w.actor("kari"), w.cycle, w.pub["Træna"], "", &buf); code(err) != awards.ENotFound {
		t.Errorf("kari asks for Træna's: %v", err)
	}
	w.pdf("kari", "Asker", "")
	// From the nomination's own page, whichever its cycle.
	if err := w.s.WriteNominationPDF(w.ctx, w.actor("kari"), w.pub["Asker"], "nn", &buf); err != nil || buf.Len() == 0 {
		t.Errorf("kari's own from the nomination: %v", err)
	}
	for _, id := range []string{w.pub["Træna"], w.pub["Bærum"], "nosuchnomination"} {
		if err := w.s.WriteNominationPDF(w.ctx, w.actor("kari"), id, "", &buf); code(err) != awards.ENotFound {
			t.Errorf("kari asks for %s from the nomination: %v", id, err)
		}
	}
	// Unpublished: back to the admins only.
	w.exec(`UPDATE announcements SET unpublished_at = now(), unpublish_reason = 'Feil' WHERE cycle_id = ?`, w.id)
	if got := w.titles("kari"); got != "" {
		t.Errorf("unpublished: kari sees %q", got)
	}
}

func TestSignature(t *testing.T) {
	w := newWorld(t)
	if _, err := w.s.SetSignature(w.ctx, w.actor("kari"), w.cycle, diplomas.Signature{Name: "Kari"}); code(err) != awards.EForbidden {
		t.Errorf("kari signs: %v", err)
	}
	_, err := w.s.SetSignature(w.ctx, w.actor("eier"), w.cycle, diplomas.Signature{TitleNB: "statsråd", TitleEN: strings.Repeat("x", 201)})
	var e *awards.Error
	if !errors.As(err, &e) || e.Fields["name"] != "diplomas.error.name_required" || e.Fields["title_en"] != "form.error.too_long" {
		t.Fatalf("invalid signature: %#v", err)
	}
	sig, err := w.s.SetSignature(w.ctx, w.actor("eier"), w.cycle, diplomas.Signature{Name: "  Ola   Statsråd ", TitleNB: "kommunal- og distriktsminister",
		TitleNN: "kommunal- og distriktsminister (nn)", TitleEN: "Minister of Local Government"})
	if err != nil || sig.Name != "Ola Statsråd" {
		t.Fatalf("sign: %v %#v", err, sig)
	}
	var n int
	if err := w.db.NewRaw(`SELECT count(*) FROM audit_log WHERE entity = 'cycle' AND entity_id = ? AND after ? 'diploma_signature'`, w.id).Scan(w.ctx, &n); err != nil || n != 1 {
		t.Errorf("audit entries: %d %v", n, err)
	}
}

// The diplomas' text, read back from the PDFs, in each written form.
func TestDiplomaTexts(t *testing.T) {
	w := newWorld(t)
	if _, err := w.s.SetSignature(w.ctx, w.actor("admin"), w.cycle, diplomas.Signature{Name: "Ola Statsråd",
		TitleNB: "statsråd i bokmål", TitleNN: "statsråd på nynorsk", TitleEN: "Minister"}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, org, lang string
		want, not       []string
	}{
		{"Asker in its bokmål", "Asker", "", []string{"TESTDEPARTEMENTET", "Diplom", "Asker kommune", "vinner av Kommunal innovasjonspris 2027",
			"for «Innovasjon i hele Asker»", "Juryens begrunnelse", askerNB, "Ola Statsråd", "statsråd i bokmål"}, []string{askerNN}},
		{"Asker asked in nynorsk", "Asker", "nn", []string{"vinnar av Kommunal innovasjonspris (nn) 2027", "Juryen si grunngjeving", askerNN,
			"statsråd på nynorsk"}, []string{askerNB}},
		{"Træna in its nynorsk", "Træna", "", []string{"Træna kommune", "finalist i Kommunal innovasjonspris (nn) 2027", "for «Træna 2030»",
			"statsråd på nynorsk"}, []string{"grunngjeving", "begrunnelse"}},
		{"Horten in nynorsk falls back to the bokmål statement", "Horten", "nn", []string{"hedrande omtale i", "Juryen si grunngjeving", hortenNB}, nil},
		{"Horten in English", "Horten", "en", []string{"Diploma", "honourable mention in Municipal Innovation Award 2027", "for “Horten viser vei”",
			"The jury's statement", hortenNB, "Minister"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pages := pdftest.Pages(t, w.pdf("admin", c.org, c.lang))
			if len(pages) != 1 {
				t.Fatalf("%d pages", len(pages))
			}
			for _, s := range c.want {
				if !strings.Contains(pages[0], s) {
					t.Errorf("lacks %q:\n%s", s, pages[0])
				}
			}
			for _, s := range c.not {
				if strings.Contains(pages[0], s) {
					t.Errorf("has %q:\n%s", s, pages[0])
				}
			}
		})
	}
	var buf bytes.Buffer
	if err := w.s.WriteAllPDF(w.ctx, w.actor("eier"), w.cycle, "", &buf); err != nil {
		t.Fatal(err)
	}
	pages := pdftest.Pages(t, buf.Bytes())
	if len(pages) != 3 || !strings.Contains(pages[0], "Asker kommune") || !strings.Contains(pages[1], "Træna kommune") ||
		!strings.Contains(pages[1], "finalist i Kommunal innovasjonspris (nn)") || !strings.Contains(pages[2], "Horten kommune") {
		t.Errorf("all as one file: %q", pages)
	}
	if err := w.s.WriteAllPDF(w.ctx, w.actor("eier"), w.cycle, "de", &buf); code(err) != awards.EInvalid {
		t.Errorf("German: %v", err)
	}
	// A page to look at: HEDER_PDF_DIR keeps it.
	dir := os.Getenv("HEDER_PDF_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	pdftest.PNG(t, w.pdf("admin", "Asker", ""), 1, dir, "diploma-asker")
}
