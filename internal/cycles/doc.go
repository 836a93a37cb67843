// Package cycles owns awards, their yearly cycles, each cycle's rounds of
// judging and their criteria: what the award is, who may be nominated and
// by when, which phase a cycle is in (draft → open → closed → judging →
// decided → published), in which rounds the jury judges, who serves in
// each and what it scores. Their admins (site admins and the award
// owner's admins) change them; everyone reads them, except cycles still
// in draft (and rounds, which the cycle's admins and jurors read).
//
// It owns each cycle's state too (State: phase, dates, limits and what is
// open now by the database's clock): the later steps load it from here
// (StateByID, StateByPublicID, StateColumns) rather than from the cycle's
// row.
package cycles
