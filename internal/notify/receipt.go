package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Receipt is what a nomination's receipt says: what was submitted, for
// which cycle, by whom and when.
type Receipt struct {
	NominationID int64
	CycleID      int64
	// Number is the receipt number people quote: the nomination's public ID.
	Number      string
	Title       string
	Status      awards.NominationStatus
	CycleTitle  string
	SubmittedAt time.Time
	// Deadline is the cycle's nomination deadline, until which the
	// nomination can still be changed; nil when the cycle has none.
	Deadline *time.Time
	Nominees []awards.Organisation
	Projects []string
}

// Withdrawn reports whether the nomination was withdrawn after it was
// submitted.
func (r Receipt) Withdrawn() bool { return r.Status == awards.StatusWithdrawn }

// Path is the receipt page's path.
func (r Receipt) Path() string { return ReceiptPath(r.Number) }

// ReceiptPath is the path of the printable receipt of the nomination with
// public ID number.
func ReceiptPath(number string) string { return "/nominasjoner/" + number + "/kvittering" }

// Service serves nomination receipts.
type Service struct {
	db bun.IDB
}

// NewService returns a Service over db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// Receipt returns the receipt of the submitted nomination with public ID
// number. Those who may see the nomination (policy.CanSeeNomination: the
// members of its nominee organisations and the cycle's admins) may see it.
// Returns ENotFound for everyone else, and for nominations never
// submitted: whether a nomination exists is secret.
func (s *Service) Receipt(ctx context.Context, actor *awards.Actor, number string) (Receipt, error) {
	r, err := loadReceipt(ctx, s.db, "n.public_id = ?", number)
	if err != nil {
		return Receipt{}, err
	}
	ids := make([]int64, len(r.Nominees))
	for i, o := range r.Nominees {
		ids[i] = o.ID
	}
	// Whoever may see the nomination may see its receipt.
	if !policy.CanSeeNomination(actor, r.CycleID, ids) {
		return Receipt{}, awards.Errorf(awards.ENotFound, "no such receipt")
	}
	return r, nil
}

type receiptRow struct {
	ID          int64      `bun:"id"`
	PublicID    string     `bun:"public_id"`
	Title       string     `bun:"title"`
	Status      string     `bun:"status"`
	SubmittedAt time.Time  `bun:"submitted_at"`
	CycleTitle  string     `bun:"cycle_title"`
	Deadline    *time.Time `bun:"nomination_deadline"`
	CycleID     int64      `bun:"cycle_id"`
}

// loadReceipt reads the receipt of the one submitted nomination matching
// where (with arg). Returns ENotFound.
func loadReceipt(ctx context.Context, db bun.IDB, where string, arg any) (Receipt, error) {
	var row receiptRow
	err := db.NewRaw(`
		SELECT n.id, n.public_id, n.title, n.status, n.submitted_at, c.title AS cycle_title, c.nomination_deadline, c.id AS cycle_id
		FROM nominations n JOIN cycles c ON c.id = n.cycle_id
		WHERE n.submitted_at IS NOT NULL AND `+where, arg).Scan(ctx, &row)
	if err != nil {
		return Receipt{}, postgres.Map("load receipt", err)
	}
	r := Receipt{NominationID: row.ID, CycleID: row.CycleID, Number: row.PublicID, Title: row.Title, Status: awards.NominationStatus(row.Status),
		CycleTitle: row.CycleTitle, SubmittedAt: row.SubmittedAt, Deadline: row.Deadline}
	var orgs []struct {
		ID       int64  `bun:"id"`
		Kind     string `bun:"kind"`
		Name     string `bun:"name"`
		Language string `bun:"language"`
	}
	err = db.NewRaw(`
		SELECT o.id, o.kind, o.name, o.language
		FROM nomination_organisations no JOIN organisations o ON o.id = no.organisation_id
		WHERE no.nomination_id = ? ORDER BY o.name, o.id`, row.ID).Scan(ctx, &orgs)
	if err != nil {
		return Receipt{}, postgres.Map(fmt.Sprintf("receipt nominees of nomination %d", row.ID), err)
	}
	for _, o := range orgs {
		r.Nominees = append(r.Nominees, awards.Organisation{ID: o.ID, Kind: awards.OrgKind(o.Kind), Name: o.Name, Language: o.Language})
	}
	err = db.NewRaw(`
		SELECT p.title FROM nomination_projects np JOIN projects p ON p.id = np.project_id
		WHERE np.nomination_id = ? ORDER BY np.position, p.title`, row.ID).Scan(ctx, &r.Projects)
	if err != nil {
		return Receipt{}, postgres.Map(fmt.Sprintf("receipt projects of nomination %d", row.ID), err)
	}
	return r, nil
}
