package nominations

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

const (
	keyMaxProjects    = "nominations.error.max_projects"
	keyOwner          = "nominations.error.owner"
	keyProjectUnknown = "nominations.error.project_unknown"
	keyAlreadyLinked  = "nominations.error.already_linked"
	keyNotOwner       = "nominations.error.not_owner"
	entityProject     = "project"
)

// auditedProject is what the audit log keeps of a project.
func auditedProject(p awards.Project) map[string]any {
	return map[string]any{"organisation_id": p.OrganisationID, "title": p.Title, "description": p.Description,
		"results": p.Results, "partners": p.Partners, "period_start": p.PeriodStart, "period_end": p.PeriodEnd,
		"links": p.Links, "measures": p.Measures, "version": p.Version}
}

// projectByPublicID loads one project the actor may see and the
// organisations its owner became (successors, nearest first; none while
// the owner exists), which decide with the nominee organisations, the
// cycles of every nomination it is linked to and the reader's seats on
// their juries who may see it (policy.ProjectFacts).
func projectByPublicID(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string) (ProjectView, []int64, error) {
	list, err := loadProjects(ctx, db, `WHERE p.public_id = ?`, publicID)
	if err != nil {
		return ProjectView{}, nil, err
	}
	if len(list) == 0 {
		return ProjectView{}, nil, awards.Errorf(awards.ENotFound, "not found")
	}
	p := list[0]
	var who struct {
		Nominees   []int64 `bun:"nominees,array"`
		Cycles     []int64 `bun:"cycles,array"`
		Successors []int64 `bun:"successors,array"`
		JurorReads bool    `bun:"juror_reads"`
	}
	if err := db.NewRaw(`SELECT ARRAY(SELECT DISTINCT x.organisation_id FROM nomination_organisations x
			JOIN nomination_projects np ON np.nomination_id = x.nomination_id WHERE np.project_id = ?0) AS nominees,
		ARRAY(SELECT DISTINCT n.cycle_id FROM nominations n
			JOIN nomination_projects np ON np.nomination_id = n.id WHERE np.project_id = ?0) AS cycles,
		`+orgs.SuccessorIDs("?1")+` AS successors,
		EXISTS (SELECT 1 FROM juror_visible_nominations v JOIN nomination_projects np ON np.nomination_id = v.nomination_id
			WHERE v.user_id = ?2 AND np.project_id = ?0) AS juror_reads`, p.ID, p.OrganisationID, actorID(actor)).Scan(ctx, &who); err != nil {
		return p, nil, postgres.Map("load who may see the project", err)
	}
	facts := policy.ProjectFacts{OwnerID: p.OrganisationID, SuccessorIDs: who.Successors, NomineeIDs: who.Nominees,
		CycleIDs: who.Cycles, JurorReads: who.JurorReads}
	if !policy.CanSeeProject(actor, facts) {
		return ProjectView{}, nil, awards.Errorf(awards.ENotFound, "not found")
	}
	p.CanEdit = !p.Frozen && policy.CanEditProject(actor, p.OrganisationID)
	return p, who.Successors, nil
}

// Project returns a project to the owning organisation's members, the
// members of the organisations it became (today's Asker reads Asker
// 0220's), site admins, the nominees of nominations it is linked to, the
// admins of those nominations' cycles and the jurors who assess them;
// ENotFound for anyone else.
func (s *Service) Project(ctx context.Context, actor *awards.Actor, publicID string) (ProjectView, error) {
	p, _, err := projectByPublicID(ctx, s.db, actor, publicID)
	return p, err
}

// roomForProject refuses a project beyond the cycle's maximum. The caller
// holds the nomination's row lock, so two people adding the last project
// at once cannot both pass.
func roomForProject(ctx context.Context, db bun.IDB, t target) error {
	var n int
	if err := db.NewRaw(`SELECT count(*) FROM nomination_projects WHERE nomination_id = ?`, t.n.ID).Scan(ctx, &n); err != nil {
		return postgres.Map("count projects", err)
	}
	if n >= t.c.MaxProjects {
		return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonQuotaReached, Fields: map[string]string{"projects": keyMaxProjects},
			Message: fmt.Sprintf("the nomination already has %d project(s), the most this cycle allows: remove one before adding another", t.c.MaxProjects)}
	}
	return nil
}

// link adds project id to the nomination, last, while the cycle accepts
// changes.
func link(ctx context.Context, tx bun.IDB, t target, projectID int64) error {
	res, err := tx.ExecContext(ctx, `
		INSERT INTO nomination_projects (nomination_id, project_id, position)
		SELECT n.id, ?, coalesce((SELECT max(position) + 1 FROM nomination_projects WHERE nomination_id = n.id), 0)
		FROM nominations n JOIN cycles c ON c.id = n.cycle_id
		WHERE n.id = ? AND n.status IN `+editableStatuses+` AND `+nominationOpen, projectID, t.n.ID)
	if err != nil {
		return postgres.Map("link project", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return refusal(ctx, tx, t.n.ID, 0)
	}
	return touch(ctx, tx, t.n.ID)
}

// writeMeasures replaces a project's measured results.
func writeMeasures(ctx context.Context, tx bun.IDB, projectID int64, measures []awards.Measure) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM project_results WHERE project_id = ?`, projectID); err != nil {
		return postgres.Map("clear measured results", err)
	}
	for i, m := range measures {
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_results (project_id, label, value, unit, position) VALUES (?, ?, ?, ?, ?)`,
			projectID, m.Label, m.Value, m.Unit, i); err != nil {
			return postgres.Map("save measured result", err)
		}
	}
	return nil
}

func dateArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format(dateLayout)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// CreateProject creates a project owned by one of the nominee
// organisations (in.OrganisationID, or the actor's one nominee
// organisation) and links it to the nomination, within the cycle's
// maximum. The actor must be a member of the owner. Returns ENotFound,
// EForbidden, EInvalid, EConflict (closed, maximum reached).
func (s *Service) CreateProject(ctx context.Context, actor *awards.Actor, nominationID string, in ProjectInput) (ProjectView, error) {
	p, verr := in.validate(true)
	var out ProjectView
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := forEdit(ctx, tx, actor, nominationID, true)
		if err != nil {
			return err
		}
		owner := in.OrganisationID
		if owner == 0 {
			var mine []int64
			for _, id := range t.nominees {
				if actor.MemberOf(id) {
					mine = append(mine, id)
				}
			}
			if len(mine) != 1 {
				return awards.Invalid(map[string]string{"organisation_id": keyChooseOrg})
			}
			owner = mine[0]
		}
		if !slices.Contains(t.nominees, owner) {
			return &awards.Error{Code: awards.EInvalid, Fields: map[string]string{"organisation_id": keyOwner},
				Message: "a project must be owned by one of the nominee organisations"}
		}
		if !actor.MemberOf(owner) {
			return &awards.Error{Code: awards.EForbidden, Fields: map[string]string{"organisation_id": keyNotMember},
				Message: "you can only create projects for organisations you are a member of"}
		}
		if verr != nil {
			return verr
		}
		if !t.open {
			return closedError(t.c)
		}
		if !t.editable() {
			return statusError(t.n.Status)
		}
		if err := roomForProject(ctx, tx, t); err != nil {
			return err
		}
		links := p.links
		if links == nil {
			links = []string{}
		}
		var id int64
		var publicID string
		err = tx.NewRaw(`
			INSERT INTO projects (organisation_id, title, description, results, partners, period_start, period_end, links, created_by)
			VALUES (?, ?, ?, ?, ?, ?::date, ?::date, ?, ?) RETURNING id, public_id`,
			owner, deref(p.in.Title), deref(p.in.Description), deref(p.in.Results), deref(p.in.Partners),
			dateArg(p.start), dateArg(p.end), linksArray(links), actor.User.ID).Scan(ctx, &id, &publicID)
		if err != nil {
			return postgres.Map("create project", err)
		}
		if err := writeMeasures(ctx, tx, id, p.measures); err != nil {
			return err
		}
		if err := link(ctx, tx, t, id); err != nil {
			return err
		}
		if out, _, err = projectByPublicID(ctx, tx, actor, publicID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "create", entityProject, id, nil, auditedProject(out.Project)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "link_project", entityNomination, t.n.ID, nil,
			map[string]any{"project_id": id, "title": out.Title})
	})
	return out, err
}

// LinkProject links an earlier project to the nomination, within the
// cycle's maximum: a project of a nominee organisation the actor is a
// member of, or of a former organisation that one became (today's Asker
// links Asker 0220's projects of 2017; see policy.CanLinkProject). A
// project the actor may not use is reported as not found (ENotFound,
// field project_id), whether it exists or not. Returns ENotFound,
// EForbidden, EConflict (closed, or past the deadline: ErrClosed).
func (s *Service) LinkProject(ctx context.Context, actor *awards.Actor, nominationID, projectID string) (ProjectView, error) {
	var out ProjectView
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := forEdit(ctx, tx, actor, nominationID, true)
		if err != nil {
			return err
		}
		p, successors, err := projectByPublicID(ctx, tx, actor, projectID)
		if awards.ErrorCode(err) == awards.ENotFound || (err == nil && !policy.CanLinkProject(actor, p.OrganisationID, successors, t.nominees)) {
			return &awards.Error{Code: awards.ENotFound, Fields: map[string]string{"project_id": keyProjectUnknown},
				Message: "no such project among the projects of your nominee organisations and of the former municipalities they succeeded"}
		}
		if err != nil {
			return err
		}
		if !t.open {
			return closedError(t.c)
		}
		if !t.editable() {
			return statusError(t.n.Status)
		}
		linked, err := isLinked(ctx, tx, t.n.ID, p.ID)
		if err != nil {
			return err
		}
		if linked {
			return &awards.Error{Code: awards.EConflict, Fields: map[string]string{"project_id": keyAlreadyLinked},
				Message: "the project is already part of this nomination"}
		}
		if err := roomForProject(ctx, tx, t); err != nil {
			return err
		}
		if err := link(ctx, tx, t, p.ID); err != nil {
			return err
		}
		out = p
		return audit.Record(ctx, tx, actor.User.ID, "link_project", entityNomination, t.n.ID, nil,
			map[string]any{"project_id": p.ID, "title": p.Title})
	})
	return out, err
}

// UnlinkProject removes a project from the nomination; the project itself
// stays with its organisation for later use. Members of the owning
// organisation (or of the nominee that succeeded it) may, while the cycle
// accepts changes. Returns ENotFound,
// EForbidden, EConflict.
func (s *Service) UnlinkProject(ctx context.Context, actor *awards.Actor, nominationID, projectID string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := forEdit(ctx, tx, actor, nominationID, true)
		if err != nil {
			return err
		}
		var p struct {
			ID         int64   `bun:"id"`
			Title      string  `bun:"title"`
			Owner      int64   `bun:"organisation_id"`
			Successors []int64 `bun:"successors,array"`
		}
		err = tx.NewRaw(`SELECT p.id, p.title, p.organisation_id, `+orgs.SuccessorIDs("p.organisation_id")+` AS successors
			FROM projects p JOIN nomination_projects np ON np.project_id = p.id
			WHERE np.nomination_id = ? AND p.public_id = ?`, t.n.ID, projectID).Scan(ctx, &p)
		if err != nil {
			return postgres.Map("find linked project", err)
		}
		if !policy.CanUnlinkProject(actor, p.Owner, p.Successors, t.nominees) {
			return &awards.Error{Code: awards.EForbidden, Fields: map[string]string{"project_id": keyNotOwner},
				Message: "only members of the organisation that owns the project can take it out of the nomination"}
		}
		res, err := tx.ExecContext(ctx, `
			DELETE FROM nomination_projects np USING nominations n, cycles c
			WHERE np.nomination_id = ? AND np.project_id = ? AND n.id = np.nomination_id AND c.id = n.cycle_id
				AND n.status IN `+editableStatuses+` AND `+nominationOpen, t.n.ID, p.ID)
		if err != nil {
			return postgres.Map("unlink project", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return refusal(ctx, tx, t.n.ID, 0)
		}
		if err := touch(ctx, tx, t.n.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "unlink_project", entityNomination, t.n.ID,
			map[string]any{"project_id": p.ID, "title": p.Title}, nil)
	})
}

// EarlierProjects lists the projects the actor can link (LinkProject):
// those not linked yet of the nominee organisations the actor belongs to
// and of every former organisation those succeeded, through each merger
// and renumbering (Asker 0220 and 3025, Røyken and Hurum for today's
// Asker), most recently changed first, at most 200, each with the cycles
// it was used in. The nomination's editors may call it; returns
// ENotFound, EForbidden.
func (s *Service) EarlierProjects(ctx context.Context, actor *awards.Actor, nominationID string) ([]ProjectView, error) {
	t, err := forEdit(ctx, s.db, actor, nominationID, false)
	if err != nil {
		return nil, err
	}
	var mine []int64
	for _, id := range t.nominees {
		if actor.MemberOf(id) {
			mine = append(mine, id)
		}
	}
	if len(mine) == 0 {
		return nil, nil
	}
	list, err := loadProjects(ctx, s.db, `WHERE p.organisation_id IN (`+orgs.WithPredecessors("?")+`) AND NOT EXISTS (
		SELECT 1 FROM nomination_projects np WHERE np.project_id = p.id AND np.nomination_id = ?)
		ORDER BY p.updated_at DESC, p.id DESC LIMIT 200`, pgdialect.Array(mine), t.n.ID)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return list, nil
	}
	ids := make([]int64, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	var used []struct {
		ProjectID int64  `bun:"project_id"`
		Cycles    string `bun:"cycles"`
	}
	if err := s.db.NewRaw(`SELECT np.project_id, string_agg(DISTINCT c.title, ', ') AS cycles FROM nomination_projects np
		JOIN nominations n ON n.id = np.nomination_id JOIN cycles c ON c.id = n.cycle_id
		WHERE np.project_id IN (?) GROUP BY np.project_id`, bun.In(ids)).Scan(ctx, &used); err != nil {
		return nil, postgres.Map("projects' cycles", err)
	}
	usedIn := map[int64]string{}
	for _, u := range used {
		usedIn[u.ProjectID] = u.Cycles
	}
	for i := range list {
		list[i].CanEdit = !list[i].Frozen && policy.CanEditProject(actor, list[i].OrganisationID)
		list[i].UsedIn = usedIn[list[i].ID]
	}
	return list, nil
}

// UpdateProject changes a project, as read at version. The owning
// organisation's members may, unless the project is part of a submitted
// nomination whose cycle no longer accepts changes. With nominationID set
// (the browser edits a project inside a nomination) the project must be
// linked to it and that nomination must accept changes too. Returns
// ENotFound, EForbidden, EInvalid, EConflict (closed or frozen; or someone
// else saved first: the cause is a *StaleError).
func (s *Service) UpdateProject(ctx context.Context, actor *awards.Actor, nominationID, projectID string, version int, in ProjectInput) (ProjectView, error) {
	p, verr := in.validate(false)
	var out ProjectView
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var t target
		if nominationID != "" {
			var err error
			if t, err = loadTarget(ctx, tx, actor, nominationID, false); err != nil {
				return err
			}
		}
		before, _, err := projectByPublicID(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		if nominationID != "" {
			linked, err := isLinked(ctx, tx, t.n.ID, before.ID)
			if err != nil {
				return err
			}
			if !linked {
				return awards.Errorf(awards.ENotFound, "the project is not part of this nomination")
			}
		}
		if !policy.CanEditProject(actor, before.OrganisationID) {
			return awards.Errorf(awards.EForbidden, "only the owning organisation's members can change a project")
		}
		fe := fieldErrors{}
		if version <= 0 {
			fe.add("version", keyVersion)
		}
		for k, v := range awards.ErrorFields(verr) {
			fe.add(k, v)
		}
		if err := fe.err(); err != nil {
			return err
		}
		setStart, setEnd, setLinks := p.in.PeriodStart != nil, p.in.PeriodEnd != nil, p.in.Links != nil
		start, end := p.start, p.end
		// One side of the period given: check the order against the other,
		// stored side.
		if !setStart {
			start = before.PeriodStart
		}
		if !setEnd {
			end = before.PeriodEnd
		}
		if start != nil && end != nil && end.Before(*start) {
			return awards.Invalid(map[string]string{"period_end": keyPeriodOrder})
		}
		links := p.links
		if links == nil {
			links = []string{}
		}
		guard := ""
		args := []any{p.in.Title, p.in.Description, p.in.Results, p.in.Partners, setStart, dateArg(p.start), setEnd, dateArg(p.end),
			setLinks, linksArray(links), before.ID, version}
		if nominationID != "" {
			guard = ` AND EXISTS (SELECT 1 FROM nomination_projects gnp JOIN nominations n ON n.id = gnp.nomination_id
				JOIN cycles c ON c.id = n.cycle_id WHERE gnp.project_id = p.id AND n.id = ? AND n.status IN ` + editableStatuses + ` AND ` + nominationOpen + `)`
			args = append(args, t.n.ID)
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE projects p SET title = coalesce(?, p.title), description = coalesce(?, p.description),
				results = coalesce(?, p.results), partners = coalesce(?, p.partners),
				period_start = CASE WHEN ? THEN ?::date ELSE p.period_start END,
				period_end = CASE WHEN ? THEN ?::date ELSE p.period_end END,
				links = CASE WHEN ? THEN ?::text[] ELSE p.links END,
				version = p.version + 1, updated_at = now()
			WHERE p.id = ? AND p.version = ? AND NOT `+frozenSQL+guard, args...)
		if err != nil {
			return postgres.Map("update project", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return projectRefusal(ctx, tx, actor, projectID, t, version)
		}
		if p.in.Measures != nil {
			if err := writeMeasures(ctx, tx, before.ID, p.measures); err != nil {
				return err
			}
		}
		if out, _, err = projectByPublicID(ctx, tx, actor, projectID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "update", entityProject, before.ID, auditedProject(before.Project), auditedProject(out.Project))
	})
	return out, err
}

// isLinked reports whether a project is linked to a nomination.
func isLinked(ctx context.Context, db bun.IDB, nominationID, projectID int64) (bool, error) {
	var linked bool
	err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM nomination_projects WHERE nomination_id = ? AND project_id = ?)`,
		nominationID, projectID).Scan(ctx, &linked)
	return linked, postgres.Map("check link", err)
}

// projectRefusal explains why a project update changed nothing: the
// nomination it was edited in closed, the project froze, or someone else
// saved first.
func projectRefusal(ctx context.Context, db bun.IDB, actor *awards.Actor, projectID string, t target, version int) error {
	if t.n.ID != 0 {
		c, err := cycles.StateByID(ctx, db, t.n.CycleID, cycles.NoLock)
		if err != nil {
			return err
		}
		if open, err := openNow(ctx, db, t.n.ID); err != nil {
			return err
		} else if !open {
			return closedError(c)
		}
		var status string
		if err := db.NewRaw(`SELECT status FROM nominations WHERE id = ?`, t.n.ID).Scan(ctx, &status); err != nil {
			return postgres.Map("reload nomination", err)
		}
		if !strings.Contains(editableStatuses, "'"+status+"'") {
			return statusError(status)
		}
	}
	now, _, err := projectByPublicID(ctx, db, actor, projectID)
	if err != nil {
		return err
	}
	if now.Frozen {
		return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonDeadlinePassed, Err: ErrFrozen,
			Message: "the project is part of a submitted nomination whose deadline has passed, so it can no longer be changed"}
	}
	if now.Version != version {
		return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonStaleVersion, Err: &StaleError{Entity: "project", Current: now.Version},
			Message: fmt.Sprintf("someone else saved this project after you opened it (it is now at version %d): reload it, compare and save again", now.Version)}
	}
	return awards.Errorf(awards.EConflict, "the project could not be changed")
}
