// Package cycles owns awards, their yearly cycles and each cycle's
// criteria: what the award is, who may be nominated and by when, which
// phase a cycle is in (draft → open → closed → judging → decided →
// published) and what the jury scores. Their admins (site admins and the
// award owner's admins) change them; everyone reads them, except cycles
// still in draft.
//
// It owns each cycle's state too (State: phase, dates, limits and what is
// open now by the database's clock): the later steps load it from here
// (StateByID, StateByPublicID, StateColumns) rather than from the cycle's
// row.
package cycles
