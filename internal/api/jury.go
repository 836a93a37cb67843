package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/jury"
	"github.com/heder-awards/heder/internal/policy"
)

// juryRoutes are the jury API: admins manage a cycle's jury; whoever
// holds an invitation link accepts it; the chair and admins confirm the
// seat of someone who accepted from another address; jurors declare
// their conflicts; the chair and admins see who stepped aside. The
// service decides about each cycle.
func (h *Handler) juryRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/jurors", Gate: policy.Admin, Handler: h.handleJuryGet},
		{Method: http.MethodPost, Pattern: "/api/v1/cycles/{cycle}/jurors", Gate: policy.Admin, Handler: h.handleJuryInvite},
		{Method: http.MethodPatch, Pattern: "/api/v1/cycles/{cycle}/jurors/{juror}", Gate: policy.Admin, Handler: h.handleJuryMemberPatch},
		{Method: http.MethodDelete, Pattern: "/api/v1/cycles/{cycle}/jurors/{juror}", Gate: policy.Admin, Handler: h.handleJuryMemberRemove},
		{Method: http.MethodDelete, Pattern: "/api/v1/cycles/{cycle}/invitations/{invitation}", Gate: policy.Admin, Handler: h.handleJuryInvitationRevoke},
		{Method: http.MethodPost, Pattern: "/api/v1/cycles/{cycle}/invitations/{invitation}/confirm", Gate: policy.LoggedIn, Handler: h.handleJuryInvitationConfirm},
		{Method: http.MethodGet, Pattern: "/api/v1/invitations/{token}", Gate: policy.Public, Handler: h.handleJuryInvitationGet},
		{Method: http.MethodPost, Pattern: "/api/v1/invitations/{token}/accept", Gate: policy.LoggedIn, Handler: h.handleJuryInvitationAccept},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/conflicts", Gate: policy.LoggedIn, Handler: h.handleJuryConflictsGet},
		{Method: http.MethodPut, Pattern: "/api/v1/cycles/{cycle}/conflicts", Gate: policy.LoggedIn, Handler: h.handleJuryConflictsPut},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/conflicts/overview", Gate: policy.LoggedIn, Handler: h.handleJuryConflictsOverview},
	}
}

// JuryMember is a seat on a cycle's jury.
type JuryMember struct {
	// ID is the seat's: the one ID that names a juror in the API, never
	// their user ID.
	ID          ID         `json:"id"`
	Name        string     `json:"name"`
	Email       string     `json:"email"`
	Chair       bool       `json:"chair"`
	Declared    bool       `json:"declared"`
	DeclaredAt  *time.Time `json:"declared_at"`
	NeedsReview bool       `json:"needs_review"`
	RemovedAt   *time.Time `json:"removed_at"`
	// SteppedAside counts the nominations the juror is conflicted with.
	SteppedAside int       `json:"stepped_aside"`
	Submitted    int       `json:"submitted"`
	CreatedAt    time.Time `json:"created_at"`
}

func toJuryMember(j jury.Juror) JuryMember {
	return JuryMember{ID: ID(j.ID), Name: j.Name, Email: j.Email, Chair: j.Chair, Declared: j.Declared(),
		DeclaredAt: j.DeclaredAt, NeedsReview: j.NeedsReview, RemovedAt: j.RemovedAt, SteppedAside: j.SteppedAside,
		Submitted: j.Submitted, CreatedAt: j.CreatedAt}
}

// JuryInvitation is an invitation to a jury. Its token is never shown:
// only the e-mail to the invitee carries it.
type JuryInvitation struct {
	ID         ID         `json:"id"`
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Chair      bool       `json:"chair"`
	Language   string     `json:"language"`
	State      string     `json:"state"`
	ExpiresAt  time.Time  `json:"expires_at"`
	CreatedAt  time.Time  `json:"created_at"`
	MailedAt   *time.Time `json:"mailed_at"`
	AcceptedAt *time.Time `json:"accepted_at"`
	AcceptedBy string     `json:"accepted_by,omitempty"`
	// AcceptedByEmail is the address the acceptor logged in with.
	AcceptedByEmail string `json:"accepted_by_email,omitempty"`
	// SeatedAt is when the acceptance became a seat: at once for the
	// invited address, else at confirmation (by ConfirmedBy).
	SeatedAt    *time.Time `json:"seated_at"`
	ConfirmedBy string     `json:"confirmed_by,omitempty"`
	RevokedAt   *time.Time `json:"revoked_at"`
}

func toJuryInvitation(i jury.Invitation) JuryInvitation {
	return JuryInvitation{ID: ID(i.ID), Name: i.Name, Email: i.Email, Chair: i.Chair, Language: i.Language, State: i.State,
		ExpiresAt: i.ExpiresAt, CreatedAt: i.CreatedAt, MailedAt: i.MailedAt, AcceptedAt: i.AcceptedAt, AcceptedBy: i.AcceptedBy,
		AcceptedByEmail: i.AcceptedByEmail, SeatedAt: i.SeatedAt, ConfirmedBy: i.ConfirmedBy, RevokedAt: i.RevokedAt}
}

// Jury is a cycle's jurors and invitations.
type Jury struct {
	Cycle       string           `json:"cycle"`
	CycleTitle  string           `json:"cycle_title"`
	Jurors      []JuryMember     `json:"jurors"`
	Invitations []JuryInvitation `json:"invitations"`
}

func (h *Handler) handleJuryGet(w http.ResponseWriter, r *http.Request) {
	j, err := h.Jury.Jury(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := Jury{Cycle: j.Cycle.PublicID, CycleTitle: j.Cycle.Title, Jurors: []JuryMember{}, Invitations: []JuryInvitation{}}
	for _, x := range j.Jurors {
		out.Jurors = append(out.Jurors, toJuryMember(x))
	}
	for _, x := range j.Invitations {
		out.Invitations = append(out.Invitations, toJuryInvitation(x))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// JuryInvitationRequest invites a person to a jury by e-mail.
type JuryInvitationRequest struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Chair bool   `json:"chair"`
	// Language of the e-mail: nb (default), nn or en.
	Language string `json:"language"`
}

func (h *Handler) handleJuryInvite(w http.ResponseWriter, r *http.Request) {
	var in JuryInvitationRequest
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	inv, err := h.Jury.Invite(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"),
		jury.InvitationInput{Name: in.Name, Email: in.Email, Chair: in.Chair, Language: in.Language})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, toJuryInvitation(inv))
}

// JuryMemberPatch makes a juror the chair (the former chair becomes an
// ordinary juror), or with false an ordinary juror.
type JuryMemberPatch struct {
	Chair *bool `json:"chair"`
}

func (h *Handler) handleJuryMemberPatch(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "juror")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in JuryMemberPatch
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	if in.Chair == nil {
		h.Error(w, r, awards.Invalid(map[string]string{"chair": "jury.error.chair_required"}))
		return
	}
	j, err := h.Jury.SetChair(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), id, *in.Chair)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toJuryMember(j))
}

// JuryMemberRemoval is a removed juror and the scores that no longer count.
type JuryMemberRemoval struct {
	Juror               JuryMember `json:"juror"`
	ExcludedSubmissions int        `json:"excluded_submissions"`
	ExcludedScores      int        `json:"excluded_scores"`
}

func (h *Handler) handleJuryMemberRemove(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "juror")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	res, err := h.Jury.Remove(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, JuryMemberRemoval{Juror: toJuryMember(res.Juror),
		ExcludedSubmissions: res.ExcludedSubmissions, ExcludedScores: res.ExcludedScores})
}

func (h *Handler) handleJuryInvitationRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "invitation")
	if err == nil {
		err = h.Jury.Revoke(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), id)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) handleJuryInvitationConfirm(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "invitation")
	var j jury.Juror
	if err == nil {
		j, err = h.Jury.Confirm(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), id)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toJuryMember(j))
}

// JuryInvitationInfo is what an invitation link invites to.
type JuryInvitationInfo struct {
	Name       string    `json:"name"`
	Cycle      string    `json:"cycle"`
	CycleTitle string    `json:"cycle_title"`
	Award      string    `json:"award"`
	Chair      bool      `json:"chair"`
	ExpiresAt  time.Time `json:"expires_at"`
	// InvitedLogin: the caller is logged in with the invited address,
	// verified, so accepting seats them at once; otherwise the seat would
	// await confirmation by the chair or an admin.
	InvitedLogin bool `json:"invited_login"`
}

func (h *Handler) handleJuryInvitationGet(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	v, err := h.Jury.Invitation(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "token"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, JuryInvitationInfo{Name: v.Name, Cycle: v.CyclePublicID, CycleTitle: v.CycleTitle,
		Award: v.AwardName(httpx.LangFrom(r.Context())), Chair: v.Chair, ExpiresAt: v.ExpiresAt, InvitedLogin: v.InvitedLogin})
}

// JurySeat is the caller's seat on a jury, or their acceptance awaiting
// confirmation (juror_id left out).
type JurySeat struct {
	JurorID      ID     `json:"juror_id,omitempty"`
	InvitationID ID     `json:"invitation_id"`
	Cycle        string `json:"cycle"`
	CycleTitle   string `json:"cycle_title"`
	Chair        bool   `json:"chair"`
	// AwaitingConfirmation: the caller's login is not the invited,
	// verified address, so the chair or an admin must confirm the seat.
	AwaitingConfirmation bool `json:"awaiting_confirmation"`
}

func (h *Handler) handleJuryInvitationAccept(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	s, err := h.Jury.Accept(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "token"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	status := http.StatusOK
	if s.Awaiting {
		// Recorded, not done: the seat waits for someone else's decision.
		status = http.StatusAccepted
	}
	httpx.WriteJSON(w, status, JurySeat{JurorID: ID(s.JurorID), InvitationID: ID(s.InvitationID), Cycle: s.CyclePublicID,
		CycleTitle: s.CycleTitle, Chair: s.Chair, AwaitingConfirmation: s.Awaiting})
}

// JuryDeclaredOrganisation is the caller's answer about one nominee
// organisation. Conflict is null until answered; "member" is set by
// Heder (the caller is a member: a conflict by itself, Automatic).
type JuryDeclaredOrganisation struct {
	ID        ID      `json:"id"`
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	County    string  `json:"county,omitempty"`
	Conflict  *string `json:"conflict"`
	Reason    string  `json:"reason"`
	Automatic bool    `json:"automatic"`
}

// JuryConflictDeclaration is the caller's conflict-of-interest declaration
// for a cycle. It is an internal document (offentleglova § 14).
type JuryConflictDeclaration struct {
	Cycle       string     `json:"cycle"`
	CycleTitle  string     `json:"cycle_title"`
	DeclaredAt  *time.Time `json:"declared_at"`
	Complete    bool       `json:"complete"`
	NeedsReview bool       `json:"needs_review"`
	// ExcludedNominations counts the nominations whose submitted scores
	// this declaration excluded from the ranking (only after PUT).
	ExcludedNominations int                        `json:"excluded_nominations"`
	Organisations       []JuryDeclaredOrganisation `json:"organisations"`
}

func toJuryDeclaration(d jury.Declaration) JuryConflictDeclaration {
	out := JuryConflictDeclaration{Cycle: d.Cycle.PublicID, CycleTitle: d.Cycle.Title, DeclaredAt: d.DeclaredAt,
		Complete: d.Complete(), NeedsReview: d.NeedsReview(), Organisations: []JuryDeclaredOrganisation{}}
	for _, o := range d.Organisations {
		x := JuryDeclaredOrganisation{ID: ID(o.ID), Name: o.Name, Kind: o.Kind, County: o.County, Reason: o.Reason, Automatic: o.Automatic}
		if c := o.Conflict(); c != "" {
			x.Conflict = &c
		}
		out.Organisations = append(out.Organisations, x)
	}
	return out
}

func (h *Handler) handleJuryConflictsGet(w http.ResponseWriter, r *http.Request) {
	d, err := h.Jury.Declaration(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toJuryDeclaration(d))
}

// JuryConflictAnswer is an answer about one nominee organisation: conflict
// is none, employed, family, involvement or other; a reason is required
// for a conflict.
type JuryConflictAnswer struct {
	ID       ID     `json:"id"`
	Conflict string `json:"conflict"`
	Reason   string `json:"reason"`
}

// JuryConflictsRequest is a declaration: none true ("no conflicts with any
// nominee"), or an answer for every nominee organisation.
type JuryConflictsRequest struct {
	None          bool                 `json:"none"`
	Organisations []JuryConflictAnswer `json:"organisations"`
}

func (h *Handler) handleJuryConflictsPut(w http.ResponseWriter, r *http.Request) {
	var in JuryConflictsRequest
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	d := jury.DeclarationInput{NoneAtAll: in.None}
	for _, a := range in.Organisations {
		d.Answers = append(d.Answers, jury.Answer{OrganisationID: int64(a.ID), Conflict: a.Conflict, Reason: a.Reason})
	}
	res, err := h.Jury.Declare(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), d)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := toJuryDeclaration(res.Declaration)
	out.ExcludedNominations = len(res.Excluded)
	httpx.WriteJSON(w, http.StatusOK, out)
}

// JuryMemberDeclaration is where one juror's declaration stands.
type JuryMemberDeclaration struct {
	ID          ID         `json:"id"`
	Name        string     `json:"name"`
	Chair       bool       `json:"chair"`
	Declared    bool       `json:"declared"`
	DeclaredAt  *time.Time `json:"declared_at"`
	NeedsReview bool       `json:"needs_review"`
}

// JurySteppedAside is a juror who stepped aside from a nomination, and why.
type JurySteppedAside struct {
	JurorID    ID        `json:"juror_id"`
	Juror      string    `json:"juror"`
	Kind       string    `json:"kind"`
	Reason     string    `json:"reason"`
	DeclaredAt time.Time `json:"declared_at"`
}

// JuryNominationConflicts is a nomination with the jurors who stepped aside.
// For a chair who may not read the nomination, id and title are left
// out (hidden).
type JuryNominationConflicts struct {
	ID           string             `json:"id,omitempty"`
	Title        string             `json:"title,omitempty"`
	Nominees     string             `json:"nominees"`
	Hidden       bool               `json:"hidden"`
	SteppedAside []JurySteppedAside `json:"stepped_aside"`
}

// JuryConflictOverview is who stepped aside from which nomination and why.
type JuryConflictOverview struct {
	Cycle       string                    `json:"cycle"`
	CycleTitle  string                    `json:"cycle_title"`
	Jurors      []JuryMemberDeclaration   `json:"jurors"`
	Nominations []JuryNominationConflicts `json:"nominations"`
	// AwaitingConfirmation are invitations accepted from another address
	// than the invited one, whose seats the reader may confirm.
	AwaitingConfirmation []JuryInvitation `json:"awaiting_confirmation"`
}

func (h *Handler) handleJuryConflictsOverview(w http.ResponseWriter, r *http.Request) {
	o, err := h.Jury.Conflicts(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := JuryConflictOverview{Cycle: o.Cycle.PublicID, CycleTitle: o.Cycle.Title, Jurors: []JuryMemberDeclaration{},
		Nominations: []JuryNominationConflicts{}, AwaitingConfirmation: []JuryInvitation{}}
	for _, i := range o.Awaiting {
		out.AwaitingConfirmation = append(out.AwaitingConfirmation, toJuryInvitation(i))
	}
	for _, j := range o.Jurors {
		out.Jurors = append(out.Jurors, JuryMemberDeclaration{ID: ID(j.ID), Name: j.Name, Chair: j.Chair, Declared: j.Declared(),
			DeclaredAt: j.DeclaredAt, NeedsReview: j.NeedsReview})
	}
	for _, n := range o.Nominations {
		x := JuryNominationConflicts{ID: n.PublicID, Title: n.Title, Nominees: n.Nominees, Hidden: n.Hidden, SteppedAside: []JurySteppedAside{}}
		for _, s := range n.SteppedAside {
			x.SteppedAside = append(x.SteppedAside, JurySteppedAside{JurorID: ID(s.JurorID), Juror: s.JurorName, Kind: s.Kind,
				Reason: s.Reason, DeclaredAt: s.DeclaredAt})
		}
		out.Nominations = append(out.Nominations, x)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
