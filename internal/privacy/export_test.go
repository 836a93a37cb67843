package privacy_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/privacy"
	"github.com/heder-awards/heder/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// seed is a small world for two people who each have data in every table
// the export reads.
type seed struct {
	t     *testing.T
	ctx   context.Context
	db    *postgres.DB
	cycle int64
	crit  int64
	ann   int64
	orgs  [2]int64
}

func (s *seed) id(q string, args ...any) int64 {
	s.t.Helper()
	var id int64
	if err := s.db.NewRaw(q, args...).Scan(s.ctx, &id); err != nil {
		s.t.Fatalf("%s: %v", q, err)
	}
	return id
}

func (s *seed) exec(q string, args ...any) {
	s.t.Helper()
	if _, err := s.db.ExecContext(s.ctx, q, args...); err != nil {
		s.t.Fatalf("%s: %v", q, err)
	}
}

// person creates a user named who (e-mail who@example.org) with a row in
// every table tied to a person, each carrying who's name in its text.
func (s *seed) person(who string) int64 {
	email := who + "@example.org"
	u := s.id(`INSERT INTO users (issuer, subject, name, email, email_verified) VALUES ('https://idp.example', ?, ?, ?, true) RETURNING id`,
		who, "Navn "+who, email)
	s.exec(`INSERT INTO memberships (user_id, organisation_id, role, source) VALUES (?, ?, 'submitter', 'admin')`, u, s.orgs[0])
	s.exec(`INSERT INTO membership_requests (user_id, organisation_id, message) VALUES (?, ?, ?)`, u, s.orgs[1], "Forespørsel fra "+who)
	created := s.id(`INSERT INTO nominations (cycle_id, title, created_by) VALUES (?, ?, ?) RETURNING id`, s.cycle, "Laget av "+who, u)
	s.exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id, lead) VALUES (?, ?, true)`, created, s.orgs[0])
	// A nomination somebody else (nobody here) created, naming who as contact.
	contact := s.id(`INSERT INTO nominations (cycle_id, title, contact_name, contact_email, contact_phone) VALUES (?, ?, ?, ?, '99999999') RETURNING id`,
		s.cycle, "Kontakt "+who, "Navn "+who, strings.ToUpper(email))
	project := s.id(`INSERT INTO projects (organisation_id, title, created_by) VALUES (?, ?, ?) RETURNING id`, s.orgs[0], "Prosjekt "+who, u)
	s.exec(`INSERT INTO attachments (project_id, filename, content_type, size, sha256, storage_key, created_by) VALUES (?, ?, 'application/pdf', 1, '00', ?, ?)`,
		project, who+".pdf", "key-"+who, u)
	juror := s.id(`INSERT INTO jurors (cycle_id, user_id, declared_at) VALUES (?, ?, now()) RETURNING id`, s.cycle, u)
	s.exec(`INSERT INTO jury_invitations (cycle_id, email, name, token_hash, expires_at, accepted_at, accepted_by, seated_at)
		VALUES (?, ?, ?, ?, now() + interval '1 day', now(), ?, now())`, s.cycle, email, "Invitert "+who, []byte("hash-"+who), u)
	s.exec(`INSERT INTO nominee_invitations (nomination_id, organisation_id, inviting_organisation_id, invited_by) VALUES (?, ?, ?, ?)`,
		created, s.orgs[1], s.orgs[0], u)
	s.exec(`INSERT INTO conflicts (juror_id, organisation_id, kind, reason) VALUES (?, ?, 'other', ?)`, juror, s.orgs[1], "Konflikt "+who)
	s.exec(`INSERT INTO conflict_reviews (juror_id, organisation_id) VALUES (?, ?)`, juror, s.orgs[1])
	s.exec(`INSERT INTO scores (juror_id, nomination_id, criterion_id, value, comment) VALUES (?, ?, ?, 4, ?)`, juror, contact, s.crit, "Poengkommentar "+who)
	s.exec(`INSERT INTO score_submissions (juror_id, nomination_id) VALUES (?, ?)`, juror, contact)
	s.exec(`INSERT INTO jury_comments (nomination_id, juror_id, body) VALUES (?, ?, ?)`, contact, juror, "Jurykommentar "+who)
	round := s.id(`INSERT INTO rounds (cycle_id, position, kind, name_nb) SELECT ?, coalesce(max(position), 0) + 1, 'ranked_vote', ?
		FROM rounds WHERE cycle_id = ? RETURNING id`, s.cycle, "Finale "+who, s.cycle)
	s.exec(`INSERT INTO ballots (round_id, juror_id, nomination_id, rank) VALUES (?, ?, ?, 1)`, round, juror, contact)
	s.exec(`INSERT INTO ballot_submissions (round_id, juror_id) VALUES (?, ?)`, round, juror)
	s.exec(`INSERT INTO receipt_mails (nomination_id, submitted_at, user_id, organisation_id) VALUES (?, now(), ?, ?)`, created, u, s.orgs[0])
	s.exec(`INSERT INTO announcement_mails (announcement_id, nomination_id, user_id, organisation_id, outcome) VALUES (?, ?, ?, ?, 'winner')`, s.ann, created, u, s.orgs[0])
	s.exec(`INSERT INTO caught_mails (sender, recipient, subject, text_body) VALUES ('heder@example.org', ?, ?, 'Hei')`, email, "Post til "+who)
	s.exec(`INSERT INTO outbox_messages (cycle_id, kind, user_id, email, organisation_id, language, subject, dedupe_key)
		VALUES (?, 'ineligible', ?, ?, ?, 'nb', ?, ?)`, s.cycle, u, email, s.orgs[0], "Melding til "+who, "privacy-"+who)
	s.exec(`INSERT INTO call_optouts (organisation_id, user_id, email) VALUES (?, ?, ?)`, s.id(`INSERT INTO organisations (kind, name)
		VALUES ('company', ?) RETURNING id`, "Avmeldt av "+who), u, email)
	s.exec(`INSERT INTO audit_log (actor_id, action, entity, entity_id, after) VALUES (?, 'update', 'project', ?, ?)`,
		u, project, `{"title": "Prosjekt `+who+`"}`)
	return u
}

// TestExport gives a person with data in every table all of it, and
// nothing of another person who has the same.
func TestExport(t *testing.T) {
	t.Parallel()
	s := &seed{t: t, ctx: context.Background(), db: pgtest.New(t)}
	s.orgs[0] = s.id(`INSERT INTO organisations (kind, name) VALUES ('municipality', 'Asker') RETURNING id`)
	s.orgs[1] = s.id(`INSERT INTO organisations (kind, name) VALUES ('municipality', 'Træna') RETURNING id`)
	award := s.id(`INSERT INTO awards (slug, name_nb) VALUES ('pris', 'Pris') RETURNING id`)
	s.cycle = s.id(`INSERT INTO cycles (award_id, year, title, phase) VALUES (?, 2027, 'Prisen 2027', 'judging') RETURNING id`, award)
	s.crit = s.id(`INSERT INTO criteria (cycle_id, name_nb) VALUES (?, 'Nytt') RETURNING id`, s.cycle)
	s.ann = s.id(`INSERT INTO announcements (cycle_id, kind, publish_at) VALUES (?, 'winners', now() + interval '1 day') RETURNING id`, s.cycle)
	kari, ola := s.person("kari"), s.person("ola")
	// Kari acted on Ola: invited him to the jury (the entry names him)
	// and accepted an invitation sent to his address, which waits for
	// confirmation and must not show his name or address to her.
	s.exec(`INSERT INTO audit_log (actor_id, action, entity, entity_id, after) VALUES (?, 'invite', 'jury_invitation', 1, ?)`,
		kari, `{"name": "Navn ola", "email": "ola@example.org", "chair": false}`)
	s.exec(`INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after) VALUES (?, 'set_admin', 'user', ?, '{"admin": false}', ?)`,
		kari, ola, `{"admin": true, "user_id": `+strconv.FormatInt(ola, 10)+`}`)
	s.exec(`INSERT INTO jury_invitations (cycle_id, email, name, token_hash, expires_at, accepted_at, accepted_by)
		VALUES (?, 'ola@example.org', 'Navn ola', 'hash-x', now() + interval '1 day', now(), ?)`, s.cycle, kari)
	// Ola's nomination with Kari as its contact: its fields are the
	// nomination's, but Ola is no part of them.
	s.exec(`UPDATE nominations SET contact_name = 'Kari K.', contact_email = 'kari@example.org' WHERE title = 'Laget av ola'`)

	actor, err := users.NewService(s.db).Actor(s.ctx, kari)
	if err != nil {
		t.Fatal(err)
	}
	e, err := privacy.NewService(s.db, nil).Export(s.ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	var all strings.Builder
	all.Write(e.User)
	for _, sec := range e.Sections {
		var rows []map[string]any
		if err := json.Unmarshal(sec.Rows, &rows); err != nil {
			t.Fatalf("%s: %v", sec.Name, err)
		}
		counts[sec.Name] = len(rows)
		all.Write(sec.Rows)
		// IDs are strings, as everywhere in the API that serves the export.
		for _, row := range rows {
			for k, v := range row {
				if k == "id" || strings.HasSuffix(k, "_id") {
					if _, ok := v.(string); !ok && v != nil {
						t.Errorf("%s: %s is %T %v, want a string", sec.Name, k, v, v)
					}
				}
			}
		}
	}
	var user map[string]any
	if err := json.Unmarshal(e.User, &user); err != nil {
		t.Fatal(err)
	}
	if id, ok := user["id"].(string); !ok || id != strconv.FormatInt(kari, 10) {
		t.Errorf("user id %v, want the string %q", user["id"], strconv.FormatInt(kari, 10))
	}
	want := map[string]int{"memberships": 1, "access_requests": 1,
		// Her own, the one naming her as contact, and Ola's that she is the contact of.
		"nominations": 3, "projects": 1, "attachments": 1, "jury_seats": 1,
		// Her own and the one accepted from Ola's address.
		"jury_invitations": 2, "joint_entry_invitations": 1, "conflict_declarations": 1, "conflict_reviews": 1,
		"scores": 1, "score_submissions": 1, "jury_comments": 1, "ballots": 1, "ballot_submissions": 1, "receipt_mails": 1, "announcement_mails": 1,
		"outbox_messages": 1, "call_optouts": 1, "caught_mails": 1, "audit_entries": 3}
	for name, n := range want {
		if counts[name] != n {
			t.Errorf("%s: %d rows, want %d", name, counts[name], n)
		}
	}
	if len(counts) != len(want) {
		t.Errorf("sections %v, want those of %v", counts, want)
	}
	doc := all.String()
	// A nomination nobody created is not hers: false, not null.
	if !strings.Contains(doc, `"created_by_you":false`) || strings.Contains(doc, `"created_by_you":null`) {
		t.Error("created_by_you is not false for the nomination she is only the contact of")
	}
	for _, s := range []string{"kari@example.org", "Navn kari", "Forespørsel fra kari", "Laget av kari", "Kontakt kari",
		"Prosjekt kari", "kari.pdf", "Konflikt kari", "Poengkommentar kari", "Jurykommentar kari", "Post til kari", "Invitert kari",
		"Melding til kari", "Avmeldt av kari"} {
		if !strings.Contains(doc, s) {
			t.Errorf("export lacks %q", s)
		}
	}
	for _, s := range []string{"ola@example.org", "Navn ola", "Forespørsel fra ola", "Prosjekt ola", "ola.pdf", "Konflikt ola",
		"Poengkommentar ola", "Jurykommentar ola", "Post til ola", "Invitert ola", "Kontakt ola", "key-kari", "hash-kari",
		"Melding til ola", "Avmeldt av ola"} {
		if strings.Contains(doc, s) {
			t.Errorf("export holds %q", s)
		}
	}
	if strings.Contains(doc, "storage_key") || strings.Contains(doc, "token") {
		t.Error("export holds a storage key or token")
	}
	// Ola's user ID is nowhere in what she did to him.
	var entries []struct {
		Entity   string
		EntityID *int64 `json:"entity_id,string"`
		After    map[string]any
	}
	for _, sec := range e.Sections {
		if sec.Name == "audit_entries" {
			if err := json.Unmarshal(sec.Rows, &entries); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, en := range entries {
		if en.Entity == "user" && (en.EntityID != nil || en.After["user_id"] != nil || en.After["admin"] != true) {
			t.Errorf("entry about Ola: %+v, want his ID left out and the change kept", en)
		}
	}

	if _, err := privacy.NewService(s.db, nil).Export(s.ctx, &awards.Actor{}); awards.ErrorCode(err) != awards.EUnauthenticated {
		t.Errorf("anonymous export: %v, want EUnauthenticated", err)
	}
}
