package app_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
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
			if len(got) != 8 {
				t.Errorf("cycles %v, want the history's 2014–2020 and this year's", got)
			}
			if i == 0 {
				first = got
			} else if !slices.Equal(first, got) {
				t.Errorf("second start: cycles %v, first %v", got, first)
			}
		})
	}
}

// TestDemoShowsEveryRole: right after `make dev` every demo user has work
// to see. jury-1 has scores to give (a draft of one nomination started),
// jury-chair a ranking with the missing scores named, eier-kdd a decided
// year's scheduled announcement to preview; none of the demo prize is
// public.
func TestDemoShowsEveryRole(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	cycle := demoPrizeCycles(t, a, a.Login(t, "eier-kdd"))
	if cycle["judging"] == "" || cycle["decided"] == "" {
		t.Fatalf("demo prize cycles %v, want one in judging and one decided", cycle)
	}
	pages := []struct {
		user, path string
		want       []string
	}{
		{"jury-1", "/jury/" + cycle["judging"], []string{"Felles vaktsentral for hjemmetjenesten", "Digital innbyggerdialog", "Sirkulær byggeplass"}},
		{"jury-chair", "/jury/" + cycle["judging"] + "/rangering", []string{"Bodø", "Tromsø", "Jon Jurymedlem"}},
		{"eier-kdd", "/admin/sykluser/" + cycle["decided"] + "/publisering/forhandsvisning", []string{"Drammen", "Lesehjelp i biblioteket"}},
	}
	for _, p := range pages {
		status, body := a.Do(t, a.Login(t, p.user), http.MethodGet, p.path, "")
		if status != http.StatusOK {
			t.Errorf("%s %s: %d", p.user, p.path, status)
			continue
		}
		for _, w := range p.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s %s lacks %q", p.user, p.path, w)
			}
		}
	}
	// A visitor sees this year's open call on the front page, whom it
	// takes and where to log in to answer it; not the demo prize in
	// judging.
	_, home := a.Do(t, a.Client(t), http.MethodGet, "/", "")
	calls := section(home, `id="open-calls-h"`)
	for _, want := range []string{"Innovasjonsprisen " + strconv.Itoa(time.Now().Year()), "Frist: ", "Kan nomineres: Kommune",
		`href="/auth/login?next=%2Fsykluser%2F`} {
		if !strings.Contains(calls, want) {
			t.Errorf("the front page's open calls lack %q: %.600s", want, calls)
		}
	}
	if strings.Contains(calls, "Demoprisen") {
		t.Error("the front page lists the demo prize's cycle in judging as open")
	}
	// The award is listed, with nothing of its years.
	_, public := a.Do(t, a.Client(t), http.MethodGet, "/priser/demoprisen", "")
	for _, secret := range []string{"Bodø", "Drammen", "Demoprisen 20"} {
		if strings.Contains(public, secret) {
			t.Errorf("the demo prize's public page shows %q", secret)
		}
	}
}

// demoPrizeCycles are the demo prize's cycles' IDs by phase, as c sees
// them in the API.
func demoPrizeCycles(t *testing.T, a *apptest.App, c *http.Client) map[string]string {
	t.Helper()
	status, body := a.Do(t, c, http.MethodGet, "/api/v1/awards/demoprisen/cycles", "")
	var list struct {
		Items []struct {
			ID    string
			Phase string
		}
	}
	if err := json.Unmarshal([]byte(body), &list); status != http.StatusOK || err != nil {
		t.Fatalf("demo prize cycles: %d %v %s", status, err, body)
	}
	out := map[string]string{}
	for _, it := range list.Items {
		out[it.Phase] = it.ID
	}
	return out
}

// TestFrontPageCallsInBrowser: the visitor's front page with the open
// call, in a browser (headless Chromium asks for English), with axe.
func TestFrontPageCallsInBrowser(t *testing.T) {
	a := apptest.Start(t)
	tab := browsertest.New(t).Tab(t)
	tab.Navigate(t, a.URL+"/")
	if got := tab.Text(t, "#open-calls"); !strings.Contains(got, "Who may be nominated: Municipality") || !strings.Contains(got, "Log in to nominate") {
		t.Errorf("open calls: %q", got)
	}
	tab.Axe(t)
	tab.Screenshot(t, "front-page-calls")
}
