package ui

import (
	"strings"

	"github.com/heder-awards/heder/internal/i18n"
)

// auditFieldLabels name, by entity, the message that labels each field an
// entry keeps: the form's own label where a form has the field, so that
// the log says "E-postadresse" and not contact_email. Fields are matched
// in lower case without underscores, since cycles and criteria are kept
// with Go's field names (CallOpensAt) and the rest in snake case. A field
// without a label shows its name, as do all of the juror, jury_invitation,
// user, organisation, membership, award_owner, outbox_message and
// instance entries so far; the CSV always has the names.
var auditFieldLabels = map[string]map[string]string{
	"nomination": {
		"title": "nominations.field.title", "summary": "nominations.field.summary", "challenge": "nominations.field.challenge",
		"contactname": "nominations.field.contact_name", "contactemail": "nominations.field.contact_email",
		"contactphone": "nominations.field.contact_phone", "status": "audit.label.status",
		"ineligiblereason": "audit.label.ineligible_reason", "version": "audit.label.version",
		"submittedat": "audit.label.submitted_at", "projectid": "audit.entity.project", "projects": "nominations.projects_heading",
		"organisation": "orgs.organisation", "organisationid": "orgs.organisation", "invitationid": "audit.label.invitation",
		"invitingorganisationid": "audit.label.inviting_organisation", "leadorganisationid": "joint.lead",
		"jurorid": "audit.entity.juror", "excludedreason": "audit.label.excluded_reason", "note": "audit.label.note",
		"cycleid": "audit.field.cycle",
	},
	"project": {
		"organisationid": "nominations.project.owner", "title": "nominations.project.title",
		"description": "nominations.project.description", "results": "nominations.project.results",
		"partners": "nominations.project.partners", "periodstart": "nominations.project.period_start",
		"periodend": "nominations.project.period_end", "links": "nominations.project.links",
		"measures": "nominations.project.measures", "version": "audit.label.version",
	},
	"cycle": {
		"id": "audit.label.id", "publicid": "audit.label.public_id", "awardid": "cycles.award", "awardslug": "cycles.award",
		"awardname": "cycles.award", "awardkind": "cycles.field.award_kind", "year": "cycles.field.year",
		"title": "cycles.field.title", "description": "cycles.field.description_nb", "descriptionnn": "cycles.field.description_nn",
		"descriptionen": "cycles.field.description_en", "calltext": "cycles.field.call_text",
		"calltextnn": "cycles.field.call_text_nn", "calltexten": "cycles.field.call_text_en", "phase": "cycles.phase",
		"eligiblekinds": "cycles.field.eligible_kinds", "maxnominationsperorg": "cycles.field.max_nominations_per_org",
		"maxprojects": "cycles.field.max_projects", "publishall": "cycles.field.publish_all",
		"callopensat": "cycles.field.call_opens_at", "nominationdeadline": "cycles.field.nomination_deadline",
		"scoringdeadline": "cycles.field.scoring_deadline", "announcementat": "cycles.field.announcement_at",
		"reminderdays": "cycles.field.reminder_days", "mode": "assignment.field.mode", "k": "assignment.field.k",
		"spreadcounties": "assignment.field.spread", "diplomasignature": "diplomas.signature.heading",
	},
	"criterion": {
		"id": "audit.label.id", "cycleid": "audit.field.cycle", "cyclepublicid": "audit.field.cycle",
		"namenb": "cycles.field.name_nb", "namenn": "cycles.field.name_nn", "nameen": "cycles.field.name_en",
		"helpnb": "cycles.field.help_nb", "helpnn": "cycles.field.help_nn", "helpen": "cycles.field.help_en",
		"weight": "cycles.field.weight", "scalemin": "cycles.field.scale_min", "scalemax": "cycles.field.scale_max",
		"scalestep": "cycles.field.scale_step", "position": "cycles.field.position", "roundid": "rounds.field.round",
	},
	"round": {
		"id": "audit.label.id", "cycleid": "audit.field.cycle", "cyclepublicid": "audit.field.cycle",
		"position": "cycles.field.position", "kind": "rounds.field.kind", "namenb": "cycles.field.name_nb",
		"namenn": "cycles.field.name_nn", "nameen": "cycles.field.name_en",
		"showsearlierresults": "rounds.field.shows_earlier_results", "scoringdeadline": "rounds.field.scoring_deadline",
		"closedat": "audit.label.round_closed_at", "current": "audit.label.round_current", "started": "audit.label.round_started",
		"jurors": "rounds.col.jurors", "nominations": "rounds.col.nominations", "seatids": "rounds.field.jurors",
	},
	"award": {
		"id": "audit.label.id", "slug": "cycles.field.slug", "namenb": "cycles.field.name_nb", "namenn": "cycles.field.name_nn",
		"nameen": "cycles.field.name_en", "descriptionnb": "cycles.field.description_nb",
		"descriptionnn": "cycles.field.description_nn", "descriptionen": "cycles.field.description_en",
		"ownerid": "cycles.field.owner", "ownername": "cycles.field.owner", "kind": "cycles.field.award_kind",
	},
	"attachment": {
		"projectid": "audit.entity.project", "publicid": "audit.label.public_id", "filename": "attachments.file_label",
		"contenttype": "audit.label.content_type", "size": "audit.label.size", "sha256": "audit.label.sha256",
		"alttext": "attachments.alt_text_label", "storagekey": "audit.label.storage_key",
	},
	"announcement": {
		"id": "audit.label.id", "cycleid": "audit.field.cycle", "kind": "publication.col.kind",
		"publishat": "publication.col.instant", "unpublishedat": "audit.label.unpublished_at",
		"unpublishreason": "audit.label.unpublish_reason",
	},
	"feedback": {"body": "deciding.feedback.body"},
	"decision": {"decisions": "publication.col.outcome", "reason": "audit.label.reason",
		// Advancing nominations to the next round.
		"round": "deciding.col.round", "position": "deciding.col.round", "nextround": "deciding.audit.next_round",
		"nominations": "deciding.ranking.rows", "finalists": "deciding.audit.finalists",
		"nextscoringdeadline": "deciding.advance.deadline"},
	"scores": {"jurorid": "audit.entity.juror", "submittedat": "audit.label.submitted_at", "cells": "audit.entity.scores",
		"excludedreason": "audit.label.excluded_reason", "reason": "audit.label.reason"},
	"jury_comment": {"nominationid": "audit.entity.nomination", "jurorid": "audit.entity.juror",
		"body": "audit.entity.jury_comment"},
}

// auditFieldLabel returns the label of entity's field, or "" when it has
// none (or its message is missing, which T shows as the message's ID).
func auditFieldLabel(l *i18n.Localizer, entity, field string) string {
	id, ok := auditFieldLabels[entity][strings.ToLower(strings.ReplaceAll(field, "_", ""))]
	if s := l.T(id); ok && s != id {
		return s
	}
	return ""
}
