// Package cycles owns awards, their yearly cycles and each cycle's
// criteria: what the award is, who may be nominated and by when, which
// phase a cycle is in (draft → open → closed → judging → decided →
// published) and what the jury scores. Their admins (site admins and the
// award owner's admins) change them; everyone reads them, except cycles
// still in draft.
package cycles
