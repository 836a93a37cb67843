package app_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/apptest"
)

// TestDecidingTies ranks four nominations with real ties. The chair
// (lenient) gives Bærum 5 and Horten 3 on both criteria, jury-1 (strict)
// Sandnes 3 and Træna 1. Raw means: 5, 3, 3, 1, so Horten and Sandnes tie
// for raw place 2. Standardised, each juror's best is +1 and worst −1, so
// Bærum and Sandnes tie for place 1, Horten and Træna for place 3. The
// page, a nomination's page and the API show each tie as "=n"; sorted by
// the raw rank, the raw rank leads each row.
func TestDecidingTies(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	chair := a.Login(t, "jury-chair")
	db := nomDB(t, a)
	cycle, _ := scoringCycle(t, db, "deciding-ties")
	nominees := map[string]string{}
	jurors := map[string]int64{}
	for _, u := range []string{"jury-chair", "jury-1"} {
		jurors[u] = scoringSeat(t, db, cycle, userID(t, a, a.Login(t, u)), u == "jury-chair")
	}
	for _, sc := range []struct {
		org, juror string
		value      int
	}{{"Bærum", "jury-chair", 5}, {"Horten", "jury-chair", 3}, {"Sandnes", "jury-1", 3}, {"Træna", "jury-1", 1}} {
		nominees[sc.org] = scoringNomination(t, db, cycle, sc.org)
		scoringScore(t, db, jurors[sc.juror], nominees[sc.org], true)
		if _, err := db.ExecContext(t.Context(), `UPDATE scores s SET value = ? FROM nominations n
			WHERE n.id = s.nomination_id AND n.public_id = ?`, sc.value, nominees[sc.org]); err != nil {
			t.Fatal(err)
		}
	}
	org := map[string]string{}
	for o, id := range nominees {
		org[id] = o
	}
	get := func(path string) string {
		t.Helper()
		status, body := a.Do(t, chair, http.MethodGet, path, "")
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d: %.400s", path, status, body)
		}
		return body
	}
	// places reads the ranking table: per row, in order, the nominee and
	// the text of the rank column.
	cell := regexp.MustCompile(`(?s)<tr>\s*<td class="num">(.*?)</td>\s*<th scope="row"><a class="ds-link" href="/jury/` + cycle + `/rangering/([^"]+)">`)
	tags := regexp.MustCompile(`<[^>]*>`)
	places := func(body string) [][2]string {
		var out [][2]string
		for _, m := range cell.FindAllStringSubmatch(body, -1) {
			text := tags.ReplaceAllString(strings.ReplaceAll(m[1], "<br>", " "), "")
			out = append(out, [2]string{org[m[2]], strings.Join(strings.Fields(text), " ")})
		}
		return out
	}
	ranking := "/jury/" + cycle + "/rangering"

	// By the standardised rank: shared places read "=1", "=3", and so do
	// the raw ones beneath.
	body := get(ranking)
	want := [][2]string{
		{"Bærum", "=1 delt plass ujustert: 1"},
		{"Sandnes", "=1 delt plass ujustert: =2 delt plass"},
		{"Horten", "=3 delt plass ujustert: =2 delt plass"},
		{"Træna", "=3 delt plass ujustert: 4"},
	}
	if diff := cmp.Diff(want, places(body)); diff != "" {
		t.Errorf("ranking by the standardised rank (-want +got):\n%s", diff)
	}
	wantText(t, "rank column", body, `<th scope="col" class="num">Plass</th>`)

	// By the raw rank: it leads the row, the standardised rank beneath.
	body = get(ranking + "?sorter=raa")
	want = [][2]string{
		{"Bærum", "1 justert: =1 delt plass"},
		{"Sandnes", "=2 delt plass justert: =1 delt plass"},
		{"Horten", "=2 delt plass justert: =3 delt plass"},
		{"Træna", "4 justert: =3 delt plass"},
	}
	if diff := cmp.Diff(want, places(body)); diff != "" {
		t.Errorf("ranking by the raw rank (-want +got):\n%s", diff)
	}
	wantText(t, "rank column, raw", body, `<th scope="col" class="num">Plass, ujustert</th>`, `<option value="raa" selected>`)

	// A nomination's page.
	wantText(t, "Horten's page", get(ranking+"/"+nominees["Horten"]), "<dd>=3 (delt plass)</dd>", "<dd>=2 (delt plass)</dd>")

	// The API: the ranks, whether they are shared, and as shown.
	var rk struct {
		Rows []struct {
			Nomination string `json:"nomination_id"`
			ZRank      int    `json:"z_rank"`
			RawRank    int    `json:"raw_rank"`
			ZTied      bool   `json:"z_tied"`
			RawTied    bool   `json:"raw_tied"`
			ZPlace     string `json:"z_place"`
			RawPlace   string `json:"raw_place"`
		}
	}
	if err := json.Unmarshal([]byte(get("/api/v1/cycles/"+cycle+"/ranking")), &rk); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rk.Rows {
		got = append(got, strings.Join([]string{org[r.Nomination], r.ZPlace, r.RawPlace}, " "))
		if r.ZTied != strings.HasPrefix(r.ZPlace, "=") || r.RawTied != strings.HasPrefix(r.RawPlace, "=") || r.ZRank == 0 || r.RawRank == 0 {
			t.Errorf("API row %+v", r)
		}
	}
	if diff := cmp.Diff([]string{"Bærum =1 1", "Sandnes =1 =2", "Horten =3 =2", "Træna =3 4"}, got); diff != "" {
		t.Errorf("API ranking (-want +got):\n%s", diff)
	}
}
