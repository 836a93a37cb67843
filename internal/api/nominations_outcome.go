package api

import (
	"net/http"

	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/publication"
)

// NominationOutcome is what the nominees may know of how a nomination
// did, through the embargo: the same rule and service as the nomination's
// page (publication.Result). Until something is public every field is
// absent, for every nomination alike; from the finalists' instant a
// finalist, and a winner-to-be, is "finalist"; from the winners' instant
// every nomination has its outcome ("none" without one), the jury's
// statement where it wrote one, and the feedback released to it.
type NominationOutcome struct {
	Outcome   string     `json:"outcome,omitempty"`
	Statement *Statement `json:"statement,omitempty"`
	Feedback  string     `json:"feedback,omitempty"`
}

// Statement is the jury's statement in the languages it was written in.
type Statement struct {
	NB string `json:"nb,omitempty"`
	NN string `json:"nn,omitempty"`
	EN string `json:"en,omitempty"`
}

func toOutcome(r publication.Result) NominationOutcome {
	out := NominationOutcome{Outcome: r.Known(), Feedback: r.Feedback}
	if r.StatementNB != "" || r.StatementNN != "" || r.StatementEN != "" {
		out.Statement = &Statement{NB: r.StatementNB, NN: r.StatementNN, EN: r.StatementEN}
	}
	return out
}

// nominationOutcome reads the outcome of the nomination with public ID id
// for the request's actor.
func (h *Handler) nominationOutcome(r *http.Request, id string) (NominationOutcome, error) {
	res, err := h.Publication.FeedbackFor(r.Context(), httpx.ActorFrom(r.Context()), id)
	if err != nil {
		return NominationOutcome{}, err
	}
	return toOutcome(res), nil
}
