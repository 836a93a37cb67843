package jurybook_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/jurybook"
	"github.com/heder-awards/heder/internal/pdfdoc/pdftest"
	"github.com/heder-awards/heder/internal/scorestats"
)

// A book of 40 nominations with long texts: every page carries the mark,
// each nomination starts its own page in ranking order, and the long
// texts are cut.
func TestEveryPageMarked(t *testing.T) {
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	rk := &deciding.Ranking{Cycle: deciding.Cycle{State: cycles.State{Title: "Innovasjonsprisen 2031", PublicID: "c"}},
		Criteria:    []deciding.Criterion{{ID: 1, NameNB: "Nytt", Weight: 2, Min: 1, Max: 5}, {ID: 2, NameNB: "Nyttig", Weight: 1, Min: 1, Max: 5}},
		Nominations: map[int64]deciding.Nomination{}, Jurors: map[int64]deciding.Juror{}}
	// The book is of the current round, which it names.
	rk.Rounds = []awards.Round{{ID: 7, Position: 1, NameNB: "Grovsortering"}, {ID: 8, Position: 2, NameNB: "Finale", Current: true}}
	rk.Round = rk.Rounds[1]
	in := scorestats.Input{Criteria: rk.Inputs()}
	for j := int64(1); j <= 5; j++ {
		rk.Jurors[j] = deciding.Juror{ID: j, Name: fmt.Sprintf("Jurymedlem Nummer%d", j)}
	}
	long := strings.Repeat("Prosjektet samlet innbyggere, ansatte og næringsliv. ", 60)
	book := deciding.Book{Summaries: map[int64]string{}, Projects: map[int64][]deciding.BookProject{}}
	const n = 40
	for id := int64(1); id <= n; id++ {
		rk.Nominations[id] = deciding.Nomination{ID: id, Title: fmt.Sprintf("Nominasjon %02d", id), Nominees: "Asker kommune"}
		book.Summaries[id] = long
		book.Projects[id] = []deciding.BookProject{{Title: "Prosjekt A", Description: long, Results: long}, {Title: "Prosjekt B", Description: long}}
		for j := int64(1); j <= 5; j++ {
			// Higher IDs score better, so the ranking reverses the IDs.
			v := 1 + 4*float64(id)/n
			in.Scores = append(in.Scores, scorestats.Score{Juror: j, Nomination: id, Criterion: 1, Value: v},
				scorestats.Score{Juror: j, Nomination: id, Criterion: 2, Value: v})
		}
	}
	rk.Result = scorestats.Compute(in)
	book.Report = deciding.Report{Ranking: rk, Generated: time.Date(2031, 5, 2, 10, 0, 0, 0, time.UTC)}
	var buf bytes.Buffer
	if err := jurybook.Write(&buf, bundle.Localizer("nb"), book); err != nil {
		t.Fatal(err)
	}
	pages := pdftest.Pages(t, buf.Bytes())
	if len(pages) < n+2 {
		t.Fatalf("%d pages for %d nominations", len(pages), n)
	}
	if !strings.Contains(pages[0], "Runde 2 av 2: Finale") {
		t.Errorf("the first page does not name the round: %.300s", pages[0])
	}
	next := n // the first nomination after the overview is the best, number 40
	for i, p := range pages {
		if !strings.Contains(p, "Internt arbeidsdokument – unntatt offentlighet, offl. § 14") {
			t.Errorf("page %d lacks the mark: %.200s", i+1, p)
		}
		if !strings.Contains(p, fmt.Sprintf("/%d", len(pages))) {
			t.Errorf("page %d lacks its number of %d", i+1, len(pages))
		}
		if next > 0 && strings.Contains(p, fmt.Sprintf("%d. Nominasjon %02d", n-next+1, next)) {
			next--
		}
	}
	if next != 0 {
		t.Errorf("nomination %02d not found in ranking order", next)
	}
	if text := strings.Join(pages, " "); strings.Count(text, "Prosjektet samlet") > 100*n { // uncut: 240 a nomination
		t.Errorf("the long texts are not cut")
	}
}
