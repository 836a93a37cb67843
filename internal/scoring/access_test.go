package scoring_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/scoring"
)

// TestWhoScores checks who may read, save and submit scores of a
// nomination: only a seated juror who has declared and has the nomination
// among their juror_nominations; the rest learn nothing (ENotFound),
// except an undeclared juror, who is sent to declare.
func TestWhoScores(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	auto := e.judging()
	e.exec(`UPDATE cycles SET assignment_mode = 'auto' WHERE id = ?`, auto.id)
	nom := e.nomination(c, "Asker", "submitted", 1)
	autoNom := e.nomination(auto, "Asker", "submitted", 1)
	autoOther := e.nomination(auto, "Træna", "submitted", 1)
	draft := e.nomination(c, "Træna", "draft", 1)
	withdrawn := e.nomination(c, "Bærum", "withdrawn", 1)
	other := e.nomination(c, "Sandnes", "submitted", 1)

	juror := e.person("juror", false)
	e.seat(juror, c, false, true)
	assigned := e.person("assigned", false)
	aj := e.seat(assigned, auto, false, true)
	e.exec(`INSERT INTO assignments (juror_id, nomination_id) VALUES (?, ?)`, aj, e.nominationID(autoNom))
	e.exec(`INSERT INTO assignments (juror_id, nomination_id, manual, assigned) VALUES (?, ?, true, false)`, aj, e.nominationID(autoOther))
	undeclared := e.person("undeclared", false)
	e.seat(undeclared, c, false, false)
	declaredConflict := e.person("declared-conflict", false)
	dc := e.seat(declaredConflict, c, false, true)
	e.exec(`INSERT INTO conflicts (juror_id, organisation_id, kind, reason) VALUES (?, ?, 'employed', 'Jobber i Asker')`, dc, e.orgs["Asker"])
	member := e.person("member", false, "Asker") // conflicted automatically
	e.seat(member, c, false, true)
	removed := e.person("removed", false)
	rj := e.seat(removed, c, false, true)
	e.exec(`UPDATE jurors SET removed_at = now() WHERE id = ?`, rj)
	otherCycle := e.person("other-cycle", false)
	e.seat(otherCycle, auto, false, true)
	admin := e.person("admin", true)
	outsider := e.person("outsider", false)

	tests := []struct {
		name      string
		actor     *awards.Actor
		cycle     string
		nom       string
		code      string
		undeclare bool
	}{
		{"seated and declared", juror, c.publicID, nom, "", false},
		{"another submitted nomination", juror, c.publicID, other, "", false},
		{"any cycle in the path", juror, "", nom, "", false},
		{"the wrong cycle in the path", juror, auto.publicID, nom, awards.ENotFound, false},
		{"a draft", juror, c.publicID, draft, awards.ENotFound, false},
		{"a withdrawn nomination", juror, c.publicID, withdrawn, awards.ENotFound, false},
		{"no such nomination", juror, c.publicID, "nosuch", awards.ENotFound, false},
		{"assigned", assigned, auto.publicID, autoNom, "", false},
		{"unassigned", assigned, auto.publicID, autoOther, awards.ENotFound, false},
		{"undeclared", undeclared, c.publicID, nom, awards.EForbidden, true},
		{"undeclared, a draft", undeclared, c.publicID, draft, awards.ENotFound, false},
		{"declared conflict", declaredConflict, c.publicID, nom, awards.ENotFound, false},
		{"declared conflict, another nominee", declaredConflict, c.publicID, other, "", false},
		{"member of the nominee", member, c.publicID, nom, awards.ENotFound, false},
		{"removed", removed, c.publicID, nom, awards.ENotFound, false},
		{"juror of another cycle", otherCycle, "", nom, awards.ENotFound, false},
		{"admin, not seated", admin, c.publicID, nom, awards.ENotFound, false},
		{"outsider", outsider, c.publicID, nom, awards.ENotFound, false},
		{"anonymous", &awards.Actor{}, c.publicID, nom, awards.EUnauthenticated, false},
	}
	for _, tt := range tests {
		check := func(what string, err error) {
			t.Helper()
			if got := awards.ErrorCode(err); got != tt.code {
				t.Errorf("%s: %s: error %v, want code %q", tt.name, what, err, tt.code)
			}
			if tt.undeclare && !errorsIs(err, scoring.ErrNotDeclared) {
				t.Errorf("%s: %s: error %v, want ErrNotDeclared", tt.name, what, err)
			}
		}
		cells := full(c, 3, 5)
		if tt.nom == autoNom {
			cells = full(auto, 3, 5)
		}
		e.exec(`DELETE FROM score_submissions`)
		// Scores takes no cycle, so the row about the wrong one is not its.
		if tt.name != "the wrong cycle in the path" {
			_, err := e.s.Scores(e.ctx, tt.actor, tt.nom)
			check("scores", err)
		}
		_, err := e.s.Screen(e.ctx, tt.actor, tt.cycle, tt.nom)
		if tt.actor == admin {
			// Admins read every nomination the jury works on, as observers.
			if awards.ErrorCode(err) != "" {
				t.Errorf("%s: screen: %v, want the observer's view", tt.name, err)
			}
		} else {
			check("screen", err)
		}
		_, err = e.s.Save(e.ctx, tt.actor, tt.cycle, tt.nom, cells)
		check("save", err)
		_, err = e.s.Submit(e.ctx, tt.actor, tt.cycle, tt.nom, nil)
		if tt.code == "" {
			// Saved first, so complete.
			if err != nil {
				t.Errorf("%s: submit: %v", tt.name, err)
			}
			continue
		}
		check("submit", err)
	}
	if n := e.count(`SELECT count(*) FROM scores s JOIN jurors j ON j.id = s.juror_id JOIN users u ON u.id = j.user_id
		WHERE u.name NOT IN ('juror', 'assigned', 'declared-conflict')`); n != 0 {
		t.Errorf("%d scores stored by people who may not score", n)
	}
}

// TestDeadline checks that nothing is saved, submitted or reopened after
// the scoring deadline by the database's clock, nor outside judging.
func TestDeadline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tt := range []struct {
		name, phase, deadline string
		open                  bool
	}{
		{"before the deadline", "judging", "now() + interval '1 minute'", true},
		{"no deadline", "judging", "NULL", true},
		{"a second after the deadline", "judging", "now() - interval '1 second'", false},
		{"at the deadline", "judging", "now()", false},
		{"closed, before judging", "closed", "now() + interval '4 days'", false},
		{"decided", "decided", "now() + interval '4 days'", false},
	} {
		c := e.cycle(tt.phase, tt.deadline, "nomination")
		juror := e.person("juror-"+c.publicID[:6], false)
		chair := e.person("chair-"+c.publicID[:6], false)
		jid := e.seat(juror, c, false, true)
		e.seat(chair, c, true, true)
		nom := e.nomination(c, "Asker", "submitted", 1)
		nid := e.nominationID(nom)
		// A submission from before, for the reopening.
		e.exec(`INSERT INTO scores (juror_id, nomination_id, criterion_id, value) VALUES (?, ?, ?, 3), (?, ?, ?, 3)`,
			jid, nid, c.crit[0], jid, nid, c.crit[1])
		e.exec(`INSERT INTO score_submissions (juror_id, nomination_id) VALUES (?, ?)`, jid, nid)

		scr, err := e.s.Screen(e.ctx, juror, c.publicID, nom)
		if err != nil || scr.Cycle.Open != tt.open {
			t.Errorf("%s: screen open = %v (%v), want %v", tt.name, scr.Cycle.Open, err, tt.open)
		}
		err = e.s.Reopen(e.ctx, chair, c.publicID, nom, jid, "Feil i kriterium 2")
		if tt.open {
			wantCode(t, tt.name+": reopen", err, "")
		} else {
			wantIs(t, tt.name+": reopen", err, scoring.ErrClosed)
			e.exec(`DELETE FROM score_submissions WHERE juror_id = ?`, jid)
		}
		_, err = e.s.Save(e.ctx, juror, c.publicID, nom, []scoring.Cell{cell(c.crit[0], v(4), "")})
		if tt.open {
			wantCode(t, tt.name+": save", err, "")
		} else {
			wantIs(t, tt.name+": save", err, scoring.ErrClosed)
			// API clients read why, and the deadline in Oslo's time.
			reason := awards.ReasonNotOpen
			if tt.phase == "judging" {
				reason = awards.ReasonDeadlinePassed
				if msg := awards.ErrorMessage(err); !osloTime.MatchString(msg) || strings.Contains(msg, "Z)") {
					t.Errorf("%s: save: the deadline is not in Oslo time with its offset: %s", tt.name, msg)
				}
			}
			if got := awards.ErrorReason(err); got != reason {
				t.Errorf("%s: save: reason %q, want %q", tt.name, got, reason)
			}
		}
		_, err = e.s.Submit(e.ctx, juror, c.publicID, nom, nil)
		if tt.open {
			wantCode(t, tt.name+": submit", err, "")
		} else {
			wantIs(t, tt.name+": submit", err, scoring.ErrClosed)
			if awards.ErrorCode(err) != awards.EConflict {
				t.Errorf("%s: submit: code %s, want conflict", tt.name, awards.ErrorCode(err))
			}
		}
	}
}

// TestStaleDeclaration checks that a juror who declared before an
// organisation was nominated sees its nomination only after declaring
// about it too.
func TestStaleDeclaration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	juror := e.person("jon", false)
	jid := e.seat(juror, c, false, true)
	known := e.nomination(c, "Asker", "submitted", 1)
	e.orgs["Ny kommune"] = e.id(`INSERT INTO organisations (kind, name) VALUES ('municipality', 'Ny kommune') RETURNING id`)
	fresh := e.nomination(c, "Ny kommune", "submitted", 1)

	_, err := e.s.Screen(e.ctx, juror, c.publicID, fresh)
	wantIs(t, "screen of the unreviewed", err, scoring.ErrNotDeclared)
	_, err = e.s.Save(e.ctx, juror, c.publicID, fresh, full(c, 3, 3))
	wantIs(t, "save to the unreviewed", err, scoring.ErrNotDeclared)
	l, err := e.s.Mine(e.ctx, juror, c.publicID)
	wantCode(t, "list", err, "")
	if len(l.Items) != 1 || l.Items[0].PublicID != known || l.Pending != 1 {
		t.Errorf("list %+v, pending %d", l.Items, l.Pending)
	}
	e.exec(`INSERT INTO conflict_reviews (juror_id, organisation_id) VALUES (?, ?)`, jid, e.orgs["Ny kommune"])
	_, err = e.s.Save(e.ctx, juror, c.publicID, fresh, full(c, 3, 3))
	wantCode(t, "save after reviewing", err, "")
}

// osloTime is a time in an error message: RFC 3339 with Oslo's offset.
var osloTime = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00`)
