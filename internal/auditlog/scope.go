package auditlog

import (
	"strconv"
	"strings"
)

// scopeCTE is a WITH list ending in scope(entity, id): every entity whose
// entries belong to the cycle and the nomination (internal ids; 0 for
// any, not both 0). How each kind of entity belongs:
//
//   - nomination, scores, feedback: their entity_id is the nomination's;
//     jury_comment through jury_comments.nomination_id;
//   - project: linked to one of the nominations (nomination_projects);
//     attachment: of such a project, also after its deletion (the delete
//     entry's before names the project);
//   - only when no nomination is asked for, the cycle's own entries: the
//     cycle (transitions, assignment), its decision (entity_id is the
//     cycle's), its criteria and rounds (also deleted ones, whose before
//     names the cycle), announcements, jury invitations and jurors.
//
// The ids are ours, resolved from public IDs, so they are written into
// the text: the planner then sees the constants.
func scopeCTE(cycleID, nominationID int64) string {
	var noms []string
	if cycleID != 0 {
		noms = append(noms, "cycle_id = "+strconv.FormatInt(cycleID, 10))
	}
	if nominationID != 0 {
		noms = append(noms, "id = "+strconv.FormatInt(nominationID, 10))
	}
	q := `noms AS (SELECT id FROM nominations WHERE ` + strings.Join(noms, " AND ") + `),
	projs AS (SELECT DISTINCT np.project_id AS id FROM nomination_projects np JOIN noms ON noms.id = np.nomination_id),
	scope_all (entity, id) AS (
		SELECT v.e, noms.id FROM noms, (VALUES ('nomination'), ('scores'), ('feedback')) v (e)
		UNION ALL SELECT 'jury_comment', jc.id FROM jury_comments jc JOIN noms ON noms.id = jc.nomination_id
		UNION ALL SELECT 'project', id FROM projs
		UNION ALL SELECT 'attachment', a.id FROM attachments a JOIN projs ON projs.id = a.project_id
		UNION ALL SELECT 'attachment', d.entity_id FROM audit_log d
			WHERE d.entity = 'attachment' AND d.action = 'delete' AND (d.before ->> 'project_id')::bigint IN (SELECT id FROM projs)`
	if nominationID == 0 {
		c := strconv.FormatInt(cycleID, 10)
		q += `
		UNION ALL VALUES ('cycle', ` + c + `::bigint), ('decision', ` + c + `)
		UNION ALL SELECT 'criterion', id FROM criteria WHERE cycle_id = ` + c + `
		UNION ALL SELECT 'criterion', d.entity_id FROM audit_log d
			WHERE d.entity = 'criterion' AND d.action = 'delete' AND (d.before ->> 'CycleID')::bigint = ` + c + `
		UNION ALL SELECT 'round', id FROM rounds WHERE cycle_id = ` + c + `
		UNION ALL SELECT 'round', d.entity_id FROM audit_log d
			WHERE d.entity = 'round' AND d.action = 'delete' AND (d.before ->> 'CycleID')::bigint = ` + c + `
		UNION ALL SELECT 'announcement', id FROM announcements WHERE cycle_id = ` + c + `
		UNION ALL SELECT 'jury_invitation', id FROM jury_invitations WHERE cycle_id = ` + c + `
		UNION ALL SELECT 'juror', id FROM jurors WHERE cycle_id = ` + c
	}
	return q + `),
	scope AS (SELECT DISTINCT entity, id FROM scope_all)`
}

// subjectSQL is a LATERAL subquery naming the thing entry l is about, as
// (kind, ref, label): a nomination (ref its public ID), a project, a cycle
// (public ID), an award (slug), an organisation or a user (ids). An entry
// about a part of a cycle (criterion, round, juror, announcement, decision…)
// names the cycle; one about a jury comment, scores or feedback names the
// nomination; an attachment its project.
const subjectSQL = `(
	SELECT 'nomination' AS kind, n.public_id AS ref, n.title AS label FROM nominations n
		WHERE l.entity IN ('nomination', 'scores', 'feedback') AND n.id = l.entity_id
	UNION ALL SELECT 'nomination', n.public_id, n.title FROM jury_comments jc JOIN nominations n ON n.id = jc.nomination_id
		WHERE l.entity = 'jury_comment' AND jc.id = l.entity_id
	UNION ALL SELECT 'project', p.public_id, p.title FROM projects p WHERE l.entity = 'project' AND p.id = l.entity_id
	UNION ALL SELECT 'project', p.public_id, p.title FROM projects p
		WHERE l.entity = 'attachment' AND p.id = (coalesce(l.after, l.before) ->> 'project_id')::bigint
	UNION ALL SELECT 'cycle', c.public_id, c.title FROM cycles c WHERE l.entity IN ('cycle', 'decision') AND c.id = l.entity_id
	UNION ALL SELECT 'cycle', c.public_id, c.title FROM criteria x JOIN cycles c ON c.id = x.cycle_id
		WHERE l.entity = 'criterion' AND x.id = l.entity_id
	UNION ALL SELECT 'cycle', c.public_id, c.title FROM cycles c
		WHERE l.entity = 'criterion' AND l.action = 'delete' AND c.id = (l.before ->> 'CycleID')::bigint
	UNION ALL SELECT 'cycle', c.public_id, c.title FROM rounds x JOIN cycles c ON c.id = x.cycle_id
		WHERE l.entity = 'round' AND x.id = l.entity_id
	UNION ALL SELECT 'cycle', c.public_id, c.title FROM cycles c
		WHERE l.entity = 'round' AND l.action = 'delete' AND c.id = (l.before ->> 'CycleID')::bigint
	UNION ALL SELECT 'cycle', c.public_id, c.title FROM announcements x JOIN cycles c ON c.id = x.cycle_id
		WHERE l.entity = 'announcement' AND x.id = l.entity_id
	UNION ALL SELECT 'cycle', c.public_id, c.title FROM jury_invitations x JOIN cycles c ON c.id = x.cycle_id
		WHERE l.entity = 'jury_invitation' AND x.id = l.entity_id
	UNION ALL SELECT 'cycle', c.public_id, c.title FROM jurors x JOIN cycles c ON c.id = x.cycle_id
		WHERE l.entity = 'juror' AND x.id = l.entity_id
	UNION ALL SELECT 'award', a.slug, a.name_nb FROM awards a WHERE l.entity = 'award' AND a.id = l.entity_id
	UNION ALL SELECT 'organisation', o.id::text, o.name FROM organisations o
		WHERE l.entity IN ('organisation', 'membership') AND o.id = l.entity_id
	UNION ALL SELECT 'organisation', o.id::text, o.name FROM membership_requests mr JOIN organisations o ON o.id = mr.organisation_id
		WHERE l.entity = 'membership_request' AND mr.id = l.entity_id
	UNION ALL SELECT 'user', u.id::text, u.name FROM users u WHERE l.entity = 'user' AND u.id = l.entity_id
	LIMIT 1
)`
