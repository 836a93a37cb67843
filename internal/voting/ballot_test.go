package voting_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/voting"
)

// TestBallotLifecycle walks a juror's ballot: drafts with a tie, a save
// that changes nothing, the submission that locks it, the chair's
// reopening and a new submission, each audited once.
func TestBallotLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ola := w.seats["Ola"]

	b, err := w.s.Ballot(w.ctx, w.ola, w.round)
	if err != nil {
		t.Fatal(err)
	}
	if b.Max != 3 || len(b.Items) != 3 || b.Ranked() != 0 || b.SubmittedAt != nil || !b.Round.Open {
		t.Fatalf("fresh ballot: Max %d, %d items, %d ranked, submitted %v, open %v", b.Max, len(b.Items), b.Ranked(), b.SubmittedAt, b.Round.Open)
	}
	// Titles in order: Asker, Bærum, Træna; nobody has a conflict but Per.
	for i, want := range []string{"Innovasjon i Asker", "Innovasjon i Bærum", "Innovasjon i Træna"} {
		if b.Items[i].Title != want || b.Items[i].StepsAside || len(b.Items[i].Nominees) != 1 {
			t.Errorf("item %d: %+v, want %s", i, b.Items[i], want)
		}
	}

	if _, err := w.s.Save(w.ctx, w.ola, w.round, w.ranks("Asker", 1, "Træna", 2)); err != nil {
		t.Fatal(err)
	}
	// Equal ranks are a tie; Asker, left out, becomes unranked.
	b, err = w.s.Save(w.ctx, w.ola, w.round, w.ranks("Træna", 1, "Bærum", 1))
	if err != nil {
		t.Fatal(err)
	}
	if b.Ranked() != 2 {
		t.Errorf("ranked %d, want 2", b.Ranked())
	}
	if _, err := w.s.Save(w.ctx, w.ola, w.round, w.ranks("Bærum", 1, "Træna", 1)); err != nil {
		t.Fatal(err)
	}
	got, submitted := w.stored(ola)
	if diff := cmp.Diff(map[string]int{"Træna": 1, "Bærum": 1}, got); diff != "" || submitted {
		t.Errorf("stored (-want +got):\n%s submitted %v", diff, submitted)
	}
	if n := w.audits(ola, "ballot_save"); n != 2 {
		t.Errorf("%d save entries, want 2 (none for the save that changed nothing)", n)
	}

	// Submitting as saved.
	b, err = w.s.Submit(w.ctx, w.ola, w.round, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.SubmittedAt == nil {
		t.Fatal("submitted ballot has no time")
	}
	_, err = w.s.Save(w.ctx, w.ola, w.round, w.ranks("Asker", 1))
	wantIs(t, "save after submit", err, voting.ErrSubmitted)
	_, err = w.s.Submit(w.ctx, w.ola, w.round, nil)
	wantIs(t, "submit twice", err, voting.ErrSubmitted)

	// Reopening: jurors may not, the chair must give a reason.
	wantIs(t, "reopen by a juror", w.s.Reopen(w.ctx, w.per, w.round, ola, "Feil"), voting.ErrNotChair)
	wantCode(t, "reopen without reason", w.s.Reopen(w.ctx, w.kari, w.round, ola, "  "), awards.EInvalid)
	wantCode(t, "reopen another cycle's juror", w.s.Reopen(w.ctx, w.kari, w.round, 999999, "Feil"), awards.EInvalid)
	wantIs(t, "reopen a draft", w.s.Reopen(w.ctx, w.kari, w.round, w.seats["Per"], "Feil"), voting.ErrNotSubmitted)
	if err := w.s.Reopen(w.ctx, w.kari, w.round, ola, "Ola ba om det"); err != nil {
		t.Fatal(err)
	}
	got, submitted = w.stored(ola)
	if diff := cmp.Diff(map[string]int{"Træna": 1, "Bærum": 1}, got); diff != "" || submitted {
		t.Errorf("after reopening (-want +got):\n%s submitted %v", diff, submitted)
	}
	// An admin reopens too; submitting with ranks saves them first.
	if _, err := w.s.Submit(w.ctx, w.ola, w.round, w.ranks("Asker", 3, "Træna", 1, "Bærum", 2)); err != nil {
		t.Fatal(err)
	}
	if err := w.s.Reopen(w.ctx, w.admin, w.round, ola, "Sekretariatet retter"); err != nil {
		t.Fatal(err)
	}
	for action, want := range map[string]int{"ballot_save": 3, "ballot_submit": 2, "ballot_reopen": 2} {
		if n := w.audits(ola, action); n != want {
			t.Errorf("%d %s entries, want %d", n, action, want)
		}
	}
}

// TestBallotRefusals: every refusal says why, and writes nothing.
func TestBallotRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	per, ola := w.seats["Per"], w.seats["Ola"]
	if _, err := w.s.Save(w.ctx, w.ola, w.round, w.ranks("Asker", 2)); err != nil {
		t.Fatal(err)
	}
	outsider := w.Person("Utenfor", false)
	undeclared := w.Person("Uerklært", false)
	w.Seat(w.cycle.ID, undeclared.User.ID, false, false)
	scoresRound := w.ID(`SELECT id FROM rounds WHERE cycle_id = ? AND position = 1`, w.cycle.ID)

	for _, tc := range []struct {
		name   string
		actor  *awards.Actor
		round  int64
		ranks  []voting.Rank
		code   string
		is     error
		fields map[string]string
	}{
		{"anonymous", &awards.Actor{}, w.round, w.ranks("Træna", 1), awards.EUnauthenticated, nil, nil},
		{"no such round", w.ola, 999999, w.ranks("Træna", 1), awards.ENotFound, nil, nil},
		{"no seat", outsider, w.round, w.ranks("Træna", 1), awards.ENotFound, nil, nil},
		{"an admin without a seat", w.admin, w.round, w.ranks("Træna", 1), awards.EForbidden, nil, nil},
		{"not declared", undeclared, w.round, w.ranks("Træna", 1), awards.EForbidden, voting.ErrNotDeclared, nil},
		{"not a ranked round", w.ola, scoresRound, w.ranks("Træna", 1), awards.EConflict, voting.ErrNotRankedVote, nil},
		{"conflicted nomination", w.per, w.round, w.ranks("Træna", 1, "Asker", 2), awards.EInvalid, nil,
			map[string]string{"ranks[1].nomination_id": "voting.error.conflict"}},
		{"nomination not in the round", w.ola, w.round, w.ranks("Træna", 1, "Sandnes", 2), awards.EInvalid, nil,
			map[string]string{"ranks[1].nomination_id": "voting.error.nomination"}},
		{"unknown nomination", w.ola, w.round, []voting.Rank{{Nomination: "nope", Rank: 1}}, awards.EInvalid, nil,
			map[string]string{"ranks[0].nomination_id": "voting.error.nomination"}},
		{"twice", w.ola, w.round, w.ranks("Træna", 1, "Træna", 2), awards.EInvalid, nil,
			map[string]string{"ranks[1].nomination_id": "voting.error.duplicate"}},
		{"rank 0", w.ola, w.round, w.ranks("Træna", 0), awards.EInvalid, nil, map[string]string{"ranks[0].rank": "voting.error.rank"}},
		{"rank past the nominations", w.ola, w.round, w.ranks("Træna", 1, "Bærum", 4), awards.EInvalid, nil,
			map[string]string{"ranks[1].rank": "voting.error.rank"}},
		// Per may rank two nominations: rank 3 is out of range for him.
		{"rank past what the juror may rank", w.per, w.round, w.ranks("Træna", 3), awards.EInvalid, nil,
			map[string]string{"ranks[0].rank": "voting.error.rank"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, op := range []string{"save", "submit"} {
				var err error
				if op == "save" {
					_, err = w.s.Save(w.ctx, tc.actor, tc.round, tc.ranks)
				} else {
					_, err = w.s.Submit(w.ctx, tc.actor, tc.round, tc.ranks)
				}
				wantCode(t, op, err, tc.code)
				if tc.is != nil {
					wantIs(t, op, err, tc.is)
				}
				if diff := cmp.Diff(tc.fields, awards.ErrorFields(err)); tc.fields != nil && diff != "" {
					t.Errorf("%s: fields (-want +got):\n%s", op, diff)
				}
			}
		})
	}
	// Nothing half-written: Ola's draft is as it was, Per has none.
	if got, submitted := w.stored(ola); !cmp.Equal(got, map[string]int{"Asker": 2}) || submitted {
		t.Errorf("Ola's ballot %v submitted %v, want Asker 2, a draft", got, submitted)
	}
	if got, _ := w.stored(per); len(got) != 0 {
		t.Errorf("Per's ballot %v, want none", got)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action LIKE 'ballot_%'`); n != 1 {
		t.Errorf("%d ballot entries in the audit log, want Ola's one save", n)
	}

	// An empty ballot cannot be submitted.
	_, err := w.s.Submit(w.ctx, w.per, w.round, nil)
	wantIs(t, "submit nothing", err, voting.ErrEmpty)
	if fields := awards.ErrorFields(err); fields["ranks"] != "voting.error.empty" {
		t.Errorf("fields %v", fields)
	}

	// A seat that does not serve in the round.
	w.Exec(`DELETE FROM round_jurors WHERE round_id = ? AND juror_id = ?`, w.round, per)
	_, err = w.s.Save(w.ctx, w.per, w.round, w.ranks("Træna", 1))
	wantIs(t, "not serving", err, voting.ErrNotServing)
	wantCode(t, "not serving", err, awards.EForbidden)
	_, err = w.s.Ballot(w.ctx, w.per, w.round)
	wantIs(t, "not serving reads", err, voting.ErrNotServing)
}

// TestBallotClosed: past the round's deadline, outside judging and in a
// round that is no longer current, ballots stay as they are.
func TestBallotClosed(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ola := w.seats["Ola"]
	if _, err := w.s.Submit(w.ctx, w.ola, w.round, w.ranks("Asker", 1)); err != nil {
		t.Fatal(err)
	}
	try := func(what string, is error, reason string) {
		t.Helper()
		_, err := w.s.Save(w.ctx, w.kari, w.round, w.ranks("Træna", 1))
		wantIs(t, what+": save", err, is)
		if got := awards.ErrorReason(err); got != reason {
			t.Errorf("%s: reason %q, want %q", what, got, reason)
		}
		_, err = w.s.Submit(w.ctx, w.kari, w.round, w.ranks("Træna", 1))
		wantIs(t, what+": submit", err, is)
		wantIs(t, what+": reopen", w.s.Reopen(w.ctx, w.kari, w.round, ola, "Feil"), is)
	}

	w.Exec(`UPDATE rounds SET scoring_deadline = now() - interval '1 minute' WHERE id = ?`, w.round)
	try("deadline passed", voting.ErrClosed, awards.ReasonDeadlinePassed)
	w.Exec(`UPDATE rounds SET scoring_deadline = NULL WHERE id = ?`, w.round)
	w.Exec(`UPDATE cycles SET phase = 'decided' WHERE id = ?`, w.cycle.ID)
	try("decided", voting.ErrClosed, awards.ReasonNotOpen)
	w.Exec(`UPDATE cycles SET phase = 'judging' WHERE id = ?`, w.cycle.ID)

	// A round after the vote makes it no longer current; its ballots are
	// read-only.
	w.Exec(`INSERT INTO rounds (cycle_id, position, name_nb) VALUES (?, 3, 'Etterpå')`, w.cycle.ID)
	w.Exec(`UPDATE rounds SET closed_at = now() WHERE id = ?`, w.round)
	try("not current", voting.ErrNotCurrent, awards.ReasonNotOpen)
	b, err := w.s.Ballot(w.ctx, w.ola, w.round)
	if err != nil || b.Round.Open || b.Round.Current || b.SubmittedAt == nil {
		t.Errorf("Ola's ballot in the closed round: open %v current %v submitted %v (%v)", b.Round.Open, b.Round.Current, b.SubmittedAt, err)
	}
	if got, submitted := w.stored(ola); !cmp.Equal(got, map[string]int{"Asker": 1}) || !submitted {
		t.Errorf("Ola's ballot %v submitted %v, want Asker 1, submitted", got, submitted)
	}
	if got, _ := w.stored(w.seats["Kari"]); len(got) != 0 {
		t.Errorf("Kari's ballot %v, want none", got)
	}
}

// TestCycleRound finds the ranked vote a cycle's pages show.
func TestCycleRound(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if id, err := w.s.CycleRound(w.ctx, w.ola, w.cycle.PublicID); err != nil || id != w.round {
		t.Errorf("CycleRound = %d, %v; want %d", id, err, w.round)
	}
	// Once a later round is current, the vote is still the one shown.
	w.Exec(`UPDATE rounds SET closed_at = now() WHERE id = ?`, w.round)
	w.Exec(`INSERT INTO rounds (cycle_id, position, name_nb) VALUES (?, 3, 'Etterpå')`, w.cycle.ID)
	if id, err := w.s.CycleRound(w.ctx, w.ola, w.cycle.PublicID); err != nil || id != w.round {
		t.Errorf("after the vote: CycleRound = %d, %v; want %d", id, err, w.round)
	}
	other := w.Cycle(pgtest.CycleSpec{Award: w.award, Year: 2031, Phase: "judging"})
	_, err := w.s.CycleRound(w.ctx, w.ola, other.PublicID)
	wantCode(t, "a cycle without a vote", err, awards.ENotFound)
	_, err = w.s.CycleRound(w.ctx, &awards.Actor{}, w.cycle.PublicID)
	wantCode(t, "anonymous", err, awards.EUnauthenticated)
}
