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
