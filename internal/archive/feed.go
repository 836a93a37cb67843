package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Announcement is what of a cycle became public at one instant: the
// finalists in April, the winners with honourable mentions, the jury's
// statements and, where the cycle says so, every application in June.
type Announcement struct {
	Cycle CycleRef
	At    time.Time
	// Kind is "finalists" or "winners".
	Kind       string
	Winners    []Entry
	Finalists  []Entry
	Honourable []Entry
	// Applications counts the other applications published with it.
	Applications int
}

// feedSize is how many announcements a feed holds.
const feedSize = 50

// Feed returns the latest announcements, newest first: of every award
// when slug is "", else of that award (ENotFound for an unknown one, whose
// Award it also returns). The announcements are read off the embargo
// views: the finalists' at the first instant the cycle's finalists were
// public, the winners' (once any winner or honourable mention is public)
// at the latest instant anything of the cycle became public.
func (s *Service) Feed(ctx context.Context, slug string) (*Award, []Announcement, error) {
	var award *Award
	var out []Announcement
	err := s.read(ctx, func(ctx context.Context, tx bun.Tx) error {
		where, args := `pn.outcome IS NOT NULL`, []any{}
		others := `SELECT a.slug, c.year, max(pn.published_at) AS published_at, count(*) AS n FROM public_nominations pn
			JOIN cycles c ON c.id = pn.cycle_id JOIN awards a ON a.id = c.award_id WHERE pn.outcome IS NULL`
		if slug != "" {
			a, err := getAward(ctx, tx, slug)
			if err != nil {
				return err
			}
			aw := a.award()
			award = &aw
			where, args = where+` AND c.award_id = $1`, append(args, a.ID)
			others += ` AND c.award_id = $1`
		}
		entries, err := loadEntries(ctx, tx, withNominees, where, args...)
		if err != nil {
			return err
		}
		var counts []struct {
			Slug        string    `bun:"slug"`
			Year        int       `bun:"year"`
			PublishedAt time.Time `bun:"published_at"`
			N           int       `bun:"n"`
		}
		if err := query(ctx, tx, &counts, others+` GROUP BY a.slug, c.year`, args...); err != nil {
			return postgres.Map("count published applications", err)
		}
		type key struct {
			slug string
			year int
		}
		type cycleNews struct {
			ref                    CycleRef
			entries                []Entry
			first, last            time.Time
			applications           int
			winnersOut, finalistOK bool
		}
		var order []key
		byCycle := map[key]*cycleNews{}
		for _, e := range entries {
			k := key{e.Cycle.AwardSlug, e.Cycle.Year}
			c := byCycle[k]
			if c == nil {
				c = &cycleNews{ref: e.Cycle, first: e.PublishedAt, last: e.PublishedAt}
				byCycle[k] = c
				order = append(order, k)
			}
			c.entries = append(c.entries, e)
			if e.PublishedAt.After(c.last) {
				c.last = e.PublishedAt
			}
			switch e.Outcome {
			case Winner, HonourableMention:
				c.winnersOut = true
			}
			if (e.Outcome == Finalist || e.Outcome == Winner) && (!c.finalistOK || e.PublishedAt.Before(c.first)) {
				c.first, c.finalistOK = e.PublishedAt, true
			}
		}
		for _, n := range counts {
			if c := byCycle[key{n.Slug, n.Year}]; c != nil {
				c.applications = n.N
				if n.PublishedAt.After(c.last) {
					c.last = n.PublishedAt
				}
			}
		}
		for _, k := range order {
			c := byCycle[k]
			if c.finalistOK && (!c.winnersOut || c.first.Before(c.last)) {
				a := Announcement{Cycle: c.ref, At: c.first, Kind: "finalists"}
				for _, e := range c.entries {
					// The finalists as they were announced: those public
					// since then (a winner-to-be among them, where the
					// views show one as a finalist), without statements.
					if (e.Outcome == Finalist || e.Outcome == Winner) && e.PublishedAt.Equal(c.first) {
						e.Outcome, e.Statement = Finalist, Texts{}
						a.Finalists = append(a.Finalists, e)
					}
				}
				out = append(out, a)
			}
			if c.winnersOut {
				a := Announcement{Cycle: c.ref, At: c.last, Kind: "winners", Applications: c.applications}
				for _, e := range c.entries {
					switch e.Outcome {
					case Winner:
						a.Winners = append(a.Winners, e)
					case Finalist:
						a.Finalists = append(a.Finalists, e)
					case HonourableMention:
						a.Honourable = append(a.Honourable, e)
					}
				}
				out = append(out, a)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, wrap("read feed", err)
	}
	sortAnnouncements(out)
	if len(out) > feedSize {
		out = out[:feedSize]
	}
	return award, out, nil
}

func sortAnnouncements(as []Announcement) {
	// Newest first; at the same instant, by award and year.
	slices.SortStableFunc(as, func(a, b Announcement) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		if c := strings.Compare(a.Cycle.AwardSlug, b.Cycle.AwardSlug); c != 0 {
			return c
		}
		if a.Cycle.Year != b.Cycle.Year {
			return b.Cycle.Year - a.Cycle.Year
		}
		return strings.Compare(b.Kind, a.Kind) // the winners before the finalists
	})
}

// SitemapURL is a public page's path with when it last changed (zero
// when unknown).
type SitemapURL struct {
	Path    string
	Updated time.Time
}

// SitemapPartSize is how many URLs one part of the sitemap lists: well
// below the protocol's 50,000, since each comes with its three languages
// (about 5 MB a part).
const SitemapPartSize = 10000

// sitemapSQL lists the archive's public pages: the list of awards, every
// award, every public year (also one of the award's history that has
// facts and no outcome), every organisation with public nominations
// (and what each is part of today, whose page lists them too) and every
// public project.
var sitemapSQL = currentOf(`SELECT x.organisation_id FROM nomination_organisations x
		JOIN public_nominations xpn ON xpn.nomination_id = x.nomination_id`) + `,
	pages(sort, path, updated) AS (
		SELECT 0, '/priser', (SELECT max(published_at) FROM public_nominations)
		UNION ALL
		SELECT 1, '/priser/' || a.slug, (SELECT max(pn.published_at) FROM public_nominations pn JOIN cycles c ON c.id = pn.cycle_id
			WHERE c.award_id = a.id) FROM awards a
		UNION ALL
		SELECT 2, '/priser/' || a.slug || '/' || c.year, max(pn.published_at)
			FROM cycles c JOIN awards a ON a.id = c.award_id LEFT JOIN public_nominations pn ON pn.cycle_id = c.id
			WHERE pn.nomination_id IS NOT NULL OR EXISTS (SELECT 1 FROM history_facts f WHERE f.cycle_id = c.id)
			GROUP BY a.slug, c.year
		UNION ALL
		SELECT 3, '/kommuner/' || o.id, max(pn.published_at)
			FROM public_nominations pn JOIN nomination_organisations x ON x.nomination_id = pn.nomination_id
			LEFT JOIN current_of cur ON cur.start = x.organisation_id
			CROSS JOIN LATERAL (SELECT x.organisation_id AS id UNION SELECT cur.id WHERE cur.id IS NOT NULL) o
			GROUP BY o.id
		UNION ALL
		SELECT 4, '/prosjekter/' || p.public_id, max(pn.published_at)
			FROM public_nominations pn JOIN nomination_projects np ON np.nomination_id = pn.nomination_id
			JOIN projects p ON p.id = np.project_id GROUP BY p.public_id)`

// SitemapParts returns how many parts the sitemap has (at least one).
func (s *Service) SitemapParts(ctx context.Context) (int, error) {
	var n int
	err := s.read(ctx, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw(sitemapSQL+` SELECT count(*) FROM pages`).Scan(ctx, &n)
	})
	if err != nil {
		return 0, postgres.Map("count sitemap pages", err)
	}
	return max(1, (n+SitemapPartSize-1)/SitemapPartSize), nil
}

// Sitemap returns part (from 1) of the sitemap's pages. Returns ENotFound
// for a part past the last (the first always exists).
func (s *Service) Sitemap(ctx context.Context, part int) ([]SitemapURL, error) {
	var rows []struct {
		Path    string     `bun:"path"`
		Updated *time.Time `bun:"updated"`
	}
	if part < 1 {
		return nil, errNotFound("sitemap part")
	}
	err := s.read(ctx, func(ctx context.Context, tx bun.Tx) error {
		return query(ctx, tx, &rows, sitemapSQL+` SELECT path, updated FROM pages ORDER BY sort, path LIMIT $1 OFFSET $2`,
			SitemapPartSize, (part-1)*SitemapPartSize)
	})
	if err != nil {
		return nil, postgres.Map("list sitemap pages", err)
	}
	if len(rows) == 0 && part > 1 {
		return nil, errNotFound("sitemap part")
	}
	out := make([]SitemapURL, len(rows))
	for i, r := range rows {
		out[i].Path = r.Path
		if r.Updated != nil {
			out[i].Updated = *r.Updated
		}
	}
	return out, nil
}

// File returns the public attachment fileID of the public project
// projectID and a reader of its bytes, which the caller must close.
// Returns ENotFound for a file that is not public, also when it exists.
func (s *Service) File(ctx context.Context, projectID, fileID string) (File, io.ReadCloser, error) {
	var r fileRow
	err := s.read(ctx, func(ctx context.Context, tx bun.Tx) error {
		return queryRow(ctx, tx, &r, `SELECT f.project_id, p.public_id AS project_public_id, f.public_id, f.filename, f.content_type, f.size,
				f.alt_text, f.sha256, f.storage_key
			FROM attachments f JOIN projects p ON p.id = f.project_id
			WHERE f.public_id = $1 AND p.public_id = $2 AND f.public AND `+projectIsPublic, fileID, projectID)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, nil, errNotFound("file")
	}
	if err != nil {
		return File{}, nil, postgres.Map("get public file", err)
	}
	body, err := s.store.Open(ctx, r.StorageKey)
	if err != nil {
		return File{}, nil, fmt.Errorf("open public file %s: %w", r.PublicID, err)
	}
	return r.file(), body, nil
}
