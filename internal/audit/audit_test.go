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
