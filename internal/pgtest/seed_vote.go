package pgtest

// VoteRound makes a round of kind ranked_vote at position of cycle, named
// name, and closes the cycle's earlier rounds, so that it is the current
// one. Every seat of the cycle serves in it (the database's trigger).
func (s *Seed) VoteRound(cycle int64, position int, name string) int64 {
	s.T.Helper()
	s.Exec(`UPDATE rounds SET closed_at = now() WHERE cycle_id = ? AND position < ? AND closed_at IS NULL`, cycle, position)
	return s.ID(`INSERT INTO rounds (cycle_id, position, kind, name_nb, name_nn, name_en)
		VALUES (?, ?, 'ranked_vote', ?, ?, ?) RETURNING id`, cycle, position, name, name, name)
}

// Advance takes nomination into round, as the chair's advancing does.
func (s *Seed) Advance(round, nomination int64) {
	s.T.Helper()
	s.Exec(`INSERT INTO round_nominations (round_id, nomination_id, reason) VALUES (?, ?, 'Finalist')`, round, nomination)
}
