package noark_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/browsertest"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/noark"
	"github.com/heder-awards/heder/internal/pdfdoc/pdftest"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type world struct {
	t     testing.TB
	ctx   context.Context
	db    *postgres.DB
	store files.Store
	admin int64
}

func (w *world) id(q string, args ...any) int64 {
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

func (w *world) actor(user int64) *awards.Actor {
	w.t.Helper()
	a, err := users.NewService(w.db).Actor(w.ctx, user)
	if err != nil {
		w.t.Fatal(err)
	}
	return a
}

// cycle makes a published cycle of a ministry's award with a winner (with
// a PDF attachment on its project), an ineligible nomination, a draft,
// two jurors' submitted scores and a comment. It returns the cycle's
// public ID.
func (w *world) cycle(phase string) string {
	owner := w.id(`INSERT INTO organisations (kind, name, orgnr) VALUES ('ministry', 'Testdepartementet', '999990142') RETURNING id`)
	w.exec(`INSERT INTO award_owners (organisation_id) VALUES (?)`, owner)
	award := w.id(`INSERT INTO awards (slug, name_nb, owner_id) VALUES ('testprisen', 'Testprisen', ?) RETURNING id`, owner)
	cycle := w.id(`INSERT INTO cycles (award_id, year, title, phase, call_text, call_text_nn, call_opens_at, nomination_deadline, created_at)
		VALUES (?, 2025, 'Testprisen 2025', ?, 'Nominer dere selv.', 'Nominer dykk sjølve.', '2025-01-06 09:00+01', '2025-03-01 23:59+01', '2024-12-01 10:00+01')
		RETURNING id`, award, phase)
	w.exec(`INSERT INTO announcements (cycle_id, kind, publish_at) VALUES (?, 'winners', '2025-06-12 12:00+02')`, cycle)
	crit := w.id(`INSERT INTO criteria (cycle_id, name_nb) VALUES (?, 'Nytte') RETURNING id`, cycle)
	org := func(name string) int64 {
		return w.id(`INSERT INTO organisations (kind, name) VALUES ('municipality', ?) RETURNING id`, name)
	}
	asker, traena, bodo := org("Asker kommune"), org("Træna kommune"), org("Bodø kommune")
	juror := func(name string, chair bool) int64 {
		u := w.id(`INSERT INTO users (issuer, subject, name) VALUES ('test', ?, ?) RETURNING id`, name, name)
		return w.id(`INSERT INTO jurors (cycle_id, user_id, chair, created_at) VALUES (?, ?, ?, '2025-03-05 10:00+01') RETURNING id`, cycle, u, chair)
	}
	chair, member := juror("Jorunn Juryleder", true), juror("Jon Jurymedlem", false)
	nomination := func(org int64, title, status string) int64 {
		n := w.id(`INSERT INTO nominations (cycle_id, title, summary, status, contact_name, contact_email, submitted_at)
			VALUES (?, ?, 'Et sammendrag.', ?, 'Kari Kontakt', 'kari@example.org', CASE WHEN ? = 'draft' THEN NULL ELSE '2025-02-20 14:00+01'::timestamptz END)
			RETURNING id`, cycle, title, status, status)
		w.exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id, lead) VALUES (?, ?, true)`, n, org)
		return n
	}
	winner := nomination(asker, "Velferdslaben", "submitted")
	ineligible := nomination(traena, "For sent", "ineligible")
	nomination(bodo, "Utkastet", "draft")
	w.exec(`UPDATE nominations SET ineligible_reason = 'Kom inn etter fristen.' WHERE id = ?`, ineligible)
	w.exec(`INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb, decided_at) VALUES (?, ?, 'winner', 'Juryen mener Asker viser vei.', '2025-05-20 15:00+02')`,
		winner, cycle)
	project := w.id(`INSERT INTO projects (organisation_id, title, description) VALUES (?, 'Velferdslab', 'Ansatte og innbyggere prøver ut tjenester.') RETURNING id`, asker)
	w.exec(`INSERT INTO nomination_projects (nomination_id, project_id, position) VALUES (?, ?, 1)`, winner, project)
	pdf := []byte("%PDF-1.4\n% a test file\n%%EOF\n")
	sum := sha256.Sum256(pdf)
	if err := w.store.Put(w.ctx, "vedlegg-1", bytes.NewReader(pdf)); err != nil {
		w.t.Fatal(err)
	}
	w.exec(`INSERT INTO attachments (project_id, filename, content_type, size, sha256, storage_key) VALUES (?, 'rapport.pdf', 'application/pdf', ?, ?, 'vedlegg-1')`,
		project, len(pdf), hex.EncodeToString(sum[:]))
	for _, j := range []int64{chair, member} {
		w.exec(`INSERT INTO scores (juror_id, nomination_id, criterion_id, value, comment) VALUES (?, ?, ?, 5, 'Sterk')`, j, winner, crit)
		w.exec(`INSERT INTO score_submissions (juror_id, nomination_id) VALUES (?, ?)`, j, winner)
	}
	w.exec(`INSERT INTO jury_comments (nomination_id, juror_id, body) VALUES (?, ?, 'Tydelig vinner.')`, winner, member)
	w.exec(`INSERT INTO receipt_mails (nomination_id, submitted_at, user_id, organisation_id) VALUES (?, '2025-02-20 14:00+01', ?, ?)`, winner, w.admin, asker)
	w.exec(`INSERT INTO outbox_messages (cycle_id, kind, email, organisation_id, nomination_id, language, state, sent_at, dedupe_key)
		VALUES (?, 'ineligible', 'tore@example.org', ?, ?, 'nb', 'sent', '2025-03-10 09:00+01', 'noark-ineligible')`, cycle, traena, ineligible)
	var public string
	if err := w.db.NewRaw(`SELECT public_id FROM cycles WHERE id = ?`, cycle).Scan(w.ctx, &public); err != nil {
		w.t.Fatal(err)
	}
	return public
}

func newWorld(t testing.TB) *world {
	store, err := files.Open(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, ctx: context.Background(), db: pgtest.New(t), store: store}
	w.admin = w.id(`INSERT INTO users (issuer, subject, name, is_admin) VALUES ('test', 'admin', 'Astrid Admin', true) RETURNING id`)
	return w
}

// TestDeposit exports a published cycle and checks the package as an
// archive would: every XML file validates against Arkivverket's schemas,
// every file's checksum matches arkivuttrekk.xml and arkivstruktur.xml,
// the jury's papers are screened under offl. § 14, and the draft, which
// was never received, is not there.
func TestDeposit(t *testing.T) {
	t.Parallel()
	browsertest.NeedTool(t, "xmllint", "libxml2-utils")
	w := newWorld(t)
	public := w.cycle("published")
	d, err := noark.NewService(w.db, w.store).Load(w.ctx, w.actor(w.admin), public)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := d.Write(w.ctx, &buf, w.store, time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC), nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	got := untar(t, &buf, dir)
	for _, name := range []string{"arkivstruktur.xml", "endringslogg.xml", "arkivuttrekk.xml"} {
		if _, ok := got[name]; !ok {
			t.Fatalf("the deposit lacks %s; it has %v", name, keys(got))
		}
	}
	schemas, err := filepath.Abs("testdata/schemas")
	if err != nil {
		t.Fatal(err)
	}
	for file, schema := range map[string]string{"arkivstruktur.xml": "arkivstruktur.xsd", "endringslogg.xml": "endringslogg.xsd", "arkivuttrekk.xml": "addml.xsd"} {
		out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join(schemas, schema), filepath.Join(dir, file)).CombinedOutput()
		if err != nil {
			t.Errorf("%s does not validate against %s: %v\n%s", file, schema, err, out)
		}
	}

	// Every file is listed with its checksum, in both XML files.
	structure, addml := string(got["arkivstruktur.xml"]), string(got["arkivuttrekk.xml"])
	for name, body := range got {
		if name == "arkivuttrekk.xml" {
			continue
		}
		sum := sha256.Sum256(body)
		hexSum := hex.EncodeToString(sum[:])
		if !strings.Contains(addml, "<value>"+name+"</value>") || !strings.Contains(addml, "<value>"+hexSum+"</value>") {
			t.Errorf("arkivuttrekk.xml lacks %s with checksum %s", name, hexSum)
		}
		if strings.HasPrefix(name, "dokumenter/") && !regexp.MustCompile(`<referanseDokumentfil>`+regexp.QuoteMeta(name)+`</referanseDokumentfil>\s*<sjekksum>`+hexSum).MatchString(structure) {
			t.Errorf("arkivstruktur.xml lacks %s with checksum %s", name, hexSum)
		}
	}
	// The attachment is there in its own format, byte for byte, and each
	// nomination as received is a PDF.
	var attachments, nominations []string
	for name, body := range got {
		switch {
		case bytes.HasPrefix(body, []byte("%PDF-1.4\n% a test file")):
			attachments = append(attachments, name)
		case strings.HasSuffix(name, ".pdf") && strings.Contains(pdftest.Text(t, body), "Nominasjon: "):
			nominations = append(nominations, pdftest.Text(t, body))
		}
	}
	if len(attachments) != 1 || !strings.HasSuffix(attachments[0], ".pdf") {
		t.Errorf("attachments in the deposit: %v, want one PDF", attachments)
	}
	slices.Sort(nominations)
	if len(nominations) != 2 || !strings.Contains(nominations[1], "Nominert: Asker kommune") || !strings.Contains(nominations[1], "Prosjekt: Velferdslab") ||
		!strings.Contains(nominations[0], "Nominasjon: For sent") {
		t.Errorf("the nominations as PDF: %q", nominations)
	}

	// Three cases: the cycle's and the two received nominations.
	if n := strings.Count(structure, `<mappe xsi:type="saksmappe">`); n != 3 {
		t.Errorf("%d saksmapper, want 3", n)
	}
	for _, want := range []string{"<tittel>Nominasjon: Velferdslaben</tittel>", "<journalposttype>Inngående dokument</journalposttype>",
		"<mottattDato>2025-02-20T14:00:00+01:00</mottattDato>", "<korrespondansepartNavn>Asker kommune</korrespondansepartNavn>",
		"<tittel>Kvittering for mottatt nominasjon</tittel>", "<tittel>Melding om at nominasjonen ikke oppfyller kravene</tittel>",
		"<tittel>Juryens vedtak</tittel>", "<tittel>Oppnevning av jury</tittel>", "<tittel>Utlysning: Testprisen 2025</tittel>",
		"<arkivskaperNavn>Testdepartementet</arkivskaperNavn>"} {
		if !strings.Contains(structure, want) {
			t.Errorf("arkivstruktur.xml lacks %s", want)
		}
	}
	if strings.Contains(structure, "Utkastet") {
		t.Error("the draft, never received, is in the deposit")
	}
	// Every jury paper is screened under offl. § 14, the registrering and
	// its document; nothing else is.
	jury := regexp.MustCompile(`(?s)<registrering xsi:type="journalpost">.*?</registrering>`)
	papers := 0
	for _, r := range jury.FindAllString(structure, -1) {
		isJury := strings.Contains(r, "<tittel>Juryens vurdering</tittel>") || strings.Contains(r, "<tittel>Juryens rangering og vurderinger</tittel>")
		screened := strings.Count(r, "<skjermingshjemmel>offl. § 14</skjermingshjemmel>")
		switch {
		case isJury && screened != 2:
			t.Errorf("a jury paper is screened %d times, want on the registrering and its document:\n%.400s", screened, r)
		case !isJury && screened != 0:
			t.Errorf("a paper that is not the jury's is screened:\n%.400s", r)
		}
		if isJury {
			papers++
		}
	}
	if papers != 2 {
		t.Errorf("%d jury papers, want the winner's assessment and the ranking", papers)
	}
	var assessment string
	for name, body := range got {
		if bytes.HasPrefix(body, []byte("Juryens vurdering av Velferdslaben")) {
			assessment = name
		}
	}
	if assessment == "" || !strings.Contains(string(got[assessment]), "Jon Jurymedlem, Nytte: 5 – Sterk") ||
		!strings.Contains(string(got[assessment]), "Tydelig vinner.") {
		t.Errorf("the jury's assessment %s: %q", assessment, got[assessment])
	}
	if !strings.Contains(string(got["endringslogg.xml"]), "<nyVerdi>Avsluttet</nyVerdi>") {
		t.Error("endringslogg.xml lacks the cases' closing")
	}

	// The same cycle gives the same archive units the next time.
	var again bytes.Buffer
	if err := d.Write(w.ctx, &again, w.store, time.Date(2026, 12, 8, 12, 0, 0, 0, time.UTC), nil); err != nil {
		t.Fatal(err)
	}
	ids := regexp.MustCompile(`<systemID>[^<]+</systemID>`)
	if a, b := ids.FindAllString(structure, -1), ids.FindAllString(string(untar(t, &again, t.TempDir())["arkivstruktur.xml"]), -1); strings.Join(a, "") != strings.Join(b, "") {
		t.Error("a second deposit gave the archive units other system IDs")
	}
}

// TestDepositRefused: only a published cycle, only for its administrators.
func TestDepositRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	public := w.cycle("decided")
	_, err := noark.NewService(w.db, w.store).Load(w.ctx, w.actor(w.admin), public)
	if !errors.Is(err, noark.ErrNotPublished) || awards.ErrorCode(err) != awards.EConflict {
		t.Errorf("a decided cycle: %v, want a conflict", err)
	}
	w.exec(`UPDATE cycles SET phase = 'published'`)
	someone := w.id(`INSERT INTO users (issuer, subject, name) VALUES ('test', 'someone', 'Noen') RETURNING id`)
	if _, err := noark.NewService(w.db, w.store).Load(w.ctx, w.actor(someone), public); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("as someone: %v, want forbidden", err)
	}
	if _, err := noark.NewService(w.db, w.store).Load(w.ctx, w.actor(w.admin), "ukjent"); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("an unknown cycle: %v, want not found", err)
	}
}

func untar(t *testing.T, r io.Reader, dir string) map[string][]byte {
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
		if err != nil {
			t.Fatal(err)
		}
		got[h.Name] = body
		path := filepath.Join(dir, h.Name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// benchCycle makes a published cycle of 500 nominations, each with a
// 200 KB attachment and 12 jurors' scores, and returns its public ID.
func benchCycle(b *testing.B, w *world) string {
	public := w.cycle("published")
	var cycle int64
	if err := w.db.NewRaw(`SELECT id FROM cycles WHERE public_id = ?`, public).Scan(w.ctx, &cycle); err != nil {
		b.Fatal(err)
	}
	file := bytes.Repeat([]byte("%PDF-1.4 benchmark "), 200_000/19)
	sum := sha256.Sum256(file)
	if err := w.store.Put(w.ctx, "bench", bytes.NewReader(file)); err != nil {
		b.Fatal(err)
	}
	if _, err := w.db.ExecContext(w.ctx, `
		WITH org AS (SELECT id FROM organisations WHERE name = 'Asker kommune'),
		crit AS (SELECT id FROM criteria WHERE cycle_id = ?0),
		u AS (INSERT INTO users (issuer, subject, name) SELECT 'bench', 'juror-' || g, 'Jurymedlem ' || g FROM generate_series(1, 12) g RETURNING id),
		j AS (INSERT INTO jurors (cycle_id, user_id) SELECT ?0, u.id FROM u RETURNING id),
		n AS (INSERT INTO nominations (cycle_id, title, summary, status, contact_name, contact_email, submitted_at)
			SELECT ?0, 'Nominasjon ' || g, repeat('Et sammendrag av arbeidet. ', 40), 'submitted', 'Kari Kontakt', 'kari@example.org', now()
			FROM generate_series(1, 500) g RETURNING id),
		no AS (INSERT INTO nomination_organisations (nomination_id, organisation_id, lead) SELECT n.id, org.id, true FROM n, org),
		p AS (INSERT INTO projects (organisation_id, title, description) SELECT org.id, 'Prosjekt ' || n.id, 'Beskrivelse' FROM n, org RETURNING id, title),
		np AS (INSERT INTO nomination_projects (nomination_id, project_id, position) SELECT n.id, p.id, 1 FROM n JOIN p ON p.title = 'Prosjekt ' || n.id),
		a AS (INSERT INTO attachments (project_id, filename, content_type, size, sha256, storage_key)
			SELECT p.id, 'rapport.pdf', 'application/pdf', ?1, ?2, 'bench-' || p.id FROM p RETURNING storage_key),
		s AS (INSERT INTO scores (juror_id, nomination_id, criterion_id, value, comment) SELECT j.id, n.id, crit.id, 4, 'Godt arbeid' FROM j, n, crit)
		INSERT INTO score_submissions (juror_id, nomination_id) SELECT j.id, n.id FROM j, n`, cycle, len(file), hex.EncodeToString(sum[:])); err != nil {
		b.Fatal(err)
	}
	var keys []string
	if err := w.db.NewRaw(`SELECT storage_key FROM attachments WHERE storage_key LIKE 'bench-%'`).Scan(w.ctx, &keys); err != nil {
		b.Fatal(err)
	}
	for _, k := range keys {
		if err := w.store.Put(w.ctx, k, bytes.NewReader(file)); err != nil {
			b.Fatal(err)
		}
	}
	return public
}

// BenchmarkDeposit makes the deposit of benchCycle's cycle in the request
// and reports its size.
func BenchmarkDeposit(b *testing.B) {
	w := newWorld(b)
	public := benchCycle(b, w)
	svc := noark.NewService(w.db, w.store)
	admin := w.actor(w.admin)
	b.ResetTimer()
	var size int64
	for b.Loop() {
		d, err := svc.Load(w.ctx, admin, public)
		if err != nil {
			b.Fatal(err)
		}
		c := &counter{}
		if err := svc.Write(w.ctx, c, d); err != nil {
			b.Fatal(err)
		}
		size = c.n
	}
	b.ReportMetric(float64(size)/1e6, "MB")
}

// BenchmarkExportJob makes the deposit of benchCycle's cycle as the export
// job does, into the store with its progress, and reports its size.
func BenchmarkExportJob(b *testing.B) {
	w := newWorld(b)
	public := benchCycle(b, w)
	svc := noark.NewService(w.db, w.store)
	admin := w.actor(w.admin)
	worker := &noark.ExportWorker{Service: svc, Logger: slog.New(slog.DiscardHandler)}
	b.ResetTimer()
	var e noark.Export
	for b.Loop() {
		var err error
		if e, err = svc.RequestExport(w.ctx, admin, public); err != nil {
			b.Fatal(err)
		}
		if err := worker.Work(w.ctx, exportJob(e.ID, 1)); err != nil {
			b.Fatal(err)
		}
	}
	e, err := svc.Export(w.ctx, admin, public, e.PublicID)
	if err != nil || e.State != noark.StateDone || e.Done != e.Total {
		b.Fatalf("the export: %+v, %v", e, err)
	}
	b.ReportMetric(float64(e.Size)/1e6, "MB")
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }
