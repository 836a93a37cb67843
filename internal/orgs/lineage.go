package orgs

// A former municipality lives on in its successor (organisations.successor_id,
// from SSB's change history): Asker 0220 became Asker 3025 in 2020, which
// became today's Asker 3203 in 2024. The import keeps one successor per
// former municipality (a split keeps the first), so a chain never branches
// upwards; the depth limit only guards against a loop in bad data.
// These are SQL fragments rather than queries of their own so that the
// services that need the relation read it in the statement that needs it.

// SuccessorIDs is an SQL expression (a bigint[]) for the organisations
// that the organisation whose ID is the SQL expression org became, nearest
// first: for Asker 0220, Asker 3025 and then Asker 3203. It is empty for
// an organisation that still exists.
func SuccessorIDs(org string) string {
	return `ARRAY(WITH RECURSIVE chain(id, depth) AS (
		SELECT s.successor_id, 1 FROM organisations s WHERE s.id = ` + org + ` AND s.successor_id IS NOT NULL
		UNION ALL
		SELECT o.successor_id, ch.depth + 1 FROM chain ch JOIN organisations o ON o.id = ch.id
		WHERE o.successor_id IS NOT NULL AND ch.depth < 32)
	SELECT id FROM chain ORDER BY depth)`
}

// WithPredecessors is an SQL query for the IDs of the organisations in
// the bigint[] SQL expression ids and of every former organisation that
// became one of them, at any distance: for today's Asker, Asker 3025,
// Asker 0220, Røyken and Hurum too.
func WithPredecessors(ids string) string {
	return `WITH RECURSIVE lineage(id, depth) AS (
		SELECT unnest(` + ids + `::bigint[]), 0
		UNION ALL
		SELECT o.id, l.depth + 1 FROM organisations o JOIN lineage l ON o.successor_id = l.id WHERE l.depth < 32)
	SELECT DISTINCT id FROM lineage`
}
