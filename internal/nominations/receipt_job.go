package nominations

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// ReceiptArgs is the job that e-mails the receipt of one submission of a
// nomination; the notify package works it. SubmittedAt tells submissions apart: submitting again (after
// a withdrawal) is a new receipt, the same submission enqueued twice is not.
type ReceiptArgs struct {
	NominationID int64     `json:"nomination_id" river:"unique"`
	SubmittedAt  time.Time `json:"submitted_at" river:"unique"`
}

// Kind names the job in River's table.
func (ReceiptArgs) Kind() string { return "nomination_receipt" }

// InsertOpts makes the job unique per submission, and gives up after about
// a day of retries (River's backoff grows as attempt⁴ seconds).
func (ReceiptArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// EnqueueReceipt enqueues the receipt e-mail for the nomination's current
// submission in tx, the transaction that submits it: the job exists if
// and only if the submission commits. Submit calls it after setting
// submitted_at.
func EnqueueReceipt(ctx context.Context, tx bun.Tx, nominationID int64) error {
	var at sql.NullTime
	if err := tx.QueryRowContext(ctx, `SELECT submitted_at FROM nominations WHERE id = ?`, nominationID).Scan(&at); err != nil {
		return postgres.Map(fmt.Sprintf("enqueue receipt for nomination %d", nominationID), err)
	}
	if !at.Valid {
		return fmt.Errorf("enqueue receipt for nomination %d: it has no submitted_at", nominationID)
	}
	if err := jobs.InsertTx(ctx, tx, ReceiptArgs{NominationID: nominationID, SubmittedAt: at.Time}, nil); err != nil {
		return fmt.Errorf("receipt for nomination %d: %w", nominationID, err)
	}
	return nil
}
