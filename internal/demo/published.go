package demo

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// pastOutcome is the jury's decision about one nomination of a past year,
// found by its nominee's kommunenummer at the time, with the jury's
// statement in the three languages.
type pastOutcome struct {
	number, outcome                       string
	statementNB, statementNN, statementEN string
}

// pastDecision is a past year's decision and when it was announced: the
// finalists in April, the winner on stage at Arendalskonferansen in June.
type pastDecision struct {
	year                   int
	decided                string
	finalistsAt, winnersAt string
	outcomes               []pastOutcome
}

// decisions are the published results of the demo's past years. The
// statements are written from the ministry's and the municipalities' own
// accounts (shared/seeds).
var decisions = []pastDecision{
	{year: 2017, decided: "2017-04-20 16:00", finalistsAt: "2017-04-26 12:00", winnersAt: "2017-06-15 12:00", outcomes: []pastOutcome{
		{number: "0220", outcome: "winner",
			statementNB: "Asker kommune får Innovasjonsprisen 2017 for et helhetlig og systematisk innovasjonsarbeid. Strategien «Blikk for muligheter» " +
				"ligger til grunn, og stikkordene nytt, nyttig og nyttiggjort preger arbeidet i hele organisasjonen: innovasjon er en del av ledertreningen, " +
				"opplæringen av nyansatte og hverdagen i virksomhetene. Kommunen tør å prøve, øve og feile, lytter til innbyggerne og tar utgangspunkt i de faktiske behovene. " +
				"De tre eksemplene viser bredden: Holmen svømmehall er Norges mest energieffektive svømmehall og setter en ny standard for svømmehaller, " +
				"Asker velferdslab setter innbyggeren i sentrum og lar tjenestene investere sammen i innbyggerens muligheter, og Løsningsjakten på Borgen " +
				"nådde 783 deltakere som kom med 458 innspill. Erfaringene er overførbare til andre kommuner.",
			statementNN: "Asker kommune får Innovasjonsprisen 2017 for eit heilskapleg og systematisk innovasjonsarbeid. Strategien «Blikk for muligheter» " +
				"ligg til grunn, og stikkorda nytt, nyttig og nyttiggjort pregar arbeidet i heile organisasjonen: innovasjon er ein del av leiartreninga, " +
				"opplæringa av nytilsette og kvardagen i verksemdene. Kommunen tør å prøve, øve og feile, lyttar til innbyggjarane og tek utgangspunkt i dei faktiske behova. " +
				"Dei tre døma viser breidda: Holmen symjehall er den mest energieffektive symjehallen i Noreg og set ein ny standard for symjehallar, " +
				"Asker velferdslab set innbyggjaren i sentrum og lèt tenestene investere saman i moglegheitene til innbyggjaren, og Løsningsjakten på Borgen " +
				"nådde 783 deltakarar som kom med 458 innspel. Røynslene kan overførast til andre kommunar.",
			statementEN: "Asker municipality receives the 2017 innovation award for a holistic and systematic commitment to innovation. Its strategy, " +
				"\"An eye for opportunities\", underpins the work, and new, useful and put to use are its watchwords across the organisation: innovation is part of " +
				"leadership training, of the induction of new staff and of everyday work. The municipality dares to try, practise and fail, listens to its residents " +
				"and starts from their actual needs. The three examples show the breadth: Holmen swimming hall is Norway's most energy-efficient and sets a new " +
				"standard, Asker welfare lab puts the resident at the centre and lets services invest together in the resident's opportunities, and the " +
				"solution hunt at Borgen reached 783 participants who gave 458 inputs. The experience can be used by other municipalities."},
		{number: "0701", outcome: "finalist"},
		{number: "0217", outcome: "finalist"},
	}},
	{year: 2018, decided: "2018-04-19 16:00", finalistsAt: "2018-04-25 12:00", winnersAt: "2018-06-14 12:00", outcomes: []pastOutcome{
		{number: "1835", outcome: "winner",
			statementNB: "Træna kommune får Innovasjonsprisen 2018. Da hjørnesteinsbedriften var truet av nedleggelse i 2014, valgte kommunen å jobbe langsiktig " +
				"og i forkant for å unngå å bli en omstillingskommune. Kommunen, lokalsamfunnet og næringslivet har sammen hevet blikket og jobbet strategisk med " +
				"utvikling og innovasjon, og gått fra å snakke om «Redd Træna» til «Tenk Træna». Arbeidet har gitt nye arbeidsplasser og tilflytting, " +
				"et positivt omdømme og økt bolyst. Juryen vil vise at også en liten kommune kan snu en krise til nyskaping når hele samfunnet drar sammen.",
			statementNN: "Træna kommune får Innovasjonsprisen 2018. Då hjørnesteinsbedrifta var trua av nedlegging i 2014, valde kommunen å arbeide langsiktig " +
				"og i forkant for å unngå å bli ein omstillingskommune. Kommunen, lokalsamfunnet og næringslivet har saman lyft blikket og arbeidd strategisk med " +
				"utvikling og innovasjon, og gått frå å snakke om «Redd Træna» til «Tenk Træna». Arbeidet har gjeve nye arbeidsplassar og tilflytting, " +
				"eit positivt omdømme og auka bulyst. Juryen vil vise at også ein liten kommune kan snu ei krise til nyskaping når heile samfunnet dreg saman.",
			statementEN: "Træna municipality receives the 2018 innovation award. When its main employer was threatened with closure in 2014, the municipality " +
				"chose to work for the long term and ahead of the crisis, so as not to become a municipality in need of restructuring. The municipality, the local " +
				"community and businesses raised their sights together and worked strategically on development and innovation, going from \"Save Træna\" to " +
				"\"Think Træna\". The work has brought new jobs and new residents, a good reputation and a greater wish to live there. The jury wants to show that " +
				"a small municipality, too, can turn a crisis into renewal when the whole community pulls together."},
		{number: "1124", outcome: "finalist",
			statementNB: "Sola kommune berømmes for sin langsiktige satsing på å bygge innovasjonskultur og for å utvikle nye tjenester sammen med innbyggerne. " +
				"Sola tenker innovasjon bredt og helhetlig i flere sektorer.",
			statementNN: "Sola kommune vert rosa for den langsiktige satsinga si på å byggje innovasjonskultur og for å utvikle nye tenester saman med innbyggjarane. " +
				"Sola tenkjer innovasjon breitt og heilskapleg i fleire sektorar.",
			statementEN: "Sola municipality is praised for its long-term work to build a culture of innovation and for developing new services together with " +
				"its residents. Sola thinks of innovation broadly, across sectors."},
		{number: "0105", outcome: "finalist",
			statementNB: "Sarpsborg involverer innbyggerne på imponerende vis og er den første kommunen i Norge som lar innbyggerne gi poeng direkte til " +
				"kommunale tjenester. Det boligsosiale arbeidet har redusert antallet bostedsløse fra 186 i 2013 til null.",
			statementNN: "Sarpsborg involverer innbyggjarane på imponerande vis og er den første kommunen i Noreg som lèt innbyggjarane gje poeng direkte til " +
				"kommunale tenester. Det bustadsosiale arbeidet har redusert talet på bustadlause frå 186 i 2013 til null.",
			statementEN: "Sarpsborg involves its residents impressively and is the first municipality in Norway to let them score municipal services directly. " +
				"Its work on housing has brought the number of homeless people down from 186 in 2013 to zero."},
	}},
}

// loadPublished records the past years' decisions and their announcements
// (in the past, so the archive shows them). A nomination already decided
// keeps its decision up to date; a live announcement is left as it is.
func loadPublished(ctx context.Context, tx bun.Tx, award int64) error {
	for _, d := range decisions {
		decided, err := osloTime(d.decided)
		if err != nil {
			return err
		}
		var cycle int64
		if err := tx.NewRaw(`SELECT id FROM cycles WHERE award_id = ? AND year = ?`, award, d.year).Scan(ctx, &cycle); err != nil {
			return fmt.Errorf("demo decisions %d: %w", d.year, err)
		}
		for _, o := range d.outcomes {
			_, err := tx.ExecContext(ctx, `
				INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb, statement_nn, statement_en, decided_at)
				SELECT n.id, n.cycle_id, ?, ?, ?, ?, ? FROM nominations n
				JOIN nomination_organisations x ON x.nomination_id = n.id
				JOIN organisations o ON o.id = x.organisation_id
				WHERE n.cycle_id = ? AND o.kind = 'municipality' AND o.number = ?
				ON CONFLICT (nomination_id) DO UPDATE SET outcome = EXCLUDED.outcome, statement_nb = EXCLUDED.statement_nb,
					statement_nn = EXCLUDED.statement_nn, statement_en = EXCLUDED.statement_en`,
				o.outcome, o.statementNB, o.statementNN, o.statementEN, decided, cycle, o.number)
			if err != nil {
				return fmt.Errorf("demo decision %d %s: %w", d.year, o.number, err)
			}
		}
		for kind, at := range map[string]string{"finalists": d.finalistsAt, "winners": d.winnersAt} {
			t, err := osloTime(at)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO announcements (cycle_id, kind, publish_at) VALUES (?, ?, ?)
				ON CONFLICT (cycle_id, kind) WHERE unpublished_at IS NULL DO NOTHING`, cycle, kind, t); err != nil {
				return fmt.Errorf("demo announcement %d %s: %w", d.year, kind, err)
			}
		}
	}
	return nil
}
