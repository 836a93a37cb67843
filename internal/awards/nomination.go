package awards

import "time"

// Challenge is the kind of challenge a nomination's work met.
type Challenge string

// Challenges, from the award's call text.
const (
	ChallengeBurningPlatform Challenge = "burning_platform"
	ChallengeKnownTangle     Challenge = "known_tangle"
	ChallengeRenewal         Challenge = "renewal"
	ChallengeOther           Challenge = "other"
)

// Challenges lists the challenges in the order forms show them.
var Challenges = []Challenge{ChallengeBurningPlatform, ChallengeKnownTangle, ChallengeRenewal, ChallengeOther}

// Valid reports whether c is a known challenge.
func (c Challenge) Valid() bool {
	for _, k := range Challenges {
		if k == c {
			return true
		}
	}
	return false
}

// NominationStatus is where a nomination stands.
type NominationStatus string

// Nomination statuses: the nomination's own work flow. The jury's outcome
// (finalist, winner, honourable mention) is not a status: it is the
// decision's, and becomes known through the cycle's announcements.
const (
	StatusDraft      NominationStatus = "draft"
	StatusSubmitted  NominationStatus = "submitted"
	StatusWithdrawn  NominationStatus = "withdrawn"
	StatusIneligible NominationStatus = "ineligible"
)

// Nomination is one entry in a cycle, by one or more organisations.
type Nomination struct {
	ID               int64
	PublicID         string
	CycleID          int64
	Title            string
	Summary          string
	Challenge        Challenge
	ContactName      string
	ContactEmail     string
	ContactPhone     string
	Status           NominationStatus
	IneligibleReason string
	Version          int
	SubmittedAt      *time.Time
	UpdatedAt        time.Time
	Nominees         []Organisation
	Projects         []Project
}

// Project is a piece of work owned by an organisation; it can be linked to
// nominations in several cycles.
type Project struct {
	ID             int64
	PublicID       string
	OrganisationID int64
	Organisation   string
	Title          string
	Description    string
	Results        string
	Partners       string
	PeriodStart    *time.Time
	PeriodEnd      *time.Time
	Links          []string
	Version        int
	Measures       []Measure
	Attachments    []Attachment
}

// Measure is a measured result: "participants 783".
type Measure struct {
	Label string
	Value float64
	Unit  string
}

// Attachment is a file attached to a project.
type Attachment struct {
	ID          int64
	PublicID    string
	ProjectID   int64
	Filename    string
	ContentType string
	Size        int64
	SHA256      string
	AltText     string
	StorageKey  string
	CreatedAt   time.Time
}
