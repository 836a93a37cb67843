package nominations

import (
	"context"
	"errors"
	"fmt"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

const (
	keyLimit         = "nominations.error.limit"
	keyNotEligible   = "nominations.error.org_not_eligible"
	keyChooseOrg     = "nominations.error.choose_org"
	keyNotMember     = "nominations.error.not_member"
	keyAlready       = "nominations.error.already_nominee"
	keyLastNominee   = "nominations.error.last_nominee"
	keyHasProjects   = "nominations.error.nominee_has_projects"
	keyReason        = "nominations.error.reason"
	keyUnknownOrg    = "nominations.error.unknown_org"
	keyVersion       = "nominations.error.version"
	entityNomination = "nomination"
)

// audited is what the audit log keeps of a nomination's own fields.
func audited(n nominationRow) map[string]any {
	return map[string]any{"title": n.Title, "summary": n.Summary, "challenge": n.Challenge,
		"contact_name": n.ContactName, "contact_email": n.ContactEmail, "contact_phone": n.ContactPhone,
		"status": n.Status, "ineligible_reason": n.IneligibleReason, "version": n.Version}
}

type orgInfo struct {
	ID      int64  `bun:"id"`
	Kind    string `bun:"kind"`
	Name    string `bun:"name"`
	Current bool   `bun:"current"`
}

func loadOrg(ctx context.Context, db bun.IDB, id int64) (orgInfo, error) {
	var o orgInfo
	err := db.NewRaw(`SELECT id, kind, name, valid_to IS NULL AS current FROM organisations WHERE id = ?`, id).Scan(ctx, &o)
	return o, postgres.Map("load organisation", err)
}

// eligible reports whether organisation o may be nominated in cycle c.
func eligible(c cycleRow, o orgInfo) bool {
	return o.Current && c.Cycle().Eligible(awards.OrgKind(o.Kind))
}

// overLimit reports whether organisation org already has as many
// nominations in the cycle as it may (withdrawn ones do not count), not
// counting nomination except. The caller holds the cycle's row lock, so
// two people clicking at once cannot both pass.
func overLimit(ctx context.Context, db bun.IDB, c cycleRow, org, except int64) (bool, error) {
	if c.MaxNominationsPerOrg == 0 {
		return false, nil
	}
	var n int
	err := db.NewRaw(`SELECT count(*) FROM nominations n JOIN nomination_organisations x ON x.nomination_id = n.id
		WHERE n.cycle_id = ? AND x.organisation_id = ? AND n.status <> 'withdrawn' AND n.id <> ?`, c.ID, org, except).Scan(ctx, &n)
	if err != nil {
		return false, postgres.Map("count nominations", err)
	}
	return n >= c.MaxNominationsPerOrg, nil
}

func limitError(c cycleRow, org orgInfo) error {
	return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonQuotaReached, Fields: map[string]string{"organisation_id": keyLimit},
		Message: fmt.Sprintf("%s already has %d nomination(s) in this cycle, the most allowed; withdraw one or edit it instead", org.Name, c.MaxNominationsPerOrg)}
}

// Start is what the "Start nomination" form needs: the cycle, whether it
// takes nominations now, and the actor's organisations that may be
// nominated in it.
type Start struct {
	Cycle awards.Cycle
	Open  bool
	Orgs  []awards.Organisation
}

// StartOptions returns the cycle and the actor's organisations that may be
// nominated in it, for the "Start nomination" form (on the cycle page and
// when the form is shown again with an error). Returns ENotFound for a
// cycle the actor may not know of.
func (s *Service) StartOptions(ctx context.Context, actor *awards.Actor, cyclePublicID string) (Start, error) {
	c, err := cycleByPublicID(ctx, s.db, actor, cyclePublicID, false)
	if err != nil {
		return Start{}, err
	}
	orgs, err := eligibleOrgs(ctx, s.db, actor, c)
	return Start{Cycle: c.Cycle(), Open: c.NominationsOpen, Orgs: orgs}, err
}

func eligibleOrgs(ctx context.Context, db bun.IDB, actor *awards.Actor, c cycleRow) ([]awards.Organisation, error) {
	var out []awards.Organisation
	if actor.Anonymous() {
		return out, nil
	}
	for _, m := range actor.Memberships {
		o, err := loadOrg(ctx, db, m.OrganisationID)
		if err != nil {
			return nil, err
		}
		if eligible(c, o) {
			out = append(out, awards.Organisation{ID: o.ID, Kind: awards.OrgKind(o.Kind), Name: o.Name})
		}
	}
	return out, nil
}

// Create starts a draft nomination in the cycle for organisation orgID
// (0: the actor's one eligible organisation), with any of its fields
// already given; the contact defaults to the actor. The actor must be a
// member of the organisation, its kind eligible, the cycle open before its
// deadline and the organisation under the cycle's limit of nominations.
// Returns EUnauthenticated, ENotFound (no such cycle), EForbidden (not a
// member), EInvalid (fields, ineligible organisation), EConflict (closed,
// limit reached).
func (s *Service) Create(ctx context.Context, actor *awards.Actor, cyclePublicID string, orgID int64, f Fields) (View, error) {
	if actor.Anonymous() {
		return View{}, awards.Errorf(awards.EUnauthenticated, "log in to nominate")
	}
	if err := f.validate(); err != nil {
		return View{}, err
	}
	if f.ContactName == nil && f.ContactEmail == nil && f.ContactPhone == nil {
		name, email := actor.User.Name, actor.User.Email
		f.ContactName, f.ContactEmail = &name, &email
	}
	var out View
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := cycleByPublicID(ctx, tx, actor, cyclePublicID, true)
		if err != nil {
			return err
		}
		if orgID == 0 {
			orgs, err := eligibleOrgs(ctx, tx, actor, c)
			if err != nil {
				return err
			}
			switch {
			case len(actor.Memberships) == 0:
				return &awards.Error{Code: awards.EForbidden, Fields: map[string]string{"organisation_id": keyNotMember},
					Message: "only members of an organisation can nominate it; ask for access to your organisation first"}
			case len(orgs) == 0:
				return &awards.Error{Code: awards.EInvalid, Fields: map[string]string{"organisation_id": keyNotEligible},
					Message: "none of your organisations can be nominated in this cycle"}
			case len(orgs) > 1:
				return &awards.Error{Code: awards.EInvalid, Fields: map[string]string{"organisation_id": keyChooseOrg},
					Message: "you belong to several organisations: say which one to nominate", Err: ErrChooseOrg}
			}
			orgID = orgs[0].ID
		}
		if !actor.MemberOf(orgID) {
			return &awards.Error{Code: awards.EForbidden, Fields: map[string]string{"organisation_id": keyNotMember},
				Message: "you can only nominate organisations you are a member of"}
		}
		org, err := loadOrg(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if !eligible(c, org) {
			return &awards.Error{Code: awards.EInvalid, Fields: map[string]string{"organisation_id": keyNotEligible},
				Message: fmt.Sprintf("%s cannot be nominated in this cycle", org.Name)}
		}
		if !c.NominationsOpen {
			return closedError(c)
		}
		over, err := overLimit(ctx, tx, c, orgID, 0)
		if err != nil {
			return err
		}
		if over {
			return limitError(c, org)
		}
		var n nominationRow
		err = tx.NewRaw(`
			INSERT INTO nominations (cycle_id, title, summary, challenge, contact_name, contact_email, contact_phone, created_by)
			SELECT c.id, ?, ?, ?, ?, ?, ?, ? FROM cycles c WHERE c.id = ? AND `+acceptsChanges+`
			RETURNING id, public_id, cycle_id, title, summary, challenge, contact_name, contact_email, contact_phone,
				status, ineligible_reason, version, submitted_at, updated_at`,
			deref(f.Title), deref(f.Summary), deref(f.Challenge), deref(f.ContactName), deref(f.ContactEmail), deref(f.ContactPhone),
			actor.User.ID, c.ID).Scan(ctx, &n)
		if err != nil {
			return postgres.Map("create nomination", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO nomination_organisations (nomination_id, organisation_id, lead) VALUES (?, ?, true)`, n.ID, orgID); err != nil {
			return postgres.Map("add nominee", err)
		}
		after := audited(n)
		after["cycle_id"], after["organisation_id"] = c.ID, orgID
		if err := audit.Record(ctx, tx, actor.User.ID, "create", entityNomination, n.ID, nil, after); err != nil {
			return err
		}
		out, err = view(ctx, tx, actor, target{n: n, c: c, open: c.NominationsOpen, nominees: []int64{orgID}, lead: orgID})
		return err
	})
	return out, err
}

// Update changes a nomination's own fields, as read at version. Members of
// a nominee organisation may, while the cycle accepts changes and the
// nomination is a draft, submitted or withdrawn. Returns ENotFound,
// EForbidden, EInvalid, EConflict (closed; or someone else saved first:
// the cause is a *StaleError with the current version).
func (s *Service) Update(ctx context.Context, actor *awards.Actor, publicID string, version int, f Fields) (View, error) {
	fe := fieldErrors{}
	if version <= 0 {
		fe.add("version", keyVersion)
	}
	if err := f.validate(); err != nil {
		for k, v := range awards.ErrorFields(err) {
			fe.add(k, v)
		}
	}
	if f.Title != nil && *f.Title == "" {
		// A saved title cannot be emptied; a new draft may still lack one.
		fe.add("title", keyRequired)
	}
	var out View
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := forEdit(ctx, tx, actor, publicID, false)
		if err != nil {
			return err
		}
		if err := fe.err(); err != nil {
			return err
		}
		var n nominationRow
		err = tx.NewRaw(`
			UPDATE nominations n SET title = coalesce(?, n.title), summary = coalesce(?, n.summary),
				challenge = coalesce(?, n.challenge), contact_name = coalesce(?, n.contact_name),
				contact_email = coalesce(?, n.contact_email), contact_phone = coalesce(?, n.contact_phone),
				version = n.version + 1, updated_at = now()
			FROM cycles c
			WHERE n.id = ? AND n.version = ? AND c.id = n.cycle_id AND n.status IN `+editableStatuses+` AND `+nominationOpen+`
			RETURNING n.id, n.public_id, n.cycle_id, n.title, n.summary, n.challenge, n.contact_name, n.contact_email,
				n.contact_phone, n.status, n.ineligible_reason, n.version, n.submitted_at, n.updated_at`,
			f.Title, f.Summary, f.Challenge, f.ContactName, f.ContactEmail, f.ContactPhone, t.n.ID, version).Scan(ctx, &n)
		if err != nil {
			if err = postgres.Map("update nomination", err); awards.ErrorCode(err) == awards.ENotFound {
				return refusal(ctx, tx, t.n.ID, version)
			}
			return err
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "update", entityNomination, n.ID, audited(t.n), audited(n)); err != nil {
			return err
		}
		t.n = n
		out, err = view(ctx, tx, actor, t)
		return err
	})
	return out, err
}

// touch marks a nomination changed without bumping its version: adding a
// nominee or a project cannot overwrite anyone's text, so it must not make
// another person's open form stale.
func touch(ctx context.Context, tx bun.IDB, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE nominations SET updated_at = now() WHERE id = ?`, id)
	return postgres.Map("touch nomination", err)
}

// Submit sends a draft (or a withdrawn nomination again) in, once its
// checklist is complete: status submitted, submitted_at now, and the
// receipt's e-mail job enqueued in the same transaction. Submitting a submitted nomination again
// changes nothing. Members of a nominee organisation may, before the
// deadline. Returns ENotFound, EForbidden, EInvalid (with the missing
// items as fields), EConflict (closed, ineligible, limit reached).
func (s *Service) Submit(ctx context.Context, actor *awards.Actor, publicID string) (View, error) {
	v, err := s.submit(ctx, actor, publicID, false)
	if errors.Is(err, errNeedCycleLock) {
		v, err = s.submit(ctx, actor, publicID, true)
	}
	return v, err
}

// errNeedCycleLock: the nomination was withdrawn between the first look
// and its row lock, so submitting it must count the limit after all.
var errNeedCycleLock = errors.New("submit needs the cycle's lock")

// submit does Submit's work. Only submitting a withdrawn nomination again
// changes how many nominations its organisations have in the cycle, so
// only that takes the cycle's row lock, under which limits are counted
// (cycle, then nomination, as Create and AddNominee). A draft already
// counts: its submission locks just the nomination, and does not queue
// behind every create and submit in the cycle in the last minute before
// the deadline (bench/rush measured that queue).
func (s *Service) submit(ctx context.Context, actor *awards.Actor, publicID string, lockCycle bool) (View, error) {
	var out View
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := forEdit(ctx, tx, actor, publicID, false)
		if err != nil {
			return err
		}
		lockCycle = lockCycle || t.n.Status == string(awards.StatusWithdrawn)
		if lockCycle {
			if t.c, err = cycleByPublicID(ctx, tx, actor, t.c.PublicID, true); err != nil {
				return err
			}
		}
		if t, err = forEdit(ctx, tx, actor, publicID, true); err != nil {
			return err
		}
		if !lockCycle && t.n.Status == string(awards.StatusWithdrawn) {
			return errNeedCycleLock
		}
		// A draft's projects change without raising the jury screens'
		// version (it is on no screen): their writers, who lock the
		// project, finish before the submission, or wait for it.
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM projects p JOIN nomination_projects np ON np.project_id = p.id
			WHERE np.nomination_id = ? ORDER BY p.id FOR SHARE OF p`, t.n.ID); err != nil {
			return postgres.Map("lock the nomination's projects", err)
		}
		if !t.open {
			return closedError(t.c)
		}
		v, err := view(ctx, tx, actor, t)
		if err != nil {
			return err
		}
		switch awards.NominationStatus(t.n.Status) {
		case awards.StatusSubmitted:
			out = v
			return nil
		case awards.StatusDraft, awards.StatusWithdrawn:
		default:
			return statusError(t.n.Status)
		}
		if missing := Checklist(v.Nomination); len(missing) > 0 {
			fields := map[string]string{}
			for _, m := range missing {
				fields[m.Field] = m.Key
			}
			return &awards.Error{Code: awards.EInvalid, Fields: fields,
				Message: fmt.Sprintf("the nomination is not complete: %d item(s) are missing", len(missing))}
		}
		if t.n.Status == string(awards.StatusWithdrawn) {
			for _, org := range t.nominees {
				over, err := overLimit(ctx, tx, t.c, org, t.n.ID)
				if err != nil {
					return err
				}
				if over {
					o, err := loadOrg(ctx, tx, org)
					if err != nil {
						return err
					}
					return limitError(t.c, o)
				}
			}
		}
		var n nominationRow
		err = tx.NewRaw(`
			UPDATE nominations n SET status = 'submitted', submitted_at = now(), updated_at = now()
			FROM cycles c
			WHERE n.id = ? AND c.id = n.cycle_id AND n.status IN ('draft', 'withdrawn') AND `+nominationOpen+`
			RETURNING n.id, n.public_id, n.cycle_id, n.title, n.summary, n.challenge, n.contact_name, n.contact_email,
				n.contact_phone, n.status, n.ineligible_reason, n.version, n.submitted_at, n.updated_at`, t.n.ID).Scan(ctx, &n)
		if err != nil {
			if err = postgres.Map("submit nomination", err); awards.ErrorCode(err) == awards.ENotFound {
				return refusal(ctx, tx, t.n.ID, 0)
			}
			return err
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "submit", entityNomination, n.ID,
			map[string]any{"status": t.n.Status}, map[string]any{"status": n.Status, "submitted_at": n.SubmittedAt}); err != nil {
			return err
		}
		if err := EnqueueReceipt(ctx, tx, n.ID); err != nil {
			return err
		}
		t.n = n
		out, err = view(ctx, tx, actor, t)
		return err
	})
	return out, err
}

// Withdraw takes a draft or submitted nomination out of the cycle before
// the deadline; it no longer counts against the organisation's limit and
// can be submitted again until the deadline. Returns ENotFound,
// EForbidden, EConflict.
func (s *Service) Withdraw(ctx context.Context, actor *awards.Actor, publicID string) (View, error) {
	var out View
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := forEdit(ctx, tx, actor, publicID, true)
		if err != nil {
			return err
		}
		if t.n.Status == string(awards.StatusWithdrawn) {
			out, err = view(ctx, tx, actor, t)
			return err
		}
		var n nominationRow
		err = tx.NewRaw(`
			UPDATE nominations n SET status = 'withdrawn', updated_at = now()
			FROM cycles c
			WHERE n.id = ? AND c.id = n.cycle_id AND n.status IN ('draft', 'submitted') AND `+nominationOpen+`
			RETURNING n.id, n.public_id, n.cycle_id, n.title, n.summary, n.challenge, n.contact_name, n.contact_email,
				n.contact_phone, n.status, n.ineligible_reason, n.version, n.submitted_at, n.updated_at`, t.n.ID).Scan(ctx, &n)
		if err != nil {
			if err = postgres.Map("withdraw nomination", err); awards.ErrorCode(err) == awards.ENotFound {
				return refusal(ctx, tx, t.n.ID, 0)
			}
			return err
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "withdraw", entityNomination, n.ID,
			map[string]any{"status": t.n.Status}, map[string]any{"status": n.Status}); err != nil {
			return err
		}
		t.n = n
		out, err = view(ctx, tx, actor, t)
		return err
	})
	return out, err
}

// Delete deletes a draft that was never submitted, while the cycle takes
// nominations: a nomination started by mistake is gone, rather than
// withdrawn and listed. Its projects stay the organisation's, as when one
// is taken out of a nomination. The nominee organisations' members only:
// admins get EForbidden, others ENotFound. Returns EConflict for a
// nomination that was submitted (withdraw it instead) or a closed cycle.
func (s *Service) Delete(ctx context.Context, actor *awards.Actor, publicID string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := forEdit(ctx, tx, actor, publicID, true)
		if err != nil {
			return err
		}
		if t.n.Status != string(awards.StatusDraft) || t.n.SubmittedAt != nil {
			return awards.Errorf(awards.EConflict, "only a draft that was never submitted can be deleted; withdraw the nomination instead")
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM nominations n USING cycles c
			WHERE n.id = ? AND c.id = n.cycle_id AND n.status = 'draft' AND n.submitted_at IS NULL AND `+nominationOpen, t.n.ID)
		if err != nil {
			return postgres.Map("delete draft", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return refusal(ctx, tx, t.n.ID, 0)
		}
		return audit.Record(ctx, tx, actor.User.ID, "delete", entityNomination, t.n.ID,
			map[string]any{"status": t.n.Status, "title": t.n.Title}, nil)
	})
}

// SetIneligible marks a submitted nomination ineligible with a reason its
// submitters will see, and queues a notice with the reason to its nominee
// organisations' members in the same transaction; or (ineligible false)
// undoes that, back to submitted. The cycle's admins only: others who can see the nomination get
// EForbidden, the rest ENotFound. Returns EInvalid (no reason), EConflict
// (wrong status).
func (s *Service) SetIneligible(ctx context.Context, actor *awards.Actor, publicID string, ineligible bool, reason string) (View, error) {
	var out View
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := loadTarget(ctx, tx, actor, publicID, true)
		if err != nil {
			return err
		}
		if !policy.CanJudgeEligibility(actor, t.c.ID) {
			return awards.Errorf(awards.EForbidden, "only administrators decide eligibility")
		}
		from, to := awards.StatusSubmitted, awards.StatusIneligible
		if ineligible {
			var key string
			if reason, key = cleanText(reason, true, maxReason); key == "" && reason == "" {
				key = keyReason
			}
			if key != "" {
				return awards.Invalid(map[string]string{"reason": key})
			}
		} else {
			from, to, reason = awards.StatusIneligible, awards.StatusSubmitted, ""
			if t.n.SubmittedAt == nil {
				to = awards.StatusDraft
			}
		}
		if t.n.Status != string(from) {
			return awards.Errorf(awards.EConflict, "only a %s nomination can be marked %s", from, to)
		}
		var n nominationRow
		err = tx.NewRaw(`
			UPDATE nominations n SET status = ?, ineligible_reason = ?, updated_at = now()
			WHERE n.id = ? AND n.status = ?
			RETURNING n.id, n.public_id, n.cycle_id, n.title, n.summary, n.challenge, n.contact_name, n.contact_email,
				n.contact_phone, n.status, n.ineligible_reason, n.version, n.submitted_at, n.updated_at`,
			string(to), reason, t.n.ID, string(from)).Scan(ctx, &n)
		if err != nil {
			return postgres.Map("set eligibility", err)
		}
		action := "mark_ineligible"
		if !ineligible {
			action = "undo_ineligible"
		}
		if err := audit.Record(ctx, tx, actor.User.ID, action, entityNomination, n.ID,
			map[string]any{"status": t.n.Status, "ineligible_reason": t.n.IneligibleReason},
			map[string]any{"status": n.Status, "ineligible_reason": n.IneligibleReason}); err != nil {
			return err
		}
		if ineligible {
			if err := queueIneligibleNotices(ctx, tx, n); err != nil {
				return err
			}
		}
		t.n = n
		out, err = view(ctx, tx, actor, t)
		return err
	})
	return out, err
}

const summarySelect = `
	SELECT n.public_id, n.title, n.status, c.public_id AS cycle_public_id, c.title AS cycle_title,
		-- The nomination's own later deadline, while the call is open.
		CASE WHEN c.phase = 'open' AND n.extended_until > coalesce(c.nomination_deadline, 'infinity') THEN n.extended_until
			ELSE c.nomination_deadline END AS nomination_deadline,
		` + nominationOpen + ` AS open,
		(SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM nomination_organisations x JOIN organisations o ON o.id = x.organisation_id
			WHERE x.nomination_id = n.id) AS nominees,
		(SELECT count(*) FROM nomination_projects np WHERE np.nomination_id = n.id) AS projects,
		n.submitted_at, n.updated_at
	FROM nominations n JOIN cycles c ON c.id = n.cycle_id`

// orgIDs lists the actor's organisations.
func orgIDs(actor *awards.Actor) []int64 {
	ids := []int64{0} // never empty, so that IN (?) stays valid SQL
	for _, m := range actor.Memberships {
		ids = append(ids, m.OrganisationID)
	}
	return ids
}

// List returns the cycle's nominations the actor may see: all for the
// cycle's admins, else those of the actor's organisations. Returns ENotFound for a
// cycle the actor may not know of.
func (s *Service) List(ctx context.Context, actor *awards.Actor, cyclePublicID string) ([]Summary, error) {
	c, err := cycleByPublicID(ctx, s.db, actor, cyclePublicID, false)
	if err != nil {
		return nil, err
	}
	out := []Summary{}
	err = s.db.NewRaw(summarySelect+`
		WHERE n.cycle_id = ? AND (? OR EXISTS (SELECT 1 FROM nomination_organisations x
			WHERE x.nomination_id = n.id AND x.organisation_id IN (?)))
		ORDER BY n.created_at, n.id`, c.ID, actor.AdministersCycle(c.ID), bun.In(orgIDs(actor))).Scan(ctx, &out)
	if err != nil {
		return nil, postgres.Map("list nominations", err)
	}
	return out, nil
}

// Mine returns the nominations of the actor's organisations in cycles not
// yet published, nearest deadline first, for the home page.
func (s *Service) Mine(ctx context.Context, actor *awards.Actor) ([]Summary, error) {
	out := []Summary{}
	if actor.Anonymous() || len(actor.Memberships) == 0 {
		return out, nil
	}
	err := s.db.NewRaw(summarySelect+`
		WHERE c.phase NOT IN ('draft', 'published') AND EXISTS (SELECT 1 FROM nomination_organisations x
			WHERE x.nomination_id = n.id AND x.organisation_id IN (?))
		ORDER BY c.nomination_deadline NULLS LAST, n.created_at, n.id`, bun.In(orgIDs(actor))).Scan(ctx, &out)
	if err != nil {
		return nil, postgres.Map("my nominations", err)
	}
	return out, nil
}
