package voting

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/schulze"
	"github.com/uptrace/bun"
)

// Candidate is a nomination of the round in the count.
type Candidate struct {
	// ID is the nomination's row ID, the key of the schulze.Result.
	ID int64
	// Nomination is the public ID.
	Nomination string
	Title      string
	Nominees   []string
}

// Voter is a seat that serves in the round, and whether its ballot is in.
type Voter struct {
	JurorID     int64
	Name        string
	Chair       bool
	SubmittedAt *time.Time
}

// Outcome is a round's vote as its chair sees it: who has voted (not how)
// and, once the result may be shown, the count.
type Outcome struct {
	Round Round
	// Candidates are the round's nominations, by title.
	Candidates []Candidate
	// Voters are the seats that serve in the round, by name.
	Voters []Voter
	// Submitted is how many of Voters have submitted their ballot.
	Submitted int
	// Shown: the result may be shown: every serving juror has submitted,
	// or voting in the round is over (Round.Over).
	Shown bool
	// Result is the count, when Shown and the round has nominations:
	// the submitted ballots of the serving jurors, each abstaining on
	// the nominations its juror steps aside from.
	Result *schulze.Result
}

// Candidate returns the candidate with row ID id.
func (o Outcome) Candidate(id int64) Candidate {
	for _, c := range o.Candidates {
		if c.ID == id {
			return c
		}
	}
	return Candidate{ID: id}
}

// Result returns the state of round id's vote: who of its jurors has
// submitted and, once every one has or voting is over, the count by the
// Schulze method. Individual ballots are never part of it. The cycle's
// declared chair and its admins. Returns EUnauthenticated, ENotFound (no
// such round, a cycle the actor may not know, readers without a seat or
// admin rights), EForbidden (other jurors: ErrNotChair; ErrNotDeclared),
// EConflict (ErrNotRankedVote; a programme's cycle).
func (s *Service) Result(ctx context.Context, actor *awards.Actor, id int64) (Outcome, error) {
	var o Outcome
	// One snapshot: the voters, the candidates and the ballots agree.
	opts := &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	err := s.db.RunInTx(ctx, opts, func(ctx context.Context, tx bun.Tx) error {
		r, err := loadLedVote(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		o = Outcome{Round: r}
		if o.Candidates, err = loadCandidates(ctx, tx, r); err != nil {
			return err
		}
		if o.Voters, err = loadVoters(ctx, tx, r.ID); err != nil {
			return err
		}
		for _, v := range o.Voters {
			if v.SubmittedAt != nil {
				o.Submitted++
			}
		}
		o.Shown = len(o.Voters) > 0 && o.Submitted == len(o.Voters) || r.Over
		if !o.Shown || len(o.Candidates) == 0 {
			return nil
		}
		res, err := count(ctx, tx, r, o.Candidates)
		o.Result = &res
		return err
	})
	return o, err
}

func loadCandidates(ctx context.Context, db bun.IDB, r Round) ([]Candidate, error) {
	var rows []struct {
		ID       int64  `bun:"id"`
		PublicID string `bun:"public_id"`
		Title    string `bun:"title"`
		Nominees string `bun:"nominees"`
	}
	err := db.NewRaw(`SELECT n.id, n.public_id, n.title, `+nomineesSQL+` AS nominees FROM nominations n
		WHERE `+fmt.Sprintf(roundNominationsSQL, "?0", "?1")+` ORDER BY n.title, n.id`, r.Cycle.ID, r.ID).Scan(ctx, &rows)
	if err != nil {
		return nil, postgres.Map("list the round's nominations", err)
	}
	out := make([]Candidate, len(rows))
	for i, row := range rows {
		out[i] = Candidate{ID: row.ID, Nomination: row.PublicID, Title: row.Title, Nominees: nominees(row.Nominees)}
	}
	return out, nil
}

func loadVoters(ctx context.Context, db bun.IDB, round int64) ([]Voter, error) {
	var rows []struct {
		JurorID     int64      `bun:"juror_id"`
		Name        string     `bun:"name"`
		Chair       bool       `bun:"chair"`
		SubmittedAt *time.Time `bun:"submitted_at"`
	}
	err := db.NewRaw(`SELECT j.id AS juror_id, u.name, j.chair, bs.submitted_at
		FROM round_jurors rj JOIN jurors j ON j.id = rj.juror_id AND j.removed_at IS NULL JOIN users u ON u.id = j.user_id
		LEFT JOIN ballot_submissions bs ON bs.round_id = rj.round_id AND bs.juror_id = j.id
		WHERE rj.round_id = ? ORDER BY u.name, j.id`, round).Scan(ctx, &rows)
	if err != nil {
		return nil, postgres.Map("list the round's jurors", err)
	}
	out := make([]Voter, len(rows))
	for i, row := range rows {
		out[i] = Voter(row)
	}
	return out, nil
}

// countSelect lists, for each submitted ballot of a serving juror in
// round $1 (of cycle $2), every nomination of the round with the juror's
// rank (NULL for none) and whether the juror steps aside from it.
var countSelect = `SELECT j.id, n.id, b.rank, ` + fmt.Sprintf(stepsAsideSQL, "j.id", "n.id") + `
	FROM round_jurors rj
	JOIN jurors j ON j.id = rj.juror_id AND j.removed_at IS NULL
	JOIN ballot_submissions bs ON bs.round_id = rj.round_id AND bs.juror_id = j.id
	JOIN nominations n ON ` + fmt.Sprintf(roundNominationsSQL, "$2", "$1") + `
	LEFT JOIN ballots b ON b.round_id = rj.round_id AND b.juror_id = j.id AND b.nomination_id = n.id
	WHERE rj.round_id = $1
	ORDER BY j.id, n.id`

// count reads the submitted ballots and counts them over the candidates.
func count(ctx context.Context, db bun.IDB, r Round, candidates []Candidate) (schulze.Result, error) {
	rows, err := postgres.Driver(db).QueryContext(ctx, countSelect, r.ID, r.Cycle.ID)
	if err != nil {
		return schulze.Result{}, postgres.Map("read the ballots", err)
	}
	defer rows.Close()
	var ballots []schulze.Ballot
	var abstain [][]int64
	last := int64(0)
	for rows.Next() {
		var juror, nomination int64
		var rank *int
		var aside bool
		if err := rows.Scan(&juror, &nomination, &rank, &aside); err != nil {
			return schulze.Result{}, postgres.Map("read the ballots", err)
		}
		if juror != last {
			ballots, abstain, last = append(ballots, schulze.Ballot{}), append(abstain, nil), juror
		}
		switch k := len(ballots) - 1; {
		case aside:
			abstain[k] = append(abstain[k], nomination)
		case rank != nil:
			ballots[k][nomination] = *rank
		}
	}
	if err := rows.Err(); err != nil {
		return schulze.Result{}, postgres.Map("read the ballots", err)
	}
	ids := make([]int64, len(candidates))
	for i, c := range candidates {
		ids[i] = c.ID
	}
	res, err := schulze.ComputeAbstaining(ids, ballots, abstain)
	if err != nil {
		return res, fmt.Errorf("count the vote of round %d: %w", r.ID, err)
	}
	return res, nil
}
