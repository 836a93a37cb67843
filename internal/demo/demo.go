package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/history"
	"github.com/uptrace/bun"
)

// User is a demo person; Username is also the OIDC subject.
type User struct {
	Username, Name, Email, Description string
	Admin                              bool
	// OwnerOf is the slug of an award whose owner the user administers.
	OwnerOf string
	// Org is the kommunenummer (or orgnr for non-municipalities) of the
	// organisation the user submits for.
	Org   string
	Juror bool
	Chair bool
}

// Users are the demo users, fixed points for scripts and tests.
var Users = []User{
	{Username: "admin", Name: "Astrid Admin", Email: "astrid.admin@kdd.dep.no", Description: "departementet, administrator", Admin: true, Org: "972417858"},
	{Username: "asker", Name: "Kari Asker", Email: "kari@asker.kommune.no", Description: "innsender, Asker kommune", Org: "3203"},
	{Username: "traena", Name: "Tore Træna", Email: "tore@traena.kommune.no", Description: "innsender, Træna kommune", Org: "1835"},
	{Username: "jury-chair", Name: "Jorunn Juryleder", Email: "jorunn@example.org", Description: "juryleder", Juror: true, Chair: true},
	{Username: "jury-1", Name: "Jon Jurymedlem", Email: "jon@example.org", Description: "jurymedlem", Juror: true},
	{Username: "jury-2", Name: "Jenny Jurymedlem", Email: "jenny@example.org", Description: "jurymedlem", Juror: true},
	{Username: "eier-kdd", Name: "Even Eier", Email: "even.eier@example.org", Description: "administrator for departementets priser", OwnerOf: "kommunal-innovasjonspris"},
	{Username: "eier-socentral", Name: "Siri Sosial", Email: "siri.sosial@example.org", Description: "administrator for SoCentrals program", OwnerOf: programmeSlug},
}

// Load writes the demo data for issuer (the development provider) in one
// transaction. It can run again on the same database.
func Load(ctx context.Context, db bun.IDB, issuer string, now time.Time) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var ministry int64
		err := tx.NewRaw(`
			INSERT INTO organisations (kind, name, orgnr) VALUES ('ministry', 'Kommunal- og distriktsdepartementet', '972417858')
			ON CONFLICT (orgnr) WHERE orgnr IS NOT NULL DO UPDATE SET name = EXCLUDED.name RETURNING id`).Scan(ctx, &ministry)
		if err != nil {
			return fmt.Errorf("demo ministry: %w", err)
		}
		for number, domain := range map[string]string{"3203": "asker.kommune.no", "1835": "traena.kommune.no"} {
			if _, err := tx.ExecContext(ctx, `UPDATE organisations SET email_domain = ? WHERE kind = 'municipality' AND number = ? AND valid_to IS NULL`, domain, number); err != nil {
				return fmt.Errorf("demo e-mail domain: %w", err)
			}
		}
		if err := ensureOwner(ctx, tx, ministry); err != nil {
			return err
		}
		var award int64
		err = tx.NewRaw(`
			INSERT INTO awards (slug, name_nb, name_nn, name_en, description, description_nn, description_en, owner_id)
			VALUES ('kommunal-innovasjonspris', 'Kommunal innovasjonspris', 'Kommunal innovasjonspris', 'Municipal innovation award', ?, ?, ?, ?)
			ON CONFLICT (slug) DO UPDATE SET name_nb = EXCLUDED.name_nb RETURNING id`,
			awardDescriptionNB, awardDescriptionNN, awardDescriptionEN, ministry).Scan(ctx, &award)
		if err != nil {
			return fmt.Errorf("demo award: %w", err)
		}
		// The published years are the real award's, as its sources tell
		// them; nothing is made up under a real name there.
		record, err := history.Innovasjonsprisen()
		if err != nil {
			return err
		}
		if _, err := history.Import(ctx, tx, record); err != nil {
			return err
		}
		if err := loadProgramme(ctx, tx); err != nil {
			return err
		}
		// The current year's call is open, its deadline a few weeks ahead
		// whenever the demo is loaded (again). Like the past years, it
		// publishes every nomination, as its call text says.
		year := now.Year()
		opens, deadline, scoring, announce := currentDates(now)
		var cycle int64
		err = tx.NewRaw(`
			INSERT INTO cycles (award_id, year, title, phase, description, description_nn, description_en, call_text,
				call_text_nn, call_text_en, publish_all, call_opens_at, nomination_deadline, scoring_deadline, announcement_at)
			VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, true, ?, ?, ?, ?)
			ON CONFLICT (award_id, year) DO UPDATE SET title = EXCLUDED.title, publish_all = EXCLUDED.publish_all, call_opens_at = EXCLUDED.call_opens_at,
				nomination_deadline = EXCLUDED.nomination_deadline, scoring_deadline = EXCLUDED.scoring_deadline,
				announcement_at = EXCLUDED.announcement_at
			RETURNING id`,
			award, year, fmt.Sprintf("Innovasjonsprisen %d", year), fmt.Sprintf("Kommunal innovasjonspris for %d.", year),
			fmt.Sprintf("Kommunal innovasjonspris for %d.", year), fmt.Sprintf("Municipal innovation award for %d.", year),
			callText, callTextNN, callTextEN, opens, deadline, scoring, announce).Scan(ctx, &cycle)
		if err != nil {
			return fmt.Errorf("demo cycle: %w", err)
		}
		if err := addCriteria(ctx, tx, cycle); err != nil {
			return err
		}
		for _, u := range Users {
			var id int64
			err := tx.NewRaw(`
				INSERT INTO users (issuer, subject, name, email, email_verified, is_admin) VALUES (?, ?, ?, ?, true, ?)
				ON CONFLICT (issuer, subject) DO UPDATE SET name = EXCLUDED.name, is_admin = EXCLUDED.is_admin RETURNING id`,
				issuer, u.Username, u.Name, u.Email, u.Admin).Scan(ctx, &id)
			if err != nil {
				return fmt.Errorf("demo user %s: %w", u.Username, err)
			}
			if u.Org != "" {
				_, err := tx.ExecContext(ctx, `
					INSERT INTO memberships (user_id, organisation_id, role, source)
					SELECT ?, id, 'submitter', 'demo' FROM organisations WHERE valid_to IS NULL AND (orgnr = ? OR (kind = 'municipality' AND number = ?))
					ON CONFLICT DO NOTHING`, id, u.Org, u.Org)
				if err != nil {
					return fmt.Errorf("demo membership %s: %w", u.Username, err)
				}
			}
			if u.OwnerOf != "" {
				_, err := tx.ExecContext(ctx, `INSERT INTO owner_admins (owner_id, user_id)
					SELECT owner_id, ? FROM awards WHERE slug = ? ON CONFLICT DO NOTHING`, id, u.OwnerOf)
				if err != nil {
					return fmt.Errorf("demo owner admin %s: %w", u.Username, err)
				}
			}
			if u.Chair {
				// A cycle has one chair: the demo's, also when an earlier
				// run (another issuer, so other users) named its own.
				if _, err := tx.ExecContext(ctx, `UPDATE jurors SET chair = false WHERE cycle_id = ? AND chair AND user_id <> ?`, cycle, id); err != nil {
					return fmt.Errorf("demo chair: %w", err)
				}
			}
			if u.Juror {
				_, err := tx.ExecContext(ctx, `INSERT INTO jurors (cycle_id, user_id, chair) VALUES (?, ?, ?)
					ON CONFLICT (cycle_id, user_id) DO UPDATE SET chair = EXCLUDED.chair, removed_at = NULL`, cycle, id, u.Chair)
				if err != nil {
					return fmt.Errorf("demo juror %s: %w", u.Username, err)
				}
			}
			if u.Username == "asker" {
				if err := linkKraftpakke(ctx, tx, cycle, id, u.Name, u.Email); err != nil {
					return err
				}
			}
		}
		return loadDemoPrize(ctx, tx, ministry, issuer, now)
	})
}

// ensureOwner makes organisation id an award owner.
func ensureOwner(ctx context.Context, tx bun.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO award_owners (organisation_id) VALUES (?) ON CONFLICT DO NOTHING`, id); err != nil {
		return fmt.Errorf("demo award owner %d: %w", id, err)
	}
	return nil
}
