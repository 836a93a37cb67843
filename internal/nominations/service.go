package nominations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Service manages nominations and projects.
type Service struct {
	db bun.IDB
}

// NewService returns a Service over db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// Causes of a refused write, so that callers can say why in the reader's
// language.
var (
	// ErrClosed: the cycle's nomination deadline has passed.
	ErrClosed = errors.New("the nomination deadline has passed")
	// ErrNotOpen: the call for nominations is not open (not yet, or the
	// cycle has moved on to another phase).
	ErrNotOpen = errors.New("the call for nominations is not open")
	// ErrFrozen: the project is part of a submitted nomination whose cycle
	// no longer accepts changes.
	ErrFrozen = errors.New("the project is part of a nomination past its deadline")
	// ErrChooseOrg: the actor belongs to several organisations that could
	// be meant and did not say which.
	ErrChooseOrg = errors.New("several organisations to choose from")
)

// StaleError says that someone saved the record after the caller read it.
// Current is the version now stored.
type StaleError struct {
	Entity  string
	Current int
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("%s was changed by someone else (now version %d)", e.Entity, e.Current)
}

// View is a nomination as one reader sees it: the record, its cycle's
// rules and what the reader may do now.
type View struct {
	awards.Nomination
	Cycle awards.Cycle
	// Open is true while the cycle accepts changes, by the database clock.
	Open bool
	// Late is true once the deadline has passed. ClosedEarly is true when
	// an admin closed the call before its deadline; ClosedAt is when, from
	// the audit entry of that move (nil when there is none).
	Late, ClosedEarly bool
	ClosedAt          *time.Time
	// CanEdit: the reader may change the nomination now.
	CanEdit bool
	// CanJudge: the reader may mark it ineligible or undo that, and give
	// it a later deadline.
	CanJudge bool
	// Extension is the nomination's own later deadline, shown to its
	// nominees and the cycle's admins only; nil when it has none.
	Extension *Extension
	// Items are the linked projects with what the reader may do to each,
	// in the order of Nomination.Projects.
	Items []ProjectView
	// LeadID is the nominee organisation that leads the entry.
	LeadID int64
	// Nominated are the nominees (as Nomination.Nominees) with the lead
	// marked and what the reader may do about each.
	Nominated []NomineeView
	// Invitations are the entry's invitations to other organisations,
	// newest first. CanInvite: the reader leads and the entry accepts
	// changes.
	Invitations []Invitation
	CanInvite   bool
}

// Extension is a later deadline given to one nomination, with why.
type Extension struct {
	Until  time.Time
	Reason string
}

// ProjectView is a project with what one reader may do with it.
type ProjectView struct {
	awards.Project
	UpdatedAt time.Time
	// Frozen is true once the project is part of a submitted nomination
	// whose cycle no longer accepts changes: it stays as it was judged.
	Frozen bool
	// CanEdit: the reader may change the project now.
	CanEdit bool
	// UsedIn names the cycles whose nominations link the project (filled
	// by EarlierProjects).
	UsedIn string
}

// Summary is one line of a list of nominations.
type Summary struct {
	PublicID      string                  `bun:"public_id"`
	Title         string                  `bun:"title"`
	Status        awards.NominationStatus `bun:"status"`
	CyclePublicID string                  `bun:"cycle_public_id"`
	CycleTitle    string                  `bun:"cycle_title"`
	Deadline      *time.Time              `bun:"nomination_deadline"`
	Open          bool                    `bun:"open"`
	Nominees      string                  `bun:"nominees"`
	Projects      int                     `bun:"projects"`
	SubmittedAt   *time.Time              `bun:"submitted_at"`
	UpdatedAt     time.Time               `bun:"updated_at"`
}

// acceptsChanges is true for a cycle row c whose call is open (and has
// opened) and whose deadline, if any, is still ahead by the database's
// clock. Every write a submitter makes carries it in its WHERE clause, so
// the deadline holds to the second whatever the application servers'
// clocks say.
const acceptsChanges = `nominations_open(c)`

// nominationOpen is acceptsChanges for one nomination row n of cycle c: it
// also holds until the nomination's own later deadline, when an admin gave
// it one (SetExtension). Writes to the nomination's own content (fields,
// projects, files, submitting and withdrawing) ask it; creating a
// nomination and the entry's invitations keep to the cycle's deadline.
const nominationOpen = `nomination_open(n, c)`

// editableStatuses may be changed by submitters while the cycle is open.
const editableStatuses = `('draft', 'submitted', 'withdrawn')`

// cycleRow is a cycle as this package reads it: its state, as cycles
// owns it.
type cycleRow = cycles.State

// cycleByPublicID loads a cycle the actor may know of; lock takes the row
// lock that serialises creating nominations in it.
func cycleByPublicID(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string, lock bool) (cycleRow, error) {
	l := cycles.NoLock
	if lock {
		l = cycles.ForUpdate
	}
	c, err := cycles.StateByPublicID(ctx, db, publicID, l)
	if err != nil {
		return c, err
	}
	if !policy.CanSeeCycle(actor, c.ID, c.Phase) {
		return c, awards.Errorf(awards.ENotFound, "not found")
	}
	return c, nil
}

// closedError explains why a write was refused because of the cycle.
func closedError(c cycleRow) error {
	if !c.DeadlinePassed {
		return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonNotOpen, Err: ErrNotOpen,
			Message: "the call for nominations is not open, so nominations cannot be created or changed now"}
	}
	msg := "the nomination deadline has passed, so the nomination can no longer be changed"
	if c.NominationDeadline != nil {
		msg = fmt.Sprintf("the nomination deadline (%s) has passed, so the nomination can no longer be changed",
			awards.ErrorTime(*c.NominationDeadline))
	}
	return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonDeadlinePassed, Message: msg, Err: ErrClosed}
}

type nominationRow struct {
	ID               int64      `bun:"id"`
	PublicID         string     `bun:"public_id"`
	CycleID          int64      `bun:"cycle_id"`
	Title            string     `bun:"title"`
	Summary          string     `bun:"summary"`
	Challenge        string     `bun:"challenge"`
	ContactName      string     `bun:"contact_name"`
	ContactEmail     string     `bun:"contact_email"`
	ContactPhone     string     `bun:"contact_phone"`
	Status           string     `bun:"status"`
	IneligibleReason string     `bun:"ineligible_reason"`
	Version          int        `bun:"version"`
	SubmittedAt      *time.Time `bun:"submitted_at"`
	UpdatedAt        time.Time  `bun:"updated_at"`
}

func (r nominationRow) nomination() awards.Nomination {
	return awards.Nomination{ID: r.ID, PublicID: r.PublicID, CycleID: r.CycleID, Title: r.Title, Summary: r.Summary,
		Challenge: awards.Challenge(r.Challenge), ContactName: r.ContactName, ContactEmail: r.ContactEmail,
		ContactPhone: r.ContactPhone, Status: awards.NominationStatus(r.Status), IneligibleReason: r.IneligibleReason,
		Version: r.Version, SubmittedAt: r.SubmittedAt, UpdatedAt: r.UpdatedAt}
}

const nominationColumns = `n.id, n.public_id, n.cycle_id, n.title, n.summary, n.challenge, n.contact_name, n.contact_email,
	n.contact_phone, n.status, n.ineligible_reason, n.version, n.submitted_at, n.updated_at`

const nominationSelect = `SELECT ` + nominationColumns + ` FROM nominations n`

// targetSelect reads a nomination (scanned into readRow) with whether
// the reader (user ?, 0 for none) reads it as a juror who assesses it.
const targetSelect = `SELECT ` + nominationColumns + `,
		EXISTS (SELECT 1 FROM juror_visible_nominations v WHERE v.user_id = ? AND v.nomination_id = n.id) AS juror_reads,
		(SELECT ` + nominationOpen + ` FROM cycles c WHERE c.id = n.cycle_id) AS open, n.extended_until, n.extension_reason
	FROM nominations n`

type readRow struct {
	nominationRow
	JurorReads      bool       `bun:"juror_reads"`
	Open            bool       `bun:"open"`
	ExtendedUntil   *time.Time `bun:"extended_until"`
	ExtensionReason string     `bun:"extension_reason"`
}

// target is a nomination about to be changed: its row, cycle and nominees.
type target struct {
	n nominationRow
	c cycleRow
	// open: the nomination takes changes now (nominationOpen), by its
	// cycle's deadline or its own later one, ext.
	open     bool
	ext      *Extension
	nominees []int64
	// lead is the nominee that leads the entry.
	lead int64
}

func (t target) editable() bool {
	return strings.Contains(editableStatuses, "'"+t.n.Status+"'")
}

// loadTarget loads a nomination the actor may see, else ENotFound, so
// that nobody learns whether a nomination they may not see exists. With
// lock, the nomination row is locked for the rest of the transaction.
func loadTarget(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string, lock bool) (target, error) {
	var t target
	q := targetSelect + ` WHERE n.public_id = ?`
	if lock {
		q += ` FOR UPDATE OF n`
	}
	var row readRow
	if err := db.NewRaw(q, actorID(actor), publicID).Scan(ctx, &row); err != nil {
		return t, postgres.Map("load nomination", err)
	}
	t.n, t.open = row.nominationRow, row.Open
	if row.ExtendedUntil != nil {
		t.ext = &Extension{Until: *row.ExtendedUntil, Reason: row.ExtensionReason}
	}
	var err error
	if t.nominees, t.lead, err = nomineesOf(ctx, db, t.n.ID); err != nil {
		return t, err
	}
	if !policy.CanReadNomination(actor, policy.NominationFacts{CycleID: t.n.CycleID, NomineeIDs: t.nominees, JurorReads: row.JurorReads}) {
		return t, awards.Errorf(awards.ENotFound, "not found")
	}
	if t.c, err = cycles.StateByID(ctx, db, t.n.CycleID, cycles.NoLock); err != nil {
		return t, err
	}
	return t, nil
}

// actorID is the actor's user ID, 0 for anonymous.
func actorID(actor *awards.Actor) int64 {
	if actor.Anonymous() {
		return 0
	}
	return actor.User.ID
}

// forEdit loads a nomination for a submitter's change: ENotFound when the
// actor may not see it, EForbidden when they may see but not change it.
func forEdit(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string, lock bool) (target, error) {
	t, err := loadTarget(ctx, db, actor, publicID, lock)
	if err != nil {
		return t, err
	}
	if !policy.CanEditNomination(actor, t.nominees) {
		return t, awards.Errorf(awards.EForbidden, "only the nominee organisations' members can change a nomination")
	}
	return t, nil
}

// refusal explains why a guarded write changed no row: the cycle closed,
// the status does not allow it, or (when version > 0) someone else saved
// first. It re-reads the row, which in READ COMMITTED sees the latest
// committed state.
func refusal(ctx context.Context, db bun.IDB, id int64, version int) error {
	var n nominationRow
	if err := db.NewRaw(nominationSelect+` WHERE n.id = ?`, id).Scan(ctx, &n); err != nil {
		return postgres.Map("reload nomination", err)
	}
	c, err := cycles.StateByID(ctx, db, n.CycleID, cycles.NoLock)
	if err != nil {
		return err
	}
	open, err := openNow(ctx, db, id)
	if err != nil {
		return err
	}
	switch {
	case !open:
		return closedError(c)
	case !strings.Contains(editableStatuses, "'"+n.Status+"'"):
		return statusError(n.Status)
	case version > 0 && n.Version != version:
		return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonStaleVersion, Err: &StaleError{Entity: "nomination", Current: n.Version},
			Message: fmt.Sprintf("someone else saved this nomination after you opened it (it is now at version %d): reload it, compare and save again", n.Version)}
	}
	return awards.Errorf(awards.EConflict, "the nomination could not be changed")
}

func statusError(status string) error {
	switch awards.NominationStatus(status) {
	case awards.StatusIneligible:
		return awards.Errorf(awards.EConflict, "the nomination has been found ineligible and can no longer be changed")
	}
	return awards.Errorf(awards.EConflict, "a nomination that is %s can no longer be changed", strings.ReplaceAll(status, "_", " "))
}

// Get returns a nomination with its nominees and projects. Members of a
// nominee organisation and site admins may read it; for anyone else it
// does not exist (ENotFound).
func (s *Service) Get(ctx context.Context, actor *awards.Actor, publicID string) (View, error) {
	t, err := loadTarget(ctx, s.db, actor, publicID, false)
	if err != nil {
		return View{}, err
	}
	return view(ctx, s.db, actor, t)
}

// view completes a loaded nomination with nominees, projects and rights.
func view(ctx context.Context, db bun.IDB, actor *awards.Actor, t target) (View, error) {
	v := View{Nomination: t.n.nomination(), Cycle: t.c.Cycle(), Open: t.open, Late: t.c.DeadlinePassed}
	if ph := t.c.Phase; ph != awards.PhaseDraft && ph != awards.PhaseOpen && !t.c.DeadlinePassed && t.c.NominationDeadline != nil {
		at, err := cycles.ClosedAt(ctx, db, t.c.ID)
		if err != nil {
			return v, err
		}
		v.ClosedEarly, v.ClosedAt = true, at
	}
	var orgs []struct {
		ID   int64  `bun:"id"`
		Kind string `bun:"kind"`
		Name string `bun:"name"`
	}
	if err := db.NewRaw(`SELECT o.id, o.kind, o.name FROM nomination_organisations x JOIN organisations o ON o.id = x.organisation_id
		WHERE x.nomination_id = ? ORDER BY o.name, o.id`, t.n.ID).Scan(ctx, &orgs); err != nil {
		return v, postgres.Map("list nominees", err)
	}
	v.CanEdit = v.Open && t.editable() && policy.CanEditNomination(actor, t.nominees)
	v.LeadID = t.lead
	leads := policy.CanLeadNomination(actor, t.lead)
	v.CanInvite = v.CanEdit && leads
	for _, o := range orgs {
		org := awards.Organisation{ID: o.ID, Kind: awards.OrgKind(o.Kind), Name: o.Name}
		v.Nominees = append(v.Nominees, org)
		lead := o.ID == t.lead
		v.Nominated = append(v.Nominated, NomineeView{Organisation: org, Lead: lead,
			CanRemove:   v.Open && t.editable() && !lead && policy.CanRemoveNominee(actor, o.ID),
			CanMakeLead: v.CanInvite && !lead})
	}
	// Whom the entry invited is the nominees' business, not the jury's.
	if policy.CanSeeNomination(actor, t.c.ID, t.nominees) {
		v.Extension = t.ext
		invitations, err := invitationsOf(ctx, db, actor, t.n.ID, t.lead)
		if err != nil {
			return v, err
		}
		v.Invitations = invitations
	}
	projects, err := loadProjects(ctx, db, `JOIN nomination_projects np ON np.project_id = p.id WHERE np.nomination_id = ? ORDER BY np.position, p.id`, t.n.ID)
	if err != nil {
		return v, err
	}
	v.CanJudge = policy.CanJudgeEligibility(actor, t.c.ID)
	for _, p := range projects {
		p.CanEdit = v.CanEdit && !p.Frozen && policy.CanEditProject(actor, p.OrganisationID)
		v.Projects = append(v.Projects, p.Project)
		v.Items = append(v.Items, p)
	}
	return v, nil
}

type projectRow struct {
	ID             int64      `bun:"id"`
	PublicID       string     `bun:"public_id"`
	OrganisationID int64      `bun:"organisation_id"`
	Organisation   string     `bun:"organisation"`
	Title          string     `bun:"title"`
	Description    string     `bun:"description"`
	Results        string     `bun:"results"`
	Partners       string     `bun:"partners"`
	PeriodStart    *time.Time `bun:"period_start"`
	PeriodEnd      *time.Time `bun:"period_end"`
	Links          []string   `bun:"links,array"`
	Version        int        `bun:"version"`
	UpdatedAt      time.Time  `bun:"updated_at"`
	Frozen         bool       `bun:"frozen"`
}

// frozenSQL is true for a project p linked to a nomination that was
// submitted in a cycle that no longer accepts changes.
const frozenSQL = `EXISTS (SELECT 1 FROM nomination_projects fnp JOIN nominations fn ON fn.id = fnp.nomination_id
	JOIN cycles c ON c.id = fn.cycle_id
	WHERE fnp.project_id = p.id AND fn.status NOT IN ('draft', 'withdrawn') AND NOT nomination_open(fn, c))`

const projectSelect = `
	SELECT p.id, p.public_id, p.organisation_id, o.name AS organisation, p.title, p.description, p.results, p.partners,
		p.period_start, p.period_end, p.links, p.version, p.updated_at, ` + frozenSQL + ` AS frozen
	FROM projects p JOIN organisations o ON o.id = p.organisation_id `

// loadProjects loads projects with their measured results and
// attachments; where is appended to the select and holds its arguments.
func loadProjects(ctx context.Context, db bun.IDB, where string, args ...any) ([]ProjectView, error) {
	var rows []projectRow
	if err := db.NewRaw(projectSelect+where, args...).Scan(ctx, &rows); err != nil {
		return nil, postgres.Map("load projects", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	out := make([]ProjectView, len(rows))
	index := map[int64]int{}
	for i, r := range rows {
		ids[i] = r.ID
		index[r.ID] = i
		out[i] = ProjectView{Project: awards.Project{ID: r.ID, PublicID: r.PublicID, OrganisationID: r.OrganisationID,
			Organisation: r.Organisation, Title: r.Title, Description: r.Description, Results: r.Results,
			Partners: r.Partners, PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd, Links: r.Links, Version: r.Version},
			UpdatedAt: r.UpdatedAt, Frozen: r.Frozen}
		if out[i].Links == nil {
			out[i].Links = []string{}
		}
	}
	var measures []struct {
		ProjectID int64   `bun:"project_id"`
		Label     string  `bun:"label"`
		Value     float64 `bun:"value"`
		Unit      string  `bun:"unit"`
	}
	if err := db.NewRaw(`SELECT project_id, label, value::float8 AS value, unit FROM project_results
		WHERE project_id IN (?) ORDER BY project_id, position, id`, bun.In(ids)).Scan(ctx, &measures); err != nil {
		return nil, postgres.Map("load measured results", err)
	}
	for _, m := range measures {
		p := &out[index[m.ProjectID]]
		p.Measures = append(p.Measures, awards.Measure{Label: m.Label, Value: m.Value, Unit: m.Unit})
	}
	var files []struct {
		ID          int64     `bun:"id"`
		PublicID    string    `bun:"public_id"`
		ProjectID   int64     `bun:"project_id"`
		Filename    string    `bun:"filename"`
		ContentType string    `bun:"content_type"`
		Size        int64     `bun:"size"`
		AltText     string    `bun:"alt_text"`
		CreatedAt   time.Time `bun:"created_at"`
	}
	if err := db.NewRaw(`SELECT id, public_id, project_id, filename, content_type, size, alt_text, created_at
		FROM attachments WHERE project_id IN (?) ORDER BY project_id, id`, bun.In(ids)).Scan(ctx, &files); err != nil {
		return nil, postgres.Map("load attachments", err)
	}
	for _, f := range files {
		p := &out[index[f.ProjectID]]
		p.Attachments = append(p.Attachments, awards.Attachment{ID: f.ID, PublicID: f.PublicID, ProjectID: f.ProjectID,
			Filename: f.Filename, ContentType: f.ContentType, Size: f.Size, AltText: f.AltText, CreatedAt: f.CreatedAt})
	}
	return out, nil
}

// linksArray formats links for a text[] column.
func linksArray(links []string) any { return pgdialect.Array(links) }

// openNow reads again whether nomination id takes changes now
// (nominationOpen), to explain a write that was refused.
func openNow(ctx context.Context, db bun.IDB, id int64) (bool, error) {
	var open bool
	if err := db.NewRaw(`SELECT `+nominationOpen+` FROM nominations n JOIN cycles c ON c.id = n.cycle_id WHERE n.id = ?`, id).Scan(ctx, &open); err != nil {
		return false, postgres.Map("reload whether the nomination is open", err)
	}
	return open, nil
}
