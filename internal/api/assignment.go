package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/assignment"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

// assignmentRoutes share a cycle's nominations among its jurors: the
// matrix (site admins and the chair), the settings, the cells and the
// automatic run (site admins).
func (h *Handler) assignmentRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/assignments", Gate: policy.LoggedIn, Handler: h.handleAssignmentGet},
		{Method: http.MethodPut, Pattern: "/api/v1/cycles/{cycle}/assignments", Gate: policy.Admin, Handler: h.handleAssignmentPut},
		{Method: http.MethodPost, Pattern: "/api/v1/cycles/{cycle}/assignments/auto", Gate: policy.Admin, Handler: h.handleAssignmentAuto},
		{Method: http.MethodPut, Pattern: "/api/v1/cycles/{cycle}/assignments/mode", Gate: policy.Admin, Handler: h.handleAssignmentMode},
	}
}

// AssignmentMatrix is a cycle's assignment as the API shows it. Cells
// are sparse: a nomination lists only the jurors whose cell is assigned,
// excluded or conflicted; every other juror is not assigned.
type AssignmentMatrix struct {
	Cycle             string                 `json:"cycle"`
	Mode              string                 `json:"mode"`
	K                 int                    `json:"k"`
	SpreadCounties    bool                   `json:"spread_counties"`
	Editable          bool                   `json:"editable"`
	Jurors            []AssignmentJuror      `json:"jurors"`
	Nominations       []AssignmentNomination `json:"nominations"`
	HiddenNominations int                    `json:"hidden_nominations"`
	Assigned          int                    `json:"assigned"`
	MinLoad           int                    `json:"min_load"`
	MaxLoad           int                    `json:"max_load"`
	ShortNominations  int                    `json:"short_nominations"`
	// Bids is absent in mode all and when no juror has bid.
	Bids *AssignmentBids `json:"bids,omitempty"`
}

// AssignmentBids says how the assignment honours the jurors' bids.
type AssignmentBids struct {
	Eager           int                 `json:"eager"`
	EagerGiven      int                 `json:"eager_given"`
	NotWanted       int                 `json:"not_wanted"`
	NotWantedSpared int                 `json:"not_wanted_spared"`
	NotHonoured     []AssignmentBidNote `json:"not_honoured"`
}

// AssignmentBidNote is one bid not honoured, and why.
type AssignmentBidNote struct {
	Juror        string `json:"juror"`
	NominationID string `json:"nomination_id"`
	Bid          string `json:"bid"`
	Why          string `json:"why"`
	Text         string `json:"text"`
}

// AssignmentJuror is a column of the matrix.
type AssignmentJuror struct {
	ID       ID     `json:"id"`
	Name     string `json:"name"`
	County   string `json:"county"`
	Chair    bool   `json:"chair"`
	Declared bool   `json:"declared"`
	Load     int    `json:"load"`
}

// AssignmentNomination is a row of the matrix.
type AssignmentNomination struct {
	ID       string           `json:"id"`
	Title    string           `json:"title"`
	Nominees []string         `json:"nominees"`
	County   string           `json:"county"`
	Jurors   int              `json:"jurors"`
	Cells    []AssignmentCell `json:"cells"`
}

// AssignmentCell is a cell that is not simply "not assigned".
type AssignmentCell struct {
	JurorID        ID                   `json:"juror_id"`
	State          string               `json:"state"`
	Manual         bool                 `json:"manual"`
	ScoringStarted bool                 `json:"scoring_started"`
	Conflicts      []AssignmentConflict `json:"conflicts,omitempty"`
	// Bid is the juror's eager or not_wanted bid; absent for willing.
	Bid string `json:"bid,omitempty"`
}

// AssignmentConflict is why a juror steps aside: an internal working
// paper, shown to admins and the chair only.
type AssignmentConflict struct {
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

func toAssignmentMatrix(m assignment.Matrix, t assignment.Translate) AssignmentMatrix {
	out := AssignmentMatrix{Cycle: m.Cycle.PublicID, Mode: string(m.Settings.Mode), K: m.Settings.K,
		SpreadCounties: m.Settings.SpreadCounties, Editable: m.Editable, HiddenNominations: m.Hidden,
		Assigned: m.Assigned, MinLoad: m.MinLoad, MaxLoad: m.MaxLoad, ShortNominations: m.Short,
		Jurors: make([]AssignmentJuror, len(m.Jurors)), Nominations: make([]AssignmentNomination, len(m.Nominations))}
	for j, u := range m.Jurors {
		out.Jurors[j] = AssignmentJuror{ID: ID(u.ID), Name: u.Name, County: u.County, Chair: u.Chair, Declared: u.Declared, Load: u.Load}
	}
	for i, n := range m.Nominations {
		row := AssignmentNomination{ID: n.PublicID, Title: n.Title, Nominees: n.Nominees, County: n.County, Jurors: n.Jurors,
			Cells: []AssignmentCell{}}
		for j, c := range n.Cells {
			if c.State == assignment.CellOpen {
				continue
			}
			cell := AssignmentCell{JurorID: ID(m.Jurors[j].ID), State: string(c.State), Manual: c.Manual, ScoringStarted: c.Started,
				Bid: string(c.Bid)}
			for _, k := range c.Conflicts {
				cell.Conflicts = append(cell.Conflicts, AssignmentConflict{Kind: k.Kind, Reason: k.Reason})
			}
			row.Cells = append(row.Cells, cell)
		}
		out.Nominations[i] = row
	}
	if b := m.Bids; b != nil {
		out.Bids = &AssignmentBids{Eager: b.Eager, EagerGiven: b.EagerGiven, NotWanted: b.NotWanted,
			NotWantedSpared: b.NotWantedSpared, NotHonoured: make([]AssignmentBidNote, len(b.Notes))}
		for i, n := range b.Notes {
			out.Bids.NotHonoured[i] = AssignmentBidNote{Juror: n.Juror, NominationID: n.Nomination, Bid: string(n.Bid), Why: n.Why,
				Text: n.Explain(t)}
		}
	}
	return out
}

// assignmentError explains the assignment's refusals in the caller's
// language before writing them as problem details.
func (h *Handler) assignmentError(w http.ResponseWriter, r *http.Request, err error) {
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	var inf *assignment.InfeasibleError
	var cc *assignment.CellConflictError
	msg := ""
	switch {
	case errors.As(err, &inf):
		msg = l.T("assignment.infeasible_intro") + " " + strings.Join(inf.Reasons(l.T), "; ")
	case errors.As(err, &cc):
		msg = cc.Explain(l.T)
	case errors.Is(err, assignment.ErrModeAll):
		msg = l.T("assignment.error.mode_all")
	case errors.Is(err, assignment.ErrPublished):
		msg = l.T("assignment.error.published")
	case errors.Is(err, assignment.ErrNotDeclared):
		msg = l.T("assignment.error.not_declared")
	}
	if msg != "" {
		err = &awards.Error{Code: awards.ErrorCode(err), Message: msg, Err: err}
	}
	h.Error(w, r, err)
}

func (h *Handler) handleAssignmentGet(w http.ResponseWriter, r *http.Request) {
	m, err := h.Assignment.Matrix(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.assignmentError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toAssignmentMatrix(m, h.Bundle.Localizer(httpx.LangFrom(r.Context())).T))
}

// AssignmentCellsPut sets cells by hand, all or none.
type AssignmentCellsPut struct {
	Cells []AssignmentCellPut `json:"cells"`
}

// AssignmentCellPut sets one cell: assigned, excluded, or auto (the
// automatic assignment decides it again).
type AssignmentCellPut struct {
	JurorID      ID     `json:"juror_id"`
	NominationID string `json:"nomination_id"`
	State        string `json:"state"`
}

// AssignmentChanged is a cell a PUT changed.
type AssignmentChanged struct {
	JurorID      ID     `json:"juror_id"`
	NominationID string `json:"nomination_id"`
	From         string `json:"from"`
	To           string `json:"to"`
}

// AssignmentCellsResult answers a PUT with the cells that changed (cells
// already as asked are left out); GET shows the matrix after.
type AssignmentCellsResult struct {
	Changed []AssignmentChanged `json:"changed"`
}

func (h *Handler) handleAssignmentPut(w http.ResponseWriter, r *http.Request) {
	var in AssignmentCellsPut
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	cells := make([]assignment.CellChange, len(in.Cells))
	for i, c := range in.Cells {
		cells[i] = assignment.CellChange{JurorID: int64(c.JurorID), Nomination: c.NominationID, State: assignment.Choice(c.State)}
	}
	changed, err := h.Assignment.SetCells(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), cells)
	if err != nil {
		h.assignmentError(w, r, err)
		return
	}
	out := AssignmentCellsResult{Changed: make([]AssignmentChanged, len(changed))}
	for i, c := range changed {
		out.Changed[i] = AssignmentChanged{JurorID: ID(c.JurorID), NominationID: c.Nomination, From: c.From, To: c.To}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// AssignmentAutoPost optionally changes the settings of the run; the
// cycle is switched to automatic assignment in any case.
type AssignmentAutoPost struct {
	K              *int  `json:"k"`
	SpreadCounties *bool `json:"spread_counties"`
}

// AssignmentRun is what an automatic run did; GET shows the matrix
// after.
type AssignmentRun struct {
	Mode            string `json:"mode"`
	K               int    `json:"k"`
	SpreadCounties  bool   `json:"spread_counties"`
	Nominations     int    `json:"nominations"`
	Jurors          int    `json:"jurors"`
	Assigned        int    `json:"assigned"`
	Manual          int    `json:"manual"`
	Excluded        int    `json:"excluded"`
	ScoringStarted  int    `json:"scoring_started"`
	Kept            int    `json:"kept"`
	Added           int    `json:"added"`
	Removed         int    `json:"removed"`
	MinLoad         int    `json:"min_load"`
	MaxLoad         int    `json:"max_load"`
	SameCountyPairs int    `json:"same_county_pairs"`
	OwnCountyPairs  int    `json:"own_county_pairs"`
	// Bids: eager and not-wanted bids on cells the run could give, and
	// how many of them are assigned.
	Eager             int   `json:"eager"`
	EagerAssigned     int   `json:"eager_assigned"`
	NotWanted         int   `json:"not_wanted"`
	NotWantedAssigned int   `json:"not_wanted_assigned"`
	Milliseconds      int64 `json:"milliseconds"`
}

func (h *Handler) handleAssignmentAuto(w http.ResponseWriter, r *http.Request) {
	var in AssignmentAutoPost
	// The body is optional.
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(w, r, &in); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	run, err := h.Assignment.AutoWith(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), in.K, in.SpreadCounties)
	if err != nil {
		h.assignmentError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, AssignmentRun{
		Mode: string(run.Settings.Mode), K: run.Settings.K, SpreadCounties: run.Settings.SpreadCounties,
		Nominations: run.Nominations, Jurors: run.Jurors, Assigned: run.Assigned, Manual: run.Manual, Excluded: run.Excluded,
		ScoringStarted: run.Started, Kept: run.Kept, Added: run.Added, Removed: run.Removed, MinLoad: run.MinLoad,
		MaxLoad: run.MaxLoad, SameCountyPairs: run.SameCountyPairs, OwnCountyPairs: run.OwnCountyPairs,
		Eager: run.Eager, EagerAssigned: run.EagerAssigned, NotWanted: run.NotWanted, NotWantedAssigned: run.NotWantedAssigned,
		Milliseconds: run.Timing.Total.Milliseconds()})
}

// AssignmentSettings are a cycle's assignment settings; a PUT replaces
// all three.
type AssignmentSettings struct {
	Mode           string `json:"mode"`
	K              int    `json:"k"`
	SpreadCounties bool   `json:"spread_counties"`
}

func (h *Handler) handleAssignmentMode(w http.ResponseWriter, r *http.Request) {
	var in AssignmentSettings
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	s, err := h.Assignment.SetMode(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"),
		assignment.Settings{Mode: assignment.Mode(in.Mode), K: in.K, SpreadCounties: in.SpreadCounties})
	if err != nil {
		h.assignmentError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, AssignmentSettings{Mode: string(s.Mode), K: s.K, SpreadCounties: s.SpreadCounties})
}
