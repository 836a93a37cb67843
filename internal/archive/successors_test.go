package archive_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/archive"
)

// askerChain adds SSB's history of Asker to the env: Asker 0220 became
// Asker 3025 on 1 January 2020 (with Røyken and Hurum), which became
// today's Asker 3203 on 1 January 2024.
func askerChain(e *env) {
	e.t.Helper()
	e.former("Asker", "3025", "2024-01-01", "3203")
	e.former("Asker", "0220", "2020-01-01", "3025")
}

// TestOrganisationSuccessors: a former municipality's page says what it
// became, step by step to today's; today's lists its predecessors'
// public nominations, each marked with the predecessor that made it, and
// nothing still under embargo.
func TestOrganisationSuccessors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	askerChain(e)
	e.cycle(year2017(past2, past))
	// 2015: Asker, then 0220, a finalist ("Blikk for muligheter").
	e.cycle(cycle{year: 2015, finalistsAt: past2, winnersAt: past, noms: []nom{
		{org: "0220", title: "Blikk for muligheter", summary: "Asker sin innovasjonsstrategi.", challenge: "renewal", outcome: "finalist"},
	}})
	// A year whose finalists are not announced yet shows nowhere.
	e.cycle(cycle{year: 2016, finalistsAt: future, winnersAt: future, noms: []nom{
		{org: "0220", title: "Ikke kunngjort", summary: "Under embargo.", challenge: "renewal", outcome: "finalist"},
	}})
	day := func(s string) *time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return &d
	}
	type step struct {
		ID             int64
		Number         string
		Since, ValidTo *time.Time
	}
	steps := func(ss []archive.Successor) []step {
		out := []step{}
		for _, s := range ss {
			out = append(out, step{s.ID, s.Number, s.Since, s.ValidTo})
		}
		return out
	}
	as := func(p archive.OrganisationPage) []string {
		out := []string{}
		for _, en := range p.Entries {
			label := en.Title
			if pr := p.As(en); pr != nil {
				label += " as " + pr.Name + " " + pr.Number
			}
			out = append(out, label)
		}
		return out
	}
	dateCmp := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

	// Asker 0220: gone since 2020, through 3025 to today's 3203.
	old, err := e.s.Organisation(e.ctx, e.orgs["0220"])
	if err != nil {
		t.Fatal(err)
	}
	if !old.Org.Former || old.Org.Now == nil || old.Org.Now.ID != e.orgs["3203"] {
		t.Errorf("Asker 0220 = %+v", old.Org)
	}
	want := []step{{e.orgs["3025"], "3025", day("2020-01-01"), day("2024-01-01")}, {e.orgs["3203"], "3203", day("2024-01-01"), nil}}
	if diff := cmp.Diff(want, steps(old.Successors), dateCmp); diff != "" {
		t.Errorf("Asker 0220's successors (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Blikk for muligheter"}, as(old)); diff != "" {
		t.Errorf("Asker 0220's entries (-want +got):\n%s", diff)
	}

	// Asker 3025, in between.
	mid, err := e.s.Organisation(e.ctx, e.orgs["3025"])
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]step{{e.orgs["3203"], "3203", day("2024-01-01"), nil}}, steps(mid.Successors), dateCmp); diff != "" {
		t.Errorf("Asker 3025's successors (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Blikk for muligheter as Asker 0220"}, as(mid)); diff != "" {
		t.Errorf("Asker 3025's entries (-want +got):\n%s", diff)
	}

	// Today's Asker: its own win and its predecessors', marked.
	now, err := e.s.Organisation(e.ctx, e.orgs["3203"])
	if err != nil {
		t.Fatal(err)
	}
	if len(now.Successors) != 0 || now.Org.Former {
		t.Errorf("today's Asker = %+v, successors %+v", now.Org, now.Successors)
	}
	var preds []string
	for _, pr := range now.Predecessors {
		preds = append(preds, pr.Name+" "+pr.Number)
	}
	if diff := cmp.Diff([]string{"Asker 3025", "Asker 0220"}, preds); diff != "" {
		t.Errorf("today's Asker's predecessors (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Mulighetenes kommune", "Blikk for muligheter as Asker 0220"}, as(now)); diff != "" {
		t.Errorf("today's Asker's entries (-want +got):\n%s", diff)
	}
}
