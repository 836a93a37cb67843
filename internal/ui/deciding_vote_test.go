package ui

import (
	"slices"
	"testing"

	"github.com/heder-awards/heder/internal/scorestats"
)

// TestByVote: the decision page of a ranked vote lists the nominations
// in the count's order, group by group, a nomination outside the count
// last, and leaves the ranking's own rows as they were.
func TestByVote(t *testing.T) {
	rows := []scorestats.Row{{Nomination: 1}, {Nomination: 2}, {Nomination: 3}, {Nomination: 4}}
	got := byVote(rows, [][]int64{{3}, {2, 1}})
	var order []int64
	for _, r := range got {
		order = append(order, r.Nomination)
	}
	if !slices.Equal(order, []int64{3, 2, 1, 4}) {
		t.Errorf("order %v, want [3 2 1 4]", order)
	}
	if rows[0].Nomination != 1 || rows[2].Nomination != 3 {
		t.Errorf("the ranking's rows changed: %v", rows)
	}
}
