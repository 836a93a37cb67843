package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// seed is what the bench set up in the database.
type seed struct {
	CycleID        int64  `json:"-"`
	CyclePublicID  string `json:"cycle"`
	Municipalities int    `json:"municipalities"`
	OtherOrgs      int    `json:"other_organisations"`
}

// seedBench adds, in one transaction, a bench award with one open cycle
// (deadline two hours ahead, municipalities and kind "other" eligible,
// one nomination per organisation) and n users bench-1 … bench-n, each
// the one submitter of its own organisation: the current municipalities
// first, then made-up organisations of kind "other" for the rest. One
// user per organisation and a limit of one make "stored exactly once"
// checkable: a second nomination from anyone would be refused, and shows
// in the check as an organisation with two.
func seedBench(ctx context.Context, db *postgres.DB, issuer string, n int) (seed, error) {
	var s seed
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var award int64
		err := tx.NewRaw(`
			INSERT INTO awards (slug, name_nb, name_nn, name_en, description)
			VALUES ('fristrush', 'Fristrush', 'Fristrush', 'Deadline rush', 'Lasttest: mange innsendere rett før fristen.')
			ON CONFLICT (slug) DO UPDATE SET name_nb = EXCLUDED.name_nb RETURNING id`).Scan(ctx, &award)
		if err != nil {
			return fmt.Errorf("bench award: %w", err)
		}
		err = tx.NewRaw(`
			INSERT INTO cycles (award_id, year, title, phase, eligible_kinds, max_nominations_per_org, max_projects,
				call_opens_at, nomination_deadline)
			VALUES (?, extract(year FROM now())::int, 'Fristrush', 'open', '{municipality,other}', 1, 3,
				now() - interval '30 days', now() + interval '2 hours')
			RETURNING id, public_id`, award).Scan(ctx, &s.CycleID, &s.CyclePublicID)
		if err != nil {
			return fmt.Errorf("bench cycle: %w", err)
		}
		var orgs []int64
		if err := tx.NewRaw(`SELECT id FROM organisations WHERE kind = 'municipality' AND valid_to IS NULL
			ORDER BY number LIMIT ?`, n).Scan(ctx, &orgs); err != nil {
			return fmt.Errorf("municipalities: %w", err)
		}
		s.Municipalities = len(orgs)
		for i := len(orgs); i < n; i++ {
			var id int64
			err := tx.NewRaw(`INSERT INTO organisations (kind, name) VALUES ('other', ?) RETURNING id`,
				fmt.Sprintf("Testorganisasjon %03d", i-s.Municipalities+1)).Scan(ctx, &id)
			if err != nil {
				return fmt.Errorf("bench organisation: %w", err)
			}
			orgs = append(orgs, id)
			s.OtherOrgs++
		}
		for i, org := range orgs {
			name := fmt.Sprintf("bench-%d", i+1)
			var user int64
			err := tx.NewRaw(`
				INSERT INTO users (issuer, subject, name, email, email_verified) VALUES (?, ?, ?, ?, true)
				ON CONFLICT (issuer, subject) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
				issuer, name, fmt.Sprintf("Testbruker %d", i+1), name+"@example.org").Scan(ctx, &user)
			if err != nil {
				return fmt.Errorf("bench user %s: %w", name, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (user_id, organisation_id, role, source)
				VALUES (?, ?, 'submitter', 'demo') ON CONFLICT DO NOTHING`, user, org); err != nil {
				return fmt.Errorf("bench membership %s: %w", name, err)
			}
		}
		return nil
	})
	return s, err
}

// verification is what the database holds after the rush.
type verification struct {
	Nominations        int      `json:"nominations"`
	Submitted          int      `json:"submitted"`
	Complete           int      `json:"complete"` // submitted, every field filled, 2 projects, 1 attachment of the right bytes, version 1+saves
	DistinctSubmitters int      `json:"distinct_submitters"`
	DuplicateOrgs      int      `json:"organisations_with_more_than_one"`
	DuplicateUsers     int      `json:"users_with_more_than_one"`
	FilesOnDisk        int      `json:"files_on_disk"`
	Problems           []string `json:"problems,omitempty"`
	OK                 bool     `json:"ok"`
}

// verify checks that every submitter's nomination is stored exactly once
// and complete. files tells whether a storage key's bytes are on disk.
func verify(ctx context.Context, db *postgres.DB, s seed, n, saves, projects int, size int64, sha string, files func(key string) (int64, bool)) (verification, error) {
	var v verification
	type row struct {
		ID          int64      `bun:"id"`
		CreatedBy   string     `bun:"subject"`
		Status      string     `bun:"status"`
		Version     int        `bun:"version"`
		Filled      bool       `bun:"filled"`
		SubmittedAt *time.Time `bun:"submitted_at"`
		Projects    int        `bun:"projects"`
		ProjectsOK  int        `bun:"projects_ok"`
		Attachments []string   `bun:"attachments,array"`
	}
	var rows []row
	err := db.NewRaw(`
		SELECT n.id, u.subject, n.status, n.version, n.submitted_at,
			(n.title <> '' AND n.summary <> '' AND n.challenge <> '' AND n.contact_name <> '' AND n.contact_email <> '') AS filled,
			(SELECT count(*) FROM nomination_projects np WHERE np.nomination_id = n.id) AS projects,
			(SELECT count(*) FROM nomination_projects np JOIN projects p ON p.id = np.project_id
				WHERE np.nomination_id = n.id AND p.title <> '' AND p.description <> '' AND p.results <> '' AND p.version = 2) AS projects_ok,
			ARRAY(SELECT a.size || ' ' || a.sha256 || ' ' || a.storage_key FROM nomination_projects np
				JOIN attachments a ON a.project_id = np.project_id WHERE np.nomination_id = n.id) AS attachments
		FROM nominations n JOIN users u ON u.id = n.created_by
		WHERE n.cycle_id = ? ORDER BY n.id`, s.CycleID).Scan(ctx, &rows)
	if err != nil {
		return v, fmt.Errorf("read nominations: %w", err)
	}
	problem := func(format string, args ...any) {
		if len(v.Problems) < 20 {
			v.Problems = append(v.Problems, fmt.Sprintf(format, args...))
		}
	}
	perUser := map[string]int{}
	for _, r := range rows {
		v.Nominations++
		perUser[r.CreatedBy]++
		if r.Status == "submitted" && r.SubmittedAt != nil {
			v.Submitted++
		}
		ok := r.Status == "submitted" && r.Filled && r.Version == 1+saves && r.Projects == projects && r.ProjectsOK == projects &&
			len(r.Attachments) == 1
		if ok {
			f := strings.Fields(r.Attachments[0])
			if len(f) != 3 || f[0] != fmt.Sprint(size) || f[1] != sha {
				ok = false
				problem("nomination %d (%s): attachment %q is not the file sent", r.ID, r.CreatedBy, r.Attachments[0])
			} else if got, found := files(f[2]); !found || got != size {
				ok = false
				problem("nomination %d (%s): attachment bytes missing on disk (found %v, %d bytes)", r.ID, r.CreatedBy, found, got)
			} else {
				v.FilesOnDisk++
			}
		} else {
			problem("nomination %d (%s): status %s, version %d, filled %v, %d/%d good projects, %d attachments",
				r.ID, r.CreatedBy, r.Status, r.Version, r.Filled, r.ProjectsOK, r.Projects, len(r.Attachments))
		}
		if ok {
			v.Complete++
		}
	}
	v.DistinctSubmitters = len(perUser)
	for u, c := range perUser {
		if c > 1 {
			v.DuplicateUsers++
			problem("%s created %d nominations", u, c)
		}
	}
	if err := db.NewRaw(`SELECT count(*) FROM (SELECT x.organisation_id FROM nomination_organisations x
		JOIN nominations n ON n.id = x.nomination_id WHERE n.cycle_id = ? GROUP BY 1 HAVING count(*) > 1) d`,
		s.CycleID).Scan(ctx, &v.DuplicateOrgs); err != nil {
		return v, fmt.Errorf("count duplicates: %w", err)
	}
	if v.Nominations != n {
		problem("%d nominations stored, want %d", v.Nominations, n)
	}
	v.OK = v.Nominations == n && v.Submitted == n && v.Complete == n && v.DistinctSubmitters == n &&
		v.DuplicateOrgs == 0 && v.DuplicateUsers == 0
	return v, nil
}

// receipts is how far the receipt e-mails have come.
type receipts struct {
	Expected  int            `json:"expected"` // one per member of each submitted nomination's organisation
	Sent      int            `json:"sent"`     // receipt_mails rows
	Caught    int            `json:"caught"`   // caught_mails to bench users
	Jobs      map[string]int `json:"jobs"`     // River jobs by state
	DrainedIn string         `json:"drained_in"`
	AllCaught bool           `json:"all_caught"`
}

// drainReceipts waits up to max for the receipt jobs to finish: every
// expected receipt recorded and no job left to run.
func drainReceipts(ctx context.Context, db *postgres.DB, s seed, max time.Duration) (receipts, error) {
	var r receipts
	start := time.Now()
	for {
		err := db.NewRaw(`SELECT count(*) FROM nominations n JOIN nomination_organisations x ON x.nomination_id = n.id
			JOIN memberships m ON m.organisation_id = x.organisation_id JOIN users u ON u.id = m.user_id
			WHERE n.cycle_id = ? AND n.status = 'submitted' AND u.email <> ''`, s.CycleID).Scan(ctx, &r.Expected)
		if err != nil {
			return r, fmt.Errorf("count expected receipts: %w", err)
		}
		if err := db.NewRaw(`SELECT count(*) FROM receipt_mails rm JOIN nominations n ON n.id = rm.nomination_id
			WHERE n.cycle_id = ?`, s.CycleID).Scan(ctx, &r.Sent); err != nil {
			return r, fmt.Errorf("count receipts: %w", err)
		}
		if err := db.NewRaw(`SELECT count(*) FROM caught_mails WHERE recipient LIKE 'bench-%@example.org'`).Scan(ctx, &r.Caught); err != nil {
			return r, fmt.Errorf("count caught mail: %w", err)
		}
		var jobs []struct {
			State string `bun:"state"`
			N     int    `bun:"n"`
		}
		if err := db.NewRaw(`SELECT state, count(*) AS n FROM river_job WHERE kind = 'nomination_receipt'
			AND (args->>'nomination_id')::bigint IN (SELECT id FROM nominations WHERE cycle_id = ?) GROUP BY state`,
			s.CycleID).Scan(ctx, &jobs); err != nil {
			return r, fmt.Errorf("count jobs: %w", err)
		}
		r.Jobs = map[string]int{}
		for _, j := range jobs {
			r.Jobs[j.State] = j.N
		}
		r.AllCaught = r.Sent >= r.Expected && len(jobs) == 1 && jobs[0].State == "completed"
		if r.AllCaught || time.Since(start) > max {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	r.DrainedIn = time.Since(start).Round(100 * time.Millisecond).String()
	return r, nil
}

// statement is one line of pg_stat_statements.
type statement struct {
	Query   string  `json:"query" bun:"query"`
	Calls   int64   `json:"calls" bun:"calls"`
	TotalMS float64 `json:"total_ms" bun:"total_ms"`
	MeanMS  float64 `json:"mean_ms" bun:"mean_ms"`
	MaxMS   float64 `json:"max_ms" bun:"max_ms"`
	Rows    int64   `json:"rows" bun:"rows"`
}

func resetStatements(ctx context.Context, db *postgres.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`); err != nil {
		return fmt.Errorf("create pg_stat_statements: %w", err)
	}
	_, err := db.ExecContext(ctx, `SELECT pg_stat_statements_reset()`)
	return err
}

// topStatements returns the statements that took the most time in the
// database, with their text squeezed onto one line.
func topStatements(ctx context.Context, db *postgres.DB, limit int) ([]statement, error) {
	var out []statement
	err := db.NewRaw(`SELECT query, calls, total_exec_time AS total_ms, mean_exec_time AS mean_ms, max_exec_time AS max_ms, rows
		FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_%' ORDER BY total_exec_time DESC LIMIT ?`, limit).Scan(ctx, &out)
	for i := range out {
		out[i].Query = strings.Join(strings.Fields(out[i].Query), " ")
	}
	return out, err
}

// waitSampler counts, a few times a second, what the database's active
// backends are doing: running on CPU, or waiting for a lock, I/O or the
// client. Lock waits are where requests queue behind each other.
type waitSampler struct {
	mu      sync.Mutex
	counts  map[string]int
	samples int
}

func (w *waitSampler) run(ctx context.Context, db *postgres.DB, every time.Duration) {
	w.counts = map[string]int{}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var rows []struct {
			What string `bun:"what"`
			N    int    `bun:"n"`
		}
		err := db.NewRaw(`SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS what, count(*) AS n
			FROM pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()
			GROUP BY 1`).Scan(ctx, &rows)
		if err != nil {
			continue
		}
		w.mu.Lock()
		w.samples++
		for _, r := range rows {
			w.counts[r.What] += r.N
		}
		w.mu.Unlock()
	}
}

// waitShare is how many backends, on average, were in one state.
type waitShare struct {
	What    string  `json:"what"`
	Average float64 `json:"average_backends"`
}

func (w *waitSampler) result() []waitShare {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := []waitShare{}
	if w.samples == 0 {
		return out
	}
	for k, c := range w.counts {
		out = append(out, waitShare{What: k, Average: float64(c) / float64(w.samples)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Average > out[j].Average })
	return out
}
