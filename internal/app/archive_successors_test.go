package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/apptest"
)

// TestArchiveSuccessors walks the demo's Asker through SSB's history, as
// the public sees it: the page of Asker 0220 (which won in 2017) says it
// became Asker 3025 in 2020 and today's Asker 3203 in 2024 and links
// both; today's Asker lists the 2017 win, marked as Asker 0220's. The
// API says the same.
func TestArchiveSuccessors(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	db := filesDB(t, a)
	d := loadDemoArchive(t, db)
	var asker3025, asker int64
	if err := db.NewRaw(`SELECT (SELECT id FROM organisations WHERE number = '3025' AND valid_to IS NOT NULL),
		(SELECT id FROM organisations WHERE number = '3203' AND valid_to IS NULL)`).Scan(context.Background(), &asker3025, &asker); err != nil {
		t.Fatal(err)
	}

	_, old := fetch(t, a, c, "/kommuner/"+itoa(d.asker2017))
	became := section(old, `id="succ-h"`)
	wantContains(t, "Asker 0220's page", became, "Hva kommunen ble til", `href="/kommuner/`+itoa(asker3025)+`"`, "(3025)",
		`href="/kommuner/`+itoa(asker)+`"`, "(3203)", "dagens kommune")
	if i, j := strings.Index(became, "(3025)"), strings.Index(became, "(3203)"); i < 0 || j < i {
		t.Errorf("Asker 0220's successors out of order: %.600s", became)
	}
	wantContains(t, "Asker 0220's nominations", section(old, `id="noms-h"`), "Innovasjonsprisen 2017", "Holmen svømmehall")

	_, now := fetch(t, a, c, "/kommuner/"+itoa(asker))
	wantLacks(t, "today's Asker's page", now, `id="succ-h"`)
	wantContains(t, "today's Asker's predecessors", section(now, `id="pred-h"`), `href="/kommuner/`+itoa(d.asker2017)+`"`, "(0220)", "(3025)")
	wantContains(t, "today's Asker's nominations", section(now, `id="noms-h"`), "Innovasjonsprisen 2017",
		"Nominert som Asker (0220), en tidligere kommune som nå er en del av denne", "Holmen svømmehall")
	_, nf := fetch(t, a, c, "/kommuner/"+itoa(d.nordreFollo))
	wantContains(t, "Nordre Follo's nominations", section(nf, `id="noms-h"`), "Nominert som Oppegård (0217)")
	_, en := fetch(t, a, c, "/kommuner/"+itoa(d.asker2017)+"?lang=en")
	wantContains(t, "Asker 0220's page in English", en, "What became of it", "today&#39;s municipality")

	var org struct {
		Successors []struct {
			ID          apiID
			Number      string
			Former      bool
			Since       string
			ValidTo     string `json:"valid_to"`
			URL, APIURL string
		}
		Items []struct {
			Cycle       string
			Predecessor *struct {
				ID     apiID
				Number string
			}
		}
	}
	_, body := fetch(t, a, c, "/api/v1/public/organisations/"+itoa(d.asker2017))
	if err := json.Unmarshal([]byte(body), &org); err != nil {
		t.Fatal(err)
	}
	type step struct {
		ID                     apiID
		Number, Since, ValidTo string
		Former                 bool
	}
	var got []step
	for _, s := range org.Successors {
		got = append(got, step{s.ID, s.Number, s.Since, s.ValidTo, s.Former})
		if !strings.HasSuffix(s.URL, "/kommuner/"+itoa(int64(s.ID))) {
			t.Errorf("successor's URL %q", s.URL)
		}
	}
	want := []step{{apiID(asker3025), "3025", "2020-01-01", "2024-01-01", true}, {apiID(asker), "3203", "2024-01-01", "", false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("API: Asker 0220's successors (-want +got):\n%s", diff)
	}
	for _, it := range org.Items {
		if it.Predecessor != nil {
			t.Errorf("Asker 0220's own nomination marked as a predecessor's: %+v", it)
		}
	}

	org.Successors, org.Items = nil, nil
	_, body = fetch(t, a, c, "/api/v1/public/organisations/"+itoa(asker))
	if err := json.Unmarshal([]byte(body), &org); err != nil {
		t.Fatal(err)
	}
	marked := false
	for _, it := range org.Items {
		if it.Cycle == "Innovasjonsprisen 2017" && it.Predecessor != nil && int64(it.Predecessor.ID) == d.asker2017 && it.Predecessor.Number == "0220" {
			marked = true
		}
	}
	if len(org.Successors) != 0 || !marked {
		t.Errorf("API: today's Asker: successors %+v, 2017 marked as Asker 0220's: %v (%.600s)", org.Successors, marked, body)
	}
}
