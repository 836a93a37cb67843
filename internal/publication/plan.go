package publication

import (
	"context"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Entry is one nomination as the public sees it.
type Entry struct {
	NominationID int64  `bun:"id"`
	PublicID     string `bun:"public_id"`
	Title        string `bun:"title"`
	// Outcome is finalist, winner or honourable_mention; "" for an
	// ordinary applicant, public because the cycle publishes every
	// submitted nomination with the winners.
	Outcome     string   `bun:"outcome"`
	StatementNB string   `bun:"statement_nb"`
	StatementNN string   `bun:"statement_nn"`
	StatementEN string   `bun:"statement_en"`
	Nominees    []string `bun:"nominees,array"`
	Projects    []string `bun:"projects,array"`
	// AlreadyPublic: in a Plan, public before the announcement.
	AlreadyPublic bool `bun:"-"`
}

// Statement is the jury's statement in lang, falling back to bokmål.
func (e Entry) Statement(lang string) string {
	switch {
	case lang == "nn" && e.StatementNN != "":
		return e.StatementNN
	case lang == "en" && e.StatementEN != "":
		return e.StatementEN
	}
	return e.StatementNB
}

// Excerpt is the start of the statement in lang, about 200 characters.
func (e Entry) Excerpt(lang string) string { return excerpt(e.Statement(lang), 200) }

// asOfSQL is public_nominations as of an instant ($at) rather than now,
// with a hypothetical announcement of kind $extra ("" for none) counted
// as out: the same rule as the views' (finalists — a decided winner
// among them — with the finalists' announcement, winners and honourable
// mentions with the winners', statements only with the winners', every
// submitted nomination with the winners' when the cycle publishes all). TestPreviewMatchesViews keeps the two in step.
// Arguments: cycle, at, extra, extra, cycle.
const asOfSQL = `
	WITH out AS (
		SELECT kind FROM announcements WHERE cycle_id = ? AND unpublished_at IS NULL AND publish_at <= ?
		UNION ALL SELECT ?::text WHERE ?::text <> ''
	), pub AS (
		SELECT coalesce(bool_or(kind = 'winners'), false) AS winners, coalesce(bool_or(kind = 'finalists'), false) AS finalists FROM out
	), entries AS (
		SELECT n.id, n.public_id, n.title,
			CASE WHEN pub.winners THEN d.outcome
				WHEN pub.finalists AND d.outcome IN ('finalist', 'winner') THEN 'finalist' END AS outcome,
			d.statement_nb, d.statement_nn, d.statement_en, pub.winners, c.publish_all, n.status
		FROM nominations n
		JOIN cycles c ON c.id = n.cycle_id
		CROSS JOIN pub
		LEFT JOIN decisions d ON d.nomination_id = n.id
		WHERE n.cycle_id = ?
	)
	SELECT e.id, e.public_id, e.title, coalesce(e.outcome, '') AS outcome,
		CASE WHEN e.outcome IS NOT NULL AND e.winners THEN e.statement_nb ELSE '' END AS statement_nb,
		CASE WHEN e.outcome IS NOT NULL AND e.winners THEN e.statement_nn ELSE '' END AS statement_nn,
		CASE WHEN e.outcome IS NOT NULL AND e.winners THEN e.statement_en ELSE '' END AS statement_en,
		ARRAY(SELECT o.name FROM nomination_organisations no JOIN organisations o ON o.id = no.organisation_id
			WHERE no.nomination_id = e.id ORDER BY o.name) AS nominees,
		ARRAY(SELECT p.title FROM nomination_projects np JOIN projects p ON p.id = np.project_id
			WHERE np.nomination_id = e.id ORDER BY np.position, p.title) AS projects
	FROM entries e
	WHERE e.outcome IS NOT NULL
		OR (e.publish_all AND e.winners AND in_the_running(e.status))
	ORDER BY CASE e.outcome WHEN 'winner' THEN 0 WHEN 'honourable_mention' THEN 1 WHEN 'finalist' THEN 2 ELSE 3 END, e.title, e.id`

func asOf(ctx context.Context, db bun.IDB, cycleID int64, at time.Time, extra Kind) ([]Entry, error) {
	var out []Entry
	if err := db.NewRaw(asOfSQL, cycleID, at, string(extra), string(extra), cycleID).Scan(ctx, &out); err != nil {
		return nil, postgres.Map(fmt.Sprintf("public view of cycle %d", cycleID), err)
	}
	return out, nil
}

// Preview is the cycle's public view as of an instant.
type Preview struct {
	Cycle Cycle
	At    time.Time
	// Entries are the public nominations: winners, honourable mentions,
	// finalists, then the others.
	Entries []Entry
	// Counted are the live announcements out by At.
	Counted []Announcement
	// FeedbackReleased: submitters read the jury's feedback by At.
	FeedbackReleased bool
}

// Preview returns what the public will see of the cycle with publicID at
// the instant at, given the announcements scheduled now and the jury's
// decision as it stands. A zero at is the instant by which every
// scheduled announcement is out, or now if none is still to come: what an
// admin previews is what they scheduled, not today's empty page. The
// cycle's admins only. Returns EForbidden and ENotFound.
func (s *Service) Preview(ctx context.Context, actor *awards.Actor, cyclePublicID string, at time.Time) (Preview, error) {
	if err := requireAdmin(actor); err != nil {
		return Preview{}, err
	}
	var p Preview
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if p.Cycle, err = loadCycle(ctx, tx, actor, cyclePublicID, false); err != nil {
			return err
		}
		list, err := cycleAnnouncements(ctx, tx, p.Cycle.ID)
		if err != nil {
			return err
		}
		if at.IsZero() {
			if at, err = dbNow(ctx, tx); err != nil {
				return err
			}
			for _, a := range list {
				if a.Live() && a.PublishAt.After(at) {
					at = a.PublishAt
				}
			}
		}
		p.At = at
		if p.Entries, err = asOf(ctx, tx, p.Cycle.ID, at, ""); err != nil {
			return err
		}
		for _, a := range list {
			if a.Live() && !a.PublishAt.After(at) {
				p.Counted = append(p.Counted, a)
				p.FeedbackReleased = p.FeedbackReleased || a.Kind == Winners
			}
		}
		return nil
	})
	return p, err
}

// Plan is exactly what publishing an announcement now makes public.
type Plan struct {
	Cycle Cycle
	Kind  Kind
	// Entries is everything public once it is out, AlreadyPublic marking
	// what is public before.
	Entries []Entry
	// Others are the submitted nominations without an outcome that become
	// public because the cycle publishes all with the winners.
	Others int
	// Feedback counts the nominations whose written feedback the
	// submitters can read from then on (0 unless the winners are not
	// yet out).
	Feedback int
	// Recipients counts the people e-mailed.
	Recipients int
	// Existing is the scheduled announcement publishing now brings
	// forward, if any.
	Existing *Announcement
	// Refusal is why publishing now would be refused, if it would.
	Refusal error
}

// New lists the entries that become public with the announcement.
func (p Plan) New() []Entry {
	var out []Entry
	for _, e := range p.Entries {
		if !e.AlreadyPublic {
			out = append(out, e)
		}
	}
	return out
}

// Plan returns what publishing the cycle's announcement of kind k now
// would make public, for the confirmation asked before it, and whether
// it would be refused (Plan.Refusal, an error as Schedule would return).
// The cycle's admins only. Returns EForbidden, ENotFound and EInvalid (field
// kind).
func (s *Service) Plan(ctx context.Context, actor *awards.Actor, cyclePublicID string, k Kind) (Plan, error) {
	if err := requireAdmin(actor); err != nil {
		return Plan{}, err
	}
	if !k.Valid() {
		return Plan{}, awards.Invalid(map[string]string{"kind": "publication.error.kind"})
	}
	var p Plan
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := loadCycle(ctx, tx, actor, cyclePublicID, false)
		if err != nil {
			return err
		}
		p, err = plan(ctx, tx, c, k)
		return err
	})
	return p, err
}

// Review is a cycle's announcements with what publishing each kind now
// would make public.
type Review struct {
	Overview
	Plans []Plan
}

// Review returns the announcements of the cycle with publicID and the
// plan of each kind, read together. The cycle's admins only. Returns EForbidden
// and ENotFound.
func (s *Service) Review(ctx context.Context, actor *awards.Actor, cyclePublicID string) (Review, error) {
	if err := requireAdmin(actor); err != nil {
		return Review{}, err
	}
	var r Review
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if r.Cycle, err = loadCycle(ctx, tx, actor, cyclePublicID, false); err != nil {
			return err
		}
		if r.Now, err = dbNow(ctx, tx); err != nil {
			return err
		}
		if r.Announcements, err = cycleAnnouncements(ctx, tx, r.Cycle.ID); err != nil {
			return err
		}
		for _, k := range Kinds {
			p, err := plan(ctx, tx, r.Cycle, k)
			if err != nil {
				return err
			}
			r.Plans = append(r.Plans, p)
		}
		return nil
	})
	return r, err
}

// plan works out the Plan of kind k for cycle c in tx.
func plan(ctx context.Context, tx bun.Tx, c Cycle, k Kind) (Plan, error) {
	p := Plan{Cycle: c, Kind: k}
	now, err := dbNow(ctx, tx)
	if err != nil {
		return Plan{}, err
	}
	before, err := asOf(ctx, tx, c.ID, now, "")
	if err != nil {
		return Plan{}, err
	}
	if p.Entries, err = asOf(ctx, tx, c.ID, now, k); err != nil {
		return Plan{}, err
	}
	public := map[int64]string{}
	for _, e := range before {
		public[e.NominationID] = e.Outcome
	}
	for i, e := range p.Entries {
		outcome, ok := public[e.NominationID]
		p.Entries[i].AlreadyPublic = ok && outcome == e.Outcome
		if e.Outcome == "" && !ok {
			p.Others++
		}
	}
	list, err := cycleAnnouncements(ctx, tx, c.ID)
	if err != nil {
		return Plan{}, err
	}
	current := live(list)
	if a, ok := current[k]; ok {
		p.Existing = &a
		if a.State == Published {
			p.Refusal = &awards.Error{Code: awards.EConflict, Err: ErrPublished, Message: fmt.Sprintf("the %s are already published", k)}
		}
	}
	if p.Refusal == nil {
		p.Refusal = checkOrder(k, now, current, false)
	}
	if p.Refusal == nil {
		p.Refusal = checkDecisions(ctx, tx, c.ID, k)
	}
	if w, ok := current[Winners]; k == Winners && !(ok && w.State == Published) {
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM feedback f JOIN nominations n ON n.id = f.nomination_id
			WHERE n.cycle_id = ? AND btrim(f.body) <> ''`, c.ID).Scan(&p.Feedback)
		if err != nil {
			return Plan{}, postgres.Map("count feedback", err)
		}
	}
	mails, err := recipients(ctx, tx, c.ID, k)
	if err != nil {
		return Plan{}, err
	}
	people := map[int64]bool{}
	for _, m := range mails {
		people[m.UserID] = true
	}
	p.Recipients = len(people)
	return p, nil
}
