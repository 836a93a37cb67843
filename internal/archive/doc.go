// Package archive is the public side of Heder: the archive of awards,
// their published years, winners, finalists and projects, the
// municipalities that took part, full-text search over all of it, and the
// feed and sitemap that announce it.
//
// Everything it shows comes through the embargo views public_nominations
// and published_outcomes (migrations/20261124130000_create_announcements),
// so nothing of a decision can be shown before its announcement's instant
// by the database clock: a cycle appears once something of it is public, a
// project once a public nomination links it, an attachment once its
// project is public and the file is marked public. Each read runs in one
// read-only, repeatable-read transaction, so that a page is the archive as
// it stood at one instant and never half before and half after an
// announcement.
//
// The Watcher tells caches when public answers may have changed: at once
// when anything they show is written (NOTIFY from triggers), and at the
// next scheduled announcement (Horizon).
package archive
