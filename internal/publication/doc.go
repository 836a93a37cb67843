// Package publication owns a cycle's announcements: what of the jury's
// decision becomes public and when — the finalists at one instant, the
// winners with the jury's statements at another — scheduling, moving,
// publishing at once after a confirmation, and unpublishing with a
// reason. It previews the cycle's public view as of any instant, tells
// each nomination's submitters its outcome as it becomes public and
// releases the jury's written feedback to them once the winners are out
// (one query for the nomination's page, the API and its lists), and enqueues the e-mails to the nominees as River jobs
// scheduled at the announcement's instant (internal/notify sends them).
//
// The embargo itself lives in the database views published_outcomes and
// public_nominations; everything here that decides what a submitter or
// the public sees reads those views or the same rule by the database
// clock.
package publication
