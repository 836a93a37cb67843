package privacy

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Session is a live login of the person, without its token.
type Session struct {
	Provider string
	LastSeen time.Time
	Expires  time.Time
}

// SessionLister lists a user's live sessions.
type SessionLister func(ctx context.Context, userID int64) ([]Session, error)

// Service exports a person's data.
type Service struct {
	db       bun.IDB
	sessions SessionLister
}

// NewService returns a Service over db; sessions may be nil where there
// is no session store (the export then lists none).
func NewService(db bun.IDB, sessions SessionLister) *Service {
	return &Service{db: db, sessions: sessions}
}

// Export is what Heder holds tied to one person. Each section is a JSON
// array of objects (User one object), built by the database from explicit
// column lists, so that no token, hash or storage key slips in.
type Export struct {
	GeneratedAt time.Time
	User        json.RawMessage
	// Sections in the order the document lists them.
	Sections []Section
	Sessions []Session
}

// Section is one kind of record, by its name in the document.
type Section struct {
	Name string
	Rows json.RawMessage
}

// section is one query of the export: its rows, as a subquery whose
// columns become the JSON keys. $1 is the user ID; $2 the user's e-mail
// address when it is verified, else ” (so that matching by address finds
// nothing for an address nobody has proven to own).
type section struct {
	name, query, order string
}

var sections = []section{
	{"memberships", `SELECT o.id::text AS organisation_id, o.name AS organisation, m.role, m.source, m.created_at
		FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = $1`, "organisation"},
	{"access_requests", `SELECT r.id::text AS id, o.name AS organisation, r.message, r.status, r.decided_at, r.created_at
		FROM membership_requests r JOIN organisations o ON o.id = r.organisation_id WHERE r.user_id = $1`, "created_at, id::bigint"},
	{"nominations", `SELECT n.public_id, c.title AS cycle, c.year, n.title, n.summary, n.challenge,
			n.contact_name, n.contact_email, n.contact_phone, n.status, n.ineligible_reason,
			coalesce(n.created_by = $1, false) AS created_by_you, ($2 <> '' AND lower(n.contact_email) = $2) AS you_are_contact,
			(SELECT coalesce(json_agg(o.name ORDER BY o.name), '[]') FROM nomination_organisations no
				JOIN organisations o ON o.id = no.organisation_id WHERE no.nomination_id = n.id) AS organisations,
			n.created_at, n.updated_at, n.submitted_at
		FROM nominations n JOIN cycles c ON c.id = n.cycle_id
		WHERE n.created_by = $1 OR ($2 <> '' AND lower(n.contact_email) = $2)`, "created_at, public_id"},
	{"projects", `SELECT p.public_id, o.name AS organisation, p.title, p.description, p.results, p.partners,
			p.period_start, p.period_end, p.links, p.created_at, p.updated_at
		FROM projects p JOIN organisations o ON o.id = p.organisation_id WHERE p.created_by = $1`, "created_at, public_id"},
	{"attachments", `SELECT a.public_id, p.public_id AS project, a.filename, a.content_type, a.size, a.sha256,
			a.alt_text, a.public, a.created_at
		FROM attachments a JOIN projects p ON p.id = a.project_id WHERE a.created_by = $1`, "created_at, public_id"},
	{"jury_seats", `SELECT c.public_id AS cycle_id, c.title AS cycle, j.chair, j.declared_at, j.removed_at, j.created_at
		FROM jurors j JOIN cycles c ON c.id = j.cycle_id WHERE j.user_id = $1`, "created_at, cycle_id"},
	// An invitation accepted from another address than the one it went
	// to names someone who may not be this person: its name and address
	// are left out.
	{"jury_invitations", `SELECT c.title AS cycle,
			CASE WHEN lower(i.email) = $2 THEN i.name END AS name, CASE WHEN lower(i.email) = $2 THEN i.email END AS email,
			i.chair, i.language, i.created_at, i.expires_at, i.mailed_at, i.accepted_at, i.seated_at, i.revoked_at
		FROM jury_invitations i JOIN cycles c ON c.id = i.cycle_id
		WHERE i.accepted_by = $1 OR ($2 <> '' AND lower(i.email) = $2)`, "created_at, expires_at"},
	{"joint_entry_invitations", `SELECT i.public_id, n.public_id AS nomination, o.name AS organisation,
			io.name AS inviting_organisation, i.status, coalesce(i.invited_by = $1, false) AS invited_by_you,
			coalesce(i.answered_by = $1, false) AS answered_by_you, i.created_at, i.answered_at
		FROM nominee_invitations i JOIN nominations n ON n.id = i.nomination_id
		JOIN organisations o ON o.id = i.organisation_id JOIN organisations io ON io.id = i.inviting_organisation_id
		WHERE i.invited_by = $1 OR i.answered_by = $1`, "created_at, public_id"},
	{"conflict_declarations", `SELECT c.title AS cycle, o.name AS organisation, x.kind, x.reason, x.declared_at
		FROM conflicts x JOIN jurors j ON j.id = x.juror_id JOIN cycles c ON c.id = j.cycle_id
		JOIN organisations o ON o.id = x.organisation_id WHERE j.user_id = $1`, "declared_at, organisation"},
	{"conflict_reviews", `SELECT c.title AS cycle, o.name AS organisation, r.reviewed_at
		FROM conflict_reviews r JOIN jurors j ON j.id = r.juror_id JOIN cycles c ON c.id = j.cycle_id
		JOIN organisations o ON o.id = r.organisation_id WHERE j.user_id = $1`, "reviewed_at, organisation"},
	{"scores", `SELECT c.title AS cycle, n.public_id AS nomination, p.public_id AS project, k.name_nb AS criterion,
			s.value, s.comment, s.updated_at
		FROM scores s JOIN jurors j ON j.id = s.juror_id JOIN cycles c ON c.id = j.cycle_id
		JOIN nominations n ON n.id = s.nomination_id JOIN criteria k ON k.id = s.criterion_id
		LEFT JOIN projects p ON p.id = s.project_id WHERE j.user_id = $1`, "updated_at, nomination, criterion"},
	{"score_submissions", `SELECT c.title AS cycle, n.public_id AS nomination, s.submitted_at, s.excluded_reason
		FROM score_submissions s JOIN jurors j ON j.id = s.juror_id JOIN cycles c ON c.id = j.cycle_id
		JOIN nominations n ON n.id = s.nomination_id WHERE j.user_id = $1`, "submitted_at, nomination"},
	{"ballots", `SELECT c.title AS cycle, r.name_nb AS round, n.public_id AS nomination, b.rank, b.updated_at
		FROM ballots b JOIN jurors j ON j.id = b.juror_id JOIN cycles c ON c.id = j.cycle_id JOIN rounds r ON r.id = b.round_id
		JOIN nominations n ON n.id = b.nomination_id WHERE j.user_id = $1`, "updated_at, nomination"},
	{"ballot_submissions", `SELECT c.title AS cycle, r.name_nb AS round, s.submitted_at
		FROM ballot_submissions s JOIN jurors j ON j.id = s.juror_id JOIN cycles c ON c.id = j.cycle_id
		JOIN rounds r ON r.id = s.round_id WHERE j.user_id = $1`, "submitted_at, round"},
	{"jury_comments", `SELECT c.title AS cycle, n.public_id AS nomination, m.body, m.created_at
		FROM jury_comments m JOIN jurors j ON j.id = m.juror_id JOIN cycles c ON c.id = j.cycle_id
		JOIN nominations n ON n.id = m.nomination_id WHERE j.user_id = $1`, "created_at, nomination"},
	{"receipt_mails", `SELECT n.public_id AS nomination, o.name AS organisation, r.submitted_at, r.sent_at
		FROM receipt_mails r JOIN nominations n ON n.id = r.nomination_id JOIN organisations o ON o.id = r.organisation_id
		WHERE r.user_id = $1`, "sent_at, nomination"},
	{"announcement_mails", `SELECT n.public_id AS nomination, o.name AS organisation, m.outcome, m.sent_at
		FROM announcement_mails m JOIN nominations n ON n.id = m.nomination_id JOIN organisations o ON o.id = m.organisation_id
		WHERE m.user_id = $1`, "sent_at, nomination"},
	{"outbox_messages", `SELECT c.title AS cycle, m.kind, m.email, o.name AS organisation, m.language, m.subject,
			m.state, m.attempts, m.created_at, m.sent_at
		FROM outbox_messages m JOIN cycles c ON c.id = m.cycle_id LEFT JOIN organisations o ON o.id = m.organisation_id
		WHERE m.user_id = $1 OR ($2 <> '' AND lower(m.email) = $2)`, "created_at, subject"},
	{"call_optouts", `SELECT o.name AS organisation, x.email, x.created_at
		FROM call_optouts x JOIN organisations o ON o.id = x.organisation_id
		WHERE x.user_id = $1 OR ($2 <> '' AND lower(x.email) = $2)`, "created_at, organisation"},
	{"caught_mails", `SELECT m.id::text AS id, m.sender, m.recipient, m.subject, m.text_body, m.created_at
		FROM caught_mails m WHERE $2 <> '' AND lower(m.recipient) = $2`, "created_at, id::bigint"},
}

// Export gathers everything Heder holds tied to the actor, for the actor
// only: nobody exports another person's data. EUnauthenticated for an
// anonymous actor.
func (s *Service) Export(ctx context.Context, actor *awards.Actor) (*Export, error) {
	if actor.Anonymous() {
		return nil, awards.Errorf(awards.EUnauthenticated, "log in to download your data")
	}
	u := actor.User
	out := &Export{}
	// One repeatable-read snapshot, so that the sections agree.
	err := s.db.RunInTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}, func(ctx context.Context, tx bun.Tx) error {
		var email string
		err := tx.NewRaw(`SELECT now(), CASE WHEN email_verified THEN lower(email) ELSE '' END,
				json_build_object('id', id::text, 'name', name, 'email', email, 'email_verified', email_verified,
					'language', locale, 'site_admin', is_admin, 'login_issuer', issuer, 'login_subject', subject,
					'created_at', created_at, 'updated_at', updated_at, 'last_login_at', last_login_at)
			FROM users WHERE id = ?`, u.ID).Scan(ctx, &out.GeneratedAt, &email, &out.User)
		if err != nil {
			return postgres.Map("export user", err)
		}
		for _, sec := range sections {
			var rows json.RawMessage
			// The always-true condition names both parameters with their types,
			// so that every query takes the same two, used or not.
			q := `SELECT coalesce(json_agg(x ORDER BY ` + sec.order + `), '[]') FROM (` + sec.query + `) x
				WHERE $1::bigint IS NOT NULL OR $2::text IS NOT NULL`
			if err := postgres.Driver(tx).QueryRowContext(ctx, q, u.ID, email).Scan(&rows); err != nil {
				return postgres.Map("export "+sec.name, err)
			}
			out.Sections = append(out.Sections, Section{Name: sec.name, Rows: rows})
		}
		audit, err := s.auditOf(ctx, tx, u)
		if err != nil {
			return err
		}
		out.Sections = append(out.Sections, Section{Name: "audit_entries", Rows: audit})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export data of user %d: %w", u.ID, err)
	}
	if s.sessions != nil {
		if out.Sessions, err = s.sessions(ctx, u.ID); err != nil {
			return nil, fmt.Errorf("export sessions of user %d: %w", u.ID, err)
		}
	}
	return out, nil
}
