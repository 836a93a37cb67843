// Package noark makes a published cycle's Noark 5 (version 5.0) archive
// deposit (arkivuttrekk): the tar file an owner's archive system takes in,
// with arkivstruktur.xml (arkiv → arkivdel → klassifikasjonssystem → klasse
// → one saksmappe for the cycle and one per nomination), endringslogg.xml,
// arkivuttrekk.xml (ADDML, every file with its SHA-256 checksum) and the
// documents. The jury's papers are screened under offentleglova § 14.
//
// It reads across the award's flow with its own SQL, as privacy does, and
// sits at the end of the use cases.
package noark

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// ErrNotPublished refuses a deposit of a cycle that is not published: its
// cases are still open.
var ErrNotPublished = fmt.Errorf("only a published cycle can be deposited")

// Cycle is what the deposit says about the cycle itself.
type Cycle struct {
	ID         int64     `bun:"id"`
	PublicID   string    `bun:"public_id"`
	Year       int       `bun:"year"`
	Title      string    `bun:"title"`
	AwardName  string    `bun:"award_name"`
	Owner      string    `bun:"owner_name"`
	CallText   string    `bun:"call_text"`
	CallTextNN string    `bun:"call_text_nn"`
	CreatedAt  time.Time `bun:"created_at"`
	// CallOpensAt and Deadline are the cycle's, or CreatedAt where it
	// has none.
	CallOpensAt time.Time `bun:"-"`
	Deadline    time.Time `bun:"-"`
	PublishedAt time.Time `bun:"published_at"`
	Jurors      []Juror   `bun:"jurors,type:jsonb"`
	// Announcements that went out, oldest first.
	Announcements []Announcement `bun:"announcements,type:jsonb"`
}

// Juror is a member of the cycle's jury.
type Juror struct {
	Name   string    `json:"name"`
	Chair  bool      `json:"chair"`
	Seated time.Time `json:"seated"`
}

// Announcement is a published announcement.
type Announcement struct {
	Kind      string    `json:"kind"`
	PublishAt time.Time `json:"publish_at"`
}

// Nomination is one received nomination with what the archive keeps of it.
type Nomination struct {
	ID               int64      `bun:"id"`
	PublicID         string     `bun:"public_id"`
	Title            string     `bun:"title"`
	Summary          string     `bun:"summary"`
	Status           string     `bun:"status"`
	IneligibleReason string     `bun:"ineligible_reason"`
	ContactName      string     `bun:"contact_name"`
	ContactEmail     string     `bun:"contact_email"`
	ContactPhone     string     `bun:"contact_phone"`
	SubmittedAt      time.Time  `bun:"submitted_at"`
	Outcome          string     `bun:"outcome"`
	Statement        string     `bun:"statement"`
	DecidedAt        *time.Time `bun:"decided_at"`
	Feedback         string     `bun:"feedback"`
	ReceiptSent      *time.Time `bun:"receipt_sent"`
	ResultSent       *time.Time `bun:"result_sent"`
	IneligibleSent   *time.Time `bun:"ineligible_sent"`
	Nominees         []Nominee  `bun:"nominees,type:jsonb"`
	Projects         []Project  `bun:"projects,type:jsonb"`
	Files            []File     `bun:"files,type:jsonb"`
	Scores           []Score    `bun:"scores,type:jsonb"`
	Comments         []Comment  `bun:"comments,type:jsonb"`
}

// Nominee is a nominee organisation.
type Nominee struct {
	Name  string `json:"name"`
	OrgNr string `json:"orgnr"`
	Lead  bool   `json:"lead"`
}

// Project is a linked project, as the nomination showed it.
type Project struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Results     string `json:"results"`
	Partners    string `json:"partners"`
}

// File is an attachment of a linked project, kept in its own format.
type File struct {
	PublicID    string    `json:"public_id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	StorageKey  string    `json:"storage_key"`
	CreatedAt   time.Time `json:"created_at"`
}

// Score is a juror's submitted score of one criterion.
type Score struct {
	Juror     string   `json:"juror"`
	Criterion string   `json:"criterion"`
	Value     *float64 `json:"value"`
	Comment   string   `json:"comment"`
	Excluded  string   `json:"excluded"`
}

// Comment is a juror's comment in the jury's discussion.
type Comment struct {
	Juror string    `json:"juror"`
	Body  string    `json:"body"`
	At    time.Time `json:"at"`
}

// Deposit is everything a cycle's deposit is made of.
type Deposit struct {
	Cycle       Cycle
	Nominations []Nomination
}

// Service makes deposits of the cycles in db, with the attachments in
// store, where it keeps the deposits its job makes too.
type Service struct {
	db    bun.IDB
	store files.Store
	now   func() time.Time
}

// NewService returns a Service.
func NewService(db bun.IDB, store files.Store) *Service {
	return &Service{db: db, store: store, now: time.Now}
}

// Write writes deposit d as a tar file to w (see Deposit.Write).
func (s *Service) Write(ctx context.Context, w io.Writer, d Deposit) error {
	return d.Write(ctx, w, s.store, s.now(), nil)
}

// Load reads the published cycle cyclePublicID for its deposit. The
// cycle's administrators only (EForbidden); ENotFound for an unknown
// cycle; EConflict (ErrNotPublished) before it is published.
func (s *Service) Load(ctx context.Context, actor *awards.Actor, cyclePublicID string) (Deposit, error) {
	d, err := s.load(ctx, cyclePublicID, func(c cycles.State) error { return depositable(actor, c.ID, c.Phase) })
	if err != nil {
		return Deposit{}, err
	}
	return d, nil
}

// depositable refuses a deposit of cycle cycleID in phase to actor: the
// cycle's administrators only (EForbidden), and only once it is published
// (EConflict, ErrNotPublished).
func depositable(actor *awards.Actor, cycleID int64, phase awards.Phase) error {
	if !policy.CanManageCycle(actor, cycleID) {
		return awards.Errorf(awards.EForbidden, "only the cycle's administrators can export its archive deposit")
	}
	if phase != awards.PhasePublished {
		return &awards.Error{Code: awards.EConflict, Err: ErrNotPublished, Message: fmt.Sprintf(
			"the cycle is %s: only a published cycle can be deposited in the archive, when all its cases are closed", phase)}
	}
	return nil
}

// load reads the cycle cyclePublicID for its deposit, once check lets it
// by the cycle's state.
func (s *Service) load(ctx context.Context, cyclePublicID string, check func(cycles.State) error) (Deposit, error) {
	db := s.db
	var d Deposit
	st, err := cycles.StateByPublicID(ctx, db, cyclePublicID, cycles.NoLock)
	if err != nil {
		return d, err
	}
	if err := check(st); err != nil {
		return Deposit{}, err
	}
	err = db.NewRaw(`SELECT c.id, c.public_id, c.year, c.title, a.name_nb AS award_name,
			coalesce(o.name, '') AS owner_name, c.call_text, c.call_text_nn, c.created_at,
			coalesce(p.published_at, c.updated_at) AS published_at,
			(SELECT coalesce(json_agg(json_build_object('name', u.name, 'chair', j.chair, 'seated', j.created_at) ORDER BY j.chair DESC, u.name), '[]')
				FROM jurors j JOIN users u ON u.id = j.user_id WHERE j.cycle_id = c.id AND j.removed_at IS NULL) AS jurors,
			(SELECT coalesce(json_agg(json_build_object('kind', an.kind, 'publish_at', an.publish_at) ORDER BY an.publish_at), '[]')
				FROM announcements an WHERE an.cycle_id = c.id AND an.unpublished_at IS NULL AND an.publish_at <= now()) AS announcements
		FROM cycles c JOIN awards a ON a.id = c.award_id LEFT JOIN organisations o ON o.id = a.owner_id
		LEFT JOIN cycle_publications p ON p.cycle_id = c.id
		WHERE c.id = ?`, st.ID).Scan(ctx, &d.Cycle)
	if err != nil {
		return d, postgres.Map("load cycle "+cyclePublicID, err)
	}
	d.Cycle.CallOpensAt, d.Cycle.Deadline = d.Cycle.CreatedAt, d.Cycle.CreatedAt
	if st.CallOpensAt != nil {
		d.Cycle.CallOpensAt = *st.CallOpensAt
	}
	if st.NominationDeadline != nil {
		d.Cycle.Deadline = *st.NominationDeadline
	}
	// Every nomination that was received, in the order it came in; drafts
	// never reached the owner.
	err = db.NewRaw(`SELECT n.id, n.public_id, n.title, n.summary, n.status, n.ineligible_reason,
			n.contact_name, n.contact_email, n.contact_phone, n.submitted_at,
			coalesce(d.outcome, '') AS outcome, coalesce(d.statement_nb, '') AS statement, d.decided_at,
			coalesce(f.body, '') AS feedback,
			(SELECT min(sent_at) FROM receipt_mails r WHERE r.nomination_id = n.id) AS receipt_sent,
			(SELECT min(sent_at) FROM outbox_messages m WHERE m.nomination_id = n.id AND m.kind = 'results' AND m.state = 'sent') AS result_sent,
			(SELECT min(sent_at) FROM outbox_messages m WHERE m.nomination_id = n.id AND m.kind = 'ineligible' AND m.state = 'sent') AS ineligible_sent,
			(SELECT json_agg(json_build_object('name', o.name, 'orgnr', coalesce(o.orgnr, ''), 'lead', no.lead) ORDER BY no.lead DESC, o.name)
				FROM nomination_organisations no JOIN organisations o ON o.id = no.organisation_id WHERE no.nomination_id = n.id) AS nominees,
			(SELECT coalesce(json_agg(json_build_object('title', p.title, 'description', p.description, 'results', p.results, 'partners', p.partners) ORDER BY np.position), '[]')
				FROM nomination_projects np JOIN projects p ON p.id = np.project_id WHERE np.nomination_id = n.id) AS projects,
			(SELECT coalesce(json_agg(json_build_object('public_id', a.public_id, 'filename', a.filename, 'content_type', a.content_type,
					'size', a.size, 'sha256', a.sha256, 'storage_key', a.storage_key, 'created_at', a.created_at) ORDER BY np.position, a.id), '[]')
				FROM nomination_projects np JOIN attachments a ON a.project_id = np.project_id WHERE np.nomination_id = n.id) AS files,
			(SELECT coalesce(json_agg(json_build_object('juror', u.name,
					-- A cycle judged in rounds names each score's round.
					'criterion', CASE WHEN r.position > 1 OR EXISTS (SELECT 1 FROM rounds x WHERE x.cycle_id = r.cycle_id AND x.position > 1)
						THEN r.name_nb || ': ' || cr.name_nb ELSE cr.name_nb END,
					'value', s.value, 'comment', s.comment,
					'excluded', coalesce(ss.excluded_reason, '')) ORDER BY r.position, u.name, cr.position, cr.id), '[]')
				FROM scores s JOIN criteria cr ON cr.id = s.criterion_id JOIN rounds r ON r.id = cr.round_id
				JOIN score_submissions ss ON ss.juror_id = s.juror_id AND ss.nomination_id = s.nomination_id AND ss.round_id = cr.round_id
				JOIN jurors j ON j.id = s.juror_id JOIN users u ON u.id = j.user_id
				WHERE s.nomination_id = n.id) AS scores,
			(SELECT coalesce(json_agg(json_build_object('juror', u.name, 'body', jc.body, 'at', jc.created_at) ORDER BY jc.created_at, jc.id), '[]')
				FROM jury_comments jc JOIN jurors j ON j.id = jc.juror_id JOIN users u ON u.id = j.user_id WHERE jc.nomination_id = n.id) AS comments
		FROM nominations n LEFT JOIN decisions d ON d.nomination_id = n.id LEFT JOIN feedback f ON f.nomination_id = n.id
		WHERE n.cycle_id = ? AND n.submitted_at IS NOT NULL AND n.status <> 'draft'
		ORDER BY n.submitted_at, n.id`, d.Cycle.ID).Scan(ctx, &d.Nominations)
	if err != nil {
		return d, postgres.Map("load nominations for the deposit", err)
	}
	return d, nil
}
