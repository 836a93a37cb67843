package matching

import (
	"fmt"
	"strconv"
	"strings"
)

// InfeasibleError says why K jurors cannot be given to every nomination.
//
// Jurors have no load limit, so the problem is feasible exactly when each
// nomination on its own has K usable jurors and at most K manual
// assignments; there are no hidden interactions between nominations. The
// error therefore lists every nomination that blocks a solution, and fixing
// those (fewer conflicts, fewer manual exclusions, more jurors or a smaller
// K) is always enough.
type InfeasibleError struct {
	K      int
	Jurors int // number of jurors in the problem
	// TooFewJurors is set when K exceeds the number of jurors. Then every
	// nomination is blocked and Nominations is left empty.
	TooFewJurors bool
	// Nominations lists the blocked nominations, sorted by ID.
	Nominations []NominationIssue
}

// NominationIssue explains why one nomination cannot get K jurors.
type NominationIssue struct {
	Nomination int64
	// Available is the number of jurors the nomination could get: manually
	// assigned ones plus those neither conflicted nor manually excluded.
	Available int
	// Conflicted lists the jurors excluded by a conflict, Excluded those
	// excluded by a manual cell (and not conflicted).
	Conflicted, Excluded []int64
	// Fixed lists the manually assigned jurors; more than K of them is an
	// error too.
	Fixed []int64
	// FixedConflicts lists manually assigned jurors who have a conflict with
	// the nomination; the manual cell must be removed.
	FixedConflicts []int64
	// Reason is a human-readable English explanation.
	Reason string
}

// maxReasons bounds how many nominations Error spells out.
const maxReasons = 10

func (e *InfeasibleError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "assign: cannot give every nomination K = %d jurors: ", e.K)
	if e.TooFewJurors {
		fmt.Fprintf(&b, "there are only %d jurors", e.Jurors)
		return b.String()
	}
	for k, iss := range e.Nominations {
		if k == maxReasons {
			fmt.Fprintf(&b, "; and %d more nominations", len(e.Nominations)-maxReasons)
			break
		}
		if k > 0 {
			b.WriteString("; ")
		}
		b.WriteString(iss.Reason)
	}
	return b.String()
}

// feasibility returns an *InfeasibleError if some nomination cannot get K
// jurors, nil otherwise. The check is exact: with unbounded juror loads the
// flow network decomposes per nomination.
func (in *instance) feasibility() error {
	K, J := in.p.K, len(in.jurs)
	if len(in.noms) == 0 {
		return nil
	}
	if K > J {
		return &InfeasibleError{K: K, Jurors: J, TooFewJurors: true}
	}
	var issues []NominationIssue
	for i, n := range in.noms {
		row := in.state[i*J : (i+1)*J]
		if in.rowFeasible(row) {
			continue
		}
		iss := NominationIssue{Nomination: n.ID}
		for j, u := range in.jurs {
			st := row[j]
			switch {
			case st&stFixedIn != 0 && st&stConflict != 0:
				iss.FixedConflicts = append(iss.FixedConflicts, u.ID)
				iss.Fixed = append(iss.Fixed, u.ID)
				iss.Available++
			case st&stFixedIn != 0:
				iss.Fixed = append(iss.Fixed, u.ID)
				iss.Available++
			case st&stConflict != 0:
				iss.Conflicted = append(iss.Conflicted, u.ID)
			case st&stFixedOut != 0:
				iss.Excluded = append(iss.Excluded, u.ID)
			default:
				iss.Available++
			}
		}
		var parts []string
		if len(iss.FixedConflicts) > 0 {
			parts = append(parts, fmt.Sprintf("%s %s manually assigned despite a conflict",
				in.jurorList(iss.FixedConflicts), isAre(len(iss.FixedConflicts))))
		}
		if len(iss.Fixed) > K {
			parts = append(parts, fmt.Sprintf("%d jurors are manually assigned but K = %d (%s)",
				len(iss.Fixed), K, in.jurorList(iss.Fixed)))
		}
		if iss.Available < K {
			p := fmt.Sprintf("only %d of %d jurors can be assigned", iss.Available, J)
			var why []string
			if len(iss.Conflicted) > 0 {
				why = append(why, fmt.Sprintf("%s %s conflicted", in.jurorList(iss.Conflicted), isAre(len(iss.Conflicted))))
			}
			if len(iss.Excluded) > 0 {
				why = append(why, fmt.Sprintf("%s %s manually excluded", in.jurorList(iss.Excluded), isAre(len(iss.Excluded))))
			}
			if len(why) > 0 {
				p += " (" + strings.Join(why, "; ") + ")"
			}
			parts = append(parts, p)
		}
		if len(parts) == 0 {
			continue
		}
		iss.Reason = in.nominationLabel(n) + ": " + strings.Join(parts, "; ")
		issues = append(issues, iss)
	}
	if len(issues) == 0 {
		return nil
	}
	return &InfeasibleError{K: K, Jurors: J, Nominations: issues}
}

// rowFeasible is the fast path of feasibility for one nomination's row.
func (in *instance) rowFeasible(row []uint8) bool {
	avail, fixed := 0, 0
	for _, st := range row {
		switch {
		case st&stFixedIn != 0 && st&stConflict != 0:
			return false
		case st&stFixedIn != 0:
			fixed++
			avail++
		case st == 0:
			avail++
		}
	}
	return fixed <= in.p.K && avail >= in.p.K
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func (in *instance) nominationLabel(n Nomination) string {
	s := "nomination " + strconv.FormatInt(n.ID, 10)
	if n.Name != "" {
		s += " (" + n.Name + ")"
	}
	return s
}

// jurorList names jurors as "Kari, Ola and juror 7".
func (in *instance) jurorList(ids []int64) string {
	names := make([]string, len(ids))
	for k, id := range ids {
		names[k] = "juror " + strconv.FormatInt(id, 10)
		if u := in.jurs[in.jurIdx[id]]; u.Name != "" {
			names[k] = u.Name
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
