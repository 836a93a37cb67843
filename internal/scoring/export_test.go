package scoring

// SaveCellsSQL lets the tests run the write of a save without the checks
// before it, as it runs when the cycle closes between a save's read and its
// write.
var SaveCellsSQL = saveCells

// The juror-facing statements, for TestJurorQueriesIgnoreOtherCycles.
var (
	TargetSQL    = targetSelect
	ScreenSQL    = screenSelect
	DocSQL       = docQuery
	MineSQL      = mineSQL
	SeatsSQL     = seatsSQL
	LockJurorSQL = lockJurorSQL
)

// MarkKept renames the nomination in what the last save of it by user
// kept, so that a test can tell a save that used the kept facts (its
// sheet has the mark) from one that read them; false when none are kept.
func MarkKept(s *Service, user int64, cyclePublicID, publicID, mark string) bool {
	key := writeKey{user, cyclePublicID, publicID}
	k, ok := s.writes.get(key)
	if ok {
		k.t.Title = mark
		s.writes.put(key, k)
	}
	return ok
}
