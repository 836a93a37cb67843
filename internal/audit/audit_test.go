package audit_test

import (
	"context"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestRecordAndAppendOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	if err := audit.Record(ctx, db, 0, "create", "award", 7, nil, map[string]string{"slug": "x"}); err != nil {
		t.Fatal(err)
	}
	if err := audit.Record(ctx, db, 0, "update", "award", 7, map[string]string{"slug": "x"}, map[string]string{"slug": "y"}); err != nil {
		t.Fatal(err)
	}
	entries, err := audit.List(ctx, db, "award", 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[1].Action != "update" || !strings.Contains(string(entries[1].After), `"y"`) {
		t.Fatalf("entries = %+v", entries)
	}
	for _, stmt := range []string{
		`UPDATE audit_log SET action = 'forged'`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want append-only refusal", stmt, err)
		}
	}
	entries, _ = audit.List(ctx, db, "award", 7)
	if len(entries) != 2 || entries[0].Action != "create" {
		t.Fatalf("log changed: %+v", entries)
	}
}

// TestErasure: a transaction that allows erasure may rewrite an entry's
// before and after and nothing else; without it, not even those.
func TestErasure(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	if err := audit.Record(ctx, db, 0, "update", "nomination", 7, nil, map[string]string{"contact_email": "kari@example.org"}); err != nil {
		t.Fatal(err)
	}
	blank := `UPDATE audit_log SET after = after - 'contact_email'`
	if _, err := db.ExecContext(ctx, blank); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("blanking without AllowErasure: err = %v, want append-only refusal", err)
	}
	for _, stmt := range []string{
		`UPDATE audit_log SET action = 'forged'`,
		`UPDATE audit_log SET at = at - interval '1 day'`,
		`UPDATE audit_log SET entity_id = 8`,
		`DELETE FROM audit_log`,
	} {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := audit.AllowErasure(ctx, tx); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s with AllowErasure: err = %v, want append-only refusal", stmt, err)
		}
		_ = tx.Rollback()
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.AllowErasure(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, blank); err != nil {
		t.Fatalf("blanking with AllowErasure: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// The permission ended with its transaction.
	if _, err := db.ExecContext(ctx, `UPDATE audit_log SET after = NULL`); err == nil {
		t.Error("blanking after the erasing transaction was allowed")
	}
	entries, err := audit.List(ctx, db, "nomination", 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Action != "update" || string(entries[0].After) != "{}" {
		t.Fatalf("entries = %+v, want the update with its e-mail blanked", entries)
	}
}
