package scoring

import (
	"context"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
)

// Comment is a message in the jury's discussion of a nomination.
type Comment struct {
	ID        int64
	JurorID   int64
	Author    string
	Chair     bool
	Body      string
	CreatedAt time.Time
	// Mine: written by the reader.
	Mine bool
}

// Screen is the scoring screen of one nomination as one reader sees it:
// the nomination itself, the reader's sheet, and, when they may see it,
// the jury's work on it.
type Screen struct {
	Sheet
	// Nomination is the nomination with its nominees and projects
	// (results, measured numbers, attachments), as the jury reads it.
	Nomination awards.Nomination
	// Scoring: the reader scores this nomination. A chair or an admin who
	// does not score it reads it as an observer.
	Scoring bool
	// CanSave: the reader may save and submit scores now.
	CanSave bool
	// SeeWork: the other jurors' scores and the discussion are shown.
	SeeWork    bool
	CanComment bool
	CanReopen  bool
	Comments   []Comment
	// Prev and Next are the neighbouring nominations in the juror's list
	// (by title), "" at the ends.
	Prev, Next string
	// ToScore is the next nomination in the juror's list, after this one
	// and then round from the top, whose scores they have not submitted:
	// where to go on with the work. Its ID is "" when none is left.
	ToScore NominationRef
}

// NominationRef names a nomination.
type NominationRef struct {
	PublicID, Title string
}

// ScreenCheck is one request's check of a scoring screen: the reader's
// rights to the nomination and what they may do there now, by the
// database's clock, with the version of everything the screen shows.
// Two checks with the same Stamp show the same screen, but for what the
// clock alone changes (Cycle and Now give it).
type ScreenCheck struct {
	t     target
	flags ScreenFlags
}

// ScreenFlags are what the reader may see and do on a screen.
type ScreenFlags struct {
	// Scoring: the reader scores this nomination. A chair or an admin who
	// does not score it reads it as an observer.
	Scoring bool
	// CanSave: the reader may save and submit scores now.
	CanSave bool
	// SeeWork: the other jurors' scores and the discussion are shown.
	SeeWork    bool
	CanComment bool
	CanReopen  bool
}

// ScreenStamp identifies what a screen shows: the reader, the
// nomination, their facts and rights, and the version of the cycle's
// data (jury_screen_versions), which every write to a row the screen
// shows raises in the writer's transaction.
type ScreenStamp struct {
	UserID, NominationID int64
	Facts                policy.JuryFacts
	Flags                ScreenFlags
	Open                 bool
	Version              int64
}

// Stamp returns what identifies the screen the check allows; ok is false
// when the cycle has no version to go by, and the screen must be read.
func (c ScreenCheck) Stamp(actor *awards.Actor) (ScreenStamp, bool) {
	return ScreenStamp{UserID: actor.User.ID, NominationID: c.t.NominationID, Facts: c.t.facts(), Flags: c.flags,
		Open: c.t.ScoringOpen, Version: c.t.ScreenVersion.Int64}, c.t.ScreenVersion.Valid
}

// Cycle is the nomination's cycle as the check read it.
func (c ScreenCheck) Cycle() Cycle { return c.t.cycle() }

// Now is the database's clock at the check.
func (c ScreenCheck) Now() time.Time { return c.t.Now }

// CheckScreen reads what Screen needs to decide who may read the
// nomination with publicID in the cycle with cyclePublicID, and what they
// see there, with its errors: jurors who score it (seated, declared, and
// with the nomination among their juror_visible_nominations) see the
// nomination and their own scores, and after submitting the other
// jurors' scores and the discussion; the chair (when not conflicted) and
// site admins read it as observers. A seated juror who has not declared
// gets EForbidden (ErrNotDeclared); everyone else ENotFound.
//
// The reader's facts are read with the version and kept under it; a
// request whose version is the same reads only the cycle's state (what
// is open now) and the version, in one cheap statement (Service.facts).
func (s *Service) CheckScreen(ctx context.Context, actor *awards.Actor, cyclePublicID, publicID string) (ScreenCheck, error) {
	t, kept, err := s.keptTarget(ctx, actor, cyclePublicID, publicID)
	if err != nil {
		return ScreenCheck{}, err
	}
	if !kept {
		query := screenSelect
		if cyclePublicID == "" {
			query = targetSelect // any cycle
		}
		if t, err = queryTarget(ctx, s.db, query, actor, cyclePublicID, publicID, false); err != nil {
			return ScreenCheck{}, err
		}
		s.keepTarget(actor, t)
	}
	if err := mayRead(actor, t); err != nil {
		return ScreenCheck{}, err
	}
	f := t.facts()
	fl := ScreenFlags{Scoring: policy.CanScore(f), SeeWork: policy.CanSeeJuryWork(actor, f),
		CanComment: policy.CanPostJuryComment(actor, f), CanReopen: policy.CanReopenScores(actor, f)}
	fl.CanSave = fl.Scoring && t.ScoringOpen && t.SubmittedAt == nil
	return ScreenCheck{t: t, flags: fl}, nil
}

// Screen returns the scoring screen of the nomination with publicID in
// the cycle with cyclePublicID, to those CheckScreen lets read it.
func (s *Service) Screen(ctx context.Context, actor *awards.Actor, cyclePublicID, publicID string) (Screen, error) {
	c, err := s.CheckScreen(ctx, actor, cyclePublicID, publicID)
	if err != nil {
		return Screen{}, err
	}
	return s.ScreenOf(ctx, c)
}

// ScreenOf reads the screen a check allows. It is read after the check,
// so it is at least as new as the check's version.
func (s *Service) ScreenOf(ctx context.Context, c ScreenCheck) (Screen, error) {
	t, fl := c.t, c.flags
	scr := Screen{Scoring: fl.Scoring, SeeWork: fl.SeeWork, CanComment: fl.CanComment, CanReopen: fl.CanReopen}
	jurorID := int64(0)
	if scr.Scoring {
		jurorID = t.JurorID
	}
	d, err := readDoc(ctx, s.db, t.NominationID, jurorID, true, scr.SeeWork, scr.SeeWork)
	if err != nil {
		return Screen{}, err
	}
	scr.Sheet = sheet(t, d, scr.SeeWork)
	scr.CanSave = fl.CanSave
	scr.Prev, scr.Next = d.Prev, d.Next
	if d.ToScore != nil {
		scr.ToScore = NominationRef{PublicID: d.ToScore.PublicID, Title: d.ToScore.Title}
	}
	scr.Nomination = awards.Nomination{ID: t.NominationID, PublicID: t.PublicID, CycleID: t.State.ID, Title: t.Title,
		Summary: d.Summary, Challenge: awards.Challenge(d.Challenge)}
	for _, o := range d.Nominees {
		scr.Nomination.Nominees = append(scr.Nomination.Nominees, awards.Organisation{ID: o.ID, Kind: awards.OrgKind(o.Kind), Name: o.Name})
	}
	for _, p := range d.Projects {
		pr := awards.Project{ID: p.ID, PublicID: p.PublicID, OrganisationID: p.OrgID, Organisation: p.Organisation, Title: p.Title,
			Description: p.Description, Results: p.Results, Partners: p.Partners, Links: p.Links,
			PeriodStart: date(p.PeriodStart), PeriodEnd: date(p.PeriodEnd)}
		for _, m := range p.Measures {
			pr.Measures = append(pr.Measures, awards.Measure{Label: m.Label, Value: m.Value, Unit: m.Unit})
		}
		for _, a := range p.Attachments {
			pr.Attachments = append(pr.Attachments, awards.Attachment{PublicID: a.PublicID, ProjectID: p.ID, Filename: a.Filename,
				ContentType: a.ContentType, Size: a.Size, AltText: a.AltText, CreatedAt: a.CreatedAt})
		}
		scr.Nomination.Projects = append(scr.Nomination.Projects, pr)
	}
	for _, c := range d.Comments {
		scr.Comments = append(scr.Comments, Comment{ID: c.ID, JurorID: c.JurorID, Author: c.Author, Chair: c.Chair, Body: c.Body,
			CreatedAt: c.CreatedAt, Mine: c.JurorID == t.JurorID && t.JurorID != 0})
	}
	return scr, nil
}

// date reads a date column as JSON gives it ("2017-03-01").
func date(s *string) *time.Time {
	if s == nil {
		return nil
	}
	d, err := time.Parse(time.DateOnly, *s)
	if err != nil {
		return nil
	}
	return &d
}
