package deciding

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Outcomes of the decision (decisions.outcome).
const (
	Finalist          = "finalist"
	Winner            = "winner"
	HonourableMention = "honourable_mention"
)

// Outcomes lists the outcomes in the order pages show them.
var Outcomes = []string{Finalist, Winner, HonourableMention}

// UsualFinalists is how many finalists the reference award names; pages
// mention it, nothing enforces it.
const UsualFinalists = 3

// Limits on the decision's texts, in characters.
const (
	MaxStatement = 5000
	MaxReason    = 2000
)

// Message keys of field errors; ui and api translate them.
const (
	keyOutcome      = "deciding.error.outcome"
	keyNomination   = "deciding.error.nomination"
	keyDuplicate    = "deciding.error.duplicate"
	keyStatement    = "deciding.error.statement_required"
	keyWinner       = "deciding.error.winner_not_finalist"
	keyReason       = "deciding.error.reason_required"
	keyTooLong      = "form.error.too_long"
	keyFeedbackLong = "deciding.error.feedback_too_long"
)

// Field names of the decision's inputs, suffixed with "-" and the
// nomination's public ID: "outcome-<id>", "statement_nb-<id>", …
const (
	FieldOutcome = "outcome"
	FieldNB      = "statement_nb"
	FieldNN      = "statement_nn"
	FieldEN      = "statement_en"
	FieldReason  = "reason"
)

// Field returns the name of a decision input about one nomination.
func Field(name, nominationPublicID string) string { return name + "-" + nominationPublicID }

// Decision is one recorded outcome with the jury's statement.
type Decision struct {
	NominationID       int64     `bun:"nomination_id"`
	NominationPublicID string    `bun:"public_id"`
	Title              string    `bun:"title"`
	Nominees           string    `bun:"nominees"`
	Outcome            string    `bun:"outcome"`
	StatementNB        string    `bun:"statement_nb"`
	StatementNN        string    `bun:"statement_nn"`
	StatementEN        string    `bun:"statement_en"`
	DecidedBy          string    `bun:"decided_by"`
	DecidedAt          time.Time `bun:"decided_at"`
}

// Shortlisted reports whether the decision puts the nomination among the
// finalists: a winner is a finalist who won.
func (d Decision) Shortlisted() bool { return d.Outcome == Finalist || d.Outcome == Winner }

// DecisionState is a cycle's decision as the reader may see it, with the
// ranking that the choice is made from.
type DecisionState struct {
	Viewer Viewer
	// Decisions are the recorded outcomes the reader may see: winners,
	// then finalists, then honourable mentions, each by title.
	Decisions []Decision
	// Ranking orders the nominations in the running for the choice.
	Ranking *Ranking
}

// Of returns the decision about the nomination with row ID id, if any.
func (s DecisionState) Of(id int64) (Decision, bool) {
	for _, d := range s.Decisions {
		if d.NominationID == id {
			return d, true
		}
	}
	return Decision{}, false
}

// Count returns how many decisions have outcome; Finalist counts the
// winners too (a winner is a finalist who won).
func (s DecisionState) Count(outcome string) int {
	n := 0
	for _, d := range s.Decisions {
		if d.Outcome == outcome || outcome == Finalist && d.Outcome == Winner {
			n++
		}
	}
	return n
}

// DecisionItem is one nomination's outcome in a change of the decision.
type DecisionItem struct {
	// NominationID is the nomination's public ID.
	NominationID string
	Outcome      string
	StatementNB  string
	StatementNN  string
	StatementEN  string
}

// DecisionInput replaces a cycle's decision.
type DecisionInput struct {
	Decisions []DecisionItem
	// Reason is required when the change undoes or alters anything
	// recorded (see SetDecision).
	Reason string
}

// Decision returns the cycle's decision and its ranking. The chair
// (declared) and site admins; see RankingFor for the errors.
func (s *Service) Decision(ctx context.Context, actor *awards.Actor, cyclePublicID string) (DecisionState, error) {
	v, err := load(ctx, s.db, actor, cyclePublicID, false)
	if err != nil {
		return DecisionState{}, err
	}
	st := DecisionState{Viewer: v}
	if st.Decisions, err = loadDecisions(ctx, s.db, v, true); err != nil {
		return st, err
	}
	st.Ranking, err = s.ranking(ctx, v, 0)
	return st, err
}

var outcomeOrder = map[string]int{Winner: 0, Finalist: 1, HonourableMention: 2}

// loadDecisions reads the cycle's decisions; onlyVisible leaves out those
// about nominations the viewer may not see.
func loadDecisions(ctx context.Context, db bun.IDB, v Viewer, onlyVisible bool) ([]Decision, error) {
	where := "true"
	if onlyVisible {
		where = v.visible("n")
	}
	var out []Decision
	err := db.NewRaw(`SELECT d.nomination_id, n.public_id, n.title, d.outcome, d.statement_nb, d.statement_nn, d.statement_en,
			coalesce(u.name, '') AS decided_by, d.decided_at,
			coalesce((SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM nomination_organisations x
				JOIN organisations o ON o.id = x.organisation_id WHERE x.nomination_id = n.id), '') AS nominees
		FROM decisions d JOIN nominations n ON n.id = d.nomination_id LEFT JOIN users u ON u.id = d.decided_by
		WHERE d.cycle_id = ? AND `+where, v.ID).Scan(ctx, &out)
	if err != nil {
		return nil, postgres.Map("load decisions", err)
	}
	slices.SortFunc(out, func(a, b Decision) int {
		return cmp.Or(cmp.Compare(outcomeOrder[a.Outcome], outcomeOrder[b.Outcome]), strings.Compare(a.Title, b.Title),
			cmp.Compare(a.NominationID, b.NominationID))
	})
	return out, nil
}

// cleanText trims a text, makes its line ends \n and checks its length.
func cleanText(s string, max int) (string, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
	return s, utf8.RuneCountInString(s) <= max
}

// recorded is one decision as the change compares it and the audit log
// keeps it.
type recorded struct {
	NominationID int64  `json:"nomination_id"`
	Outcome      string `json:"outcome"`
	StatementNB  string `json:"statement_nb"`
	StatementNN  string `json:"statement_nn"`
	StatementEN  string `json:"statement_en"`
}

// altered reports whether replacing old with new undoes or alters what
// was recorded: another outcome (but a finalist who wins is the decision
// going on, not a change of mind), or a statement that was written
// changed.
func altered(old, new recorded) bool {
	if old.Outcome != new.Outcome && !(old.Outcome == Finalist && new.Outcome == Winner) {
		return true
	}
	for _, p := range [][2]string{{old.StatementNB, new.StatementNB}, {old.StatementNN, new.StatementNN}, {old.StatementEN, new.StatementEN}} {
		if p[0] != "" && p[0] != p[1] {
			return true
		}
	}
	return false
}

// SetDecision replaces the cycle's decision with in, in one transaction
// with its audit entry (before, after and the reason), and returns the
// decisions (without the ranking). The chair
// (declared) and site admins, while the cycle is judging or decided
// (EConflict, ErrClosed, otherwise); see RankingFor for the other
// refusals. nominations.status is not touched: the decision becomes
// public only through the announcements.
//
// The rules, as field errors (EInvalid) keyed Field(name, nomination):
//   - only nominations in the running that the reader may see can be
//     chosen, each once, with a known outcome;
//   - winners and honourable mentions need the jury's statement in bokmål
//     (nynorsk and English are optional; finalists need none);
//   - a winner must be one of the finalists: once finalists have been
//     recorded, a nomination can only become a winner if it is one of
//     them (so the winner named in June is one of the nominees named in
//     April). To choose another, add it to the finalists first — a
//     change, which needs a reason. A cycle without finalists may name
//     its winner directly;
//   - a change that undoes or alters anything recorded (removes an
//     outcome, changes one — a finalist becoming the winner excepted — or
//     rewrites a written statement) needs a reason (field "reason").
//
// Decisions about nominations the reader may not see are left as they
// are. Unchanged decisions keep who recorded them and when.
func (s *Service) SetDecision(ctx context.Context, actor *awards.Actor, cyclePublicID string, in DecisionInput) (DecisionState, error) {
	var st DecisionState
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		v, err := load(ctx, tx, actor, cyclePublicID, true)
		if err != nil {
			return err
		}
		if !v.Open() {
			return closed(v)
		}
		if err := checkNotAnnounced(ctx, tx, v.ID); err != nil {
			return err
		}
		var cands []struct {
			ID       int64  `bun:"id"`
			PublicID string `bun:"public_id"`
		}
		if err := tx.NewRaw(`SELECT n.id, n.public_id FROM nominations n WHERE n.cycle_id = ? AND in_the_running(n.status) AND `+v.visible("n"), v.ID).Scan(ctx, &cands); err != nil {
			return postgres.Map("load nominations for the decision", err)
		}
		idOf := make(map[string]int64, len(cands))
		for _, c := range cands {
			idOf[c.PublicID] = c.ID
		}
		stored, err := loadDecisions(ctx, tx, v, false)
		if err != nil {
			return err
		}
		shortlist := map[int64]bool{}
		before := map[int64]recorded{} // the visible ones, which the change replaces
		for _, d := range stored {
			if d.Shortlisted() {
				shortlist[d.NominationID] = true
			}
			if _, ok := idOf[d.NominationPublicID]; ok {
				before[d.NominationID] = recorded{d.NominationID, d.Outcome, d.StatementNB, d.StatementNN, d.StatementEN}
			}
		}

		errs := map[string]string{}
		after := map[int64]recorded{}
		var order []int64
		for _, it := range in.Decisions {
			key := Field(FieldOutcome, it.NominationID)
			id, ok := idOf[it.NominationID]
			switch {
			case !ok:
				errs[key] = keyNomination
				continue
			case !slices.Contains(Outcomes, it.Outcome):
				errs[key] = keyOutcome
				continue
			}
			if _, dup := after[id]; dup {
				errs[key] = keyDuplicate
				continue
			}
			r := recorded{NominationID: id, Outcome: it.Outcome}
			for _, f := range []struct {
				name string
				in   string
				out  *string
			}{{FieldNB, it.StatementNB, &r.StatementNB}, {FieldNN, it.StatementNN, &r.StatementNN}, {FieldEN, it.StatementEN, &r.StatementEN}} {
				var fits bool
				if *f.out, fits = cleanText(f.in, MaxStatement); !fits {
					errs[Field(f.name, it.NominationID)] = keyTooLong
				}
			}
			if r.Outcome != Finalist && r.StatementNB == "" {
				errs[Field(FieldNB, it.NominationID)] = keyStatement
			}
			if r.Outcome == Winner && len(shortlist) > 0 && !shortlist[id] {
				errs[key] = keyWinner
			}
			after[id] = r
			order = append(order, id)
		}
		reason, fits := cleanText(in.Reason, MaxReason)
		if !fits {
			errs[FieldReason] = keyTooLong
		}
		changed, needReason := false, false
		for id, old := range before {
			new, ok := after[id]
			switch {
			case !ok:
				changed, needReason = true, true
			case old != new:
				changed = true
				needReason = needReason || altered(old, new)
			}
		}
		changed = changed || anyNew(after, before)
		if needReason && reason == "" {
			errs[FieldReason] = keyReason
		}
		if len(errs) > 0 {
			return awards.Invalid(errs)
		}
		st.Viewer = v
		if !changed {
			st.Decisions, err = loadDecisions(ctx, tx, v, true)
			return err
		}

		for id := range before {
			if _, ok := after[id]; !ok {
				if _, err := tx.ExecContext(ctx, `DELETE FROM decisions WHERE nomination_id = ?`, id); err != nil {
					return postgres.Map(fmt.Sprintf("remove decision about nomination %d", id), err)
				}
			}
		}
		for _, id := range order {
			r := after[id]
			if old, ok := before[id]; ok && old == r {
				continue
			}
			_, err := tx.ExecContext(ctx, `
				INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb, statement_nn, statement_en, decided_by, decided_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, now())
				ON CONFLICT (nomination_id) DO UPDATE SET outcome = EXCLUDED.outcome, statement_nb = EXCLUDED.statement_nb,
					statement_nn = EXCLUDED.statement_nn, statement_en = EXCLUDED.statement_en,
					decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at`,
				id, v.ID, r.Outcome, r.StatementNB, r.StatementNN, r.StatementEN, actor.User.ID)
			if err != nil {
				return postgres.Map(fmt.Sprintf("record decision about nomination %d", id), err)
			}
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "update", "decision", v.ID,
			map[string]any{"decisions": sorted(before)},
			map[string]any{"decisions": sorted(after), "reason": reason}); err != nil {
			return err
		}
		st.Decisions, err = loadDecisions(ctx, tx, v, true)
		return err
	})
	if err == nil {
		s.cache.forget(st.Viewer.ID)
	}
	return st, err
}

func anyNew(after, before map[int64]recorded) bool {
	for id := range after {
		if _, ok := before[id]; !ok {
			return true
		}
	}
	return false
}

func sorted(m map[int64]recorded) []recorded {
	out := make([]recorded, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b recorded) int { return cmp.Compare(a.NominationID, b.NominationID) })
	return out
}
