package app_test

import (
	"context"
	"net/http"
	"regexp"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// TestNominationClosedEarly closes a call three weeks before its deadline:
// the nomination's pages and the cycle page say that the call was closed,
// when, and before which deadline, in nb, nn and en, never that the
// deadline passed.
func TestNominationClosedEarly(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	asker := nomClient{t: t, a: a, c: a.Login(t, "asker")}
	admin := nomClient{t: t, a: a, c: a.Login(t, "admin")}
	cycle := nomCycle(t, db, "closed-early", "now() + interval '21 days'", 1, 3)
	asker.call(http.MethodPost, "/sykluser/"+cycle+"/nominasjoner", "", http.StatusSeeOther)
	var id string
	if err := db.NewRaw(`SELECT n.public_id FROM nominations n JOIN cycles c ON c.id = n.cycle_id WHERE c.public_id = ?`, cycle).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	// Open, before the admin closes it: the deadline with its countdown.
	wantContains(t, "open", asker.call(http.MethodGet, "/nominasjoner/"+id, "", http.StatusOK), "Frist: ", "(om ")
	admin.call(http.MethodPost, "/api/v1/cycles/"+cycle+"/transitions", `{"to":"closed"}`, http.StatusOK)

	dated := `\d{1,2}\. \w+ 20\d\d kl\. \d\d\.\d\d`
	for _, c := range []struct {
		lang, nomination, heading string
		wrong                     []string
	}{
		{"nb", "Utlysningen ble stengt " + dated + ", før fristen " + dated, "Utlysningen er stengt, og nominasjonene blir vurdert",
			[]string{"Fristen gikk ut", "Fristen er ute"}},
		{"nn", "Utlysinga vart stengd " + dated + ", før fristen " + dated, "Utlysinga er stengd, og nominasjonane blir vurderte",
			[]string{"Fristen gjekk ut", "Fristen er ute"}},
		{"en", `The call was closed on \d{1,2} \w+ 20\d\d.*, before its deadline of `, "The call is closed, and the nominations are being assessed",
			[]string{"The deadline passed", "The deadline has passed"}},
	} {
		asker.call(http.MethodGet, "/lang/"+c.lang+"?next=/", "", http.StatusSeeOther)
		for _, path := range []string{"/nominasjoner/" + id, "/nominasjoner/" + id + "/fakta", "/sykluser/" + cycle} {
			page := asker.call(http.MethodGet, path, "", http.StatusOK)
			if !regexp.MustCompile(c.nomination).MatchString(page) {
				t.Errorf("%s %s: no %q in %.2000s", c.lang, path, c.nomination, page)
			}
			wantLacks(t, c.lang+" "+path, page, c.wrong...)
			if path == "/sykluser/"+cycle {
				wantContains(t, c.lang+" "+path, page, c.heading)
			}
		}
	}
}
