package scorestats

import (
	"cmp"
	"math"
	"slices"
	"strconv"
)

// rank sets both ranks and sorts the rows: by z rank, raw rank, ID;
// unranked rows last.
func (c *computation) rank() {
	rows := c.res.Rows
	rankBy(rows, func(r *Row) float64 { return r.RawMean }, func(r *Row, k int, tied bool) { r.RawRank, r.RawTied = k, tied })
	rankBy(rows, func(r *Row) float64 { return r.ZMean }, func(r *Row, k int, tied bool) { r.ZRank, r.ZTied = k, tied })
	slices.SortFunc(rows, func(a, b Row) int {
		if (a.ZRank == 0) != (b.ZRank == 0) {
			if a.ZRank == 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.ZRank, b.ZRank), cmp.Compare(a.RawRank, b.RawRank), cmp.Compare(a.Nomination, b.Nomination))
	})
}

// rankBy sets competition ranks over the ranked rows (RawRank ≠ 0 on
// entry), and whether each rank is shared.
func rankBy(rows []Row, key func(*Row) float64, set func(r *Row, rank int, tied bool)) {
	type item struct {
		key float64
		id  int64
		i   int
	}
	items := make([]item, 0, len(rows))
	for i := range rows {
		if rows[i].RawRank != 0 {
			items = append(items, item{math.Round(key(&rows[i]) * tieDecimals), rows[i].Nomination, i})
		}
	}
	slices.SortFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(b.key, a.key), cmp.Compare(a.id, b.id))
	})
	k := 0
	for p, it := range items {
		if p == 0 || it.key != items[p-1].key {
			k = p + 1
		}
		tied := p > 0 && it.key == items[p-1].key || p+1 < len(items) && it.key == items[p+1].key
		set(&rows[it.i], k, tied)
	}
}

// Place writes a rank as readers see it: "=2" for a rank other rows share
// (a tie reads as one), "2" for a rank of its own, and "–" for none.
func Place(rank int, tied bool) string {
	switch {
	case rank == 0:
		return "–"
	case tied:
		return "=" + strconv.Itoa(rank)
	}
	return strconv.Itoa(rank)
}
