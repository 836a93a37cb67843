package deciding_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/jurybook"
	"github.com/heder-awards/heder/internal/pdfdoc/pdftest"
)

// The jury book as its readers get it: the admin's whole, in bokmål and
// nynorsk, and the chair's without the nomination they stepped aside
// from; every page carries the offl. § 14 mark.
func TestJuryBook(t *testing.T) {
	e := newEnv(t)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := e.judging()
	chair, juror, admin := e.person("Jorunn Juryleder", false), e.person("Per Jury", false), e.person("Astrid Admin", true)
	chairSeat, jurorSeat := e.seat(chair, c, true, true), e.seat(juror, c, false, true)
	e.conflict(chairSeat, "Træna", "family", "Søsteren er rådmann i Træna")
	asker := e.nomination(c, "Asker", "Velferdslab i Asker", "submitted", 1)
	traena := e.nomination(c, "Træna", "Træna 2030", "submitted", 1)
	baerum := e.nomination(c, "Bærum", "Bærum prøver", "submitted", 0)
	e.scored(chairSeat, c, asker, 5, 4)
	e.scored(chairSeat, c, baerum, 1, 3)
	e.scored(jurorSeat, c, asker, 4, 4)
	e.scored(jurorSeat, c, traena, 3, 3)
	e.scored(jurorSeat, c, baerum, 5, 3) // 1 and 5 on Nytt: strong disagreement
	const nb, nn = "Asker vinner for et helhetlig innovasjonsarbeid.", "Asker vinn for eit heilskapleg innovasjonsarbeid."
	e.exec(`INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb, statement_nn) VALUES (?, ?, 'winner', ?, ?)`, asker.id, c.id, nb, nn)

	book := func(a *awards.Actor, lang string) []string {
		t.Helper()
		b, err := e.s.Book(e.ctx, a, c.publicID)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := jurybook.Write(&buf, bundle.Localizer(lang), b); err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("HEDER_PDF_DIR"); dir != "" {
			pdftest.PNG(t, buf.Bytes(), 1, dir, "jurybook-"+lang+"-p1")
			pdftest.PNG(t, buf.Bytes(), 2, dir, "jurybook-"+lang+"-p2")
		}
		return pdftest.Pages(t, buf.Bytes())
	}
	check := func(name string, pages []string, mark string, want, not []string) {
		t.Helper()
		for i, p := range pages {
			if !strings.Contains(p, mark) {
				t.Errorf("%s: page %d lacks the mark %q: %.300s", name, i+1, mark, p)
			}
		}
		all := strings.Join(pages, " ")
		for _, s := range want {
			if !strings.Contains(all, s) {
				t.Errorf("%s lacks %q", name, s)
			}
		}
		for _, s := range not {
			if strings.Contains(all, s) {
				t.Errorf("%s has %q", name, s)
			}
		}
	}

	pages := book(admin, "nb")
	if len(pages) < 5 { // the overview, three nominations, the closing pages
		t.Errorf("admin's book has %d pages", len(pages))
	}
	check("the admin's book", pages, "Internt arbeidsdokument – unntatt offentlighet, offl. § 14",
		[]string{"Jurybok – " + "Innovasjonsprisen", "Velferdslab i Asker", "Træna 2030", "Bærum prøver", "Asker prosjekt 1", "Træna prosjekt 1",
			"Vektet snitt per nominasjon", "Sterk uenighet om: Nytt", "Utkast til beslutning", nb, "Søsteren er rådmann i Træna", "Jorunn Juryleder"},
		[]string{nn, "trådt til side fra"})
	// The ranking's order: Asker (4.5 and 4) before Træna and Bærum.
	if a, b := strings.Index(pages[1], "Velferdslab i Asker"), strings.Index(pages[1], "Bærum prøver"); pages[1] != "" && a > b && b >= 0 {
		t.Errorf("Asker after Bærum on page 2: %.400s", pages[1])
	}

	check("the admin's book in nynorsk", book(admin, "nn"), "Internt arbeidsdokument – unnateke frå offentlegheit, offl. § 14",
		[]string{"Rangeringa", "Vekta snitt per nominasjon", "Sterk usemje om: Nytt (nn)", "Utkast til avgjerd", nn, "Træna 2030"},
		[]string{nb, "Sterk uenighet"})

	check("the chair's book", book(chair, "nb"), "offl. § 14",
		[]string{"Velferdslab i Asker", "Bærum prøver", "Du har trådt til side fra 1 nominasjon", nb},
		[]string{"Træna 2030", "Træna prosjekt 1", "Søsteren er rådmann i Træna"})

	// A juror who is not the chair gets no book.
	if _, err := e.s.Book(e.ctx, juror, c.publicID); !strings.Contains(awards.ErrorCode(err), awards.EForbidden) {
		t.Errorf("juror: %v", err)
	}
}
