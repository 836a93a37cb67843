package ui

import (
	"net/http"
	"sort"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/scoring"
)

// juryListRow is one of the juror's nominations in their list of a cycle.
type juryListRow struct {
	scoring.Item
	Href, StatusLabel, StatusColor string
}

// sortLink is a sortable column heading.
type sortLink struct {
	Href string
	// Sort is the aria-sort value: ascending, descending or none.
	Sort string
}

type juryListPage struct {
	Base
	List     scoring.List
	Rows     []juryListRow
	Deadline string
	Progress string
	// SortTitle and SortStatus are the sortable column headings.
	SortTitle, SortStatus sortLink
	// Declare links to the declaration when nominations await it.
	Declare string
}

// statusOrder sorts the list by what needs doing first.
var statusOrder = map[scoring.Status]int{scoring.NotStarted: 0, scoring.Draft: 1, scoring.Submitted: 2}

func (h *Handler) handleJuryList(w http.ResponseWriter, r *http.Request) {
	cycle := chi.URLParam(r, "cycle")
	l, err := h.Scoring.Mine(r.Context(), h.actor(r), cycle)
	if err != nil {
		h.juryError(w, r, err)
		return
	}
	p := juryListPage{Base: h.base(r, "scoring.list_title"), List: l}
	p.Title = p.L.T("scoring.list_title_cycle", "Cycle", l.Cycle.Title)
	p.Deadline = deadlineText(p.L, l.Cycle, l.Now)
	p.Progress = p.L.T("scoring.progress", "Done", l.Done, "Total", len(l.Items))
	for _, it := range l.Items {
		row := juryListRow{Item: it, Href: juryPath(cycle, "nominasjoner", it.PublicID)}
		row.StatusLabel, row.StatusColor = scoringStatusTag(p.L, it.Status)
		p.Rows = append(p.Rows, row)
	}
	// Sorting: ?sort=title|status, &dir=desc for the other way. The
	// service lists by title.
	by, desc := r.URL.Query().Get("sort"), r.URL.Query().Get("dir") == "desc"
	if by == "status" {
		sort.SliceStable(p.Rows, func(i, j int) bool { return statusOrder[p.Rows[i].Status] < statusOrder[p.Rows[j].Status] })
	} else {
		by = "title"
	}
	if desc {
		for i, j := 0, len(p.Rows)-1; i < j; i, j = i+1, j-1 {
			p.Rows[i], p.Rows[j] = p.Rows[j], p.Rows[i]
		}
	}
	link := func(col string) sortLink {
		s := sortLink{Href: juryPath(cycle) + "?sort=" + col, Sort: "none"}
		if col == by {
			s.Sort = "ascending"
			if desc {
				s.Sort = "descending"
			} else {
				s.Href += "&dir=desc"
			}
		}
		return s
	}
	p.SortTitle, p.SortStatus = link("title"), link("status")
	if l.Pending > 0 {
		p.Declare = declarePath(cycle)
	}
	h.Renderer.Render(w, http.StatusOK, "jury_list", p)
}
