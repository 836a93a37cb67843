package nominations_test

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/pgtest"
)

// TestStatusesMatchSchema: the statuses the schema allows are exactly
// those the code knows (nominations.Statuses, which the API documents),
// so no status can be stored that no code sets or shows.
func TestStatusesMatchSchema(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	var def string
	if err := db.NewRaw(`SELECT pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = 'nominations'::regclass AND conname = 'nominations_status_check'`).Scan(context.Background(), &def); err != nil {
		t.Fatal(err)
	}
	var allowed []string
	for _, m := range regexp.MustCompile(`'([a-z_]+)'`).FindAllStringSubmatch(def, -1) {
		allowed = append(allowed, m[1])
	}
	var known []string
	for _, s := range nominations.Statuses {
		known = append(known, string(s))
	}
	slices.Sort(allowed)
	slices.Sort(known)
	if !slices.Equal(allowed, known) {
		t.Errorf("the schema allows %v (%s); the code knows %v", allowed, def, known)
	}
}
