package jury

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// What a juror answers about a nominee organisation. Forvaltningsloven § 6
// makes a juror disqualified as a party or through close ties (first
// paragraph), and where special circumstances weaken trust in their
// impartiality, such as being employed by a nominee (second paragraph).
// Every conflict declared here makes the juror step aside from the
// organisation's nominations.
const (
	// NoConflict: the juror has no ties that disqualify them.
	NoConflict = "none"
	// Employed: the juror works for the organisation.
	Employed = "employed"
	// Family: close family or personal ties to people in the nomination.
	Family = "family"
	// Involvement: the juror took part in the nominated work.
	Involvement = "involvement"
	// Other: another reason to step aside.
	Other = "other"
	// Member: the juror is a member of the organisation in Heder. Heder
	// finds this itself (the view juror_conflicts); nobody declares it.
	Member = "member"
)

// Answers lists what a juror may answer, in the order forms show them.
var Answers = []string{NoConflict, Employed, Family, Involvement, Other}

// maxReason bounds a conflict's reason, in characters: a short
// explanation, not a document.
const maxReason = 500

// OrgDeclaration is a juror's answer about one nominee organisation.
type OrgDeclaration struct {
	ID     int64  `bun:"id"`
	Name   string `bun:"name"`
	Kind   string `bun:"kind"`
	County string `bun:"county"`
	// Reviewed: the juror has answered about it (Conflict holds the answer).
	Reviewed bool `bun:"reviewed"`
	// Automatic: the juror is a member, which is a conflict by itself.
	Automatic bool `bun:"automatic"`
	// Declared is the declared conflict's kind, "" when none is declared.
	Declared string `bun:"declared"`
	Reason   string `bun:"reason"`
}

// Conflict is the answer that stands: "" (not answered yet), NoConflict,
// a declared kind, or Member.
func (o OrgDeclaration) Conflict() string {
	switch {
	case o.Automatic:
		return Member
	case o.Declared != "":
		return o.Declared
	case o.Reviewed:
		return NoConflict
	}
	return ""
}

// Conflicted reports whether the juror steps aside from the
// organisation's nominations.
func (o OrgDeclaration) Conflicted() bool { c := o.Conflict(); return c != "" && c != NoConflict }

// Declaration is a juror's conflict-of-interest declaration for a cycle:
// an answer per organisation nominated in it.
type Declaration struct {
	Cycle   Cycle
	JurorID int64
	Chair   bool
	// DeclaredAt is when the juror last declared; nil before the first time.
	DeclaredAt    *time.Time
	Organisations []OrgDeclaration
}

// NeedsReview reports whether an organisation awaits the juror's answer:
// nominated after they declared, or never declared at all.
func (d Declaration) NeedsReview() bool {
	for _, o := range d.Organisations {
		if o.Conflict() == "" {
			return true
		}
	}
	return false
}

// Complete reports whether the declaration is made and current: the
// juror may then see the nominations they are not conflicted with.
func (d Declaration) Complete() bool { return d.DeclaredAt != nil && !d.NeedsReview() }

// nomineeOrgs lists the organisations nominated in the cycle (in the
// nominations the jury works on) with the juror's answers.
func nomineeOrgs(ctx context.Context, db bun.IDB, cycleID int64, s seat) ([]OrgDeclaration, error) {
	out := []OrgDeclaration{}
	err := db.NewRaw(`
		SELECT o.id, o.name, o.kind, coalesce(p.name, '') AS county,
			r.reviewed_at IS NOT NULL AS reviewed,
			EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = ? AND m.organisation_id = o.id) AS automatic,
			coalesce(cf.kind, '') AS declared, coalesce(cf.reason, '') AS reason
		FROM organisations o
		LEFT JOIN organisations p ON p.id = o.parent_id AND o.kind = 'municipality'
		LEFT JOIN conflict_reviews r ON r.juror_id = ? AND r.organisation_id = o.id
		LEFT JOIN conflicts cf ON cf.juror_id = ? AND cf.organisation_id = o.id
		WHERE o.id IN (SELECT no.organisation_id FROM nominations n JOIN nomination_organisations no ON no.nomination_id = n.id
			WHERE n.cycle_id = ? AND in_the_running(n.status))
		ORDER BY o.name, o.id`, s.UserID, s.ID, s.ID, cycleID).Scan(ctx, &out)
	if err != nil {
		return nil, postgres.Map("list nominee organisations", err)
	}
	return out, nil
}

// Declaration returns the actor's declaration for the cycle, with every
// organisation nominated in it. Jurors of the cycle only: EUnauthenticated;
// EForbidden (ErrNotJuror, ErrRemoved); ENotFound.
func (s *Service) Declaration(ctx context.Context, actor *awards.Actor, cyclePublicID string) (Declaration, error) {
	c, st, err := jurorCycle(ctx, s.db, actor, cyclePublicID, false)
	if err != nil {
		return Declaration{}, err
	}
	orgs, err := nomineeOrgs(ctx, s.db, c.ID, st)
	if err != nil {
		return Declaration{}, err
	}
	return Declaration{Cycle: c, JurorID: st.ID, Chair: st.Chair, DeclaredAt: st.DeclaredAt, Organisations: orgs}, nil
}

// Answer is a juror's answer about one organisation.
type Answer struct {
	OrganisationID int64
	// Conflict is one of Answers.
	Conflict string
	// Reason is required for a conflict.
	Reason string
}

// DeclarationInput is a declaration: either NoneAtAll ("I have no
// conflicts with any nominee"), or an answer for every organisation
// nominated in the cycle (those the juror is a member of may be left
// out: they are conflicts by themselves).
type DeclarationInput struct {
	NoneAtAll bool
	Answers   []Answer
}

// OrgField names the field of a declaration error about the answer for
// organisation orgID.
func OrgField(orgID int64) string { return fmt.Sprintf("organisations.%d", orgID) }

// ReasonField names the field of a declaration error about the reason
// given for organisation orgID.
func ReasonField(orgID int64) string { return OrgField(orgID) + ".reason" }

// validate checks in against the cycle's nominee organisations and
// returns the conflicts to store, by organisation, and the organisations
// answered.
func (in DeclarationInput) validate(orgs []OrgDeclaration) (conflicts map[int64]Answer, reviewed []int64, err error) {
	fields := map[string]string{}
	byID := map[int64]OrgDeclaration{}
	for _, o := range orgs {
		byID[o.ID] = o
	}
	answers := map[int64]Answer{}
	if in.NoneAtAll {
		if len(in.Answers) > 0 {
			return nil, nil, awards.Invalid(map[string]string{"none": "jury.error.none_and_answers"})
		}
		for _, o := range orgs {
			if !o.Automatic {
				answers[o.ID] = Answer{OrganisationID: o.ID, Conflict: NoConflict}
			}
		}
	}
	for _, a := range in.Answers {
		f := OrgField(a.OrganisationID)
		o, known := byID[a.OrganisationID]
		a.Reason = strings.TrimSpace(a.Reason)
		switch _, dup := answers[a.OrganisationID]; {
		case !known:
			fields[f] = "jury.error.unknown_org"
			continue
		case dup:
			fields[f] = "jury.error.duplicate"
			continue
		case !slices.Contains(Answers, a.Conflict):
			fields[f] = "form.error.choice"
			continue
		case o.Automatic && a.Conflict == NoConflict:
			fields[f] = "jury.error.automatic"
			continue
		}
		switch {
		case a.Conflict == NoConflict:
			a.Reason = ""
		case a.Reason == "":
			fields[ReasonField(a.OrganisationID)] = "jury.error.reason_required"
		case utf8.RuneCountInString(a.Reason) > maxReason:
			fields[ReasonField(a.OrganisationID)] = "form.error.too_long"
		}
		answers[a.OrganisationID] = a
	}
	for _, o := range orgs {
		if _, ok := answers[o.ID]; !ok && !o.Automatic {
			if _, bad := fields[OrgField(o.ID)]; !bad {
				fields[OrgField(o.ID)] = "jury.error.choose"
			}
		}
	}
	if len(fields) > 0 {
		return nil, nil, awards.Invalid(fields)
	}
	conflicts = map[int64]Answer{}
	for _, o := range orgs {
		a, ok := answers[o.ID]
		if !ok || o.Automatic {
			// Membership is the conflict; the answer adds nothing to store.
			continue
		}
		reviewed = append(reviewed, o.ID)
		if a.Conflict != NoConflict {
			conflicts[o.ID] = a
		}
	}
	return conflicts, reviewed, nil
}

// DeclareResult is what a declaration changed.
type DeclareResult struct {
	Declaration Declaration
	// Excluded lists the nominations whose submitted scores by this juror
	// were excluded from the ranking because of a conflict declared after
	// scoring (the scores are kept, marked).
	Excluded []int64
}

// exclusion is a juror's submission excluded from the ranking.
type exclusion struct {
	NominationID int64  `bun:"nomination_id"`
	Reason       string `bun:"excluded_reason"`
}

// auditedConflict is what the audit log keeps of a conflict.
type auditedConflict struct {
	OrganisationID int64  `json:"organisation_id"`
	Kind           string `json:"kind"`
	Reason         string `json:"reason"`
}

// Declare records the actor's declaration for the cycle, replacing the
// one before, and completes it (jurors.declared_at): from then on the
// juror sees the nominations they are not conflicted with. A conflict
// declared after the juror submitted scores for an affected nomination
// excludes those scores from the ranking: they are kept, marked with the
// date, and the audit log says so. Jurors of the cycle only. Returns
// EUnauthenticated; EForbidden (ErrNotJuror, ErrRemoved); ENotFound;
// EInvalid with fields OrgField (no answer, unknown organisation, "none"
// for an organisation the juror is a member of) and ReasonField (a
// conflict without a reason, or too long). Nothing is stored when it
// fails.
func (s *Service) Declare(ctx context.Context, actor *awards.Actor, cyclePublicID string, in DeclarationInput) (DeclareResult, error) {
	var out DeclareResult
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, st, err := jurorCycle(ctx, tx, actor, cyclePublicID, true)
		if err != nil {
			return err
		}
		orgs, err := nomineeOrgs(ctx, tx, c.ID, st)
		if err != nil {
			return err
		}
		conflicts, reviewed, err := in.validate(orgs)
		if err != nil {
			return err
		}
		var before []auditedConflict
		if err := tx.NewRaw(`SELECT organisation_id, kind, reason FROM conflicts WHERE juror_id = ? ORDER BY organisation_id`,
			st.ID).Scan(ctx, &before); err != nil {
			return postgres.Map("load conflicts", err)
		}
		keep := []int64{0} // never empty, for NOT IN
		after := []auditedConflict{}
		for _, o := range orgs {
			if a, ok := conflicts[o.ID]; ok {
				keep = append(keep, o.ID)
				after = append(after, auditedConflict{OrganisationID: o.ID, Kind: a.Conflict, Reason: a.Reason})
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM conflicts WHERE juror_id = ? AND organisation_id NOT IN (?)`,
			st.ID, bun.In(keep)); err != nil {
			return postgres.Map("clear conflicts", err)
		}
		for _, a := range after {
			// declared_at stays when nothing changed: it dates the conflict.
			if _, err := tx.ExecContext(ctx, `INSERT INTO conflicts (juror_id, organisation_id, kind, reason) VALUES (?, ?, ?, ?)
				ON CONFLICT (juror_id, organisation_id) DO UPDATE SET kind = EXCLUDED.kind, reason = EXCLUDED.reason, declared_at = now()
				WHERE (conflicts.kind, conflicts.reason) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.reason)`,
				st.ID, a.OrganisationID, a.Kind, a.Reason); err != nil {
				return postgres.Map("declare conflict", err)
			}
		}
		if len(reviewed) > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO conflict_reviews (juror_id, organisation_id)
				SELECT ?, unnest(?::bigint[]) ON CONFLICT (juror_id, organisation_id) DO UPDATE SET reviewed_at = now()`,
				st.ID, pgdialect.Array(reviewed)); err != nil {
				return postgres.Map("record review", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE jurors SET declared_at = now() WHERE id = ?`, st.ID); err != nil {
			return postgres.Map("complete declaration", err)
		}
		// Scores already submitted for nominations the juror must now step
		// aside from stop counting, whatever made them conflicted.
		var excluded []exclusion
		if err := tx.NewRaw(`UPDATE score_submissions
			SET excluded_reason = 'conflict declared ' || to_char(now() AT TIME ZONE 'Europe/Oslo', 'YYYY-MM-DD')
			WHERE juror_id = ? AND excluded_reason IS NULL
				AND nomination_id IN (SELECT nomination_id FROM juror_conflicts WHERE juror_id = ?)
			RETURNING nomination_id, excluded_reason`, st.ID, st.ID).Scan(ctx, &excluded); err != nil {
			return postgres.Map("exclude scores", err)
		}
		slices.SortFunc(excluded, func(a, b exclusion) int { return cmp.Compare(a.NominationID, b.NominationID) })
		for _, e := range excluded {
			out.Excluded = append(out.Excluded, e.NominationID)
			if err := audit.Record(ctx, tx, actor.User.ID, "exclude_scores", "nomination", e.NominationID, nil,
				map[string]any{"juror_id": st.ID, "excluded_reason": e.Reason,
					"note": "the juror declared a conflict after submitting scores: the scores are kept but excluded from the ranking"}); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "declare", "juror", st.ID,
			map[string]any{"conflicts": before, "declared_at": st.DeclaredAt},
			map[string]any{"conflicts": after, "none_at_all": in.NoneAtAll, "reviewed": len(reviewed),
				"excluded_nominations": out.Excluded}); err != nil {
			return err
		}
		if out.Declaration.Organisations, err = nomineeOrgs(ctx, tx, c.ID, st); err != nil {
			return err
		}
		var declaredAt time.Time
		if err := tx.NewRaw(`SELECT declared_at FROM jurors WHERE id = ?`, st.ID).Scan(ctx, &declaredAt); err != nil {
			return postgres.Map("reload juror", err)
		}
		out.Declaration.Cycle, out.Declaration.JurorID, out.Declaration.Chair = c, st.ID, st.Chair
		out.Declaration.DeclaredAt = &declaredAt
		return nil
	})
	return out, err
}

// Recusal is a juror who stepped aside from a nomination, and why.
type Recusal struct {
	NominationID int64     `bun:"nomination_id"`
	JurorID      int64     `bun:"juror_id"`
	JurorName    string    `bun:"juror_name"`
	Kind         string    `bun:"kind"`
	Reason       string    `bun:"reason"`
	DeclaredAt   time.Time `bun:"declared_at"`
}

// NominationConflicts is one nomination with the jurors who stepped
// aside from it.
type NominationConflicts struct {
	ID       int64  `bun:"id"`
	PublicID string `bun:"public_id"`
	Title    string `bun:"title"`
	Nominees string `bun:"nominees"`
	// Hidden: the reader is a juror who may not read this nomination
	// (conflicted, or not yet declared), so only its nominees are shown.
	Hidden       bool `bun:"hidden"`
	SteppedAside []Recusal
}

// JurorStatus is where one juror's declaration stands.
type JurorStatus struct {
	ID          int64      `bun:"id"`
	Name        string     `bun:"name"`
	Chair       bool       `bun:"chair"`
	DeclaredAt  *time.Time `bun:"declared_at"`
	NeedsReview bool       `bun:"needs_review"`
}

// Declared reports whether the juror's declaration is complete and current.
func (j JurorStatus) Declared() bool { return j.DeclaredAt != nil && !j.NeedsReview }

// ConflictOverview is who stepped aside from which nomination and why.
type ConflictOverview struct {
	Cycle       Cycle
	Jurors      []JurorStatus
	Nominations []NominationConflicts
	// Awaiting are the acceptances the reader may confirm as seats
	// (Confirm): invitations accepted from another address.
	Awaiting []Invitation
}

// Conflicts returns the cycle's overview of conflicts: each seated juror's
// declaration status, and per nomination the jurors who stepped aside,
// with the kind and reason. The chair and site admins only (EForbidden
// for the other jurors and anyone who can see the cycle, ENotFound for
// the rest). A chair who may not read a nomination sees its nominees but
// not its title.
func (s *Service) Conflicts(ctx context.Context, actor *awards.Actor, cyclePublicID string) (ConflictOverview, error) {
	c, err := loadCycle(ctx, s.db, cyclePublicID, false)
	if err != nil {
		return ConflictOverview{}, err
	}
	if !policy.CanSeeConflicts(actor, c.ID) {
		if policy.CanSeeCycle(actor, c.ID, c.Phase) || hasSeat(actor, c.ID) {
			return ConflictOverview{}, awards.Errorf(awards.EForbidden, "only the chair and administrators see the jury's conflicts")
		}
		return ConflictOverview{}, awards.Errorf(awards.ENotFound, "not found")
	}
	out := ConflictOverview{Cycle: c, Jurors: []JurorStatus{}, Nominations: []NominationConflicts{}}
	if err := s.db.NewRaw(`SELECT j.id, u.name, j.chair, j.declared_at, `+unreviewedSQL+` AS needs_review
		FROM jurors j JOIN users u ON u.id = j.user_id WHERE j.cycle_id = ? AND j.removed_at IS NULL
		ORDER BY j.chair DESC, u.name, j.id`, c.ID).Scan(ctx, &out.Jurors); err != nil {
		return out, postgres.Map("list jurors", err)
	}
	if err := s.db.NewRaw(`SELECT n.id, n.public_id, n.title,
			(SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM nomination_organisations no
				JOIN organisations o ON o.id = no.organisation_id WHERE no.nomination_id = n.id) AS nominees,
			NOT ? AND NOT EXISTS (SELECT 1 FROM juror_visible_nominations v WHERE v.user_id = ? AND v.nomination_id = n.id) AS hidden
		FROM nominations n WHERE n.cycle_id = ? AND in_the_running(n.status)
		ORDER BY nominees, n.title, n.id`, actor.AdministersCycle(c.ID), actor.User.ID, c.ID).Scan(ctx, &out.Nominations); err != nil {
		return out, postgres.Map("list nominations", err)
	}
	if out.Awaiting, err = awaitingInvitations(ctx, s.db, c.ID); err != nil {
		return out, err
	}
	var recusals []Recusal
	if err := s.db.NewRaw(`SELECT jc.nomination_id, jc.juror_id, u.name AS juror_name, jc.kind, jc.reason, jc.declared_at
		FROM juror_conflicts jc JOIN jurors j ON j.id = jc.juror_id JOIN users u ON u.id = j.user_id
		WHERE j.cycle_id = ? AND j.removed_at IS NULL ORDER BY u.name, jc.juror_id, jc.kind`, c.ID).Scan(ctx, &recusals); err != nil {
		return out, postgres.Map("list conflicts", err)
	}
	index := map[int64]int{}
	for i, n := range out.Nominations {
		index[n.ID] = i
		out.Nominations[i].SteppedAside = []Recusal{}
		if n.Hidden {
			out.Nominations[i].Title, out.Nominations[i].PublicID = "", ""
		}
	}
	for _, r := range recusals {
		if i, ok := index[r.NominationID]; ok {
			out.Nominations[i].SteppedAside = append(out.Nominations[i].SteppedAside, r)
		}
	}
	return out, nil
}

func hasSeat(actor *awards.Actor, cycleID int64) bool {
	if actor.Anonymous() {
		return false
	}
	for _, s := range actor.Seats {
		if s.CycleID == cycleID {
			return true
		}
	}
	return false
}
