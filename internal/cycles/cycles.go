package cycles

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// TimeChange is a change to an optional instant: Set says whether to
// change it at all; Set with a nil At clears it.
type TimeChange struct {
	Set bool
	At  *time.Time
}

// CycleFields are the settings of a cycle. A nil field (or an unset
// TimeChange) is left as it is; on create the defaults are: municipalities
// may be nominated, one nomination per organisation, three projects per
// nomination, only winners and finalists published, no dates. Year and
// Title are required on create.
type CycleFields struct {
	Year  *int
	Title *string
	// Description and CallText are bokmål; the NN and EN versions are
	// optional (empty falls back to bokmål for readers).
	Description   *string
	DescriptionNN *string
	DescriptionEN *string
	CallText      *string
	CallTextNN    *string
	CallTextEN    *string
	// EligibleKinds: nil leaves them; a non-nil slice replaces them.
	EligibleKinds        []awards.OrgKind
	MaxNominationsPerOrg *int
	MaxProjects          *int
	PublishAll           *bool
	CallOpensAt          TimeChange
	NominationDeadline   TimeChange
	ScoringDeadline      TimeChange
	AnnouncementAt       TimeChange
	// ReminderDays: nil leaves them; a non-nil slice replaces them (empty:
	// no reminders to drafts and jurors). The default is 7 and 1.
	ReminderDays []int
}

// OpenCycle is a cycle open for nominations, with its award.
type OpenCycle struct {
	Cycle awards.Cycle
	Award awards.Award
	// Used: each of the actor's organisations that may be nominated has
	// as many nominations in the cycle as it may (withdrawn ones aside).
	Used bool
}

// AwardCycles is an award with all its cycles, newest first.
type AwardCycles struct {
	Award  awards.Award
	Cycles []awards.Cycle
}

type cycleRow struct {
	ID                   int64      `bun:"id"`
	PublicID             string     `bun:"public_id"`
	AwardID              int64      `bun:"award_id"`
	Year                 int        `bun:"year"`
	Title                string     `bun:"title"`
	Description          string     `bun:"description"`
	DescriptionNN        string     `bun:"description_nn"`
	DescriptionEN        string     `bun:"description_en"`
	CallText             string     `bun:"call_text"`
	CallTextNN           string     `bun:"call_text_nn"`
	CallTextEN           string     `bun:"call_text_en"`
	Phase                string     `bun:"phase"`
	EligibleKinds        []string   `bun:"eligible_kinds,array"`
	MaxNominationsPerOrg int        `bun:"max_nominations_per_org"`
	MaxProjects          int        `bun:"max_projects"`
	PublishAll           bool       `bun:"publish_all"`
	CallOpensAt          *time.Time `bun:"call_opens_at"`
	NominationDeadline   *time.Time `bun:"nomination_deadline"`
	ScoringDeadline      *time.Time `bun:"scoring_deadline"`
	AnnouncementAt       *time.Time `bun:"announcement_at"`
	ReminderDays         []int      `bun:"reminder_days,array"`
	// The award's columns, prefixed.
	ASlug          string `bun:"a_slug"`
	ANameNB        string `bun:"a_name_nb"`
	ANameNN        string `bun:"a_name_nn"`
	ANameEN        string `bun:"a_name_en"`
	ADescriptionNB string `bun:"a_description_nb"`
	ADescriptionNN string `bun:"a_description_nn"`
	ADescriptionEN string `bun:"a_description_en"`
	AOwnerID       int64  `bun:"a_owner_id"`
	AOwnerName     string `bun:"a_owner_name"`
	AKind          string `bun:"a_kind"`
}

func (r cycleRow) cycle() awards.Cycle {
	c := awards.Cycle{ID: r.ID, PublicID: r.PublicID, AwardID: r.AwardID, AwardSlug: r.ASlug, AwardName: r.ANameNB, AwardKind: awards.AwardKind(r.AKind),
		Year: r.Year, Title: r.Title, Description: r.Description, DescriptionNN: r.DescriptionNN,
		DescriptionEN: r.DescriptionEN, CallText: r.CallText, CallTextNN: r.CallTextNN, CallTextEN: r.CallTextEN, Phase: awards.Phase(r.Phase),
		MaxNominationsPerOrg: r.MaxNominationsPerOrg, MaxProjects: r.MaxProjects, PublishAll: r.PublishAll,
		CallOpensAt: r.CallOpensAt, NominationDeadline: r.NominationDeadline, ScoringDeadline: r.ScoringDeadline,
		AnnouncementAt: r.AnnouncementAt, ReminderDays: r.ReminderDays}
	for _, k := range r.EligibleKinds {
		c.EligibleKinds = append(c.EligibleKinds, awards.OrgKind(k))
	}
	return c
}

func (r cycleRow) award() awards.Award {
	return awards.Award{ID: r.AwardID, Slug: r.ASlug, NameNB: r.ANameNB, NameNN: r.ANameNN, NameEN: r.ANameEN,
		DescriptionNB: r.ADescriptionNB, DescriptionNN: r.ADescriptionNN, DescriptionEN: r.ADescriptionEN,
		OwnerID: r.AOwnerID, OwnerName: r.AOwnerName, Kind: awards.AwardKind(r.AKind)}
}

const cycleSelect = `
	SELECT c.id, c.public_id, c.award_id, c.year, c.title, c.description, c.description_nn, c.description_en,
		c.call_text, c.call_text_nn, c.call_text_en, c.phase, c.eligible_kinds,
		c.max_nominations_per_org, c.max_projects, c.publish_all,
		c.call_opens_at, c.nomination_deadline, c.scoring_deadline, c.announcement_at, c.reminder_days,
		a.slug AS a_slug, a.name_nb AS a_name_nb, a.name_nn AS a_name_nn, a.name_en AS a_name_en,
		a.description AS a_description_nb, a.description_nn AS a_description_nn, a.description_en AS a_description_en,
		coalesce(a.owner_id, 0) AS a_owner_id, coalesce(o.name, '') AS a_owner_name, a.kind AS a_kind
	FROM cycles c
	JOIN awards a ON a.id = c.award_id
	LEFT JOIN organisations o ON o.id = a.owner_id`

func scanCycles(ctx context.Context, db bun.IDB, op, where string, args ...any) ([]cycleRow, error) {
	var rows []cycleRow
	if err := db.NewRaw(cycleSelect+" "+where, args...).Scan(ctx, &rows); err != nil {
		return nil, postgres.Map(op, err)
	}
	return rows, nil
}

// getCycle loads a cycle by public ID, whoever asks.
func getCycle(ctx context.Context, db bun.IDB, publicID string) (awards.Cycle, error) {
	var r cycleRow
	if err := db.NewRaw(cycleSelect+` WHERE c.public_id = ?`, publicID).Scan(ctx, &r); err != nil {
		return awards.Cycle{}, postgres.Map(fmt.Sprintf("get cycle %q", publicID), err)
	}
	return r.cycle(), nil
}

func getCycleByID(ctx context.Context, db bun.IDB, id int64) (awards.Cycle, error) {
	var r cycleRow
	if err := db.NewRaw(cycleSelect+` WHERE c.id = ?`, id).Scan(ctx, &r); err != nil {
		return awards.Cycle{}, postgres.Map(fmt.Sprintf("get cycle %d", id), err)
	}
	return r.cycle(), nil
}

func notFound() error { return awards.Errorf(awards.ENotFound, "not found") }

// Cycle returns the cycle with publicID. Anyone may call it, but a cycle
// in draft is ENotFound for all but its admins.
func (s *Service) Cycle(ctx context.Context, actor *awards.Actor, publicID string) (awards.Cycle, error) {
	c, err := getCycle(ctx, s.db, publicID)
	if err != nil {
		return awards.Cycle{}, err
	}
	if !policy.CanSeeCycle(actor, c.ID, c.Phase) {
		return awards.Cycle{}, notFound()
	}
	return c, nil
}

// ClosedEarly tells whether an admin closed cycle c's call before its
// deadline, and when: the time of the last move to closed in the audit
// log (nil when the log has none, as for a cycle set up by SQL).
func (s *Service) ClosedEarly(ctx context.Context, c awards.Cycle) (bool, *time.Time, error) {
	if c.Phase == awards.PhaseDraft || c.Phase == awards.PhaseOpen || c.NominationDeadline == nil {
		return false, nil, nil
	}
	var at struct {
		At    *time.Time `bun:"at"`
		Early bool       `bun:"early"`
	}
	if err := s.db.NewRaw(`SELECT now() < ? AS early, `+closedAtSQL+` AS at`, *c.NominationDeadline, c.ID).Scan(ctx, &at); err != nil {
		return false, nil, postgres.Map("find when the call closed", err)
	}
	return at.Early, at.At, nil
}

// Cycles lists the cycles of the award with slug, newest first; cycles in
// draft only for the award's admins. Returns ENotFound for an unknown award.
func (s *Service) Cycles(ctx context.Context, actor *awards.Actor, slug string) ([]awards.Cycle, error) {
	a, err := getAward(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	rows, err := scanCycles(ctx, s.db, "list cycles", `WHERE c.award_id = ? AND (? OR c.phase <> 'draft') ORDER BY c.year DESC`,
		a.ID, policy.CanManageAward(actor, a.ID))
	if err != nil {
		return nil, err
	}
	out := make([]awards.Cycle, len(rows))
	for i, r := range rows {
		out[i] = r.cycle()
	}
	return out, nil
}

// Overview lists the awards the actor administers with all their cycles,
// for the admins' pages: every award for site admins, their owners'
// awards for owner admins. Returns EForbidden for anyone else.
func (s *Service) Overview(ctx context.Context, actor *awards.Actor) ([]AwardCycles, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	all, err := s.Awards(ctx)
	if err != nil {
		return nil, err
	}
	var list []awards.Award
	for _, a := range all {
		if policy.CanManageAward(actor, a.ID) {
			list = append(list, a)
		}
	}
	rows, err := scanCycles(ctx, s.db, "list all cycles", `ORDER BY c.year DESC, c.id`)
	if err != nil {
		return nil, err
	}
	out := make([]AwardCycles, len(list))
	at := map[int64]int{}
	for i, a := range list {
		out[i].Award = a
		at[a.ID] = i
	}
	for _, r := range rows {
		if i, ok := at[r.AwardID]; ok {
			out[i].Cycles = append(out[i].Cycles, r.cycle())
		}
	}
	return out, nil
}

// OpenFor lists the cycles open for nominations now that one of the
// actor's organisations may be nominated in, soonest deadline first, each
// saying whether those organisations have used all their nominations in
// it. An anonymous actor gets none.
func (s *Service) OpenFor(ctx context.Context, actor *awards.Actor) ([]OpenCycle, error) {
	if actor.Anonymous() {
		return nil, nil
	}
	rows, err := scanCycles(ctx, s.db, "list open cycles", `
		WHERE c.phase = 'open' AND (c.call_opens_at IS NULL OR c.call_opens_at <= now())
		AND EXISTS (SELECT 1 FROM memberships m JOIN organisations mo ON mo.id = m.organisation_id
			WHERE m.user_id = ? AND mo.valid_to IS NULL AND mo.kind = ANY (c.eligible_kinds))
		ORDER BY c.nomination_deadline NULLS LAST, a.name_nb, c.year`, actor.User.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	if len(rows) == 0 {
		return nil, nil
	}
	var used []int64
	err = s.db.NewRaw(`SELECT c.id FROM cycles c WHERE c.id = ANY(?) AND c.max_nominations_per_org > 0
		AND NOT EXISTS (SELECT 1 FROM memberships m JOIN organisations mo ON mo.id = m.organisation_id
			WHERE m.user_id = ? AND mo.valid_to IS NULL AND mo.kind = ANY (c.eligible_kinds)
			AND (SELECT count(*) FROM nominations n JOIN nomination_organisations x ON x.nomination_id = n.id
				WHERE n.cycle_id = c.id AND x.organisation_id = mo.id AND n.status <> 'withdrawn') < c.max_nominations_per_org)`,
		pgdialect.Array(ids), actor.User.ID).Scan(ctx, &used)
	if err != nil {
		return nil, postgres.Map("count the organisations' nominations", err)
	}
	out := make([]OpenCycle, len(rows))
	for i, r := range rows {
		out[i] = OpenCycle{Cycle: r.cycle(), Award: r.award(), Used: slices.Contains(used, r.ID)}
	}
	return out, nil
}

// OpenCalls lists, for everyone, the calls that take nominations now
// (nominations_open), soonest deadline first: the front page tells
// visitors what they may answer before they log in.
func (s *Service) OpenCalls(ctx context.Context) ([]OpenCycle, error) {
	rows, err := scanCycles(ctx, s.db, "list open calls", `WHERE nominations_open(c)
		ORDER BY c.nomination_deadline NULLS LAST, a.name_nb, c.year`)
	if err != nil {
		return nil, err
	}
	out := make([]OpenCycle, len(rows))
	for i, r := range rows {
		out[i] = OpenCycle{Cycle: r.cycle(), Award: r.award()}
	}
	return out, nil
}

// Counts are a cycle's nominations by status.
type Counts struct {
	Drafts, Submitted int
	// CallRecipients is how many addresses the call announcement goes to
	// if the call opened now (callRecipientsSQL).
	CallRecipients int
}

// NominationCounts counts the cycle's draft and submitted nominations, and
// whom its call announcement would reach, so that the admin knows what a
// change of phase touches. The cycle's admins only.
func (s *Service) NominationCounts(ctx context.Context, actor *awards.Actor, publicID string) (Counts, error) {
	if err := requireAdmin(actor); err != nil {
		return Counts{}, err
	}
	c, err := getCycle(ctx, s.db, publicID)
	if err != nil {
		return Counts{}, err
	}
	if err := requireCycle(actor, c); err != nil {
		return Counts{}, err
	}
	var n Counts
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE status = 'draft'), count(*) FILTER (WHERE status = 'submitted')
		FROM nominations WHERE cycle_id = ?`, c.ID).Scan(&n.Drafts, &n.Submitted)
	if err != nil {
		return Counts{}, postgres.Map("count nominations", err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (`+callRecipientsSQL+`) r`, c.ID).Scan(&n.CallRecipients); err != nil {
		return Counts{}, postgres.Map("count call recipients", err)
	}
	return n, nil
}

// applyCycle applies f to c, cleaning and checking every field, and then
// the order of the dates.
func applyCycle(c *awards.Cycle, f CycleFields) fieldErrors {
	fe := fieldErrors{}
	if f.Year != nil {
		c.Year = *f.Year
	}
	if c.Year < minYear || c.Year > maxYear {
		fe.add("year", "cycles.error.year")
	}
	if f.Title != nil {
		c.Title = fe.text("title", *f.Title, false, true, maxTitle)
	} else if c.Title == "" {
		fe.add("title", "form.required")
	}
	if f.Description != nil {
		c.Description = fe.text("description", *f.Description, true, false, maxText)
	}
	if f.CallText != nil {
		c.CallText = fe.text("call_text", *f.CallText, true, false, maxText)
	}
	for _, t := range []struct {
		field string
		in    *string
		out   *string
	}{{"description_nn", f.DescriptionNN, &c.DescriptionNN}, {"description_en", f.DescriptionEN, &c.DescriptionEN},
		{"call_text_nn", f.CallTextNN, &c.CallTextNN}, {"call_text_en", f.CallTextEN, &c.CallTextEN}} {
		if t.in != nil {
			*t.out = fe.text(t.field, *t.in, true, false, maxText)
		}
	}
	if f.EligibleKinds != nil {
		var kinds []awards.OrgKind
		for _, k := range f.EligibleKinds {
			if !k.Valid() {
				fe.add("eligible_kinds", "cycles.error.kinds")
			} else if !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
		c.EligibleKinds = kinds
	}
	if len(c.EligibleKinds) == 0 {
		fe.add("eligible_kinds", "cycles.error.kinds")
	}
	if f.MaxNominationsPerOrg != nil {
		c.MaxNominationsPerOrg = *f.MaxNominationsPerOrg
	}
	if c.MaxNominationsPerOrg < 0 || c.MaxNominationsPerOrg > maxNomLimit {
		fe.add("max_nominations_per_org", "cycles.error.max_nominations")
	}
	if f.MaxProjects != nil {
		c.MaxProjects = *f.MaxProjects
	}
	if c.MaxProjects < 1 || c.MaxProjects > maxProjects {
		fe.add("max_projects", "cycles.error.max_projects")
	}
	if f.PublishAll != nil {
		c.PublishAll = *f.PublishAll
	}
	if f.ReminderDays != nil {
		days, ok := reminderDays(f.ReminderDays)
		if !ok {
			fe.add("reminder_days", "cycles.error.reminder_days")
		}
		c.ReminderDays = days
	}
	dates := []struct {
		field string
		dst   **time.Time
		ch    TimeChange
	}{
		{"call_opens_at", &c.CallOpensAt, f.CallOpensAt},
		{"nomination_deadline", &c.NominationDeadline, f.NominationDeadline},
		{"scoring_deadline", &c.ScoringDeadline, f.ScoringDeadline},
		{"announcement_at", &c.AnnouncementAt, f.AnnouncementAt},
	}
	// Each date comes after the one before it that is set: the call opens
	// strictly before the deadline; the rest may fall on the same instant.
	var prev *time.Time
	var prevField string
	for _, d := range dates {
		if d.ch.Set {
			*d.dst = d.ch.At
		}
		t := *d.dst
		if t == nil {
			continue
		}
		if prev != nil && (t.Before(*prev) || prevField == "call_opens_at" && t.Equal(*prev)) {
			fe.add(d.field, "cycles.error.date_order")
		}
		prev, prevField = t, d.field
	}
	return fe
}

func yearTaken(year int, err error) error {
	return &awards.Error{Code: awards.EConflict, Message: fmt.Sprintf("the award already has a cycle for %d", year),
		Fields: map[string]string{"year": "cycles.error.year_taken"}, Err: fmt.Errorf("%w: %w", ErrYearTaken, err)}
}

func kindStrings(kinds []awards.OrgKind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// insertCycle writes c as a new cycle of its award, in phase draft.
func insertCycle(ctx context.Context, tx bun.IDB, c awards.Cycle) (int64, error) {
	var id int64
	err := tx.NewRaw(`
		INSERT INTO cycles (award_id, year, title, description, description_nn, description_en, call_text, call_text_nn,
			call_text_en, phase, eligible_kinds, max_nominations_per_org,
			max_projects, publish_all, call_opens_at, nomination_deadline, scoring_deadline, announcement_at, reminder_days)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.AwardID, c.Year, c.Title, c.Description, c.DescriptionNN, c.DescriptionEN, c.CallText, c.CallTextNN, c.CallTextEN, pgdialect.Array(kindStrings(c.EligibleKinds)),
		c.MaxNominationsPerOrg, c.MaxProjects, c.PublishAll,
		c.CallOpensAt, c.NominationDeadline, c.ScoringDeadline, c.AnnouncementAt, pgdialect.Array(c.ReminderDays)).Scan(ctx, &id)
	if err != nil {
		err = postgres.Map("create cycle", err)
		if awards.ErrorCode(err) == awards.EConflict {
			return 0, yearTaken(c.Year, err)
		}
		return 0, err
	}
	return id, nil
}

// CreateCycle adds a cycle, in phase draft, to the award with slug. Site
// admins only. Returns EForbidden, ENotFound (no such award), EInvalid
// (field errors) and EConflict (field "year") when the award already has
// a cycle that year.
func (s *Service) CreateCycle(ctx context.Context, actor *awards.Actor, slug string, f CycleFields) (awards.Cycle, error) {
	if err := requireAdmin(actor); err != nil {
		return awards.Cycle{}, err
	}
	var out awards.Cycle
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := getAward(ctx, tx, slug)
		if err != nil {
			return err
		}
		if err := requireAward(actor, a); err != nil {
			return err
		}
		c := awards.Cycle{AwardID: a.ID, EligibleKinds: []awards.OrgKind{awards.KindMunicipality},
			MaxNominationsPerOrg: 1, MaxProjects: 3, ReminderDays: DefaultReminderDays()}
		fe := applyCycle(&c, f)
		if f.Year == nil {
			fe["year"] = "form.required"
		}
		if err := fe.err(); err != nil {
			return err
		}
		id, err := insertCycle(ctx, tx, c)
		if err != nil {
			return err
		}
		if out, err = getCycleByID(ctx, tx, id); err != nil {
			return err
		}
		if err := scheduleReminders(ctx, tx, out); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "create", "cycle", id, nil, out)
	})
	return out, err
}

// UpdateCycle changes the cycle with publicID. The award's admins only. Returns
// EForbidden, ENotFound, EInvalid (field errors) and EConflict (field
// "year").
func (s *Service) UpdateCycle(ctx context.Context, actor *awards.Actor, publicID string, f CycleFields) (awards.Cycle, error) {
	if err := requireAdmin(actor); err != nil {
		return awards.Cycle{}, err
	}
	var out awards.Cycle
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		before, err := getCycle(ctx, tx, publicID)
		if err != nil {
			return err
		}
		if err := requireCycle(actor, before); err != nil {
			return err
		}
		c := before
		c.EligibleKinds = slices.Clone(before.EligibleKinds)
		if err := applyCycle(&c, f).err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE cycles SET year = ?, title = ?, description = ?, description_nn = ?, description_en = ?,
				call_text = ?, call_text_nn = ?, call_text_en = ?, eligible_kinds = ?,
				max_nominations_per_org = ?, max_projects = ?, publish_all = ?, call_opens_at = ?,
				nomination_deadline = ?, scoring_deadline = ?, announcement_at = ?, reminder_days = ?, updated_at = now()
			WHERE id = ?`,
			c.Year, c.Title, c.Description, c.DescriptionNN, c.DescriptionEN, c.CallText, c.CallTextNN, c.CallTextEN, pgdialect.Array(kindStrings(c.EligibleKinds)),
			c.MaxNominationsPerOrg, c.MaxProjects, c.PublishAll, c.CallOpensAt,
			c.NominationDeadline, c.ScoringDeadline, c.AnnouncementAt, pgdialect.Array(c.ReminderDays), c.ID)
		if err != nil {
			err = postgres.Map("update cycle", err)
			if awards.ErrorCode(err) == awards.EConflict {
				return yearTaken(c.Year, err)
			}
			return err
		}
		if out, err = getCycleByID(ctx, tx, c.ID); err != nil {
			return err
		}
		if err := scheduleReminders(ctx, tx, out); err != nil {
			return err
		}
		if err := moveCall(ctx, tx, before, out); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "update", "cycle", c.ID, before, out)
	})
	return out, err
}

func phaseNames(ps []awards.Phase) string {
	if len(ps) == 0 {
		return "none"
	}
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, ", ")
}

// Transition moves the cycle with publicID to phase to, when the move is
// allowed from where it stands for its award's kind
// (awards.Phase.CanMoveToFor). The move is conditional on the phase read,
// so of two admins moving at once one wins and the other gets EConflict.
// A prize's cycle moves to published only once its winners' announcement
// has passed by the database's clock: the phase closes the cycle, while
// the announcements alone decide what is public, and "published" must not
// say otherwise. A programme's cycle has no announcements: moving it to
// published makes its cohort public. The award's admins only. Returns
// EForbidden, ENotFound, EInvalid (field "to": no such phase) and
// EConflict (ErrPhaseMove, ErrPhaseChanged, ErrNotAnnounced).
func (s *Service) Transition(ctx context.Context, actor *awards.Actor, publicID string, to awards.Phase) (awards.Cycle, error) {
	if err := requireAdmin(actor); err != nil {
		return awards.Cycle{}, err
	}
	if !to.Valid() {
		return awards.Cycle{}, awards.Invalid(map[string]string{"to": "cycles.error.phase"})
	}
	var out awards.Cycle
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := getCycle(ctx, tx, publicID)
		if err != nil {
			return err
		}
		if err := requireCycle(actor, c); err != nil {
			return err
		}
		from := c.Phase
		if to == awards.PhaseOpen {
			if err := checkNynorsk(ctx, tx, c); err != nil {
				return err
			}
		}
		if !from.CanMoveToFor(c.AwardKind, to) {
			what := "a cycle"
			if c.Programme() {
				what = "a programme's cycle"
			}
			return &awards.Error{Code: awards.EConflict, Err: ErrPhaseMove, Message: fmt.Sprintf(
				"%s in phase %s cannot move to %s; from %s it can move to: %s", what, from, to, from, phaseNames(from.NextFor(c.AwardKind)))}
		}
		// A programme has no winners to announce: its cohort is public
		// from the instant its cycle is published (public_nominations).
		if to == awards.PhasePublished && c.Programme() {
			if _, err := tx.ExecContext(ctx, `UPDATE cycles SET published_at = now() WHERE id = ?`, c.ID); err != nil {
				return postgres.Map("publish programme cycle", err)
			}
		} else if to == awards.PhasePublished {
			var announced bool
			if err := tx.NewRaw(`SELECT EXISTS (SELECT 1 FROM announcements
				WHERE cycle_id = ? AND kind = 'winners' AND unpublished_at IS NULL AND publish_at <= now())`, c.ID).Scan(ctx, &announced); err != nil {
				return postgres.Map("check the winners' announcement", err)
			}
			if !announced {
				return &awards.Error{Code: awards.EConflict, Err: ErrNotAnnounced, Message: "announce the winners first, on the cycle's " +
					"publication page: moving the cycle to published closes it and makes nothing public by itself"}
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE cycles SET phase = ?, updated_at = now() WHERE id = ? AND phase = ?`, string(to), c.ID, string(from))
		if err != nil {
			return postgres.Map("move cycle", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonStaleVersion, Err: ErrPhaseChanged,
				Message: "someone else changed the cycle's phase meanwhile; reload and try again"}
		}
		c.Phase = to
		out = c
		if err := scheduleCall(ctx, tx, c); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "transition", "cycle", c.ID,
			map[string]string{"phase": string(from)}, map[string]string{"phase": string(to)})
	})
	return out, err
}

// shiftYear moves an instant one year on, keeping its wall-clock time in
// Europe/Oslo (23.59 on 1 March stays 23.59 on 1 March across a change of
// daylight saving time).
func shiftYear(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	n := t.In(i18n.Oslo()).AddDate(1, 0, 0)
	return &n
}

// Copy makes next year's cycle from the cycle with publicID: the same
// texts, rules, rounds and criteria, every date one year on, the year in the
// title replaced, in phase draft. The award's admins only. Returns EForbidden,
// ENotFound, EInvalid and EConflict (ErrYearTaken) when next year's cycle
// exists.
func (s *Service) Copy(ctx context.Context, actor *awards.Actor, publicID string) (awards.Cycle, error) {
	if err := requireAdmin(actor); err != nil {
		return awards.Cycle{}, err
	}
	var out awards.Cycle
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		src, err := getCycle(ctx, tx, publicID)
		if err != nil {
			return err
		}
		if err := requireCycle(actor, src); err != nil {
			return err
		}
		c := src
		c.Year = src.Year + 1
		oldYear, newYear := strconv.Itoa(src.Year), strconv.Itoa(c.Year)
		if strings.Contains(src.Title, oldYear) {
			c.Title = strings.ReplaceAll(src.Title, oldYear, newYear)
		} else {
			c.Title = src.Title + " " + newYear
		}
		c.CallOpensAt, c.NominationDeadline = shiftYear(src.CallOpensAt), shiftYear(src.NominationDeadline)
		c.ScoringDeadline, c.AnnouncementAt = shiftYear(src.ScoringDeadline), shiftYear(src.AnnouncementAt)
		if err := applyCycle(&c, CycleFields{}).err(); err != nil {
			return err
		}
		id, err := insertCycle(ctx, tx, c)
		if err != nil {
			if awards.ErrorCode(err) == awards.EConflict {
				return &awards.Error{Code: awards.EConflict, Err: ErrYearTaken,
					Message: fmt.Sprintf("the award already has a cycle for %d", c.Year)}
			}
			return err
		}
		if err := copyRounds(ctx, tx, src.ID, id); err != nil {
			return err
		}
		if out, err = getCycleByID(ctx, tx, id); err != nil {
			return err
		}
		if err := scheduleReminders(ctx, tx, out); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "copy", "cycle", id, map[string]any{"from": src.PublicID, "year": src.Year}, out)
	})
	return out, err
}

// checkNynorsk refuses to open the call of a state body's award while a
// text of it has no nynorsk version: språklova binds state bodies to
// publish in both written forms. The error's fields name what is missing.
func checkNynorsk(ctx context.Context, db bun.IDB, c awards.Cycle) error {
	var a struct {
		OwnerKind string `bun:"owner_kind"`
		NameNN    string `bun:"name_nn"`
	}
	if err := db.NewRaw(`SELECT coalesce(o.kind, '') AS owner_kind, a.name_nn FROM awards a
		LEFT JOIN organisations o ON o.id = a.owner_id WHERE a.id = ?`, c.AwardID).Scan(ctx, &a); err != nil {
		return postgres.Map("check nynorsk", err)
	}
	if !awards.OrgKind(a.OwnerKind).StateBody() {
		return nil
	}
	missing := map[string]string{}
	if strings.TrimSpace(a.NameNN) == "" {
		missing["award_name_nn"] = "cycles.error.nynorsk_missing"
	}
	if strings.TrimSpace(c.Description) != "" && strings.TrimSpace(c.DescriptionNN) == "" {
		missing["description_nn"] = "cycles.error.nynorsk_missing"
	}
	if strings.TrimSpace(c.CallText) != "" && strings.TrimSpace(c.CallTextNN) == "" {
		missing["call_text_nn"] = "cycles.error.nynorsk_missing"
	}
	if len(missing) == 0 {
		return nil
	}
	names := slices.Sorted(maps.Keys(missing))
	return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonNynorskMissing, Err: ErrNynorskMissing, Fields: missing,
		Message: "the award's owner is a state body: under språklova its call opens only with nynorsk texts too; missing: " +
			strings.Join(names, ", ")}
}
