package scoring

import (
	"context"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
)

// Item is one nomination in a juror's list.
type Item struct {
	PublicID string `bun:"public_id"`
	Title    string `bun:"title"`
	// Nominees names the nominee organisations.
	Nominees    string     `bun:"nominees"`
	Status      Status     `bun:"status"`
	SavedAt     *time.Time `bun:"saved_at"`
	SubmittedAt *time.Time `bun:"submitted_at"`
}

// List is a juror's nominations in one cycle.
type List struct {
	Cycle Cycle
	// Chair: the reader chairs the jury (and sees the progress board).
	Chair bool
	// Items are in order of title.
	Items []Item
	// Done counts the submitted items.
	Done int
	// Pending counts the nominations the juror is to assess but sees only
	// after declaring about organisations nominated since they declared.
	Pending int
	// Bidding: the cycle takes the jurors' bids for its assignment now.
	Bidding bool
	// Serving: the juror serves in the current round (round_jurors).
	Serving bool
	// Now is the database's clock.
	Now time.Time
}

// mineSQL lists juror ?0's nominations for Mine, read through the
// juror's function rather than the view over all jurors (the juror is then
// a value in every check of it).
const mineSQL = `
		SELECT n.public_id, n.title,
			(SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM nomination_organisations x
				JOIN organisations o ON o.id = x.organisation_id WHERE x.nomination_id = n.id) AS nominees,
			CASE WHEN ss.submitted_at IS NOT NULL THEN 'submitted' WHEN sc.saved_at IS NOT NULL THEN 'draft' ELSE 'not_started' END AS status,
			sc.saved_at, ss.submitted_at
		FROM juror_visible_nominations_of(?0) jn
		JOIN nominations n ON n.id = jn.nomination_id
		LEFT JOIN score_submissions ss ON ss.juror_id = ?0 AND ss.nomination_id = n.id AND ss.round_id = current_round(n.cycle_id)
		LEFT JOIN LATERAL (SELECT max(s.updated_at) AS saved_at FROM scores s
			JOIN criteria cr ON cr.id = s.criterion_id AND cr.round_id = current_round(n.cycle_id)
			WHERE s.juror_id = ?0 AND s.nomination_id = n.id) sc ON true
		ORDER BY n.title, n.id`

// Mine lists the nominations the actor works on and may see in the cycle
// with publicID (juror_visible_nominations), by title, with how far they
// have come on each. Seated jurors only: ENotFound for everyone else, EForbidden
// (ErrNotDeclared) before the juror has declared their conflicts.
func (s *Service) Mine(ctx context.Context, actor *awards.Actor, publicID string) (List, error) {
	st, err := loadSeat(ctx, s.db, actor, publicID)
	if err != nil {
		return List{}, err
	}
	if st.JurorID == 0 {
		return List{}, notFound()
	}
	if !st.Declared {
		return List{}, notDeclared()
	}
	l := List{Cycle: st.cycle(), Chair: st.Chair, Items: []Item{}, Now: st.Now}
	err = s.db.NewRaw(mineSQL, st.JurorID).Scan(ctx, &l.Items)
	if err != nil {
		return List{}, postgres.Map("list the juror's nominations", err)
	}
	for _, it := range l.Items {
		if it.Status == Submitted {
			l.Done++
		}
	}
	err = s.db.NewRaw(`SELECT (SELECT count(*) FROM juror_nominations jn WHERE jn.juror_id = ?
			AND NOT EXISTS (SELECT 1 FROM juror_visible_nominations v WHERE v.juror_id = jn.juror_id AND v.nomination_id = jn.nomination_id)),
		(SELECT bidding_open(c) FROM cycles c WHERE c.id = ?),
		EXISTS (SELECT 1 FROM round_jurors rj WHERE rj.juror_id = ? AND rj.round_id = ?)`,
		st.JurorID, st.State.ID, st.JurorID, st.State.RoundID).Scan(ctx, &l.Pending, &l.Bidding, &l.Serving)
	if err != nil {
		return List{}, postgres.Map("count nominations awaiting a declaration", err)
	}
	return l, nil
}

// SeatSummary is one of a person's jury seats with their progress, for
// the home page.
type SeatSummary struct {
	CyclePublicID string     `bun:"public_id"`
	CycleTitle    string     `bun:"title"`
	Phase         string     `bun:"phase"`
	Deadline      *time.Time `bun:"scoring_deadline"`
	Chair         bool       `bun:"chair"`
	Declared      bool       `bun:"declared"`
	Done          int        `bun:"done"`
	Total         int        `bun:"total"`
	// Vote: the current round is a ranked vote, in which the juror ranks
	// instead of scoring; BallotIn: they have submitted their ranking.
	Vote     bool `bun:"vote"`
	BallotIn bool `bun:"ballot_in"`
	// Serving: the juror serves in the current round.
	Serving bool      `bun:"serving"`
	Now     time.Time `bun:"now"`
}

// seatsSQL lists user ?'s seats with their progress for Seats.
const seatsSQL = `
		SELECT c.public_id, c.title, c.phase,
			coalesce(cycle_round.scoring_deadline, c.scoring_deadline) AS scoring_deadline, j.chair, j.declared_at IS NOT NULL AS declared,
			(SELECT count(*) FROM juror_visible_nominations_of(j.id)) AS total,
			(SELECT count(*) FROM juror_visible_nominations_of(j.id) jn
				JOIN score_submissions ss ON ss.juror_id = j.id AND ss.nomination_id = jn.nomination_id
					AND ss.round_id = cycle_round.id) AS done,
			cycle_round.kind = 'ranked_vote' AS vote,
			EXISTS (SELECT 1 FROM ballot_submissions bs WHERE bs.juror_id = j.id AND bs.round_id = cycle_round.id) AS ballot_in,
			EXISTS (SELECT 1 FROM round_jurors rj WHERE rj.juror_id = j.id AND rj.round_id = cycle_round.id) AS serving,
			now() AS now
		FROM jurors j JOIN ` + cycles.StateFrom + ` ON c.id = j.cycle_id
		WHERE j.user_id = ? AND j.removed_at IS NULL AND c.phase <> 'draft'
		ORDER BY c.year DESC, c.id`

// Seats lists the actor's jury seats in cycles past their draft, newest
// first, with how many of their nominations they have submitted scores
// of. Counts are left at zero until the juror has declared their
// conflicts. Anyone may ask about themselves.
func (s *Service) Seats(ctx context.Context, actor *awards.Actor) ([]SeatSummary, error) {
	if actor.Anonymous() || len(actor.Seats) == 0 {
		return nil, nil
	}
	var out []SeatSummary
	err := s.db.NewRaw(seatsSQL, actor.User.ID).Scan(ctx, &out)
	if err != nil {
		return nil, postgres.Map("list jury seats", err)
	}
	return out, nil
}

// CellState is one juror × nomination cell of the progress board.
type CellState string

// Cell states.
const (
	CellDone       CellState = "done"
	CellDraft      CellState = "draft"
	CellNotStarted CellState = "not_started"
	CellConflict   CellState = "conflict"
	// CellUnassigned: the cycle assigns nominations and this one is not
	// the juror's.
	CellUnassigned CellState = "unassigned"
)

// BoardJuror is a column of the progress board.
type BoardJuror struct {
	ID       int64  `bun:"id"`
	Name     string `bun:"name"`
	Email    string `bun:"email"`
	Chair    bool   `bun:"chair"`
	Declared bool   `bun:"declared"`
	// Done and Assigned count the juror's submitted and assigned
	// nominations on the board.
	Done, Assigned int
}

// BoardRow is a nomination on the progress board, with one cell per
// juror in the order of Board.Jurors.
type BoardRow struct {
	PublicID       string
	Title          string
	Nominees       string
	Cells          []CellState
	Done, Assigned int
}

// Board is the jury's progress in a cycle.
type Board struct {
	Cycle  Cycle
	Jurors []BoardJuror
	Rows   []BoardRow
	// Done and Assigned total the cells.
	Done, Assigned int
	Now            time.Time
}

// Progress returns the progress board of the cycle with publicID: every
// nomination the jury works on × every juror (not removed), each cell
// done, draft, not started, conflict (never the reason) or unassigned.
// The chair (declared) and site admins only; whoever holds a seat does
// not see the nominations that seat is conflicted with. Returns
// ENotFound (no such cycle, or the actor has no business with it) and
// EForbidden (ErrNotDeclared) for an undeclared chair.
func (s *Service) Progress(ctx context.Context, actor *awards.Actor, publicID string) (Board, error) {
	st, err := loadSeat(ctx, s.db, actor, publicID)
	if err != nil {
		return Board{}, err
	}
	if !policy.CanSeeProgress(actor, st.State.ID, st.Chair, st.Declared) {
		if st.Chair && !st.Declared {
			return Board{}, notDeclared()
		}
		return Board{}, notFound()
	}
	b := Board{Cycle: st.cycle(), Now: st.Now}
	if err := s.db.NewRaw(`SELECT j.id, u.name, u.email, j.chair, j.declared_at IS NOT NULL AS declared
		FROM jurors j JOIN users u ON u.id = j.user_id WHERE j.cycle_id = ? AND j.removed_at IS NULL
			AND EXISTS (SELECT 1 FROM round_jurors rj WHERE rj.round_id = ? AND rj.juror_id = j.id)
		ORDER BY j.chair DESC, u.name, j.id`, st.State.ID, st.State.RoundID).Scan(ctx, &b.Jurors); err != nil {
		return Board{}, postgres.Map("list jurors", err)
	}
	var cells []struct {
		PublicID  string `bun:"public_id"`
		Title     string `bun:"title"`
		Nominees  string `bun:"nominees"`
		JurorID   int64  `bun:"juror_id"`
		Conflict  bool   `bun:"conflict"`
		Assigned  bool   `bun:"assigned"`
		Submitted bool   `bun:"submitted"`
		Started   bool   `bun:"started"`
		// Hidden: the reader's own seat must step aside.
		Hidden bool `bun:"hidden"`
	}
	err = s.db.NewRaw(`
		SELECT n.public_id, n.title,
			(SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM nomination_organisations x
				JOIN organisations o ON o.id = x.organisation_id WHERE x.nomination_id = n.id) AS nominees,
			j.id AS juror_id,
			EXISTS (SELECT 1 FROM juror_conflicts jc WHERE jc.juror_id = j.id AND jc.nomination_id = n.id) AS conflict,
			EXISTS (SELECT 1 FROM juror_nominations jn WHERE jn.juror_id = j.id AND jn.nomination_id = n.id) AS assigned,
			EXISTS (SELECT 1 FROM score_submissions ss WHERE ss.juror_id = j.id AND ss.nomination_id = n.id AND ss.round_id = ?) AS submitted,
			EXISTS (SELECT 1 FROM scores s JOIN criteria cr ON cr.id = s.criterion_id AND cr.round_id = ?
				WHERE s.juror_id = j.id AND s.nomination_id = n.id) AS started,
			EXISTS (SELECT 1 FROM juror_conflicts jc WHERE jc.juror_id = ? AND jc.nomination_id = n.id) AS hidden
		FROM nominations n JOIN jurors j ON j.cycle_id = n.cycle_id AND j.removed_at IS NULL
		WHERE n.cycle_id = ? AND in_the_running(n.status) AND in_round(?, n.id)
			AND EXISTS (SELECT 1 FROM round_jurors rj WHERE rj.round_id = ? AND rj.juror_id = j.id)
		ORDER BY n.title, n.id`, st.State.RoundID, st.State.RoundID, st.JurorID, st.State.ID, st.State.RoundID, st.State.RoundID).Scan(ctx, &cells)
	if err != nil {
		return Board{}, postgres.Map("read the progress board", err)
	}
	col := map[int64]int{}
	for i, j := range b.Jurors {
		col[j.ID] = i
	}
	row := map[string]int{}
	for _, c := range cells {
		if c.Hidden {
			continue
		}
		i, ok := row[c.PublicID]
		if !ok {
			i = len(b.Rows)
			row[c.PublicID] = i
			b.Rows = append(b.Rows, BoardRow{PublicID: c.PublicID, Title: c.Title, Nominees: c.Nominees, Cells: make([]CellState, len(b.Jurors))})
		}
		r, j := &b.Rows[i], col[c.JurorID]
		state := CellUnassigned
		switch {
		case c.Conflict:
			state = CellConflict
		case !c.Assigned:
		case c.Submitted:
			state = CellDone
		case c.Started:
			state = CellDraft
		default:
			state = CellNotStarted
		}
		r.Cells[j] = state
		if c.Assigned {
			r.Assigned++
			b.Jurors[j].Assigned++
			b.Assigned++
			if c.Submitted {
				r.Done++
				b.Jurors[j].Done++
				b.Done++
			}
		}
	}
	return b, nil
}
