package nominations_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/nominations"
)

func TestCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cycle := e.open()
	kari := e.actor("kari", false, "Asker")
	v, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{Title: ptr("  Asker velferdslab  ")})
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != awards.StatusDraft || v.Title != "Asker velferdslab" || v.Version != 1 || v.PublicID == "" {
		t.Errorf("created %+v", v.Nomination)
	}
	if len(v.Nominees) != 1 || v.Nominees[0].ID != e.orgs["Asker"] {
		t.Errorf("nominees %+v, want Asker", v.Nominees)
	}
	if v.ContactName != "kari" || v.ContactEmail != "kari@example.kommune.no" {
		t.Errorf("contact %q %q, want the creator's", v.ContactName, v.ContactEmail)
	}
	if !v.CanEdit || !v.Open || v.CanJudge {
		t.Errorf("rights: edit %v open %v judge %v", v.CanEdit, v.Open, v.CanJudge)
	}
	entries, err := audit.List(e.ctx, e.db, "nomination", v.ID)
	if err != nil || len(entries) != 1 || entries[0].Action != "create" || entries[0].ActorID != kari.User.ID {
		t.Errorf("audit %+v %v", entries, err)
	}
}

func TestCreateRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	open := e.open()
	draft := e.cycle("draft", "now() + interval '30 days'", 1, 3)
	closed := e.cycle("closed", "now() - interval '1 day'", 1, 3)
	late := e.cycle("open", "now() - interval '1 second'", 1, 3)
	early := e.open()
	e.exec(`UPDATE cycles SET call_opens_at = now() + interval '1 day' WHERE public_id = ?`, early)
	kari := e.actor("kari", false, "Asker")
	both := e.actor("both", false, "Asker", "Bærum")
	county := e.actor("fylke", false, "Akershus")
	nobody := e.actor("nobody", false)
	admin := e.actor("admin", true, "Kommunal- og distriktsdepartementet")
	tests := []struct {
		name   string
		actor  *awards.Actor
		cycle  string
		org    int64
		fields nominations.Fields
		code   string
		field  string
	}{
		{"anonymous", &awards.Actor{}, open, 0, nominations.Fields{}, awards.EUnauthenticated, ""},
		{"no such cycle", kari, "nosuchcycle", 0, nominations.Fields{}, awards.ENotFound, ""},
		{"cycle in draft", kari, draft, 0, nominations.Fields{}, awards.ENotFound, ""},
		{"call closed", kari, closed, 0, nominations.Fields{}, awards.EConflict, ""},
		{"deadline passed a second ago", kari, late, 0, nominations.Fields{}, awards.EConflict, ""},
		{"call opens tomorrow", kari, early, 0, nominations.Fields{}, awards.EConflict, ""},
		{"another municipality", kari, open, e.orgs["Træna"], nominations.Fields{}, awards.EForbidden, "organisation_id"},
		{"county not eligible", county, open, 0, nominations.Fields{}, awards.EInvalid, "organisation_id"},
		{"ministry not eligible", admin, open, e.orgs["Kommunal- og distriktsdepartementet"], nominations.Fields{}, awards.EInvalid, "organisation_id"},
		{"member of no organisation", nobody, open, 0, nominations.Fields{}, awards.EForbidden, "organisation_id"},
		{"several organisations, none chosen", both, open, 0, nominations.Fields{}, awards.EInvalid, "organisation_id"},
		{"title too long", kari, open, 0, nominations.Fields{Title: ptr(strings.Repeat("x", 10<<20))}, awards.EInvalid, "title"},
		{"invalid UTF-8", kari, open, 0, nominations.Fields{Summary: ptr("bad \xff byte")}, awards.EInvalid, "summary"},
		{"unknown challenge", kari, open, 0, nominations.Fields{Challenge: ptr("boredom")}, awards.EInvalid, "challenge"},
		{"bad e-mail", kari, open, 0, nominations.Fields{ContactEmail: ptr("kari at asker")}, awards.EInvalid, "contact_email"},
	}
	for _, tt := range tests {
		_, err := e.s.Create(e.ctx, tt.actor, tt.cycle, tt.org, tt.fields)
		wantCode(t, tt.name, err, tt.code, tt.field)
	}
	if n := e.count(`SELECT count(*) FROM nominations`); n != 0 {
		t.Errorf("%d nominations stored by refused creates", n)
	}
	_, err := e.s.Create(e.ctx, kari, early, 0, nominations.Fields{})
	if !errors.Is(err, nominations.ErrNotOpen) {
		t.Errorf("before the call opens: %v", err)
	}
	if _, err := e.s.Create(e.ctx, kari, late, 0, nominations.Fields{}); !errors.Is(err, nominations.ErrClosed) {
		t.Errorf("after the deadline: %v", err)
	}
	// What the "Start nomination" form offers.
	start, err := e.s.StartOptions(e.ctx, both, open)
	if err != nil || !start.Open || len(start.Orgs) != 2 || start.Cycle.MaxProjects != 3 {
		t.Errorf("start options %+v %v", start, err)
	}
	if start, err := e.s.StartOptions(e.ctx, kari, late); err != nil || start.Open {
		t.Errorf("start options after the deadline %+v %v", start, err)
	}
	if _, err := e.s.StartOptions(e.ctx, kari, draft); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("start options of a draft cycle: %v", err)
	}
	// The admin sees the draft cycle, but it takes no nominations.
	_, err = e.s.Create(e.ctx, admin, draft, 0, nominations.Fields{})
	wantCode(t, "admin in draft cycle", err, awards.EInvalid, "organisation_id")
	if _, err := e.s.Create(e.ctx, both, open, 0, nominations.Fields{}); !errors.Is(err, nominations.ErrChooseOrg) {
		t.Errorf("several organisations, none chosen: %v", err)
	}
	if _, err := e.s.Create(e.ctx, both, open, e.orgs["Bærum"], nominations.Fields{}); err != nil {
		t.Errorf("chosen organisation: %v", err)
	}
}

func TestLimitPerOrganisation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cycle := e.open()
	kari := e.actor("kari", false, "Asker")
	ola := e.actor("ola", false, "Asker")
	first, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.s.Create(e.ctx, ola, cycle, 0, nominations.Fields{})
	wantCode(t, "second nomination", err, awards.EConflict, "organisation_id")
	// Withdrawing frees the place; submitting the withdrawn one again
	// would then exceed the limit.
	if _, err := e.s.Withdraw(e.ctx, kari, first.PublicID); err != nil {
		t.Fatal(err)
	}
	second, err := e.s.Create(e.ctx, ola, cycle, 0, nominations.Fields{})
	if err != nil {
		t.Fatalf("after withdrawal: %v", err)
	}
	e.complete(kari, first.PublicID)
	_, err = e.s.Submit(e.ctx, kari, first.PublicID)
	wantCode(t, "resubmit over the limit", err, awards.EConflict, "organisation_id")
	if _, err := e.s.Withdraw(e.ctx, ola, second.PublicID); err != nil {
		t.Fatal(err)
	}
	if v, err := e.s.Submit(e.ctx, kari, first.PublicID); err != nil || v.Status != awards.StatusSubmitted {
		t.Errorf("resubmit after the other was withdrawn: %v %v", v.Status, err)
	}
	// No limit: 0.
	unlimited := e.cycle("open", "now() + interval '1 day'", 0, 3)
	for range 3 {
		if _, err := e.s.Create(e.ctx, kari, unlimited, 0, nominations.Fields{}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLimitUnderLoad has many people click "Start nomination" at once: the
// cycle's row lock lets exactly one through.
func TestLimitUnderLoad(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cycle := e.open()
	var actors []*awards.Actor
	for i := range 8 {
		actors = append(actors, e.actor("asker-"+string(rune('a'+i)), false, "Asker"))
	}
	var wg sync.WaitGroup
	errs := make([]error, len(actors))
	start := make(chan struct{})
	for i, a := range actors {
		wg.Go(func() {
			<-start
			_, errs[i] = e.s.Create(e.ctx, a, cycle, 0, nominations.Fields{})
		})
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case awards.ErrorFields(err)["organisation_id"] == "nominations.error.limit":
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if n := e.count(`SELECT count(*) FROM nominations`); ok != 1 || n != 1 {
		t.Errorf("%d creates succeeded, %d stored; want 1", ok, n)
	}
}

func TestVisibility(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cycle := e.open()
	kari := e.actor("kari", false, "Asker")
	tore := e.actor("tore", false, "Træna")
	admin := e.actor("admin", true)
	juror := e.actor("juror", false)
	v, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{Title: ptr("Hemmelig tittel")})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*awards.Actor{tore, juror, {}} {
		_, err := e.s.Get(e.ctx, a, v.PublicID)
		wantCode(t, "get as "+a.User.Name, err, awards.ENotFound, "")
		if err != nil && strings.Contains(err.Error(), "Hemmelig") {
			t.Errorf("error leaks the title: %v", err)
		}
		_, err = e.s.Update(e.ctx, a, v.PublicID, 1, nominations.Fields{Title: ptr("Overtatt")})
		wantCode(t, "update as "+a.User.Name, err, awards.ENotFound, "")
		_, err = e.s.Update(e.ctx, a, v.PublicID, 1, nominations.Fields{Title: ptr("")})
		wantCode(t, "invalid update as "+a.User.Name, err, awards.ENotFound, "")
		_, err = e.s.Submit(e.ctx, a, v.PublicID)
		wantCode(t, "submit as "+a.User.Name, err, awards.ENotFound, "")
		_, err = e.s.CreateProject(e.ctx, a, v.PublicID, nominations.ProjectInput{Title: ptr("x")})
		wantCode(t, "create project as "+a.User.Name, err, awards.ENotFound, "")
	}
	got, err := e.s.Get(e.ctx, admin, v.PublicID)
	if err != nil || got.Title != "Hemmelig tittel" || got.CanEdit || !got.CanJudge {
		t.Errorf("admin: %v edit %v judge %v", err, got.CanEdit, got.CanJudge)
	}
	_, err = e.s.Update(e.ctx, admin, v.PublicID, 1, nominations.Fields{Title: ptr("Admin")})
	wantCode(t, "admin edits", err, awards.EForbidden, "")
	// A joint entry: Træna's members can see and edit once Træna is a
	// co-nominee.
	e.join(kari, v.PublicID, tore, "Træna")
	if got, err := e.s.Update(e.ctx, tore, v.PublicID, 1, nominations.Fields{Title: ptr("Felles")}); err != nil || got.Title != "Felles" {
		t.Errorf("co-nominee edits: %v", err)
	}
	list, err := e.s.List(e.ctx, tore, cycle)
	if err != nil || len(list) != 1 || list[0].Nominees != "Asker, Træna" {
		t.Errorf("co-nominee's list %+v %v", list, err)
	}
	if list, err := e.s.List(e.ctx, juror, cycle); err != nil || len(list) != 0 {
		t.Errorf("juror's list %+v %v", list, err)
	}
	if list, err := e.s.List(e.ctx, admin, cycle); err != nil || len(list) != 1 {
		t.Errorf("admin's list %+v %v", list, err)
	}
	if mine, err := e.s.Mine(e.ctx, tore); err != nil || len(mine) != 1 || mine[0].Title != "Felles" || !mine[0].Open {
		t.Errorf("Mine %+v %v", mine, err)
	}
}

func TestUpdateBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	kari := e.actor("kari", false, "Asker")
	v, err := e.s.Create(e.ctx, kari, e.open(), 0, nominations.Fields{Title: ptr("Original")})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		version int
		fields  nominations.Fields
		field   string
	}{
		{"empty title", 1, nominations.Fields{Title: ptr("   "), Summary: ptr("half of the work")}, "title"},
		{"10 MB title", 1, nominations.Fields{Title: ptr(strings.Repeat("a", 10<<20))}, "title"},
		{"invalid UTF-8", 1, nominations.Fields{Title: ptr("ok"), Summary: ptr("\xc3\x28")}, "summary"},
		{"NUL byte", 1, nominations.Fields{ContactName: ptr("Kari\x00")}, "contact_name"},
		{"line break in title", 1, nominations.Fields{Title: ptr("two\nlines")}, "title"},
		{"unknown challenge", 1, nominations.Fields{Challenge: ptr("Brennende plattform")}, "challenge"},
		{"display name as e-mail", 1, nominations.Fields{ContactEmail: ptr("Kari <kari@asker.kommune.no>")}, "contact_email"},
		{"no version", 0, nominations.Fields{Title: ptr("x")}, "version"},
	}
	for _, tt := range tests {
		_, err := e.s.Update(e.ctx, kari, v.PublicID, tt.version, tt.fields)
		wantCode(t, tt.name, err, awards.EInvalid, tt.field)
	}
	got, err := e.s.Get(e.ctx, kari, v.PublicID)
	if err != nil || got.Title != "Original" || got.Summary != "" || got.Version != 1 {
		t.Errorf("after refused updates: %q %q version %d (%v)", got.Title, got.Summary, got.Version, err)
	}
	// HTML is text: stored as typed, escaped where shown.
	script := `<script>alert("x")</script> & <b>fet</b>`
	got, err = e.s.Update(e.ctx, kari, v.PublicID, 1, nominations.Fields{Title: ptr(script), Summary: ptr(script)})
	if err != nil || got.Title != script || got.Summary != script || got.Version != 2 {
		t.Errorf("HTML as text: %q %v", got.Title, err)
	}
}

func TestStaleVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	kari := e.actor("kari", false, "Asker")
	ola := e.actor("ola", false, "Asker")
	v, err := e.s.Create(e.ctx, kari, e.open(), 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	// Both opened the form at version 1; Ola saves first.
	if _, err := e.s.Update(e.ctx, ola, v.PublicID, 1, nominations.Fields{Summary: ptr("Olas tekst")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.Update(e.ctx, kari, v.PublicID, 1, nominations.Fields{Summary: ptr("Karis tekst")})
	var stale *nominations.StaleError
	if awards.ErrorCode(err) != awards.EConflict || !errors.As(err, &stale) || stale.Current != 2 {
		t.Fatalf("stale save: %v", err)
	}
	got, _ := e.s.Get(e.ctx, kari, v.PublicID)
	if got.Summary != "Olas tekst" || got.Version != 2 {
		t.Errorf("stored %q version %d, want Ola's at 2", got.Summary, got.Version)
	}
	// Having seen Ola's text, Kari saves at the current version.
	if got, err = e.s.Update(e.ctx, kari, v.PublicID, stale.Current, nominations.Fields{Summary: ptr("Karis tekst")}); err != nil || got.Version != 3 {
		t.Errorf("save at current version: %v", err)
	}
	// Linking a project does not make an open form stale.
	if _, err := e.s.CreateProject(e.ctx, ola, v.PublicID, nominations.ProjectInput{Title: ptr("P")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Update(e.ctx, kari, v.PublicID, 3, nominations.Fields{Title: ptr("T")}); err != nil {
		t.Errorf("save after a project was linked: %v", err)
	}
}

// TestDeadline moves the deadline into the past with SQL: every change a
// submitter can make is then refused, to the second by the database clock.
func TestDeadline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cycle := e.open()
	kari := e.actor("kari", false, "Asker")
	v, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	v = e.complete(kari, v.PublicID)
	if v, err = e.s.Submit(e.ctx, kari, v.PublicID); err != nil {
		t.Fatal(err)
	}
	p := v.Items[0]
	earlier, err := e.s.Create(e.ctx, kari, e.open(), 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	// One second before the deadline a change still goes through; then
	// wait out the deadline by the database's clock.
	e.exec(`UPDATE cycles SET nomination_deadline = now() + interval '1 second' WHERE public_id = ?`, cycle)
	if v, err = e.s.Update(e.ctx, kari, v.PublicID, v.Version, nominations.Fields{Summary: ptr("I siste liten")}); err != nil {
		t.Fatalf("just before the deadline: %v", err)
	}
	// Wait out the deadline by the database's clock.
	for e.count(`SELECT count(*) FROM cycles WHERE public_id = ? AND now() < nomination_deadline`, cycle) > 0 {
		time.Sleep(100 * time.Millisecond)
	}
	got, err := e.s.Get(e.ctx, kari, v.PublicID)
	if err != nil || got.Open || got.CanEdit || got.Items[0].CanEdit || !got.Items[0].Frozen {
		t.Errorf("after the deadline: open %v edit %v project edit %v frozen %v (%v)", got.Open, got.CanEdit,
			got.Items[0].CanEdit, got.Items[0].Frozen, err)
	}
	checks := map[string]error{}
	_, checks["update"] = e.s.Update(e.ctx, kari, v.PublicID, v.Version, nominations.Fields{Title: ptr("For sent")})
	_, checks["withdraw"] = e.s.Withdraw(e.ctx, kari, v.PublicID)
	_, checks["invite"] = e.s.Invite(e.ctx, kari, v.PublicID, e.orgs["Bærum"])
	_, checks["create project"] = e.s.CreateProject(e.ctx, kari, v.PublicID, nominations.ProjectInput{Title: ptr("x")})
	checks["unlink"] = e.s.UnlinkProject(e.ctx, kari, v.PublicID, p.PublicID)
	_, checks["edit project in nomination"] = e.s.UpdateProject(e.ctx, kari, v.PublicID, p.PublicID, p.Version, nominations.ProjectInput{Title: ptr("x")})
	_, checks["edit project"] = e.s.UpdateProject(e.ctx, kari, "", p.PublicID, p.Version, nominations.ProjectInput{Title: ptr("x")})
	for name, err := range checks {
		want := nominations.ErrClosed
		if name == "edit project" {
			want = nominations.ErrFrozen // outside the nomination: frozen by it
		}
		if awards.ErrorCode(err) != awards.EConflict || !errors.Is(err, want) {
			t.Errorf("%s after the deadline: %v", name, err)
		}
	}
	// Linking the frozen project into another cycle's nomination is fine;
	// changing it is not.
	if _, err := e.s.LinkProject(e.ctx, kari, earlier.PublicID, p.PublicID); err != nil {
		t.Errorf("link frozen project elsewhere: %v", err)
	}
	after, _ := e.s.Get(e.ctx, kari, v.PublicID)
	if after.Title != v.Title || after.Version != v.Version || len(after.Projects) != 1 || after.Projects[0].Title != p.Title {
		t.Errorf("changed after the deadline: %+v", after.Nomination)
	}
	// A draft past the deadline cannot be submitted.
	draft := e.cycle("open", "now() + interval '30 days'", 1, 3)
	d, err := e.s.Create(e.ctx, kari, draft, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	e.complete(kari, d.PublicID)
	e.exec(`UPDATE cycles SET nomination_deadline = now() - interval '1 second' WHERE public_id = ?`, draft)
	_, err = e.s.Submit(e.ctx, kari, d.PublicID)
	if awards.ErrorCode(err) != awards.EConflict || !isClosed(err) {
		t.Errorf("submit after the deadline: %v", err)
	}
}

func TestSubmit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	kari := e.actor("kari", false, "Asker")
	v, err := e.s.Create(e.ctx, kari, e.open(), 0, nominations.Fields{ContactName: ptr(""), ContactEmail: ptr("")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.s.Submit(e.ctx, kari, v.PublicID)
	wantCode(t, "empty draft", err, awards.EInvalid, "projects")
	for _, f := range []string{"title", "summary", "challenge", "contact_name", "contact_email"} {
		if _, ok := awards.ErrorFields(err)[f]; !ok {
			t.Errorf("missing %s not reported: %v", f, awards.ErrorFields(err))
		}
	}
	// A project without a description still blocks.
	if _, err := e.s.CreateProject(e.ctx, kari, v.PublicID, nominations.ProjectInput{Title: ptr("Holmen")}); err != nil {
		t.Fatal(err)
	}
	v = e.complete(kari, v.PublicID)
	_, err = e.s.Submit(e.ctx, kari, v.PublicID)
	wantCode(t, "project without description", err, awards.EInvalid, "projects[0].description")

	if _, err := e.s.UpdateProject(e.ctx, kari, v.PublicID, v.Items[0].PublicID, v.Items[0].Version,
		nominations.ProjectInput{Description: ptr("Nytt svømmeanlegg.")}); err != nil {
		t.Fatal(err)
	}
	got, err := e.s.Submit(e.ctx, kari, v.PublicID)
	if err != nil || got.Status != awards.StatusSubmitted || got.SubmittedAt == nil {
		t.Fatalf("submit: %v %+v", err, got.Nomination)
	}
	receipts := func() (n int) {
		t.Helper()
		if err := e.db.NewRaw(`SELECT count(*) FROM river_job WHERE kind = 'nomination_receipt' AND (args ->> 'nomination_id')::bigint =
			(SELECT id FROM nominations WHERE public_id = ?)`, v.PublicID).Scan(e.ctx, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := receipts(); n != 1 {
		t.Errorf("submitting enqueued %d receipt jobs, want 1", n)
	}
	// Submitting twice changes nothing and sends no second receipt.
	if _, err := e.s.Submit(e.ctx, kari, v.PublicID); err != nil || receipts() != 1 {
		t.Errorf("second submit: %v, %d receipt jobs", err, receipts())
	}
	// Still editable until the deadline.
	if got, err = e.s.Update(e.ctx, kari, v.PublicID, got.Version, nominations.Fields{Summary: ptr("Endret etter innsending")}); err != nil || got.Status != awards.StatusSubmitted {
		t.Errorf("edit after submit: %v", err)
	}
	if got, err = e.s.Withdraw(e.ctx, kari, v.PublicID); err != nil || got.Status != awards.StatusWithdrawn {
		t.Errorf("withdraw: %v", err)
	}
	if got, err = e.s.Submit(e.ctx, kari, v.PublicID); err != nil || got.Status != awards.StatusSubmitted || receipts() != 2 {
		t.Errorf("submit again: %v, %d receipt jobs, want 2", err, receipts())
	}
	actions := []string{}
	entries, _ := audit.List(e.ctx, e.db, "nomination", v.ID)
	for _, en := range entries {
		actions = append(actions, en.Action)
	}
	if want := "create link_project update submit update withdraw submit"; strings.Join(actions, " ") != want {
		t.Errorf("audit %v, want %s", actions, want)
	}
}

func TestIneligible(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	kari := e.actor("kari", false, "Asker")
	tore := e.actor("tore", false, "Træna")
	admin := e.actor("admin", true)
	v, err := e.s.Create(e.ctx, kari, e.open(), 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.s.SetIneligible(e.ctx, admin, v.PublicID, true, "Ikke sendt inn")
	wantCode(t, "draft", err, awards.EConflict, "")
	e.complete(kari, v.PublicID)
	if _, err := e.s.Submit(e.ctx, kari, v.PublicID); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.SetIneligible(e.ctx, kari, v.PublicID, true, "Egen vurdering")
	wantCode(t, "submitter", err, awards.EForbidden, "")
	_, err = e.s.SetIneligible(e.ctx, tore, v.PublicID, true, "Konkurrent")
	wantCode(t, "other municipality", err, awards.ENotFound, "")
	_, err = e.s.SetIneligible(e.ctx, admin, v.PublicID, true, "  ")
	wantCode(t, "no reason", err, awards.EInvalid, "reason")
	got, err := e.s.SetIneligible(e.ctx, admin, v.PublicID, true, "Søknaden gjelder et fylke, ikke en kommune.")
	if err != nil || got.Status != awards.StatusIneligible {
		t.Fatalf("mark: %v", err)
	}
	seen, _ := e.s.Get(e.ctx, kari, v.PublicID)
	if seen.IneligibleReason != "Søknaden gjelder et fylke, ikke en kommune." || seen.CanEdit {
		t.Errorf("submitter sees %q, can edit %v", seen.IneligibleReason, seen.CanEdit)
	}
	_, err = e.s.Update(e.ctx, kari, v.PublicID, seen.Version, nominations.Fields{Title: ptr("x")})
	wantCode(t, "edit ineligible", err, awards.EConflict, "")
	_, err = e.s.Withdraw(e.ctx, kari, v.PublicID)
	wantCode(t, "withdraw ineligible", err, awards.EConflict, "")
	got, err = e.s.SetIneligible(e.ctx, admin, v.PublicID, false, "")
	if err != nil || got.Status != awards.StatusSubmitted || got.IneligibleReason != "" {
		t.Errorf("undo: %v %s", err, got.Status)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE entity = 'nomination' AND entity_id = ? AND action IN ('mark_ineligible', 'undo_ineligible')`, v.ID); n != 2 {
		t.Errorf("%d eligibility audit entries, want 2", n)
	}
}

func TestChecklistAndProgress(t *testing.T) {
	t.Parallel()
	full := awards.Nomination{Title: "T", Summary: "S", Challenge: awards.ChallengeRenewal, ContactName: "Kari",
		ContactEmail: "kari@asker.kommune.no", Status: awards.StatusDraft,
		Projects: []awards.Project{{PublicID: "p1", Title: "P", Description: "D"}}}
	tests := []struct {
		name   string
		change func(n *awards.Nomination)
		want   []string
	}{
		{"complete", func(*awards.Nomination) {}, nil},
		{"empty", func(n *awards.Nomination) { *n = awards.Nomination{} },
			[]string{"title", "summary", "challenge", "contact_name", "contact_email", "projects"}},
		{"blank title", func(n *awards.Nomination) { n.Title = "  " }, []string{"title"}},
		{"bad e-mail", func(n *awards.Nomination) { n.ContactEmail = "kari@" }, []string{"contact_email"}},
		{"second project bare", func(n *awards.Nomination) {
			n.Projects = append(n.Projects, awards.Project{PublicID: "p2", Title: "Q"})
		}, []string{"projects[1].description"}},
	}
	for _, tt := range tests {
		n := full
		n.Projects = append([]awards.Project(nil), full.Projects...)
		tt.change(&n)
		var got []string
		for _, m := range nominations.Checklist(n) {
			got = append(got, m.Field)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: missing %v, want %v", tt.name, got, tt.want)
		}
	}
	p := nominations.ProgressOf(awards.Nomination{Title: "T", ContactEmail: "kari@asker.kommune.no",
		Projects: []awards.Project{{Title: "P"}, {Title: "Q", Description: "D"}}, Status: awards.StatusDraft})
	want := nominations.Progress{Facts: nominations.InProgress, Nominees: nominations.Complete, Contact: nominations.InProgress,
		Projects: []nominations.Status{nominations.InProgress, nominations.Complete}, Submit: nominations.NotStarted}
	if p.Facts != want.Facts || p.Contact != want.Contact || p.Submit != want.Submit || len(p.Projects) != 2 ||
		p.Projects[0] != want.Projects[0] || p.Projects[1] != want.Projects[1] {
		t.Errorf("progress %+v, want %+v", p, want)
	}
	if p := nominations.ProgressOf(full); p.Facts != nominations.Complete || p.Contact != nominations.Complete {
		t.Errorf("complete progress %+v", p)
	}
	if p := nominations.ProgressOf(awards.Nomination{}); p.Facts != nominations.NotStarted || p.Contact != nominations.NotStarted {
		t.Errorf("empty progress %+v", p)
	}
}

// TestDelete: a draft never submitted is deleted by its organisation's
// members only, its projects staying with the organisation; a submitted
// or withdrawn nomination is withdrawn, not deleted.
func TestDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	kari := e.actor("kari", false, "Asker")
	tore := e.actor("tore", false, "Træna")
	admin := e.actor("admin", true)
	cycle := e.cycle("open", "now() + interval '30 days'", 0, 3)
	draft, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	e.complete(kari, draft.PublicID)
	projects := e.count(`SELECT count(*) FROM projects`)
	wantCode(t, "another municipality", e.s.Delete(e.ctx, tore, draft.PublicID), awards.ENotFound, "")
	wantCode(t, "an admin", e.s.Delete(e.ctx, admin, draft.PublicID), awards.EForbidden, "")
	if err := e.s.Delete(e.ctx, kari, draft.PublicID); err != nil {
		t.Fatalf("delete the draft: %v", err)
	}
	_, err = e.s.Get(e.ctx, kari, draft.PublicID)
	wantCode(t, "read after deleting", err, awards.ENotFound, "")
	if n := e.count(`SELECT count(*) FROM projects`); n != projects {
		t.Errorf("%d projects after deleting the draft, want %d", n, projects)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE entity = 'nomination' AND entity_id = ? AND action = 'delete'`, draft.ID); n != 1 {
		t.Errorf("%d audit entries of the deletion, want 1", n)
	}

	sent, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	e.complete(kari, sent.PublicID)
	if _, err := e.s.Submit(e.ctx, kari, sent.PublicID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "submitted", e.s.Delete(e.ctx, kari, sent.PublicID), awards.EConflict, "")
	if _, err := e.s.Withdraw(e.ctx, kari, sent.PublicID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "withdrawn", e.s.Delete(e.ctx, kari, sent.PublicID), awards.EConflict, "")

	closed, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	e.exec(`UPDATE cycles SET nomination_deadline = now() - interval '1 minute' WHERE public_id = ?`, cycle)
	wantCode(t, "after the deadline", e.s.Delete(e.ctx, kari, closed.PublicID), awards.EConflict, "")
}
