package pgtest

// Round makes round position of cycle, named name (bokmål; nynorsk and
// English name+" (nn)" and name+" (en)") and of kind ("scores" or
// "ranked_vote"), and returns its ID. Every cycle has a round 1: position
// 1 renames it and sets its kind.
func (s *Seed) Round(cycle int64, position int, name, kind string) int64 {
	s.T.Helper()
	var ids []int64
	if err := s.DB.NewRaw(`SELECT id FROM rounds WHERE cycle_id = ? AND position = ?`, cycle, position).Scan(s.Ctx, &ids); err != nil {
		s.T.Fatalf("round %d of cycle %d: %v", position, cycle, err)
	}
	if len(ids) == 1 {
		s.Exec(`UPDATE rounds SET name_nb = ?, name_nn = ?, name_en = ?, kind = ? WHERE id = ?`, name, name+" (nn)", name+" (en)", kind, ids[0])
		return ids[0]
	}
	return s.ID(`INSERT INTO rounds (cycle_id, position, name_nb, name_nn, name_en, kind) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		cycle, position, name, name+" (nn)", name+" (en)", kind)
}

// RoundCriteria makes criteria of round (of cycle), at positions from 1,
// as Seed.Cycle makes a cycle's, and returns their IDs in order.
func (s *Seed) RoundCriteria(cycle, round int64, crits ...Criterion) []int64 {
	s.T.Helper()
	var out []int64
	for i, cr := range crits {
		weight, step := cr.Weight, cr.Step
		if weight == 0 {
			weight = 1
		}
		if step == 0 {
			step = 1
		}
		out = append(out, s.ID(`INSERT INTO criteria (cycle_id, round_id, name_nb, help_nb, weight, scale_min, scale_max, scale_step, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, cycle, round, cr.Name, cr.Help, weight, cr.Min, cr.Max, step, i+1))
	}
	return out
}

// SubmitRound marks juror's scores of nomination submitted in round (and
// not, as SubmitScores does, in the cycle's current round).
func (s *Seed) SubmitRound(juror, nomination, round int64) {
	s.T.Helper()
	s.Exec(`INSERT INTO score_submissions (juror_id, nomination_id, round_id) VALUES (?, ?, ?)`, juror, nomination, round)
}

// Advance puts nomination into round, as the chair's advancing it there
// with reason does (without closing the round before: see CloseRound).
func (s *Seed) Advance(round, nomination int64, reason string) {
	s.T.Helper()
	s.Exec(`INSERT INTO round_nominations (round_id, nomination_id, reason) VALUES (?, ?, ?)`, round, nomination, reason)
}

// CloseRound closes round, so that the next one becomes its cycle's
// current round.
func (s *Seed) CloseRound(round int64) {
	s.T.Helper()
	if n := s.ID(`WITH x AS (UPDATE rounds SET closed_at = now() WHERE id = ? RETURNING 1) SELECT count(*) FROM x`, round); n != 1 {
		s.T.Fatalf("close round %d: %d rows", round, n)
	}
}

// VoteRound makes round position of cycle a ranked vote named name and
// closes the rounds before it, so that it is the current one. Every seat
// of the cycle serves in it (the database's trigger).
func (s *Seed) VoteRound(cycle int64, position int, name string) int64 {
	s.T.Helper()
	s.Exec(`UPDATE rounds SET closed_at = now() WHERE cycle_id = ? AND position < ? AND closed_at IS NULL`, cycle, position)
	return s.Round(cycle, position, name, "ranked_vote")
}
