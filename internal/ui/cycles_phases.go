package ui

import (
	"slices"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/i18n"
)

// timelineStep is one phase on the cycle's timeline.
type timelineStep struct {
	Phase     awards.Phase
	DateLabel string
	Date      *time.Time
	// State is done, current or upcoming.
	State string
}

// phaseMove is a move the cycle can make from where it stands.
type phaseMove struct {
	To      awards.Phase
	Label   string
	Forward bool
}

// phaseDates are the dates the timeline shows beside each phase: when
// the call opens, the deadlines that end the next two, and the
// announcement.
func phaseDates(c awards.Cycle) map[awards.Phase]struct {
	label string
	at    *time.Time
} {
	return map[awards.Phase]struct {
		label string
		at    *time.Time
	}{
		awards.PhaseOpen:      {"cycles.field.call_opens_at", c.CallOpensAt},
		awards.PhaseClosed:    {"cycles.field.nomination_deadline", c.NominationDeadline},
		awards.PhaseJudging:   {"cycles.field.scoring_deadline", c.ScoringDeadline},
		awards.PhasePublished: {"cycles.field.announcement_at", c.AnnouncementAt},
	}
}

// programmePhases are the phases a programme's cycle passes through: it
// has no judging.
var programmePhases = []awards.Phase{awards.PhaseDraft, awards.PhaseOpen, awards.PhasePublished}

func timeline(l *i18n.Localizer, c awards.Cycle) []timelineStep {
	phases := awards.Phases
	if c.Programme() {
		phases = programmePhases
	}
	current := slices.Index(phases, c.Phase)
	dates := phaseDates(c)
	if c.Programme() {
		// Nor a winners' announcement: the cohort is public once published.
		delete(dates, awards.PhasePublished)
	}
	out := make([]timelineStep, len(phases))
	for i, ph := range phases {
		s := timelineStep{Phase: ph, State: "upcoming"}
		switch {
		case i < current:
			s.State = "done"
		case i == current:
			s.State = "current"
		}
		if d, ok := dates[ph]; ok {
			s.DateLabel, s.Date = l.T(d.label), d.at
		}
		out[i] = s
	}
	return out
}

func moveKey(from, to awards.Phase) string { return "cycles.move." + string(from) + "_" + string(to) }

func moves(l *i18n.Localizer, c awards.Cycle) []phaseMove {
	var out []phaseMove
	for _, to := range c.Phase.NextFor(c.AwardKind) {
		out = append(out, phaseMove{To: to, Label: l.T(moveKey(c.Phase, to)),
			Forward: slices.Index(awards.Phases, to) > slices.Index(awards.Phases, c.Phase)})
	}
	return out
}
