package auditlog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/uptrace/bun"
)

// PageSize is how many entries a page holds.
const PageSize = 50

// Service reads the audit log.
type Service struct{ db bun.IDB }

// NewService returns a Service over db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// Query is a filter as people and scripts write it, each field optional:
// Cycle and Nomination are public IDs, Actor a user's id or "system",
// Action an action's name, From and To a date (YYYY-MM-DD, Europe/Oslo)
// or an RFC 3339 instant, both included (a date To takes in its whole
// day), After the id of the last entry of the previous page.
type Query struct {
	Cycle, Nomination, Actor, Action, From, To, After string
}

// Filter is a Query checked and resolved.
type Filter struct {
	CycleID, NominationID int64
	// ActorID is a user's id; System asks for entries with no actor.
	ActorID int64
	System  bool
	Action  string
	// From is included, To excluded; zero for open.
	From, To time.Time
	// After: only entries after this one in the log's order, newest
	// first (0 for the newest); afterAt is its time.
	After   int64
	afterAt time.Time
}

// Subject is what an entry is about, as far as it still exists: Kind is
// nomination, project, cycle, award, organisation or user; Ref its public
// ID, slug or id; Label its title or name.
type Subject struct{ Kind, Ref, Label string }

// Entry is an audit entry with the names people read it by.
type Entry struct {
	audit.Entry
	// ActorName is "" for system entries.
	ActorName string
	Subject   Subject
}

// Page is a page of entries, newest first (by time, then as written); Next is the After of the
// following page, 0 on the last.
type Page struct {
	Entries []Entry
	Next    int64
}

var actionPattern = regexp.MustCompile(`^[a-z][a-z_]{0,63}$`)

// resolve checks q and looks up its references; bad input is EInvalid
// with field message keys. An owner admin reads only the entries of a
// cycle they administer (or of one of its nominations): another owner's
// cycle or nomination is as unknown to them as one that does not exist,
// and without either they get their newest cycle's.
func (s *Service) resolve(ctx context.Context, actor *awards.Actor, q Query) (Filter, error) {
	var f Filter
	bad := map[string]string{}
	if v := strings.TrimSpace(q.Cycle); v != "" {
		err := s.db.NewRaw(`SELECT id FROM cycles WHERE public_id = ?`, v).Scan(ctx, &f.CycleID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return f, fmt.Errorf("find cycle %q: %w", v, err)
		}
		if f.CycleID == 0 || !actor.AdministersCycle(f.CycleID) {
			f.CycleID, bad["cycle"] = 0, "audit.error.cycle"
		}
	}
	if v := strings.TrimSpace(q.Nomination); v != "" {
		var cycleID int64
		err := s.db.QueryRowContext(ctx, `SELECT id, cycle_id FROM nominations WHERE public_id = ?`, v).Scan(&f.NominationID, &cycleID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return f, fmt.Errorf("find nomination %q: %w", v, err)
		}
		if f.NominationID == 0 || !actor.AdministersCycle(cycleID) {
			f.NominationID, bad["nomination"] = 0, "audit.error.nomination"
		}
	}
	if !actor.User.IsAdmin && f.CycleID == 0 && f.NominationID == 0 && len(bad) == 0 {
		f.CycleID = newestCycle(actor)
	}
	switch v := strings.TrimSpace(q.Actor); v {
	case "":
	case "system":
		f.System = true
	default:
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			bad["actor"] = "audit.error.actor_format"
			break
		}
		var n int
		if err := s.db.NewRaw(`SELECT count(*) FROM users WHERE id = ?`, id).Scan(ctx, &n); err != nil {
			return f, fmt.Errorf("find user %d: %w", id, err)
		}
		if n == 0 {
			bad["actor"] = "audit.error.actor"
		}
		f.ActorID = id
	}
	if v := strings.TrimSpace(q.Action); v != "" {
		if !actionPattern.MatchString(v) {
			bad["action"] = "audit.error.action"
		}
		f.Action = v
	}
	from, fromOK := instant(q.From, false)
	if !fromOK {
		bad["from"] = "audit.error.date"
	}
	to, toOK := instant(q.To, true)
	if !toOK {
		bad["to"] = "audit.error.date"
	}
	if fromOK && toOK && !from.IsZero() && !to.IsZero() && !to.After(from) {
		bad["to"] = "audit.error.date_order"
	}
	f.From, f.To = from, to
	if v := strings.TrimSpace(q.After); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err == nil && id > 0 {
			err = s.db.NewRaw(`SELECT at FROM audit_log WHERE id = ?`, id).Scan(ctx, &f.afterAt)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return f, fmt.Errorf("find audit entry %d: %w", id, err)
			}
		}
		if err != nil || id <= 0 {
			bad["after"] = "audit.error.after"
		}
		f.After = id
	}
	if len(bad) > 0 {
		return f, awards.Invalid(bad)
	}
	return f, nil
}

// instant reads a date in Europe/Oslo or an RFC 3339 instant; as an
// upper bound (end) it returns the first instant after it, so that the
// bound is included: the next day's midnight for a date. "" is zero.
func instant(s string, end bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	if d, err := time.ParseInLocation(time.DateOnly, s, i18n.Oslo()); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d, true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	if end {
		t = t.Add(time.Microsecond) // PostgreSQL keeps microseconds
	}
	return t, true
}

// where is the filter's conditions on l, with the arguments of their
// placeholders.
func (f Filter) where() (string, []any) {
	c := []string{"true"}
	var args []any
	if f.System {
		c = append(c, "l.actor_id IS NULL")
	} else if f.ActorID != 0 {
		c, args = append(c, "l.actor_id = ?"), append(args, f.ActorID)
	}
	if f.Action != "" {
		c, args = append(c, "l.action = ?"), append(args, f.Action)
	}
	if !f.From.IsZero() {
		c, args = append(c, "l.at >= ?"), append(args, f.From)
	}
	if !f.To.IsZero() {
		c, args = append(c, "l.at < ?"), append(args, f.To)
	}
	if f.After != 0 {
		c, args = append(c, "(l.at, l.id) < (?, ?)"), append(args, f.afterAt, f.After)
	}
	return strings.Join(c, " AND "), args
}

// newestFirst is the log's order: by time, then as written. Every index
// of audit_log ends in (at, id) to read a page in this order.
const newestFirst = " ORDER BY l.at DESC, l.id DESC"

// query is the statement listing the filter's entries newest first, at
// most limit (0 for all) of them, each with its actor and subject; the
// subject is looked up after the limit, for the page's rows only. A
// cycle's or nomination's entries are read from each entity of its scope
// (a page from each, through audit_log_entity_at) and merged, so the cost
// follows the size of the scope, not of the log.
func (f Filter) query(limit int) (string, []any) {
	where, args := f.where()
	lim := ""
	if limit > 0 {
		lim = " LIMIT " + strconv.Itoa(limit)
	}
	with, from := "", `(SELECT * FROM audit_log l WHERE `+where+newestFirst+lim+`) l`
	if f.CycleID != 0 || f.NominationID != 0 {
		with = "WITH " + scopeCTE(f.CycleID, f.NominationID) + "\n"
		// Only (at, id) until the page is chosen: read from the index
		// alone, without the entries' before and after.
		from = `(SELECT a.* FROM (SELECT l.at, l.id FROM scope s CROSS JOIN LATERAL (SELECT l.at, l.id FROM audit_log l
			WHERE l.entity = s.entity AND l.entity_id = s.id AND ` + where + newestFirst + lim + `) l` + newestFirst + lim + `) k
			JOIN audit_log a ON a.id = k.id) l`
	}
	q := with + `SELECT l.id, l.at, coalesce(l.actor_id, 0), coalesce(u.name, ''), l.action, l.entity, coalesce(l.entity_id, 0),
		coalesce(l.before, 'null'), coalesce(l.after, 'null'), coalesce(s.kind, ''), coalesce(s.ref, ''), coalesce(s.label, '')
	FROM ` + from + `
	LEFT JOIN users u ON u.id = l.actor_id
	LEFT JOIN LATERAL ` + subjectSQL + ` s ON true` + newestFirst
	return q, args
}

// List returns a page of the entries q asks for, newest first. Site
// admins, and owner admins for their cycles (EForbidden for others); EInvalid with field message keys
// for bad filter input.
func (s *Service) List(ctx context.Context, actor *awards.Actor, q Query) (Page, error) {
	if !policy.CanReadAuditLog(actor) {
		return Page{}, awards.Errorf(awards.EForbidden, "only admins read the audit log")
	}
	f, err := s.resolve(ctx, actor, q)
	if err != nil {
		return Page{}, err
	}
	var p Page
	err = s.each(ctx, f, PageSize+1, func(e Entry) error {
		p.Entries = append(p.Entries, e)
		return nil
	})
	if err != nil {
		return Page{}, err
	}
	if len(p.Entries) > PageSize {
		p.Entries = p.Entries[:PageSize]
		p.Next = p.Entries[PageSize-1].ID
	}
	return p, nil
}

// Export calls fn with every entry q asks for, newest first, as they are
// read: the log is not held in memory. As List, an
// error of fn ends the export and is returned.
func (s *Service) Export(ctx context.Context, actor *awards.Actor, q Query, fn func(Entry) error) error {
	if !policy.CanReadAuditLog(actor) {
		return awards.Errorf(awards.EForbidden, "only admins read the audit log")
	}
	f, err := s.resolve(ctx, actor, q)
	if err != nil {
		return err
	}
	return s.each(ctx, f, 0, fn)
}

func (s *Service) each(ctx context.Context, f Filter, limit int, fn func(Entry) error) error {
	q, args := f.query(limit)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("list audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Entry
		var before, after []byte
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.Entity, &e.EntityID, &before, &after,
			&e.Subject.Kind, &e.Subject.Ref, &e.Subject.Label); err != nil {
			return fmt.Errorf("read audit entry: %w", err)
		}
		e.Before, e.After = before, after
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list audit log: %w", err)
	}
	return nil
}

// newestCycle is the most recently created cycle the owner admin
// administers, -1 when there is none (an empty scope).
func newestCycle(actor *awards.Actor) int64 {
	newest := int64(-1)
	for _, g := range actor.Owners {
		for _, id := range g.Cycles {
			newest = max(newest, id)
		}
	}
	return newest
}
