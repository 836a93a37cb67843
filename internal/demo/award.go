package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/i18n"
	"github.com/uptrace/bun"
)

// The award's texts, in the three languages.
const (
	awardDescriptionNB = "Kommunal innovasjonspris går til en kommune som jobber helhetlig og systematisk med innovasjon – ikke bare med ett vellykket prosjekt. " +
		"Juryen spør om arbeidet er nytt, om det er tatt i bruk, om det har skapt verdi, om det har endret måten kommunen jobber på, og om andre kan lære av det: nytt, nyttig og nyttiggjort. " +
		"Vinneren får 500 000 kroner og kåres på scenen under Arendalskonferansen i juni."
	awardDescriptionNN = "Kommunal innovasjonspris går til ein kommune som arbeider heilskapleg og systematisk med innovasjon – ikkje berre med eitt vellukka prosjekt. " +
		"Juryen spør om arbeidet er nytt, om det er teke i bruk, om det har skapt verdi, om det har endra måten kommunen arbeider på, og om andre kan lære av det: nytt, nyttig og nyttiggjort. " +
		"Vinnaren får 500 000 kroner og vert kåra på scena under Arendalskonferansen i juni."
	awardDescriptionEN = "The municipal innovation award goes to a municipality that works with innovation holistically and systematically – not just with one successful project. " +
		"The jury asks whether the work is new, whether it is in use, whether it has created value, whether it has changed how the municipality works, and whether others can learn from it. " +
		"The winner receives NOK 500,000 and is named on stage at the Arendal conference in June."

	callText = "Kommunen sender inn én nominasjon som viser kommunens innovasjonsarbeid, med inntil tre prosjekter. " +
		"Fortell hvilken utfordring arbeidet svarte på – en brennende plattform, en kjent floke med ukjent løsning eller behovet for å fornye seg – " +
		"og vis resultatene i tall der dere har dem. Juryen nominerer tre finalister i april, og vinneren kåres under Arendalskonferansen i juni. " +
		"Når vinneren kunngjøres, blir alle innsendte nominasjoner publisert, slik at andre kan lære av dem."
)

// criterion is one of the award's criteria, in three languages.
type criterion struct {
	nameNB, nameNN, nameEN, helpNB, helpNN, helpEN string
}

// criteria are the real award's: the jury looks for a holistic,
// systematic commitment and asks five questions of the work. Every
// criterion is scored 1–5 with the same weight.
var criteria = []criterion{
	{"Helhetlig og systematisk innovasjonsarbeid", "Heilskapleg og systematisk innovasjonsarbeid", "A holistic, systematic commitment",
		"Jobber kommunen helhetlig og systematisk med innovasjon, ikke bare med enkeltprosjekter? Har den strategi, ledelse og kultur for å prøve, lære og dele?",
		"Arbeider kommunen heilskapleg og systematisk med innovasjon, ikkje berre med enkeltprosjekt? Har han strategi, leiing og kultur for å prøve, lære og dele?",
		"Does the municipality work with innovation holistically and systematically, not just in single projects? Does it have the strategy, leadership and culture to try, learn and share?"},
	{"Nytt", "Nytt", "New",
		"Er løsningen ny for kommunen eller for kommunesektoren – en ny tjeneste, prosess, organisering eller måte å samarbeide på?",
		"Er løysinga ny for kommunen eller for kommunesektoren – ei ny teneste, ein ny prosess, ny organisering eller ein ny måte å samarbeide på?",
		"Is the solution new to the municipality or to local government – a new service, process, organisation or way of working together?"},
	{"Tatt i bruk", "Teke i bruk", "Realised (in use)",
		"Er løsningen tatt i bruk og i drift, ikke bare en idé eller en plan?",
		"Er løysinga teken i bruk og i drift, ikkje berre ein idé eller ein plan?",
		"Is the solution in use and running, not just an idea or a plan?"},
	{"Skapt verdi", "Skapt verdi", "Created value",
		"Har løsningen gitt nytte for innbyggerne, de ansatte eller samfunnet – bedre kvalitet, lavere kostnader eller bedre ressursbruk? Vis resultater i tall der dere har dem.",
		"Har løysinga gjeve nytte for innbyggjarane, dei tilsette eller samfunnet – betre kvalitet, lågare kostnader eller betre ressursbruk? Vis resultat i tal der de har dei.",
		"Has the solution benefited residents, staff or society – better quality, lower costs or better use of resources? Show results in numbers where you have them."},
	{"Endret arbeidsmåter", "Endra arbeidsmåtar", "Changed ways of working",
		"Har arbeidet endret måten kommunen jobber på – på tvers av sektorer og fag, med innbyggerne og med andre aktører?",
		"Har arbeidet endra måten kommunen arbeider på – på tvers av sektorar og fag, med innbyggjarane og med andre aktørar?",
		"Has the work changed how the municipality works – across sectors and professions, with residents and with others?"},
	{"Overføringsverdi", "Overføringsverdi", "Can spread to others",
		"Kan andre kommuner lære av arbeidet eller ta løsningen i bruk?",
		"Kan andre kommunar lære av arbeidet eller ta løysinga i bruk?",
		"Can other municipalities learn from the work or adopt the solution?"},
}

// currentDates are the open demo cycle's dates, relative to now: the call
// opened two weeks ago and the deadline is three weeks ahead, so that the
// demo submitters can nominate whenever `heder dev` starts.
func currentDates(now time.Time) (opens, deadline, scoring, announce time.Time) {
	d := now.In(i18n.Oslo())
	day := func(days, hour, minute int) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day()+days, hour, minute, 0, 0, i18n.Oslo())
	}
	return day(-14, 9, 0), day(21, 23, 59), day(21+6*7, 16, 0), day(21+16*7, 12, 0)
}

// addCriteria gives a cycle the award's criteria, unless it has some.
func addCriteria(ctx context.Context, tx bun.Tx, cycle int64) error {
	var n int
	if err := tx.NewRaw(`SELECT count(*) FROM criteria WHERE cycle_id = ?`, cycle).Scan(ctx, &n); err != nil || n > 0 {
		return err
	}
	for i, c := range criteria {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO criteria (cycle_id, name_nb, name_nn, name_en, help_nb, help_nn, help_en, weight, scale_min, scale_max, scale_step, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1, 5, 1, ?)`,
			cycle, c.nameNB, c.nameNN, c.nameEN, c.helpNB, c.helpNN, c.helpEN, i+1)
		if err != nil {
			return fmt.Errorf("demo criterion %s: %w", c.nameNB, err)
		}
	}
	return nil
}
