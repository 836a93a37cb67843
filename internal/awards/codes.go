package awards

import (
	"errors"
	"maps"
	"slices"
)

// Machine codes: what an API client reads to know why it was refused,
// stable while the texts beside them change with the language and the
// wording. Problem details carry one at the top ("code") and one per field
// ("codes"); the OpenAPI document lists them all (the Problem schema), and
// a test keeps that list equal to Codes().
//
// The top-level code is the error's Reason when it has one, else its
// class (Code: invalid, not_found, conflict, forbidden, …). A field's code
// comes from its message key through fieldCodes.

// Reasons of errors without fields, finer than their class. Set one in
// Error.Reason where such an error is made; a new one goes into reasons
// too, so that Codes (and the OpenAPI document) lists it.
const (
	// ReasonDeadlinePassed: the deadline for the change has passed.
	ReasonDeadlinePassed = "deadline_passed"
	// ReasonNotOpen: the cycle's phase does not take the change now.
	ReasonNotOpen = "not_open"
	// ReasonStaleVersion: someone saved the record after the caller read
	// it (the version sent is not the one stored).
	ReasonStaleVersion = "stale_version"
	// ReasonQuotaReached: a limit (nominations per organisation, projects
	// per nomination, files per project) is reached.
	ReasonQuotaReached = "quota_reached"
	// ReasonProgramme: the cycle is a programme's, which has no jury,
	// criteria, scores or decisions.
	ReasonProgramme = "programme_cycle"
	// ReasonNynorskMissing: the award's owner is a state body, bound by
	// språklova to publish the call in nynorsk too, and texts lack it.
	ReasonNynorskMissing = "nynorsk_missing"
	// ReasonFinalRound: the cycle's final round, which no nomination is
	// advanced out of.
	ReasonFinalRound = "final_round"
	// ReasonFirstRound: a cycle's round 1 stays; it cannot be deleted.
	ReasonFirstRound = "first_round"
	// ReasonRoundStarted: the round has started (it is the current one of
	// a cycle that is judging, or closed), so it stays and keeps its kind.
	ReasonRoundStarted = "round_started"
	// ReasonRoundClosed: the chair has closed the round; who served in it
	// stays as it was.
	ReasonRoundClosed = "round_closed"
)

var reasons = []string{ReasonDeadlinePassed, ReasonNotOpen, ReasonStaleVersion, ReasonQuotaReached, ReasonProgramme,
	ReasonNynorskMissing, ReasonFinalRound, ReasonFirstRound, ReasonRoundStarted, ReasonRoundClosed}

// classes are the error codes, which are also the top-level machine codes
// of errors without a Reason.
var classes = []string{EInvalid, ENotFound, EConflict, EForbidden, EUnauthenticated, EUnavailable, EInternal}

// fieldCodes maps every message key that may stand in Error.Fields to its
// machine code. A new key gets its code here, in its area's block: reuse a
// code when a client would react the same way (required, too_long,
// invalid_format, invalid_choice, out_of_range, …), make a new one when it
// would not. TestFieldCodes fails for an error key of the message catalog
// that has none.
var fieldCodes = map[string]string{
	// Forms in general.
	"form.required":            "required",
	"form.error.too_long":      "too_long",
	"form.error.type":          "wrong_type",
	"form.error.unknown_field": "unknown_field",
	"form.error.choice":        "invalid_choice",

	// Organisations and members.
	"orgs.error.orgnr":               "invalid_format",
	"orgs.error.email_domain":        "invalid_format",
	"orgs.error.email":               "invalid_format",
	"orgs.error.language":            "invalid_choice",
	"orgs.error.role":                "invalid_choice",
	"orgs.error.user":                "required",
	"orgs.error.no_such_user":        "unknown_reference",
	"orgs.error.former":              "organisation_replaced",
	"orgs.error.orgnr_check_digit":   "invalid_check_digit",
	"orgs.error.orgnr_taken":         "already_exists",
	"orgs.error.kind":                "invalid_choice",
	"orgs.error.parent_required":     "required",
	"orgs.error.parent_municipality": "invalid_parent",
	"orgs.error.parent_ministry":     "invalid_parent",
	"orgs.error.parent_none":         "invalid_parent",
	"orgs.error.parent_unknown":      "unknown_reference",

	// Awards, cycles and criteria.
	"cycles.error.copy_exists":      "already_exists",
	"cycles.error.slug_taken":       "already_exists",
	"cycles.error.year_taken":       "already_exists",
	"cycles.error.criteria_locked":  "locked",
	"cycles.error.slug_fixed":       "locked",
	"cycles.error.award_kind_fixed": "locked",
	"cycles.error.award_kind":       "invalid_choice",
	"cycles.error.date_order":       "wrong_order",
	"cycles.error.scale_order":      "wrong_order",
	"cycles.error.datetime":         "invalid_format",
	"cycles.error.rfc3339":          "invalid_format",
	"cycles.error.integer":          "invalid_format",
	"cycles.error.number":           "invalid_format",
	"cycles.error.slug":             "invalid_format",
	"cycles.error.kinds":            "required",
	"cycles.error.max_nominations":  "out_of_range",
	"cycles.error.max_projects":     "out_of_range",
	"cycles.error.reminder_days":    "out_of_range",
	"cycles.error.position":         "out_of_range",
	"cycles.error.scale_points":     "out_of_range",
	"cycles.error.scale_step":       "out_of_range",
	"cycles.error.scale_value":      "out_of_range",
	"cycles.error.weight":           "out_of_range",
	"cycles.error.year":             "out_of_range",
	"cycles.error.owner":            "unknown_reference",
	"cycles.error.owner_not_yours":  "not_allowed",
	"cycles.error.nynorsk_missing":  "required",

	// Rounds of judging.
	"rounds.error.kind":           "invalid_choice",
	"rounds.error.kind_fixed":     "locked",
	"rounds.error.has_criteria":   "has_criteria",
	"rounds.error.deadline_past":  "in_past",
	"rounds.error.deadline_order": "wrong_order",
	"rounds.error.seat":           "unknown_reference",
	"rounds.error.round":          "unknown_reference",
	"rounds.error.ranked_vote":    "not_allowed",
	"rounds.error.too_many":       ReasonQuotaReached,
	"rounds.error.first_round":    ReasonFirstRound,
	"rounds.error.started":        ReasonRoundStarted,
	"rounds.error.closed":         ReasonRoundClosed,

	// Award owners and their admins.
	"owners.error.organisation":    "unknown_reference",
	"owners.error.already_owner":   "already_exists",
	"owners.error.no_user":         "unknown_reference",
	"owners.error.already_admin":   "already_exists",
	"owners.error.retention_range": "out_of_range",
	"diplomas.error.name_required": "required",
	"diplomas.error.lang":          "invalid_choice",
	"noark.error.not_published":    "wrong_state",
	"cycles.error.phase":           "invalid_choice",
	"cycles.error.move":            "wrong_state",
	"cycles.error.not_announced":   "not_announced",
	"cycles.error.phase_changed":   "stale_version",
	"cycles.error.text":            "invalid_characters",

	// Nominations and projects.
	"nominations.error.already_linked":       "already_linked",
	"nominations.error.already_nominee":      "already_nominee",
	"nominations.error.challenge":            "invalid_choice",
	"nominations.error.owner":                "invalid_choice",
	"nominations.error.choose_org":           "required",
	"nominations.error.measure_label":        "required",
	"nominations.error.reason":               "required",
	"nominations.error.extension_reason":     "required",
	"nominations.error.extension_past":       "out_of_range",
	"nominations.error.extension_deadline":   "wrong_order",
	"nominations.error.version":              "required",
	"nominations.error.closed":               ReasonDeadlinePassed,
	"nominations.error.not_open":             ReasonNotOpen,
	"nominations.error.stale":                ReasonStaleVersion,
	"nominations.error.limit":                ReasonQuotaReached,
	"nominations.error.max_projects":         ReasonQuotaReached,
	"nominations.error.date":                 "invalid_format",
	"nominations.error.email":                "invalid_format",
	"nominations.error.link":                 "invalid_format",
	"nominations.error.measure_value":        "invalid_format",
	"nominations.error.measure_negative":     "out_of_range",
	"nominations.error.period_order":         "wrong_order",
	"nominations.error.form":                 "unreadable",
	"nominations.error.incomplete":           "incomplete",
	"nominations.error.last_nominee":         "last_nominee",
	"nominations.error.link_or_create":       "mutually_exclusive",
	"nominations.error.nominee_has_projects": "has_projects",
	"nominations.error.not_member":           "not_member",
	"nominations.error.org_not_eligible":     "not_eligible",
	"nominations.error.project_unknown":      "unknown_reference",
	"nominations.error.unknown_org":          "unknown_reference",
	"nominations.error.status":               "wrong_state",
	"nominations.error.text":                 "invalid_characters",
	"nominations.error.too_many":             "too_many",
	// Joint entries.
	"nominations.error.already_invited":   "already_invited",
	"nominations.error.too_many_orgs":     "too_many",
	"nominations.error.lead_only":         "lead_only",
	"nominations.error.lead_stays":        "lead_stays",
	"nominations.error.not_nominee":       "not_nominee",
	"nominations.error.remove_own":        "not_member",
	"nominations.error.invited_only":      "not_member",
	"nominations.error.not_owner":         "not_owner",
	"nominations.error.invitation_ended":  "invitation_not_pending",
	"nominations.error.invitation_lapsed": ReasonDeadlinePassed,
	"joint.error.decision":                "invalid_choice",

	// Attachments.
	"attachments.error.no_file":   "required",
	"attachments.error.alt_text":  "required",
	"attachments.error.empty":     "empty_file",
	"attachments.error.type":      "unsupported_type",
	"attachments.error.too_large": "too_large",
	"attachments.error.too_many":  ReasonQuotaReached,
	"attachments.error.multipart": "unreadable",

	// The jury and its invitations.
	"jury.error.name":               "required",
	"jury.error.chair_required":     "required",
	"jury.error.choose":             "required",
	"jury.error.reason_required":    "required",
	"jury.error.email":              "invalid_format",
	"jury.error.already_juror":      "already_juror",
	"jury.error.already_seated":     "already_juror",
	"jury.error.already_invited":    "already_invited",
	"jury.error.chair_taken":        "chair_taken",
	"jury.error.chair_invited":      "chair_taken",
	"jury.error.chair_seated":       "chair_taken",
	"jury.error.unknown_org":        "unknown_reference",
	"jury.error.duplicate":          "duplicate",
	"jury.error.automatic":          "conflict_of_interest",
	"jury.error.none_and_answers":   "mutually_exclusive",
	"jury.error.invitation_unknown": "invitation_unknown",
	"jury.error.invitation_expired": "invitation_expired",
	"jury.error.invitation_revoked": "invitation_revoked",
	"jury.error.invitation_used":    "invitation_used",
	"jury.error.invitation_taken":   "invitation_taken",
	"jury.error.removed":            "removed",
	"jury.error.already_removed":    "removed",
	"jury.error.published":          "already_published",
	"jury.error.acceptor_removed":   "removed",
	"jury.error.acceptor_seated":    "already_juror",
	"jury.error.awaiting":           "awaiting_confirmation",
	"jury.error.confirmed":          "already_confirmed",
	"jury.error.not_accepted":       "not_accepted",

	// Assignment of nominations to jurors.
	"assignment.error.cells":             "required",
	"assignment.error.conflict_declared": "conflict_of_interest",
	"assignment.error.conflict_member":   "conflict_of_interest",
	"assignment.error.duplicate":         "duplicate",
	"assignment.error.juror":             "unknown_reference",
	"assignment.error.nomination":        "unknown_reference",
	"assignment.error.k":                 "out_of_range",
	"assignment.error.mode":              "invalid_choice",
	"assignment.error.state":             "invalid_choice",
	"assignment.error.mode_all":          "wrong_state",
	"assignment.error.not_declared":      "conflicts_not_declared",
	"assignment.error.published":         "already_published",
	"assignment.error.bid":               "invalid_choice",
	"assignment.error.bid_nomination":    "unknown_reference",
	"assignment.error.bid_conflict":      "conflict_of_interest",
	"assignment.error.bidding_closed":    ReasonNotOpen,

	// Scoring.
	"scoring.error.closed":              ReasonNotOpen,
	"scoring.error.deadline":            ReasonDeadlinePassed,
	"scoring.error.conflict":            ReasonStaleVersion,
	"scoring.error.criterion":           "unknown_reference",
	"scoring.error.juror":               "unknown_reference",
	"scoring.error.project":             "unknown_reference",
	"scoring.error.duplicate":           "duplicate",
	"scoring.error.form":                EInvalid,
	"scoring.error.incomplete":          "incomplete",
	"scoring.error.missing":             "required",
	"scoring.error.none":                "required",
	"scoring.error.project_required":    "required",
	"scoring.error.project_not_allowed": "not_allowed",
	"scoring.error.not_submitted":       "not_submitted",
	"scoring.error.submitted":           "already_submitted",
	"scoring.error.number":              "invalid_format",
	"scoring.error.scale":               "out_of_range",
	"scoring.error.step":                "out_of_range",
	"scoring.error.text":                "invalid_characters",

	// A round's ranked vote.
	"voting.error.not_declared":    "conflicts_not_declared",
	"voting.error.not_ranked_vote": "wrong_state",
	"voting.error.not_current":     ReasonNotOpen,
	"voting.error.not_serving":     "not_in_round",
	"voting.error.closed":          ReasonNotOpen,
	"voting.error.deadline":        ReasonDeadlinePassed,
	"voting.error.submitted":       "already_submitted",
	"voting.error.not_submitted":   "not_submitted",
	"voting.error.empty":           "required",
	"voting.error.not_chair":       "not_chair",
	"voting.error.nomination":      "unknown_reference",
	"voting.error.conflict":        "conflict_of_interest",
	"voting.error.duplicate":       "duplicate",
	"voting.error.rank":            "out_of_range",
	"voting.error.juror":           "unknown_reference",
	"voting.error.form":            EInvalid,

	// The jury's decision and feedback.
	"deciding.error.title":               EForbidden,
	"deciding.error.not_chair":           "not_chair",
	"deciding.error.not_declared":        "conflicts_not_declared",
	"deciding.error.closed":              ReasonNotOpen,
	"deciding.error.announced":           "already_published",
	"deciding.error.outcome":             "invalid_choice",
	"deciding.error.nomination":          "not_eligible",
	"deciding.error.duplicate":           "duplicate",
	"deciding.error.statement_required":  "required",
	"deciding.error.reason_required":     "required",
	"deciding.error.winner_not_finalist": "not_finalist",
	"deciding.error.feedback_too_long":   "too_long",
	"deciding.error.final_round":         ReasonFinalRound,
	"deciding.error.round_stale":         ReasonStaleVersion,
	"deciding.error.not_judging":         ReasonNotOpen,
	"deciding.error.advance_none":        "required",
	"deciding.error.advance_nomination":  "not_eligible",
	"deciding.error.advance_conflict":    "conflict_of_interest",
	"deciding.error.advance_reason":      "required",
	"deciding.error.advance_deadline":    ReasonDeadlinePassed,

	// Publication.
	"publication.error.confirm":            "required",
	"publication.error.instant_required":   "required",
	"publication.error.reason_required":    "required",
	"publication.error.datetime":           "invalid_format",
	"publication.error.kind":               "invalid_choice",
	"publication.error.exists":             "already_exists",
	"publication.error.published":          "already_published",
	"publication.error.finalists_late_now": "already_published",
	"publication.error.finalists_late":     "wrong_order",
	"publication.error.winners_first":      "wrong_order",
	"publication.error.winners_first_now":  "wrong_order",
	"publication.error.nothing_finalists":  "nothing_to_publish",
	"publication.error.nothing_winners":    "nothing_to_publish",
	"publication.error.now_or_instant":     "mutually_exclusive",
	"publication.error.past":               "in_past",
	"publication.error.unpublished":        "wrong_state",

	// Exports.
	"exports.error.eligibility_conflict": ReasonStaleVersion,
	"exports.error.id":                   "invalid_choice",
	"exports.error.status":               "invalid_choice",
	"exports.error.page":                 "out_of_range",

	// The public archive.
	"archive.error.query_too_long":      "too_long",
	"archive.error.query_invalid":       "invalid_characters",
	"archive.error.query_negative_only": "invalid_format",
	"archive.error.year":                "invalid_choice",
	"archive.error.county":              "invalid_choice",
	"archive.error.challenge":           "invalid_choice",
	"archive.error.page":                "out_of_range",
	"archive.error.per_page":            "out_of_range",

	// The audit log's filter.
	"audit.error.cycle":        "unknown_reference",
	"audit.error.nomination":   "unknown_reference",
	"audit.error.actor":        "unknown_reference",
	"audit.error.actor_format": "invalid_format",
	"audit.error.action":       "invalid_format",
	"audit.error.date":         "invalid_format",
	"audit.error.date_order":   "wrong_order",
	"audit.error.after":        "invalid_format",
}

// FieldCode returns the machine code of a field's message key; invalid
// for a key without one (which TestFieldCodes keeps from happening).
func FieldCode(key string) string {
	if c, ok := fieldCodes[key]; ok {
		return c
	}
	return EInvalid
}

// Codes returns every machine code, sorted: the classes, the reasons and
// the fields' codes.
func Codes() []string {
	set := map[string]bool{}
	for _, c := range slices.Concat(classes, reasons, slices.Collect(maps.Values(fieldCodes))) {
		set[c] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// ErrorReason returns the top-level machine code of err: the Reason of
// the first *Error in its chain, else its class.
func ErrorReason(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Reason != "" {
		return e.Reason
	}
	return ErrorCode(err)
}
