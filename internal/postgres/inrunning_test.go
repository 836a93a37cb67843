package postgres_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/pgtest"
)

// TestInTheRunning: "in the running" has one definition, the database's
// in_the_running(status): a submitted nomination is, no other status is,
// and no query in the code writes a list of statuses out instead. Nor does
// one write out when a cycle takes nominations or scores: the functions
// nominations_open(c) and scoring_open(c) of the cycles row say so.
func TestInTheRunning(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	var running []string
	if err := db.NewRaw(`SELECT s FROM unnest(ARRAY['draft', 'submitted', 'withdrawn', 'ineligible']) s WHERE in_the_running(s)`).
		Scan(context.Background(), &running); err != nil {
		t.Fatal(err)
	}
	if strings.Join(running, ",") != "submitted" {
		t.Errorf("in the running: %v, want only submitted", running)
	}
	// (Lists with draft in them, e.g. "sent in" as NOT IN ('draft',
	// 'withdrawn') or what may be withdrawn, are other notions.)
	statusList := regexp.MustCompile(`status\s+IN\s*\(\s*'submitted'|phase = '(open|judging)' AND now\(\)`)
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if loc := statusList.FindIndex(src); loc != nil {
			t.Errorf("%s writes a list of statuses out (%q): ask in_the_running(status), nominations_open(c) or scoring_open(c)", path, src[loc[0]:loc[1]])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
