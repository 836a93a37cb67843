package orgs_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// TestLineage follows SSB's real history: Asker 0220 became Asker 3025
// in 2020 (with Røyken and Hurum), which became today's Asker 3203 in
// 2024.
func TestLineage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := imported(t)
	var ids []struct {
		ID     int64  `bun:"id"`
		Number string `bun:"number"`
	}
	if err := db.NewRaw(`SELECT id, number FROM organisations WHERE kind = 'municipality' AND number IN ('0220', '3025', '3203', '0627', '0628', '1835')`).Scan(ctx, &ids); err != nil {
		t.Fatal(err)
	}
	id, number := map[string]int64{}, map[int64]string{}
	for _, r := range ids {
		id[r.Number], number[r.ID] = r.ID, r.Number
	}
	numbers := func(list []int64) []string {
		out := []string{}
		for _, i := range list {
			out = append(out, number[i])
		}
		return out
	}

	for _, tt := range []struct {
		from string
		want []string
	}{
		{"0220", []string{"3025", "3203"}},
		{"3025", []string{"3203"}},
		{"0627", []string{"3025", "3203"}},
		{"3203", []string{}},
		{"1835", []string{}},
	} {
		var got []int64
		if err := db.NewRaw(`SELECT `+orgs.SuccessorIDs("?"), id[tt.from]).Scan(ctx, pgdialect.Array(&got)); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, numbers(got)); diff != "" {
			t.Errorf("successors of %s (-want +got):\n%s", tt.from, diff)
		}
	}

	for _, tt := range []struct {
		of   []string
		want []string
	}{
		{[]string{"3203"}, []string{"0220", "0627", "0628", "3025", "3203"}},
		{[]string{"3025"}, []string{"0220", "0627", "0628", "3025"}},
		{[]string{"1835"}, []string{"1835"}},
		{[]string{"0220", "1835"}, []string{"0220", "1835"}},
	} {
		args := make([]int64, len(tt.of))
		for i, n := range tt.of {
			args[i] = id[n]
		}
		var got []string
		if err := db.NewRaw(`SELECT o.number FROM organisations o WHERE o.id IN (`+orgs.WithPredecessors("?")+`) ORDER BY o.number`,
			pgdialect.Array(args)).Scan(ctx, &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%v with predecessors (-want +got):\n%s", tt.of, diff)
		}
	}
}
