package app_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/pgtest"
)

// TestDevTwiceOnOneDatabase runs `heder dev` twice on the same
// DATABASE_URL, as `make dev` does on a kept database: the second start
// loads the municipalities and the demo again without error or doubles.
func TestDevTwiceOnOneDatabase(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	var first []string
	for i, name := range []string{"first", "second"} {
		t.Run(name, func(t *testing.T) {
			a := apptest.StartWith(t, url)
			status, body := a.Do(t, a.Login(t, "asker"), http.MethodGet, "/api/v1/awards/kommunal-innovasjonspris/cycles", "")
			var list struct {
				Items []struct {
					ID    string
					Year  int
					Phase string
				}
			}
			if err := json.Unmarshal([]byte(body), &list); status != http.StatusOK || err != nil {
				t.Fatalf("cycles: %d %v %s", status, err, body)
			}
			var got []string
			for _, c := range list.Items {
				got = append(got, c.ID+" "+c.Phase)
			}
			if len(got) != 3 {
				t.Errorf("cycles %v, want 2017, 2018 and this year's", got)
			}
			if i == 0 {
				first = got
			} else if !slices.Equal(first, got) {
				t.Errorf("second start: cycles %v, first %v", got, first)
			}
		})
	}
}
