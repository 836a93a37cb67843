package assignment

// Why a bid was not honoured.
const (
	// WhyManual: the admin set the cell by hand, or the juror has begun
	// scoring the nomination, so the run kept it.
	WhyManual = "manual"
	// WhyK: fewer than K of the jurors the nomination may get had not
	// said they would rather not have it, so K could not be met without one.
	WhyK = "k"
	// WhyBalance: giving the nomination to someone else would have made
	// the loads less even, which comes before bids.
	WhyBalance = "balance"
	// WhyConflict: the juror steps aside from the nomination.
	WhyConflict = "conflict"
	// WhyExcluded: the admin kept the juror off the nomination by hand.
	WhyExcluded = "excluded"
	// WhyFull: the nomination's K seats are all taken by manual cells or
	// cells whose juror has begun scoring.
	WhyFull = "full"
)

// BidReport says how the assignment in place honours the jurors' bids.
type BidReport struct {
	// Eager counts eager bids and EagerGiven those whose cell is
	// assigned; NotWanted counts not-wanted bids and NotWantedSpared
	// those whose cell is not.
	Eager, EagerGiven, NotWanted, NotWantedSpared int
	// Notes list every bid not honoured: not-wanted cells assigned
	// first, then eager ones not given, in the matrix's order.
	Notes []BidNote
}

// Honoured counts the bids honoured.
func (r BidReport) Honoured() int { return r.EagerGiven + r.NotWantedSpared }

// Total counts the bids.
func (r BidReport) Total() int { return r.Eager + r.NotWanted }

// BidNote is one bid the assignment does not honour.
type BidNote struct {
	Juror string
	// Nomination is the public ID; Label the title and nominees.
	Nomination, Label string
	Bid               Bid
	// Why is one of the Why constants.
	Why string
}

// Explain says in the reader's language what happened to the bid and why.
func (n BidNote) Explain(t Translate) string {
	what := "assignment.bids.note_eager"
	if n.Bid == BidNotWanted {
		what = "assignment.bids.note_not_wanted"
	}
	return t(what, "Name", n.Juror, "Title", n.Label) + " " + t("assignment.bids.why_"+n.Why)
}

// bidReport builds the report of m, whose cells carry the bids. Only
// ModeAuto assigns by bids; hidden nominations are left out.
func bidReport(m *Matrix, labels map[int64]string) *BidReport {
	if m.Settings.Mode != ModeAuto {
		return nil
	}
	r := &BidReport{}
	var unwanted, missed []BidNote
	for _, n := range m.Nominations {
		// welcome counts the jurors the nomination may get who did not
		// say not wanted.
		welcome, fixed := 0, 0
		for _, c := range n.Cells {
			if c.State != CellConflict && c.State != CellExcluded && c.Bid != BidNotWanted {
				welcome++
			}
			if c.State == CellAssigned && (c.Manual || c.Started) {
				fixed++
			}
		}
		for j, c := range n.Cells {
			if c.Bid == "" || c.Bid == BidWilling {
				continue
			}
			note := BidNote{Juror: m.Jurors[j].Name, Nomination: n.PublicID, Label: labels[n.ID], Bid: c.Bid}
			assigned := c.State == CellAssigned
			switch c.Bid {
			case BidNotWanted:
				r.NotWanted++
				if !assigned {
					r.NotWantedSpared++
					continue
				}
				switch {
				case c.Manual || c.Started:
					note.Why = WhyManual
				case welcome < m.Settings.K:
					note.Why = WhyK
				default:
					note.Why = WhyBalance
				}
				unwanted = append(unwanted, note)
			case BidEager:
				r.Eager++
				if assigned {
					r.EagerGiven++
					continue
				}
				switch {
				case c.State == CellConflict:
					note.Why = WhyConflict
				case c.State == CellExcluded:
					note.Why = WhyExcluded
				case fixed >= m.Settings.K:
					note.Why = WhyFull
				default:
					note.Why = WhyBalance
				}
				missed = append(missed, note)
			}
		}
	}
	if r.Total() == 0 {
		return nil
	}
	r.Notes = append(unwanted, missed...)
	return r
}
