package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/i18n"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
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

	callText = "Kommunen søker med én søknad som viser kommunens innovasjonsarbeid, med inntil tre eksempler (prosjekter). " +
		"Fortell hvilken utfordring arbeidet svarte på – en brennende plattform, en kjent floke med ukjent løsning eller behovet for å fornye seg – " +
		"og vis resultatene i tall der dere har dem. Juryen nominerer tre finalister i april, og vinneren kåres under Arendalskonferansen i juni. " +
		"Alle søknader publiseres etter at prisen er delt ut, slik at andre kan lære av dem."
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

// pastCycle is a published year of the award with its nominations. Times
// are Europe/Oslo wall-clock times, "2017-03-01 23:59".
type pastCycle struct {
	year                                   int
	description                            string
	callOpens, deadline, scoring, announce string
	nominations                            []pastNomination
}

// pastNomination is one entry of a past year. Number is the nominee's
// kommunenummer at the time: the organisation is looked up as it was
// then, under its name of the time.
type pastNomination struct {
	number, title, summary, challenge, status, reason string
	contactName, contactEmail, submitted              string
	projects                                          []pastProject
}

type pastProject struct {
	title, description, results, partners string
	start, end                            string
	measures                              []measure
}

type measure struct {
	label string
	value float64
}

// history holds the published years. The winners' and finalists' facts
// come from the ministry's and the municipalities' own accounts (see
// shared/seeds); the other applicants and the finalists' projects are made
// up for the demo, so that the admin's list, filters and search have
// something to show.
var history = []pastCycle{
	{
		year: 2017,
		description: "Innovasjonsprisen 2017 ble delt ut under Arendalskonferansen torsdag 15. juni 2017. Asker kommune vant med Holmen svømmehall, " +
			"Asker velferdslab og Løsningsjakten på Borgen. Horten og Oppegård var de andre finalistene.",
		callOpens: "2017-01-09 09:00", deadline: "2017-03-01 23:59", scoring: "2017-04-20 16:00", announce: "2017-06-15 12:00",
		nominations: []pastNomination{
			{number: "0220", status: "submitted", challenge: "renewal", submitted: "2017-02-27 14:12",
				contactName: "Kari Asker", contactEmail: "kari@asker.kommune.no",
				title: "Mulighetenes kommune – innovasjon i hele Asker",
				summary: "Asker kommune jobber systematisk med innovasjon etter strategien «Blikk for muligheter», som kommunestyret vedtok i 2015. " +
					"Stikkordene er nytt, nyttig og nyttiggjort. Innovasjon er en del av ledertreningen, opplæringen av nyansatte og hverdagen i virksomhetene, " +
					"og Kunnskapssenteret er en arena for å dele og utvikle nye ideer og arbeidsformer. Søknaden viser tre eksempler: et energieffektivt svømmeanlegg, " +
					"en velferdslab der innbyggeren står i sentrum, og en ny måte å drive medvirkning og samskaping i et nærmiljø.",
				projects: []pastProject{
					{title: "Holmen svømmehall", end: "2017-06-25", partners: "FutureBuilt",
						description: "Holmen svømmehall er Norges mest energieffektive svømmehall. Det er høy grad av innovasjon både i anskaffelsesprosessen og i valget av tekniske løsninger. " +
							"Løsningene kan overføres til andre bygg og setter en ny standard for svømmehaller i Norge.",
						results: "Svømmehallen er et forbildeprosjekt i FutureBuilt-programmet for klimavennlig bymiljø og arkitektur. Den har solceller på deler av tak og vegg, " +
							"solfangere på parkeringsområdet og energibrønner, og de tekniske anleggene har energibesparende løsninger. Hallen åpnet 25. juni 2017."},
					{title: "Asker velferdslab", start: "2016-01-01",
						description: "Asker velferdslab setter innbyggeren i sentrum. Ansatte fra ulike virksomhetsområder og fagmiljøer møtes rundt bordet sammen med innbyggeren. " +
							"Sammen kartlegger de situasjonen til innbyggeren eller familien og lager en konkret plan med kortsiktige og langsiktige mål og tiltak. " +
							"De som sitter rundt bordet, har myndighet til å fatte beslutninger i møtet.",
						results: "Alle relevante tjenester i kommunen og eksterne samarbeidspartnere investerer på denne måten i innbyggerens muligheter, med mål om bedre levekår og livskvalitet. " +
							"Investeringen følges gjennom en ny form for rapportering av konkrete, oppnådde resultater. Det siste året er velferdslaben prøvd ut i en pilot med om lag 15 familier og innbyggere.",
						measures: []measure{{"familier i piloten", 15}}},
					{title: "Løsningsjakten på Borgen", start: "2016-01-01",
						description: "Med Løsningsjakten har Asker kommune utviklet og prøvd ut nye metoder for medvirkning og samskaping, og en ny måte å jobbe med områderettet innsats " +
							"i samarbeid mellom kommunen og sivilsamfunnet – utenfor rammene av Husbankens områdeløftprogram. Mange ulike metoder og arenaer ble brukt for å mobilisere deltakere fra alle samfunnslag.",
						results: "Mer enn 50 møtepunkter ble gjennomført på Borgen, og til sammen 783 deltakere kom med 458 innspill. Løsningsjakten nådde flere enn de tradisjonelle " +
							"medvirkningsmetodene etter plan- og bygningsloven gjør, og kommunen har utviklet måter å jobbe tverrfaglig og tverrsektorielt på i egen organisasjon.",
						partners: "Innbyggere, lag og foreninger på Borgen",
						measures: []measure{{"møtepunkter", 50}, {"deltakere", 783}, {"innspill", 458}}},
				}},
			{number: "0701", status: "submitted", challenge: "renewal", submitted: "2017-02-28 11:05",
				contactName: "Ingrid Berg", contactEmail: "ingrid.berg@horten.kommune.example",
				title:   "Horten kommune – innovasjon på tvers",
				summary: "Horten kommune har bygget en kultur for å prøve ut nye løsninger sammen med innbyggere, næringsliv og frivillige, med ledere som gir rom for å prøve og feile.",
				projects: []pastProject{{title: "Tjenestedesign i hjemmetjenesten", start: "2016-03-01",
					description: "Ansatte og brukere har sammen kartlagt hverdagen i hjemmetjenesten og prøvd ut nye måter å organisere besøkene på."}}},
			{number: "0217", status: "submitted", challenge: "known_tangle", submitted: "2017-03-01 15:47",
				contactName: "Per Olsen", contactEmail: "per.olsen@oppegard.kommune.example",
				title:   "Oppegård kommune – fra idé til drift",
				summary: "Oppegård kommune gjør det lett for ansatte å foreslå og teste nye ideer, og har et innovasjonsnettverk på tvers av sektorene som tar de beste ideene fra forsøk til drift.",
				projects: []pastProject{{title: "Velferdsteknologi i hjemmet", start: "2015-09-01", end: "2017-02-01",
					description: "Digitale trygghetsalarmer og medisindispensere er tatt i bruk for hjemmeboende, i samarbeid med brukerne og de pårørende."}}},
			{number: "0219", status: "submitted", challenge: "renewal", submitted: "2017-02-24 09:30",
				contactName: "Hanne Lie", contactEmail: "hanne.lie@baerum.kommune.example",
				title:   "Bærum kommune – samskaping med frivillige",
				summary: "Bærum kommune utvikler nye aktiviteter og tjenester sammen med frivillige, lag og foreninger.",
				projects: []pastProject{{title: "Aktive eldre i nærmiljøet",
					description: "Frivillige, lag og foreninger og kommunen har sammen utviklet nye aktiviteter for eldre i nærmiljøet."}}},
			{number: "1201", status: "submitted", challenge: "known_tangle", submitted: "2017-03-01 22:10",
				contactName: "Ola Nilsen", contactEmail: "ola.nilsen@bergen.kommune.example",
				title:   "Bergen kommune – smartere vann og avløp",
				summary: "Bergen kommune bruker sensorer og data for å finne lekkasjer i vann- og avløpsnettet tidligere.",
				projects: []pastProject{{title: "Sensorer i vann- og avløpsnettet", start: "2016-05-01",
					description: "Sensorer i ledningsnettet varsler lekkasjer før de blir store, slik at de kan utbedres før de skader."}}},
			{number: "1102", status: "ineligible", challenge: "renewal", submitted: "2017-02-20 13:00",
				reason:      "Søknaden beskriver en løsning som ennå ikke er tatt i bruk. Kriteriene krever at løsningen er i drift.",
				contactName: "Siri Haugland", contactEmail: "siri.haugland@sandnes.kommune.example",
				title:   "Sandnes kommune – digital byggesak",
				summary: "Sandnes kommune utvikler en ny løsning for byggesøknader på nett.",
				projects: []pastProject{{title: "Digital byggesak",
					description: "En ny løsning der innbyggere og næringsliv kan sende byggesøknader og følge saken på nett."}}},
			{number: "0602", status: "draft", challenge: "",
				contactName: "Tone Dahl", contactEmail: "tone.dahl@drammen.kommune.example",
				title: "Drammen kommune – innbyggerdialog"},
		},
	},
	{
		year: 2018,
		description: "Innovasjonsprisen 2018 gikk til Træna kommune for «Tenk Træna». Sola og Sarpsborg var de andre finalistene. " +
			"Prisen ble delt ut under Arendalskonferansen i juni 2018.",
		callOpens: "2018-01-08 09:00", deadline: "2018-03-01 23:59", scoring: "2018-04-19 16:00", announce: "2018-06-14 12:00",
		nominations: []pastNomination{
			{number: "1835", status: "submitted", challenge: "burning_platform", submitted: "2018-02-26 10:41",
				contactName: "Tore Træna", contactEmail: "tore@traena.kommune.no",
				title: "Tenk Træna",
				summary: "I 2014 sto Træna overfor en mulig krise da hjørnesteinsbedriften var truet av nedleggelse. Kommunen ville jobbe langsiktig og i forkant for å unngå å bli en omstillingskommune. " +
					"Kommunen, lokalsamfunnet og næringslivet hever sammen blikket og jobber strategisk med utvikling og innovasjon. " +
					"Sammen snudde de negative holdninger og krisemaksimering, og gikk fra å snakke om «Redd Træna» til «Tenk Træna».",
				projects: []pastProject{{title: "Tenk Træna", start: "2014-01-01",
					description: "«Tenk Træna» ble parolen som samler aktører til å tenke og gjøre tiltak som kan lede til næringslivsutvikling, kulturutvikling, reiseliv og et bedre lokalsamfunn.",
					results:     "Utviklingsarbeidet har gitt nye arbeidsplasser og tilflytting. Det har også gitt Træna et positivt omdømme og økt bolysten i befolkningen.",
					partners:    "Lokalsamfunnet og næringslivet på Træna"}}},
			{number: "1124", status: "submitted", challenge: "renewal", submitted: "2018-02-28 16:20",
				contactName: "Marit Sola", contactEmail: "marit@sola.kommune.example",
				title: "Sola bygger innovasjonskultur",
				summary: "Sola kommune har måttet tilpasse seg reduserte inntekter og sto overfor et veiskille: gradvis nedbygging av velferden, eller at kommunen sammen med innbyggerne " +
					"forbedrer velferden til tross for strammere økonomiske rammer. Sola valgte å se velferden som en felles oppgave, og satser langsiktig på å bygge innovasjonskultur.",
				projects: []pastProject{{title: "Velferd som felles oppgave",
					description: "Sola tenker innovasjon bredt og helhetlig i flere sektorer og utvikler nye tjenester sammen med innbyggerne.",
					results:     "Arbeidet gir stadig bedre tjenester."}}},
			{number: "0105", status: "submitted", challenge: "known_tangle", submitted: "2018-03-01 12:02",
				contactName: "Lars Sarpsborg", contactEmail: "lars@sarpsborg.kommune.example",
				title: "Sammen skaper vi Sarpsborg",
				summary: "Sarpsborg har som motto «Sammen skaper vi Sarpsborg» og involverer innbyggerne bredt. Kommunen har gjort omfattende organisatoriske tiltak for å bedre sin innovasjonsevne: " +
					"ansvaret for utviklings- og innovasjonsoppgaver er lagt til det nivået der tjenestene utføres. Kommunen ser tjenestene helhetlig, ikke minst på det boligsosiale området.",
				projects: []pastProject{
					{title: "Innbyggerne gir poeng",
						description: "Som første kommune i Norge har Sarpsborg innført et system der innbyggerne gir poeng direkte til en rekke kommunale tjenester, " +
							"slik at det blir lettere å gi tilbakemeldinger og tjenestene hele tiden kan utvikles."},
					{title: "Fra bostedsløs til egen bolig", start: "2013-01-01",
						description: "Sarpsborg har knyttet de boligsosiale tjenestene sammen med kommunens øvrige tjenester, jobbet med holdninger i møte med vanskeligstilte " +
							"og tatt utgangspunkt i ressursene og potensialet hos den enkelte.",
						results:  "Antallet bostedsløse er redusert fra 186 i 2013 til null.",
						measures: []measure{{"bostedsløse i 2013", 186}, {"bostedsløse i 2018", 0}}},
				}},
			{number: "5001", status: "submitted", challenge: "renewal", submitted: "2018-02-27 08:55",
				contactName: "Kjersti Moe", contactEmail: "kjersti.moe@trondheim.kommune.example",
				title:   "Trondheim kommune – velferdsteknologi i omsorgen",
				summary: "Trondheim kommune tar i bruk velferdsteknologi i omsorgstjenestene i stor skala, sammen med brukerne.",
				projects: []pastProject{{title: "Digitalt tilsyn", start: "2017-01-01",
					description: "Digitalt tilsyn om natten gir brukerne bedre søvn og de ansatte mer tid til dem som trenger besøk."}}},
			{number: "1001", status: "submitted", challenge: "known_tangle", submitted: "2018-02-28 19:31",
				contactName: "Eirik Lund", contactEmail: "eirik.lund@kristiansand.kommune.example",
				title:   "Kristiansand kommune – samskaping i nærmiljøene",
				summary: "Kristiansand kommune utvikler nærmiljøene sammen med innbyggerne, frivillige og næringslivet.",
				projects: []pastProject{{title: "Nærmiljøløftet",
					description: "Innbyggere, frivillige og kommunen har sammen planlagt og bygget nye møteplasser i nærmiljøene."}}},
			{number: "1504", status: "withdrawn", challenge: "renewal", submitted: "2018-02-15 10:00",
				contactName: "Randi Aas", contactEmail: "randi.aas@alesund.kommune.example",
				title:   "Ålesund kommune – digitale innbyggertjenester",
				summary: "Ålesund kommune gjør flere tjenester tilgjengelige på nett.",
				projects: []pastProject{{title: "Min side",
					description: "En samlet side på nett der innbyggerne finner sine saker og avtaler med kommunen."}}},
		},
	},
}

// osloTime reads a wall-clock time in Europe/Oslo.
func osloTime(s string) (time.Time, error) {
	return time.ParseInLocation("2006-01-02 15:04", s, i18n.Oslo())
}

// nullTime is s as an Oslo time, or nil when s is empty.
func nullTime(s string) (any, error) {
	if s == "" {
		return nil, nil
	}
	return osloTime(s)
}

// nullDate is s as a date, or nil when s is empty.
func nullDate(s string) any {
	if s == "" {
		return nil
	}
	return s
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

// loadHistory writes the published years of the award with their
// nominations, nominees as they were then, projects and measured results.
// A year that already has nominations is left as it is.
func loadHistory(ctx context.Context, tx bun.Tx, award int64) error {
	for _, y := range history {
		opens, err := osloTime(y.callOpens)
		if err != nil {
			return err
		}
		deadline, err := osloTime(y.deadline)
		if err != nil {
			return err
		}
		scoring, err := osloTime(y.scoring)
		if err != nil {
			return err
		}
		announce, err := osloTime(y.announce)
		if err != nil {
			return err
		}
		var cycle struct {
			ID          int64 `bun:"id"`
			Nominations int   `bun:"nominations"`
		}
		err = tx.NewRaw(`
			INSERT INTO cycles (award_id, year, title, phase, description, call_text, publish_all,
				call_opens_at, nomination_deadline, scoring_deadline, announcement_at)
			VALUES (?, ?, ?, 'published', ?, ?, true, ?, ?, ?, ?)
			ON CONFLICT (award_id, year) DO UPDATE SET title = EXCLUDED.title
			RETURNING id, (SELECT count(*) FROM nominations WHERE cycle_id = cycles.id) AS nominations`,
			award, y.year, fmt.Sprintf("Innovasjonsprisen %d", y.year), y.description, callText,
			opens, deadline, scoring, announce).Scan(ctx, &cycle)
		if err != nil {
			return fmt.Errorf("demo cycle %d: %w", y.year, err)
		}
		if err := addCriteria(ctx, tx, cycle.ID); err != nil {
			return err
		}
		if cycle.Nominations > 0 {
			continue
		}
		for _, n := range y.nominations {
			if err := loadNomination(ctx, tx, cycle.ID, announce, n); err != nil {
				return fmt.Errorf("demo nomination %s %d: %w", n.number, y.year, err)
			}
		}
	}
	return nil
}

// loadNomination writes one past nomination. Its nominee is the
// municipality with the number as it was at the announcement: a former
// municipality keeps its name of the time.
func loadNomination(ctx context.Context, tx bun.Tx, cycle int64, at time.Time, n pastNomination) error {
	var org int64
	err := tx.NewRaw(`
		SELECT id FROM organisations
		WHERE kind = 'municipality' AND number = ?
			AND coalesce(valid_from, '-infinity') <= ?::date AND coalesce(valid_to, 'infinity') > ?::date
		ORDER BY valid_to NULLS LAST LIMIT 1`, n.number, at, at).Scan(ctx, &org)
	if err != nil {
		return fmt.Errorf("municipality %s as of %s (import the municipalities first): %w", n.number, at.Format(time.DateOnly), err)
	}
	submitted, err := nullTime(n.submitted)
	if err != nil {
		return err
	}
	var id int64
	err = tx.NewRaw(`
		INSERT INTO nominations (cycle_id, title, summary, challenge, contact_name, contact_email, status, ineligible_reason, submitted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		cycle, n.title, n.summary, n.challenge, n.contactName, n.contactEmail, n.status, n.reason, submitted).Scan(ctx, &id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?)`, id, org); err != nil {
		return err
	}
	for i, p := range n.projects {
		var project int64
		err := tx.NewRaw(`
			INSERT INTO projects (organisation_id, title, description, results, partners, period_start, period_end, links)
			VALUES (?, ?, ?, ?, ?, ?::date, ?::date, ?) RETURNING id`,
			org, p.title, p.description, p.results, p.partners, nullDate(p.start), nullDate(p.end), pgdialect.Array([]string{})).Scan(ctx, &project)
		if err != nil {
			return fmt.Errorf("project %s: %w", p.title, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO nomination_projects (nomination_id, project_id, position) VALUES (?, ?, ?)`,
			id, project, i); err != nil {
			return err
		}
		for j, m := range p.measures {
			if _, err := tx.ExecContext(ctx, `INSERT INTO project_results (project_id, label, value, position) VALUES (?, ?, ?, ?)`,
				project, m.label, m.value, j); err != nil {
				return fmt.Errorf("measure %s: %w", m.label, err)
			}
		}
	}
	return nil
}
