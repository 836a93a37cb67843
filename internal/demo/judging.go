package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/i18n"
	"github.com/uptrace/bun"
)

// The demo prize is made up, so that every role has work to see as soon
// as `make dev` starts: this year's cycle is in judging, with scores, and
// last year's is decided, its winners' announcement scheduled. Nothing of
// it is ever published; the nominations are invented, under municipalities'
// names, only in these unpublished cycles.
const (
	DemoPrizeSlug = "demoprisen"
	demoPrizeNB   = "Demoprisen for tjenesteinnovasjon"
	demoPrizeNN   = "Demoprisen for tenesteinnovasjon"
	demoPrizeEN   = "Demo award for service innovation"
	demoAboutNB   = "En oppdiktet pris i Heders demo. Nominasjonene her er laget for å vise juryens arbeid og kunngjøringen; ingenting av det er virkelig, og ingenting blir publisert."
	demoAboutNN   = "Ein oppdikta pris i demoen til Heder. Nominasjonane her er laga for å vise arbeidet til juryen og kunngjeringa; ingenting av det er verkeleg, og ingenting blir publisert."
	demoAboutEN   = "A made-up award in Heder's demo. Its nominations show the jury's work and the announcement; none of it is real, and nothing of it is published."
)

// demoEntry is an invented nomination of the demo prize, by the current
// name of its nominee municipality.
type demoEntry struct{ municipality, title, summary string }

var judgingEntries = []demoEntry{
	{"Bodø", "Felles vaktsentral for hjemmetjenesten", "Demo: én vaktsentral tar imot alle varsler fra trygghetsalarmer og sensorer, og sender riktig hjelp."},
	{"Lillestrøm", "Digital innbyggerdialog", "Demo: innbyggerne svarer på korte spørsmål i appen før kommunen bestemmer seg."},
	{"Kristiansand", "Sirkulær byggeplass", "Demo: materialer fra revne bygg brukes på nytt i kommunens egne byggeprosjekter."},
	{"Tromsø", "Helsestasjon for ungdom på nett", "Demo: ungdom chatter anonymt med helsesykepleier på kvelden."},
}

var decidedEntries = []demoEntry{
	{"Drammen", "Lesehjelp i biblioteket", "Demo: frivillige leser med barn som trenger det, i alle bibliotekfilialene."},
	{"Stavanger", "Smart vintervedlikehold", "Demo: sensorer i veibanen sier når og hvor det må strøs."},
	{"Ålesund", "Sammen om tidlig innsats", "Demo: barnehage, skole og helsestasjon deler ett team for de minste."},
}

// loadDemoPrize writes the demo prize with its judging and decided cycles
// for the ministry (owner) and the demo's jurors. Loading again leaves what
// is there and moves the dates along with now.
func loadDemoPrize(ctx context.Context, tx bun.Tx, ministry int64, issuer string, now time.Time) error {
	var award int64
	err := tx.NewRaw(`
		INSERT INTO awards (slug, name_nb, name_nn, name_en, description, description_nn, description_en, owner_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET name_nb = EXCLUDED.name_nb RETURNING id`,
		DemoPrizeSlug, demoPrizeNB, demoPrizeNN, demoPrizeEN, demoAboutNB, demoAboutNN, demoAboutEN, ministry).Scan(ctx, &award)
	if err != nil {
		return fmt.Errorf("demo prize: %w", err)
	}
	d := now.In(i18n.Oslo())
	day := func(days int) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day()+days, 16, 0, 0, 0, i18n.Oslo())
	}
	// Judging: the call closed two weeks ago, the scores are due in two.
	judging, err := demoCycle(ctx, tx, award, now.Year(), "judging", day(-60), day(-14), day(14), day(60))
	if err != nil {
		return err
	}
	if err := demoRounds(ctx, tx, judging); err != nil {
		return err
	}
	// Decided: the jury has chosen, the winners go out in six weeks.
	decided, err := demoCycle(ctx, tx, award, now.Year()-1, "decided", day(-400), day(-340), day(-300), day(42))
	if err != nil {
		return err
	}
	judgingNoms, err := demoNominations(ctx, tx, judging, judgingEntries)
	if err != nil {
		return err
	}
	decidedNoms, err := demoNominations(ctx, tx, decided, decidedEntries)
	if err != nil {
		return err
	}
	if err := demoScores(ctx, tx, judging, issuer, judgingNoms); err != nil {
		return err
	}
	return demoDecision(ctx, tx, decided, decidedNoms, day(42))
}

func demoCycle(ctx context.Context, tx bun.Tx, award int64, year int, phase string, opens, deadline, scoring, announce time.Time) (int64, error) {
	var id int64
	err := tx.NewRaw(`
		INSERT INTO cycles (award_id, year, title, phase, description, description_nn, description_en, call_text, call_text_nn, call_text_en,
			call_opens_at, nomination_deadline, scoring_deadline, announcement_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (award_id, year) DO UPDATE SET phase = EXCLUDED.phase, call_opens_at = EXCLUDED.call_opens_at,
			nomination_deadline = EXCLUDED.nomination_deadline, scoring_deadline = EXCLUDED.scoring_deadline,
			announcement_at = EXCLUDED.announcement_at
		RETURNING id`,
		award, year, fmt.Sprintf("Demoprisen %d", year), phase, demoAboutNB, demoAboutNN, demoAboutEN, demoAboutNB, demoAboutNN, demoAboutEN,
		opens, deadline, scoring, announce).Scan(ctx, &id)
	if err != nil {
		return 0, fmt.Errorf("demo prize %d: %w", year, err)
	}
	return id, addCriteria(ctx, tx, id)
}

// demoNominations writes the cycle's submitted nominations, once, and
// returns them in the order of entries.
func demoNominations(ctx context.Context, tx bun.Tx, cycle int64, entries []demoEntry) ([]int64, error) {
	var ids []int64
	if err := tx.NewRaw(`SELECT id FROM nominations WHERE cycle_id = ? ORDER BY id`, cycle).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("demo prize nominations: %w", err)
	}
	if len(ids) > 0 {
		return ids, nil
	}
	for _, e := range entries {
		var id int64
		err := tx.NewRaw(`
			WITH n AS (
				INSERT INTO nominations (cycle_id, title, summary, challenge, status, submitted_at)
				VALUES (?, ?, ?, 'renewal', 'submitted', (SELECT nomination_deadline - interval '2 days' FROM cycles WHERE id = ?))
				RETURNING id)
			INSERT INTO nomination_organisations (nomination_id, organisation_id)
			SELECT n.id, o.id FROM n, organisations o WHERE o.kind = 'municipality' AND o.name = ? AND o.valid_to IS NULL
			RETURNING nomination_id`, cycle, e.title, e.summary, cycle, e.municipality).Scan(ctx, &id)
		if err != nil {
			return nil, fmt.Errorf("demo nomination %s (%s): %w", e.title, e.municipality, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// demoScores seats the demo's jurors, declared, on the judging cycle:
// jury-chair and jury-2 have scored and submitted every nomination,
// jury-1 has a draft of the first one's scores and nothing else.
func demoScores(ctx context.Context, tx bun.Tx, cycle int64, issuer string, noms []int64) error {
	for _, u := range Users {
		if !u.Juror {
			continue
		}
		if u.Chair {
			// One chair: the demo's, also after a load for another issuer.
			if _, err := tx.ExecContext(ctx, `UPDATE jurors SET chair = false WHERE cycle_id = ? AND chair
				AND user_id <> (SELECT id FROM users WHERE issuer = ? AND subject = ?)`, cycle, issuer, u.Username); err != nil {
				return fmt.Errorf("demo prize chair: %w", err)
			}
		}
		var juror int64
		err := tx.NewRaw(`
			INSERT INTO jurors (cycle_id, user_id, chair, declared_at)
			SELECT ?, id, ?, now() FROM users WHERE issuer = ? AND subject = ?
			ON CONFLICT (cycle_id, user_id) DO UPDATE SET chair = EXCLUDED.chair, removed_at = NULL RETURNING id`,
			cycle, u.Chair, issuer, u.Username).Scan(ctx, &juror)
		if err != nil {
			return fmt.Errorf("demo prize juror %s: %w", u.Username, err)
		}
		// Declared: no conflict with any nominee.
		if _, err := tx.ExecContext(ctx, `INSERT INTO conflict_reviews (juror_id, organisation_id)
			SELECT ?, x.organisation_id FROM nomination_organisations x JOIN nominations n ON n.id = x.nomination_id
			WHERE n.cycle_id = ? ON CONFLICT DO NOTHING`, juror, cycle); err != nil {
			return fmt.Errorf("demo prize declaration of %s: %w", u.Username, err)
		}
		var has bool
		if err := tx.NewRaw(`SELECT EXISTS (SELECT 1 FROM scores WHERE juror_id = ?)`, juror).Scan(ctx, &has); err != nil || has {
			return err
		}
		for i, n := range noms {
			if u.Username == "jury-1" && i > 0 {
				break
			}
			// Scores that differ by juror and nomination, 2–5.
			_, err := tx.ExecContext(ctx, `
				INSERT INTO scores (juror_id, nomination_id, criterion_id, value, comment)
				SELECT ?, ?, c.id, 2 + (c.position + ? + ?) % 4, CASE WHEN c.position = 1 THEN ? ELSE '' END
				FROM criteria c WHERE c.cycle_id = ? AND (? OR c.position <= 3)`,
				juror, n, i, len(u.Username), "Demo: en kort begrunnelse.", cycle, u.Username != "jury-1")
			if err != nil {
				return fmt.Errorf("demo scores of %s: %w", u.Username, err)
			}
			if u.Username != "jury-1" {
				if _, err := tx.ExecContext(ctx, `INSERT INTO score_submissions (juror_id, nomination_id) VALUES (?, ?)`, juror, n); err != nil {
					return fmt.Errorf("demo submission of %s: %w", u.Username, err)
				}
			}
		}
	}
	return nil
}

// demoDecision records the decided cycle's outcome, the first entry the
// winner, and schedules its winners' announcement at at.
func demoDecision(ctx context.Context, tx bun.Tx, cycle int64, noms []int64, at time.Time) error {
	for i, n := range noms {
		outcome, nb, nn, en := "finalist", "", "", ""
		if i == 0 {
			outcome = "winner"
			nb = "Demo: juryen ser et arbeid som er tatt i bruk i hele kommunen, og som andre kan lære av."
			nn = "Demo: juryen ser eit arbeid som er teke i bruk i heile kommunen, og som andre kan lære av."
			en = "Demo: the jury sees work that is in use across the municipality, and that others can learn from."
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb, statement_nn, statement_en)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (nomination_id) DO NOTHING`, n, cycle, outcome, nb, nn, en); err != nil {
			return fmt.Errorf("demo decision: %w", err)
		}
	}
	// Always ahead: loading the demo again moves a scheduled announcement
	// along, so these invented winners are never published.
	_, err := tx.ExecContext(ctx, `INSERT INTO announcements (cycle_id, kind, publish_at) VALUES (?, 'winners', ?)
		ON CONFLICT (cycle_id, kind) WHERE unpublished_at IS NULL DO UPDATE SET publish_at = EXCLUDED.publish_at`, cycle, at)
	if err != nil {
		return fmt.Errorf("demo announcement: %w", err)
	}
	return nil
}
