package notify

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const testBaseURL = "https://heder.example.no"

// world is a cycle with a joint nomination by Asker (bokmål) and Træna
// (nynorsk), their members, and Bærum with a member of its own.
type world struct {
	db         *postgres.DB
	cycle      int64
	asker      int64
	traena     int64
	baerum     int64
	nomination int64
	publicID   string
	users      map[string]int64 // by name
}

// members of each organisation; siri belongs to both nominees, per has no
// e-mail address, and Bo's Bærum is not nominated.
var members = []struct{ name, email, org string }{
	{"kari", "kari@asker.kommune.no", "asker"},
	{"ola", "Ola@Asker.kommune.no", "asker"},
	{"per", "", "asker"},
	{"siri", "siri@example.org", "asker"},
	{"siri", "", "traena"},
	{"tore", "tore@traena.kommune.no", "traena"},
	{"bo", "bo@baerum.kommune.no", "baerum"},
}

// wantRecipients are the addresses that get the nomination's receipt.
var wantRecipients = []string{"Ola@Asker.kommune.no", "kari@asker.kommune.no", "siri@example.org", "tore@traena.kommune.no"}

// deadline is the cycle's nomination deadline: 1 March 2027 23.59 in Oslo.
var deadline = time.Date(2027, 3, 1, 22, 59, 0, 0, time.UTC)

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{db: pgtest.New(t), users: map[string]int64{}}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := w.db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	scan := func(dst any, q string, args ...any) {
		t.Helper()
		if err := w.db.QueryRowContext(ctx, q, args...).Scan(dst); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	orgs := map[string]*int64{"asker": &w.asker, "traena": &w.traena, "baerum": &w.baerum}
	for key, row := range map[string][2]string{"asker": {"Asker kommune", "nb"}, "traena": {"Træna kommune", "nn"}, "baerum": {"Bærum kommune", "nb"}} {
		scan(orgs[key], `INSERT INTO organisations (kind, name, language) VALUES ('municipality', ?, ?) RETURNING id`, row[0], row[1])
	}
	for _, m := range members {
		id, ok := w.users[m.name]
		if !ok {
			scan(&id, `INSERT INTO users (issuer, subject, name, email) VALUES ('https://idp.example', ?, ?, ?) RETURNING id`, m.name, m.name, m.email)
			w.users[m.name] = id
		}
		exec(`INSERT INTO memberships (user_id, organisation_id, role, source) VALUES (?, ?, 'submitter', 'admin')`, id, *orgs[m.org])
	}
	var award int64
	scan(&award, `INSERT INTO awards (slug, name_nb) VALUES ('kommunal-innovasjonspris', 'Kommunal innovasjonspris') RETURNING id`)
	scan(&w.cycle, `INSERT INTO cycles (award_id, year, title, phase, nomination_deadline) VALUES (?, 2027, 'Innovasjonsprisen 2027', 'open', ?) RETURNING id`, award, deadline)
	w.nomination, w.publicID = w.draft(t, "Løsningsjakten", w.asker, w.traena)
	for i, title := range []string{"Holmen svømmehall", "Asker velferdslab"} {
		var p int64
		scan(&p, `INSERT INTO projects (organisation_id, title) VALUES (?, ?) RETURNING id`, w.asker, title)
		exec(`INSERT INTO nomination_projects (nomination_id, project_id, position) VALUES (?, ?, ?)`, w.nomination, p, i)
	}
	return w
}

// draft creates a draft nomination by orgs and returns its ID and public ID.
func (w *world) draft(t *testing.T, title string, orgs ...int64) (int64, string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	var public string
	if err := w.db.QueryRowContext(ctx, `INSERT INTO nominations (cycle_id, title) VALUES (?, ?) RETURNING id, public_id`, w.cycle, title).Scan(&id, &public); err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if _, err := w.db.ExecContext(ctx, `INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?)`, id, o); err != nil {
			t.Fatal(err)
		}
	}
	return id, public
}

var errRollback = errors.New("roll back")

// submit submits nomination id as nominations.Service will: status and
// submitted_at, then the OnSubmit hook, in one transaction that commits
// unless rollback is set.
func (w *world) submit(t *testing.T, id int64, rollback bool) {
	t.Helper()
	ctx := context.Background()
	err := w.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE nominations SET status = 'submitted', submitted_at = now() WHERE id = ?`, id); err != nil {
			return err
		}
		if err := nominations.EnqueueReceipt(ctx, tx, id); err != nil {
			return err
		}
		if rollback {
			return errRollback
		}
		return nil
	})
	if err != nil && !(rollback && errors.Is(err, errRollback)) {
		t.Fatalf("submit nomination %d: %v", id, err)
	}
}

// caught returns the caught mails, oldest first.
func (w *world) caught(t *testing.T) []CaughtMail {
	t.Helper()
	mails, err := NewCatcher(w.db, "").List(context.Background(), 500)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(mails)-1; i < j; i, j = i+1, j-1 {
		mails[i], mails[j] = mails[j], mails[i]
	}
	return mails
}

// syncBuffer is a log sink that tests read while workers write to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
