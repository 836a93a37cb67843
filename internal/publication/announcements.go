package publication

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// State is where an announcement stands by the database clock.
type State string

// States of an announcement.
const (
	// Scheduled: live, its instant still ahead.
	Scheduled State = "scheduled"
	// Published: live, its instant passed: what it covers is public.
	Published State = "published"
	// Unpublished: withdrawn (before or after its instant); kept as history.
	Unpublished State = "unpublished"
)

// Announcement is one scheduled (or past) publication of a cycle's
// finalists or winners.
type Announcement struct {
	ID            int64     `bun:"id"`
	CycleID       int64     `bun:"cycle_id"`
	CyclePublicID string    `bun:"cycle_public_id"`
	CycleTitle    string    `bun:"cycle_title"`
	Kind          Kind      `bun:"kind"`
	PublishAt     time.Time `bun:"publish_at"`
	State         State     `bun:"state"`
	CreatedAt     time.Time `bun:"created_at"`
	// CreatedBy names the person who scheduled it.
	CreatedBy       string     `bun:"created_by"`
	UnpublishedAt   *time.Time `bun:"unpublished_at"`
	UnpublishedBy   string     `bun:"unpublished_by"`
	UnpublishReason string     `bun:"unpublish_reason"`
}

// Live reports whether the announcement is scheduled or published, not
// withdrawn.
func (a Announcement) Live() bool { return a.State != Unpublished }

const announcementSelect = `
	SELECT a.id, a.cycle_id, c.public_id AS cycle_public_id, c.title AS cycle_title, a.kind, a.publish_at, a.created_at,
		coalesce(uc.name, '') AS created_by, a.unpublished_at, coalesce(uu.name, '') AS unpublished_by,
		coalesce(a.unpublish_reason, '') AS unpublish_reason,
		CASE WHEN a.unpublished_at IS NOT NULL THEN 'unpublished' WHEN a.publish_at <= now() THEN 'published' ELSE 'scheduled' END AS state
	FROM announcements a
	JOIN cycles c ON c.id = a.cycle_id
	LEFT JOIN users uc ON uc.id = a.created_by
	LEFT JOIN users uu ON uu.id = a.unpublished_by`

func loadAnnouncement(ctx context.Context, db bun.IDB, id int64) (Announcement, error) {
	var a Announcement
	if err := db.NewRaw(announcementSelect+` WHERE a.id = ?`, id).Scan(ctx, &a); err != nil {
		return Announcement{}, postgres.Map(fmt.Sprintf("load announcement %d", id), err)
	}
	return a, nil
}

func cycleAnnouncements(ctx context.Context, db bun.IDB, cycleID int64) ([]Announcement, error) {
	var list []Announcement
	if err := db.NewRaw(announcementSelect+` WHERE a.cycle_id = ? ORDER BY a.created_at DESC, a.id DESC`, cycleID).Scan(ctx, &list); err != nil {
		return nil, postgres.Map(fmt.Sprintf("announcements of cycle %d", cycleID), err)
	}
	return list, nil
}

// live returns the cycle's live announcements by kind.
func live(list []Announcement) map[Kind]Announcement {
	out := map[Kind]Announcement{}
	for _, a := range list {
		if a.Live() {
			out[a.Kind] = a
		}
	}
	return out
}

// Overview is a cycle's announcements as its publication page shows them.
type Overview struct {
	Cycle Cycle
	// Now is the database's clock when the overview was read.
	Now time.Time
	// Announcements are all of them, unpublished ones included, newest
	// first.
	Announcements []Announcement
}

// Live returns the live announcement of kind k, or nil.
func (o Overview) Live(k Kind) *Announcement {
	for i, a := range o.Announcements {
		if a.Kind == k && a.Live() {
			return &o.Announcements[i]
		}
	}
	return nil
}

// List returns the announcements of the cycle with publicID. The cycle's admins
// only. Returns EForbidden and ENotFound.
func (s *Service) List(ctx context.Context, actor *awards.Actor, cyclePublicID string) (Overview, error) {
	if err := requireAdmin(actor); err != nil {
		return Overview{}, err
	}
	var o Overview
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if o.Cycle, err = loadCycle(ctx, tx, actor, cyclePublicID, false); err != nil {
			return err
		}
		if o.Now, err = dbNow(ctx, tx); err != nil {
			return err
		}
		o.Announcements, err = cycleAnnouncements(ctx, tx, o.Cycle.ID)
		return err
	})
	return o, err
}

// Get returns the announcement with id. The cycle's admins only. Returns
// EForbidden and ENotFound.
func (s *Service) Get(ctx context.Context, actor *awards.Actor, id int64) (Announcement, error) {
	if err := requireAdmin(actor); err != nil {
		return Announcement{}, err
	}
	a, err := loadAnnouncement(ctx, s.db, id)
	if err == nil && !policy.CanPublish(actor, a.CycleID) {
		return Announcement{}, forbidden()
	}
	return a, err
}

// Input is what to publish and when: at PublishAt, or Now (which needs
// Confirm, given after seeing the Plan).
type Input struct {
	Kind      Kind
	PublishAt *time.Time
	Now       bool
	Confirm   bool
}

func (in Input) validate() error {
	fields := map[string]string{}
	if !in.Kind.Valid() {
		fields["kind"] = "publication.error.kind"
	}
	switch {
	case in.Now && in.PublishAt != nil:
		fields["publish_at"] = "publication.error.now_or_instant"
	case !in.Now && in.PublishAt == nil:
		fields["publish_at"] = "publication.error.instant_required"
	}
	if len(fields) > 0 {
		return awards.Invalid(fields)
	}
	if in.Now && !in.Confirm {
		return &awards.Error{Code: awards.EInvalid, Err: ErrConfirm,
			Message: "publishing now makes the outcomes public at once: check what becomes public (GET the cycle's announcements, becomes_public) and send confirm: true",
			Fields:  map[string]string{"confirm": "publication.error.confirm"}}
	}
	return nil
}

// auditView is what the audit log keeps of an announcement.
type auditView struct {
	ID              int64      `json:"id"`
	CycleID         int64      `json:"cycle_id"`
	Kind            Kind       `json:"kind"`
	PublishAt       time.Time  `json:"publish_at"`
	UnpublishedAt   *time.Time `json:"unpublished_at,omitempty"`
	UnpublishReason string     `json:"unpublish_reason,omitempty"`
}

func audited(a Announcement) auditView {
	return auditView{ID: a.ID, CycleID: a.CycleID, Kind: a.Kind, PublishAt: a.PublishAt.UTC(),
		UnpublishedAt: a.UnpublishedAt, UnpublishReason: a.UnpublishReason}
}

// Schedule schedules the cycle's announcement of in.Kind at
// in.PublishAt, or publishes it now (in.Now with in.Confirm); publishing
// now brings a scheduled announcement of the kind forward instead of
// adding one. The announcement, its audit entry and the job that e-mails
// the nominees at its instant commit together. created is false when a
// scheduled announcement was brought forward. The cycle's admins only.
//
// Returns EForbidden, ENotFound (no such cycle), EInvalid (fields kind,
// publish_at, confirm: ErrConfirm, ErrPast, ErrWinnersFirst,
// ErrFinalistsLate) and EConflict: ErrExists (already scheduled: move
// it), ErrPublished (already out: unpublish it first), ErrNothing (no
// decision of the kind yet), and when publishing now would put the
// winners before scheduled finalists or the finalists after published
// winners (ErrWinnersFirst, ErrFinalistsLate).
func (s *Service) Schedule(ctx context.Context, actor *awards.Actor, cyclePublicID string, in Input) (a Announcement, created bool, err error) {
	if err := requireAdmin(actor); err != nil {
		return Announcement{}, false, err
	}
	if err := in.validate(); err != nil {
		return Announcement{}, false, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := loadCycle(ctx, tx, actor, cyclePublicID, true)
		if err != nil {
			return err
		}
		now, err := dbNow(ctx, tx)
		if err != nil {
			return err
		}
		at := now
		if !in.Now {
			at = *in.PublishAt
			if !at.After(now) {
				return pastError()
			}
		}
		list, err := cycleAnnouncements(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		current := live(list)
		existing, has := current[in.Kind]
		switch {
		case has && existing.State == Published:
			return &awards.Error{Code: awards.EConflict, Err: ErrPublished,
				Message: fmt.Sprintf("the %s were published %s: unpublish that announcement before publishing them again", in.Kind, awards.ErrorTime(existing.PublishAt))}
		case has && !in.Now:
			return &awards.Error{Code: awards.EConflict, Err: ErrExists,
				Message: fmt.Sprintf("the %s are already scheduled for %s (announcement %d): move that one instead", in.Kind, awards.ErrorTime(existing.PublishAt), existing.ID)}
		}
		if err := checkOrder(in.Kind, at, current, !in.Now); err != nil {
			return err
		}
		if err := checkDecisions(ctx, tx, c.ID, in.Kind); err != nil {
			return err
		}
		var id int64
		if has {
			// Publishing now what was scheduled for later.
			id = existing.ID
			if _, err := tx.ExecContext(ctx, `UPDATE announcements SET publish_at = ? WHERE id = ?`, at, id); err != nil {
				return postgres.Map("publish announcement now", err)
			}
		} else {
			err := tx.NewRaw(`INSERT INTO announcements (cycle_id, kind, publish_at, created_by) VALUES (?, ?, ?, ?) RETURNING id`,
				c.ID, in.Kind, at, actor.User.ID).Scan(ctx, &id)
			if err != nil {
				return postgres.Map("schedule announcement", err)
			}
			created = true
		}
		if err := enqueueMails(ctx, tx, id, at); err != nil {
			return err
		}
		if a, err = loadAnnouncement(ctx, tx, id); err != nil {
			return err
		}
		action, before := "schedule", any(nil)
		switch {
		case has:
			action, before = "publish", audited(existing)
		case in.Now:
			action = "publish"
		}
		return audit.Record(ctx, tx, actor.User.ID, action, "announcement", id, before, audited(a))
	})
	if err != nil {
		return Announcement{}, false, err
	}
	return a, created, nil
}

// Reschedule moves the scheduled announcement id to at, which must lie
// ahead. The nominees' e-mail moves with it: a job for the new instant
// commits with the change, and the old instant's job finds the
// announcement moved and sends nothing. The cycle's admins only.
//
// Returns EForbidden, ENotFound, EInvalid (field publish_at: ErrPast,
// ErrWinnersFirst, ErrFinalistsLate) and EConflict: ErrPublished (it is
// out: it can only be unpublished), ErrUnpublished, ErrNothing.
func (s *Service) Reschedule(ctx context.Context, actor *awards.Actor, id int64, at time.Time) (Announcement, error) {
	if err := requireAdmin(actor); err != nil {
		return Announcement{}, err
	}
	var out Announcement
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, c, err := lockAnnouncement(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := stillScheduled(a); err != nil {
			return err
		}
		now, err := dbNow(ctx, tx)
		if err != nil {
			return err
		}
		if !at.After(now) {
			return pastError()
		}
		list, err := cycleAnnouncements(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if err := checkOrder(a.Kind, at, live(list), true); err != nil {
			return err
		}
		if err := checkDecisions(ctx, tx, c.ID, a.Kind); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE announcements SET publish_at = ? WHERE id = ?`, at, id); err != nil {
			return postgres.Map("reschedule announcement", err)
		}
		if err := enqueueMails(ctx, tx, id, at); err != nil {
			return err
		}
		if out, err = loadAnnouncement(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "reschedule", "announcement", id, audited(a), audited(out))
	})
	return out, err
}

// Unpublish withdraws the announcement id, scheduled or published, for
// reason (required, at most 2000 characters). What it made public
// disappears from every public view at once; a scheduled one never comes
// out and its e-mails are not sent. It stays in the history with who
// withdrew it, when and why. The cycle's admins only.
//
// Returns EForbidden, ENotFound, EInvalid (field reason) and EConflict
// (ErrUnpublished).
func (s *Service) Unpublish(ctx context.Context, actor *awards.Actor, id int64, reason string) (Announcement, error) {
	if err := requireAdmin(actor); err != nil {
		return Announcement{}, err
	}
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return Announcement{}, awards.Invalid(map[string]string{"reason": "publication.error.reason_required"})
	case n > maxReason:
		return Announcement{}, awards.Invalid(map[string]string{"reason": "form.error.too_long"})
	}
	var out Announcement
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, _, err := lockAnnouncement(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if a.State == Unpublished {
			return unpublishedError(a)
		}
		_, err = tx.ExecContext(ctx, `UPDATE announcements SET unpublished_at = now(), unpublished_by = ?, unpublish_reason = ? WHERE id = ?`,
			actor.User.ID, reason, id)
		if err != nil {
			return postgres.Map("unpublish announcement", err)
		}
		if out, err = loadAnnouncement(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "unpublish", "announcement", id, audited(a), audited(out))
	})
	return out, err
}

// lockAnnouncement locks the announcement's cycle (as Schedule does, so
// that changes to one cycle queue up) and reads the announcement.
func lockAnnouncement(ctx context.Context, tx bun.Tx, actor *awards.Actor, id int64) (Announcement, Cycle, error) {
	var cycleID int64
	if err := tx.QueryRowContext(ctx, `SELECT cycle_id FROM announcements WHERE id = ?`, id).Scan(&cycleID); err != nil {
		return Announcement{}, Cycle{}, postgres.Map(fmt.Sprintf("announcement %d", id), err)
	}
	if !policy.CanPublish(actor, cycleID) {
		return Announcement{}, Cycle{}, forbidden()
	}
	c, err := loadCycleByID(ctx, tx, cycleID, true)
	if err != nil {
		return Announcement{}, Cycle{}, err
	}
	a, err := loadAnnouncement(ctx, tx, id)
	return a, c, err
}

// stillScheduled refuses changes to an announcement that is out or
// withdrawn.
func stillScheduled(a Announcement) error {
	switch a.State {
	case Published:
		return &awards.Error{Code: awards.EConflict, Err: ErrPublished,
			Message: fmt.Sprintf("announcement %d was published %s: it can only be unpublished", a.ID, awards.ErrorTime(a.PublishAt))}
	case Unpublished:
		return unpublishedError(a)
	}
	return nil
}

func unpublishedError(a Announcement) error {
	return &awards.Error{Code: awards.EConflict, Err: ErrUnpublished,
		Message: fmt.Sprintf("announcement %d was unpublished: schedule a new one instead", a.ID)}
}

func pastError() error {
	return &awards.Error{Code: awards.EInvalid, Err: ErrPast, Message: "the instant must lie ahead; to publish at once, publish now",
		Fields: map[string]string{"publish_at": "publication.error.past"}}
}

// checkOrder refuses an instant that puts the winners before the
// finalists, or the finalists after the winners (whose announcement
// makes them public anyway). A cycle may skip the finalists' announcement.
// field says whether the instant was asked for (a field error) or is
// "now" (a conflict).
func checkOrder(k Kind, at time.Time, current map[Kind]Announcement, field bool) error {
	var cause error
	var msg, key string
	switch k {
	case Winners:
		f, ok := current[Finalists]
		if !ok || !at.Before(f.PublishAt) {
			return nil
		}
		cause, key = ErrWinnersFirst, "publication.error.winners_first"
		msg = fmt.Sprintf("the finalists are announced %s: the winners cannot come out before them; choose a later instant or move the finalists' announcement first",
			awards.ErrorTime(f.PublishAt))
	case Finalists:
		w, ok := current[Winners]
		if !ok || !at.After(w.PublishAt) {
			return nil
		}
		cause, key = ErrFinalistsLate, "publication.error.finalists_late"
		msg = fmt.Sprintf("the winners are announced %s, which makes the finalists public too: the finalists cannot come out after them",
			awards.ErrorTime(w.PublishAt))
	}
	if field {
		return &awards.Error{Code: awards.EInvalid, Err: cause, Message: msg, Fields: map[string]string{"publish_at": key}}
	}
	return &awards.Error{Code: awards.EConflict, Err: cause, Message: msg}
}

// checkDecisions refuses an announcement that would make nothing public:
// the finalists' needs a finalist, the winners' a winner.
func checkDecisions(ctx context.Context, db bun.IDB, cycleID int64, k Kind) error {
	outcome := OutcomeWinner
	if k == Finalists {
		outcome = OutcomeFinalist
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM decisions WHERE cycle_id = ? AND outcome = ?`, cycleID, outcome).Scan(&n); err != nil {
		return postgres.Map("count decisions", err)
	}
	if n == 0 {
		return &awards.Error{Code: awards.EConflict, Err: ErrNothing,
			Message: fmt.Sprintf("the jury's decision names no %s in this cycle yet: nothing would become public", outcome)}
	}
	return nil
}
