package awards

import "time"

// Award is a prize given yearly, such as "Kommunal innovasjonspris".
type Award struct {
	ID            int64
	Slug          string
	NameNB        string
	NameNN        string
	NameEN        string
	DescriptionNB string
	DescriptionNN string
	DescriptionEN string
	OwnerID       int64
	OwnerName     string
	Kind          AwardKind
}

// AwardKind says what an award gives: a prize, decided by a jury, or a
// programme, a cohort of participants working on their own projects with
// no jury, criteria, scores or decisions.
type AwardKind string

// Award kinds.
const (
	KindPrize     AwardKind = "prize"
	KindProgramme AwardKind = "programme"
)

// Valid reports whether k is a known award kind.
func (k AwardKind) Valid() bool { return k == KindPrize || k == KindProgramme }

// Name returns the award's name in lang, falling back to bokmål.
func (a Award) Name(lang string) string { return pick(lang, a.NameNB, a.NameNN, a.NameEN) }

// NameIn returns the award's name in lang, or in bokmål when it has none
// in lang, with the language it is in.
func (a Award) NameIn(lang string) Text { return PickText(lang, a.NameNB, a.NameNN, a.NameEN) }

// Description returns the award's description in lang, falling back to
// bokmål.
func (a Award) Description(lang string) string {
	return pick(lang, a.DescriptionNB, a.DescriptionNN, a.DescriptionEN)
}

// Phase is where a cycle stands.
type Phase string

// Phases, in order.
const (
	PhaseDraft     Phase = "draft"
	PhaseOpen      Phase = "open"
	PhaseClosed    Phase = "closed"
	PhaseJudging   Phase = "judging"
	PhaseDecided   Phase = "decided"
	PhasePublished Phase = "published"
)

// Phases lists the phases in order.
var Phases = []Phase{PhaseDraft, PhaseOpen, PhaseClosed, PhaseJudging, PhaseDecided, PhasePublished}

// transitions are the allowed moves between phases. Going back one step is
// allowed where it undoes a mistake without losing work.
var transitions = map[Phase][]Phase{
	PhaseDraft:     {PhaseOpen},
	PhaseOpen:      {PhaseClosed, PhaseDraft},
	PhaseClosed:    {PhaseJudging, PhaseOpen},
	PhaseJudging:   {PhaseDecided},
	PhaseDecided:   {PhasePublished, PhaseJudging},
	PhasePublished: nil,
}

// programmeTransitions are the moves of a programme's cycle: it has no
// judging, so it is published from draft (a past cohort recorded) or from
// open (a cohort gathered in Heder), and can still go back from open.
var programmeTransitions = map[Phase][]Phase{
	PhaseDraft:     {PhaseOpen, PhasePublished},
	PhaseOpen:      {PhasePublished, PhaseDraft},
	PhasePublished: nil,
}

// Next returns the phases a cycle in phase p may move to.
func (p Phase) Next() []Phase { return transitions[p] }

// CanMoveTo reports whether the move from p to q is allowed.
func (p Phase) CanMoveTo(q Phase) bool {
	for _, n := range transitions[p] {
		if n == q {
			return true
		}
	}
	return false
}

// NextFor returns the phases a cycle of an award of kind k in phase p may
// move to.
func (p Phase) NextFor(k AwardKind) []Phase {
	if k == KindProgramme {
		return programmeTransitions[p]
	}
	return transitions[p]
}

// CanMoveToFor reports whether a cycle of an award of kind k may move from
// p to q.
func (p Phase) CanMoveToFor(k AwardKind, q Phase) bool {
	for _, n := range p.NextFor(k) {
		if n == q {
			return true
		}
	}
	return false
}

// Valid reports whether p is a known phase.
func (p Phase) Valid() bool {
	_, ok := transitions[p]
	return ok
}

// Cycle is one year of an award, e.g. "Innovasjonsprisen 2017".
type Cycle struct {
	ID        int64
	PublicID  string
	AwardID   int64
	AwardSlug string
	AwardName string
	AwardKind AwardKind
	Year      int
	Title     string
	// Description and CallText are the bokmål texts; the nynorsk and
	// English ones may be empty, and readers then get bokmål.
	Description          string
	DescriptionNN        string
	DescriptionEN        string
	CallText             string
	CallTextNN           string
	CallTextEN           string
	Phase                Phase
	EligibleKinds        []OrgKind
	MaxNominationsPerOrg int // 0 = no limit
	MaxProjects          int
	PublishAll           bool
	CallOpensAt          *time.Time
	NominationDeadline   *time.Time
	ScoringDeadline      *time.Time
	AnnouncementAt       *time.Time
	// ReminderDays are how many days before the nomination deadline
	// drafts not yet submitted are reminded, and before the scoring
	// deadline jurors with work left, largest first.
	ReminderDays []int
}

// NotForProgramme is the refusal of a prize's step (what: "a jury",
// "criteria", "scores", "decisions", "announcements") on a programme's
// cycle: EConflict with ReasonProgramme.
func NotForProgramme(what string) error {
	return &Error{Code: EConflict, Reason: ReasonProgramme, Message: "this cycle is a programme's: a programme has " +
		"participants and their projects, and no " + what + "; it is published by moving the cycle to published"}
}

// Programme reports whether the cycle is one of a programme.
func (c Cycle) Programme() bool { return c.AwardKind == KindProgramme }

// DescriptionIn returns the cycle's description in lang, or in bokmål
// when it has none in lang.
func (c Cycle) DescriptionIn(lang string) Text {
	return PickText(lang, c.Description, c.DescriptionNN, c.DescriptionEN)
}

// CallTextIn returns the cycle's call text in lang, or in bokmål when it
// has none in lang.
func (c Cycle) CallTextIn(lang string) Text {
	return PickText(lang, c.CallText, c.CallTextNN, c.CallTextEN)
}

// Text is a text shown to a reader with the language it is written in,
// which is not the reader's when a version is missing: pages mark such a
// text with its lang attribute, so that screen readers pronounce it
// right.
type Text struct {
	Text string
	Lang string
}

// PickText returns the text in lang, falling back to bokmål.
func PickText(lang, nb, nn, en string) Text {
	switch {
	case lang == "nn" && nn != "":
		return Text{nn, "nn"}
	case lang == "en" && en != "":
		return Text{en, "en"}
	}
	return Text{nb, "nb"}
}

// Eligible reports whether an organisation of kind k may be nominated.
func (c Cycle) Eligible(k OrgKind) bool {
	for _, e := range c.EligibleKinds {
		if e == k {
			return true
		}
	}
	return false
}

// Criterion is one thing the jury scores, on a scale.
type Criterion struct {
	ID        int64
	CycleID   int64
	NameNB    string
	NameNN    string
	NameEN    string
	HelpNB    string
	HelpNN    string
	HelpEN    string
	Weight    float64
	ScaleMin  float64
	ScaleMax  float64
	ScaleStep float64
	Position  int
	// RoundID is the round (awards.Round) whose jurors score by the
	// criterion.
	RoundID int64

	// CyclePublicID is the cycle's public ID, for links and answers.
	CyclePublicID string
}

// Name returns the criterion's name in lang, falling back to bokmål.
func (c Criterion) Name(lang string) string {
	return pick(lang, c.NameNB, c.NameNN, c.NameEN)
}

// Help returns the criterion's help text in lang, falling back to bokmål.
func (c Criterion) Help(lang string) string {
	return pick(lang, c.HelpNB, c.HelpNN, c.HelpEN)
}

// NameIn and HelpIn are Name and Help with the language they are in, so
// that a page marks a fallback to bokmål.
func (c Criterion) NameIn(lang string) Text { return PickText(lang, c.NameNB, c.NameNN, c.NameEN) }

func (c Criterion) HelpIn(lang string) Text { return PickText(lang, c.HelpNB, c.HelpNN, c.HelpEN) }

func pick(lang, nb, nn, en string) string {
	switch {
	case lang == "nn" && nn != "":
		return nn
	case lang == "en" && en != "":
		return en
	}
	return nb
}
