package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Kommuneinkubatoren 2021, a programme, with the facts of its seed text
// (shared/seeds/002): who ran it, who took part and what each worked on,
// in the seed's words. Nothing here is invented: no dates but the year,
// no numbers, no people, no organisation numbers.
const (
	programmeSlug = "kommuneinkubatoren"
	programmeName = "Kommuneinkubatoren"
	programmeYear = 2021

	programmeDescription = "En inkubator er på godt norsk en rugekasse og brukes ofte om en arena eller et program som skal bidra til at " +
		"noe nytt klekkes, og vokser fram – i dette tilfelle nye løsninger på til dels kjente komplekse utfordringer. " +
		"Kommuneinkubatoren er utviklet og nå testet av SoCentral, i samarbeid med Lent."

	programmeCycleDescription = "Kommunene har deltatt med hvert sitt lokale team på tvers av sektor/fag/nivå. Teamene har jobbet med egne " +
		"innovasjonsutfordringer i et 10 måneders inkubatorprogram hvor de har støttet hverandre i å eksperimentere fram løsninger, " +
		"lære og endre – på tvers av kommunegrenser og faglige barrierer.\n\n" +
		"SoCentral og Lent starter opp neste inkubatorprogram i starten av 2022."

	// programmeAsOf is the day the participating municipalities are looked
	// up as they were (Asker was 3025 in 2021).
	programmeAsOf = "2021-12-31"
)

// Organisations of the programme that are not in SSB's lists. The seed
// does not say what kind of body SoCentral is, so it is "other".
const (
	orgSoCentral   = "SoCentral"
	orgBygda       = "Bygda 2.0 AS"
	orgNordreAker  = "Bydel Nordre Aker"
	numberOslo     = "0301"
	numberAsker    = "3025" // Asker as it was in 2021
	numberMeloy    = "1837"
	numberTrondhem = "5001"
	numberAfjord   = "5058"
)

// participant is one participation in the programme: its organisations
// (municipalities by number as of programmeAsOf, others by name) and its
// project, owned by the first organisation.
type participant struct {
	numbers  []string
	others   []string
	title    string
	summary  string
	project  string
	partners string
}

// programmeParticipants are the seed's four teams with their projects,
// each described by the seed's own sentence.
var programmeParticipants = []participant{
	{others: []string{orgNordreAker}, title: "Trehuset på Tåsen", project: "Trehuset på Tåsen",
		summary: "Bydel Nordre Aker har utviklet «Trehuset på Tåsen» en ny tjeneste til mennesker med nedsatt funksjonsevne som skal flytte fra barndomshjem til eget hjem."},
	{numbers: []string{numberAsker}, title: "«Kraftpakke» for innbyggerinvolvering", project: KraftpakkeTitle,
		summary: "Asker kommune er god i gang med utvikling og testing av en «kraftpakke» for innbyggerinvolvering."},
	{numbers: []string{numberMeloy}, title: "Ny tilnærming til utformingen av oppvekstplanen", project: "Ny tilnærming til utformingen av oppvekstplanen",
		summary: "Meløy kommune har en ny tilnærming til utformingen av sin oppvekstplan. De involverer nå næringsliv, sivilsamfunn og kommunen i hele sin bredde."},
	{numbers: []string{numberTrondhem, numberAfjord}, others: []string{orgBygda}, title: "Bylandet", project: "Bylandet",
		partners: "Åfjord kommune, Bygda 2.0 AS",
		summary:  "Trondheim/Åfjord med Bygda 2.0 utvikler «Bylandet» som har en ambisjon om å utvikle en ny nasjonal politikk for økt samspill mellom by og land."},
}

// KraftpakkeTitle is the title of Asker's project in Kommuneinkubatoren
// 2021, which the demo links into Asker's draft in the open cycle.
const KraftpakkeTitle = "«Kraftpakke» for innbyggerinvolvering"

// ensureOrg returns the ID of the current organisation of kind with name,
// creating it (under parent, when not 0) if it is not there.
func ensureOrg(ctx context.Context, tx bun.Tx, kind, name string, parent int64) (int64, error) {
	var id int64
	err := tx.NewRaw(`SELECT id FROM organisations WHERE kind = ? AND name = ? AND valid_to IS NULL ORDER BY id LIMIT 1`, kind, name).Scan(ctx, &id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	err = tx.NewRaw(`INSERT INTO organisations (kind, name, parent_id) VALUES (?, ?, NULLIF(?, 0)) RETURNING id`, kind, name, parent).Scan(ctx, &id)
	return id, err
}

// municipalityAsOf returns the municipality with number as it was on day.
func municipalityAsOf(ctx context.Context, tx bun.Tx, number, day string) (int64, error) {
	var id int64
	err := tx.NewRaw(`
		SELECT id FROM organisations
		WHERE kind = 'municipality' AND number = ?
			AND coalesce(valid_from, '-infinity') <= ?::date AND coalesce(valid_to, 'infinity') > ?::date
		ORDER BY valid_to NULLS LAST LIMIT 1`, number, day, day).Scan(ctx, &id)
	if err != nil {
		return 0, fmt.Errorf("municipality %s as of %s (import the municipalities first): %w", number, day, err)
	}
	return id, nil
}

// loadProgramme writes Kommuneinkubatoren with its 2021 cohort, published.
// A cohort already there is left as it is.
func loadProgramme(ctx context.Context, tx bun.Tx) error {
	socentral, err := ensureOrg(ctx, tx, "other", orgSoCentral, 0)
	if err != nil {
		return fmt.Errorf("demo programme organiser: %w", err)
	}
	var oslo int64
	if err := tx.NewRaw(`SELECT id FROM organisations WHERE kind = 'municipality' AND number = ? AND valid_to IS NULL`, numberOslo).Scan(ctx, &oslo); err != nil {
		return fmt.Errorf("demo programme: Oslo (import the municipalities first): %w", err)
	}
	others := map[string]int64{}
	if others[orgNordreAker], err = ensureOrg(ctx, tx, "city_district", orgNordreAker, oslo); err != nil {
		return fmt.Errorf("demo programme: %s: %w", orgNordreAker, err)
	}
	if others[orgBygda], err = ensureOrg(ctx, tx, "company", orgBygda, 0); err != nil {
		return fmt.Errorf("demo programme: %s: %w", orgBygda, err)
	}
	if err := ensureOwner(ctx, tx, socentral); err != nil {
		return err
	}
	var award int64
	err = tx.NewRaw(`
		INSERT INTO awards (slug, name_nb, description, owner_id, kind) VALUES (?, ?, ?, ?, 'programme')
		ON CONFLICT (slug) DO UPDATE SET name_nb = EXCLUDED.name_nb RETURNING id`,
		programmeSlug, programmeName, programmeDescription, socentral).Scan(ctx, &award)
	if err != nil {
		return fmt.Errorf("demo programme: %w", err)
	}
	// The cohort became public in Heder when the demo was first loaded:
	// the seed gives no date, and published_at stays as it was on a
	// second load.
	var cycle struct {
		ID           int64 `bun:"id"`
		Participants int   `bun:"participants"`
	}
	err = tx.NewRaw(`
		INSERT INTO cycles (award_id, year, title, phase, description, published_at)
		VALUES (?, ?, ?, 'published', ?, now())
		ON CONFLICT (award_id, year) DO UPDATE SET title = EXCLUDED.title
		RETURNING id, (SELECT count(*) FROM nominations WHERE cycle_id = cycles.id) AS participants`,
		award, programmeYear, fmt.Sprintf("%s %d", programmeName, programmeYear), programmeCycleDescription).Scan(ctx, &cycle)
	if err != nil {
		return fmt.Errorf("demo programme cycle: %w", err)
	}
	if cycle.Participants > 0 {
		return nil
	}
	for _, p := range programmeParticipants {
		if err := loadParticipant(ctx, tx, cycle.ID, p, others); err != nil {
			return fmt.Errorf("demo participant %s: %w", p.title, err)
		}
	}
	return nil
}

// loadParticipant writes one participation: a submitted nomination with
// its organisations and its project.
func loadParticipant(ctx context.Context, tx bun.Tx, cycle int64, p participant, others map[string]int64) error {
	var orgIDs []int64
	for _, n := range p.numbers {
		id, err := municipalityAsOf(ctx, tx, n, programmeAsOf)
		if err != nil {
			return err
		}
		orgIDs = append(orgIDs, id)
	}
	for _, name := range p.others {
		orgIDs = append(orgIDs, others[name])
	}
	var id int64
	if err := tx.NewRaw(`INSERT INTO nominations (cycle_id, title, summary, status) VALUES (?, ?, ?, 'submitted') RETURNING id`,
		cycle, p.title, p.summary).Scan(ctx, &id); err != nil {
		return err
	}
	// The first organisation leads a joint participation.
	for i, org := range orgIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO nomination_organisations (nomination_id, organisation_id, lead) VALUES (?, ?, ?)`,
			id, org, i == 0); err != nil {
			return err
		}
	}
	var project int64
	if err := tx.NewRaw(`INSERT INTO projects (organisation_id, title, description, partners, links) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		orgIDs[0], p.project, p.summary, p.partners, pgdialect.Array([]string{})).Scan(ctx, &project); err != nil {
		return fmt.Errorf("project %s: %w", p.project, err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO nomination_projects (nomination_id, project_id, position) VALUES (?, ?, 0)`, id, project)
	return err
}

// linkKraftpakke gives Asker's demo submitter a draft in the open cycle
// with Asker's project from Kommuneinkubatoren 2021 linked: a programme's
// project reused in a prize's nomination. The draft is a demo invention,
// in a cycle that is never published. Left alone when Asker already has a
// nomination there.
func linkKraftpakke(ctx context.Context, tx bun.Tx, cycle, user int64, name, email string) error {
	var asker int64
	if err := tx.NewRaw(`SELECT id FROM organisations WHERE kind = 'municipality' AND number = '3203' AND valid_to IS NULL`).Scan(ctx, &asker); err != nil {
		return fmt.Errorf("demo draft: Asker: %w", err)
	}
	var has bool
	if err := tx.NewRaw(`SELECT EXISTS (SELECT 1 FROM nominations n JOIN nomination_organisations x ON x.nomination_id = n.id
		WHERE n.cycle_id = ? AND x.organisation_id = ?)`, cycle, asker).Scan(ctx, &has); err != nil {
		return fmt.Errorf("demo draft: %w", err)
	}
	if has {
		return nil
	}
	var project int64
	err := tx.NewRaw(`SELECT p.id FROM projects p JOIN nomination_projects np ON np.project_id = p.id
		JOIN nominations n ON n.id = np.nomination_id JOIN cycles c ON c.id = n.cycle_id JOIN awards a ON a.id = c.award_id
		WHERE a.slug = ? AND c.year = ? AND p.title = ?`, programmeSlug, programmeYear, KraftpakkeTitle).Scan(ctx, &project)
	if err != nil {
		return fmt.Errorf("demo draft: the kraftpakke project: %w", err)
	}
	var id int64
	if err := tx.NewRaw(`INSERT INTO nominations (cycle_id, title, contact_name, contact_email, status, created_by)
		VALUES (?, ?, ?, ?, 'draft', ?) RETURNING id`, cycle, KraftpakkeTitle, name, email, user).Scan(ctx, &id); err != nil {
		return fmt.Errorf("demo draft: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO nomination_organisations (nomination_id, organisation_id, lead) VALUES (?, ?, true)`, id, asker); err != nil {
		return fmt.Errorf("demo draft nominee: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO nomination_projects (nomination_id, project_id, position) VALUES (?, ?, 0)`, id, project); err != nil {
		return fmt.Errorf("demo draft project: %w", err)
	}
	return nil
}
