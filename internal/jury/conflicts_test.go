package jury_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/jury"
)

func TestDeclareRefusesBadInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seat("jon", false)
	jon := w.actor("jon")
	asker, traena, baerum := w.orgs["Asker"], w.orgs["Træna"], w.orgs["Bærum"]
	none := func(org int64) jury.Answer { return jury.Answer{OrganisationID: org, Conflict: jury.NoConflict} }
	for _, tt := range []struct {
		name   string
		in     jury.DeclarationInput
		fields map[string]string
	}{
		{"nothing", jury.DeclarationInput{}, map[string]string{
			jury.OrgField(asker): "jury.error.choose", jury.OrgField(traena): "jury.error.choose"}},
		{"one missing", jury.DeclarationInput{Answers: []jury.Answer{none(asker)}}, map[string]string{
			jury.OrgField(traena): "jury.error.choose"}},
		{"conflict without reason", jury.DeclarationInput{Answers: []jury.Answer{none(asker),
			{OrganisationID: traena, Conflict: jury.Employed, Reason: "  "}}}, map[string]string{
			jury.ReasonField(traena): "jury.error.reason_required"}},
		{"reason too long", jury.DeclarationInput{Answers: []jury.Answer{none(asker),
			{OrganisationID: traena, Conflict: jury.Other, Reason: strings.Repeat("x", 501)}}}, map[string]string{
			jury.ReasonField(traena): "form.error.too_long"}},
		{"organisation not nominated", jury.DeclarationInput{Answers: []jury.Answer{none(asker), none(traena), none(baerum)}},
			map[string]string{jury.OrgField(baerum): "jury.error.unknown_org"}},
		{"no such organisation", jury.DeclarationInput{Answers: []jury.Answer{none(asker), none(traena), none(999999)}},
			map[string]string{jury.OrgField(999999): "jury.error.unknown_org"}},
		{"unknown kind", jury.DeclarationInput{Answers: []jury.Answer{none(asker), {OrganisationID: traena, Conflict: "member", Reason: "x"}}},
			map[string]string{jury.OrgField(traena): "form.error.choice"}},
		{"twice", jury.DeclarationInput{Answers: []jury.Answer{none(asker), none(traena), none(traena)}},
			map[string]string{jury.OrgField(traena): "jury.error.duplicate"}},
		{"none and answers", jury.DeclarationInput{NoneAtAll: true, Answers: []jury.Answer{none(asker)}},
			map[string]string{"none": "jury.error.none_and_answers"}},
	} {
		_, err := w.s.Declare(w.ctx, jon, w.cycle.PublicID, tt.in)
		wantErr(t, tt.name, err, awards.EInvalid, nil)
		if diff := cmp.Diff(tt.fields, awards.ErrorFields(err)); diff != "" {
			t.Errorf("%s: fields (-want +got):\n%s", tt.name, diff)
		}
	}
	if n := w.count(`SELECT count(*) FROM conflicts`) + w.count(`SELECT count(*) FROM conflict_reviews`) +
		w.count(`SELECT count(*) FROM jurors WHERE declared_at IS NOT NULL`); n != 0 {
		t.Errorf("refused declarations stored %d rows", n)
	}

	_, err := w.s.Declare(w.ctx, w.actor("jenny"), w.cycle.PublicID, jury.DeclarationInput{NoneAtAll: true})
	wantErr(t, "not a juror", err, awards.EForbidden, jury.ErrNotJuror)
	_, err = w.s.Declaration(w.ctx, w.actor("admin"), w.cycle.PublicID)
	wantErr(t, "admin without seat", err, awards.EForbidden, jury.ErrNotJuror)
	_, err = w.s.Declare(w.ctx, &awards.Actor{}, w.cycle.PublicID, jury.DeclarationInput{NoneAtAll: true})
	wantErr(t, "anonymous", err, awards.EUnauthenticated, nil)
	_, err = w.s.Declaration(w.ctx, jon, "nosuchcycle")
	wantErr(t, "unknown cycle", err, awards.ENotFound, nil)
	w.exec(`UPDATE cycles SET phase = 'draft' WHERE id = ?`, w.cycle.ID)
	_, err = w.s.Declaration(w.ctx, w.actor("jenny"), w.cycle.PublicID)
	wantErr(t, "draft cycle, not a juror", err, awards.ENotFound, nil)
	if _, err := w.s.Declaration(w.ctx, jon, w.cycle.PublicID); err != nil {
		t.Errorf("a seat shows its draft cycle: %v", err)
	}
}

func TestDeclareAndSee(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	jon := w.seat("jon", false)
	asker, traena := w.orgs["Asker"], w.orgs["Træna"]

	// Before declaring, nothing.
	d, err := w.s.Declaration(w.ctx, w.actor("jon"), w.cycle.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range d.Organisations {
		names = append(names, o.Name+":"+o.Conflict())
	}
	if diff := cmp.Diff([]string{"Asker:", "Træna:"}, names); diff != "" {
		t.Errorf("organisations before declaring (-want +got):\n%s", diff)
	}
	if d.Complete() || !d.NeedsReview() {
		t.Error("an undeclared declaration is complete")
	}
	if w.canRead("jon", w.asker) || w.canRead("jon", w.traena) || w.canReadProject("jon") {
		t.Error("a juror reads nominations before declaring")
	}

	res, err := w.s.Declare(w.ctx, w.actor("jon"), w.cycle.PublicID, jury.DeclarationInput{Answers: []jury.Answer{
		{OrganisationID: asker, Conflict: jury.NoConflict, Reason: "ignored"},
		{OrganisationID: traena, Conflict: jury.Employed, Reason: " Ansatt i Træna kommune "},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Declaration.Complete() || len(res.Excluded) != 0 {
		t.Errorf("result = %+v", res)
	}
	if !w.canRead("jon", w.asker) || !w.canReadProject("jon") {
		t.Error("a declared juror cannot read Asker's nomination and its project")
	}
	if w.canRead("jon", w.traena) {
		t.Error("a conflicted juror reads Træna's nomination")
	}
	if w.canRead("jon", w.baerum) {
		t.Error("a juror reads a draft")
	}
	var stored []struct {
		Kind, Reason string
	}
	if err := w.db.NewRaw(`SELECT kind, reason FROM conflicts WHERE juror_id = ?`, jon).Scan(w.ctx, &stored); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]struct{ Kind, Reason string }{{"employed", "Ansatt i Træna kommune"}}, stored); diff != "" {
		t.Errorf("conflicts (-want +got):\n%s", diff)
	}

	// A new nominee must be reviewed; until then its nomination stays
	// hidden, the others do not.
	w.exec(`UPDATE nominations SET status = 'submitted', submitted_at = now() WHERE id = ?`, w.baerum)
	d, _ = w.s.Declaration(w.ctx, w.actor("jon"), w.cycle.PublicID)
	if !d.NeedsReview() || d.Complete() {
		t.Error("a new nominee does not ask for review")
	}
	if seats, _ := w.s.Seats(w.ctx, w.actor("jon")); len(seats) != 1 || !seats[0].NeedsReview || seats[0].Declared() || seats[0].Nominations != 1 {
		t.Errorf("seats = %+v", seats)
	}
	if w.canRead("jon", w.baerum) || !w.canRead("jon", w.asker) {
		t.Error("review: wrong nominations visible")
	}
	// Changing one's mind: Træna no longer a conflict, Bærum reviewed.
	if _, err := w.s.Declare(w.ctx, w.actor("jon"), w.cycle.PublicID, jury.DeclarationInput{NoneAtAll: true}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int64{w.asker, w.traena, w.baerum} {
		if !w.canRead("jon", n) {
			t.Errorf("nomination %d hidden after declaring none", n)
		}
	}
	if n := w.count(`SELECT count(*) FROM conflicts WHERE juror_id = ?`, jon); n != 0 {
		t.Errorf("%d conflicts left after declaring none", n)
	}
	if seats, _ := w.s.Seats(w.ctx, w.actor("jon")); len(seats) != 1 || !seats[0].Declared() || seats[0].Nominations != 3 {
		t.Errorf("seats = %+v", seats)
	}
	entries, err := audit.List(w.ctx, w.db, "juror", jon)
	if err != nil || len(entries) != 2 || entries[0].Action != "declare" {
		t.Errorf("audit = %+v, %v", entries, err)
	}

	// In 'auto' mode, only assigned nominations.
	w.exec(`UPDATE cycles SET assignment_mode = 'auto' WHERE id = ?`, w.cycle.ID)
	if w.canRead("jon", w.asker) {
		t.Error("an unassigned nomination is readable in auto mode")
	}
	w.exec(`INSERT INTO assignments (juror_id, nomination_id) VALUES (?, ?)`, jon, w.asker)
	if !w.canRead("jon", w.asker) || w.canRead("jon", w.traena) {
		t.Error("auto mode: the assignment does not decide")
	}
}

func TestMembershipIsAConflict(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seat("kari", false) // kari is a member of Asker
	d, err := w.s.Declaration(w.ctx, w.actor("kari"), w.cycle.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range d.Organisations {
		if got, want := o.Conflict(), map[string]string{"Asker": jury.Member, "Træna": ""}[o.Name]; got != want || o.Automatic != (o.Name == "Asker") {
			t.Errorf("%s: conflict %q automatic %v", o.Name, got, o.Automatic)
		}
	}
	_, err = w.s.Declare(w.ctx, w.actor("kari"), w.cycle.PublicID, jury.DeclarationInput{Answers: []jury.Answer{
		{OrganisationID: w.orgs["Asker"], Conflict: jury.NoConflict}, {OrganisationID: w.orgs["Træna"], Conflict: jury.NoConflict}}})
	wantErr(t, "none for a member organisation", err, awards.EInvalid, nil)
	if diff := cmp.Diff(map[string]string{jury.OrgField(w.orgs["Asker"]): "jury.error.automatic"}, awards.ErrorFields(err)); diff != "" {
		t.Error(diff)
	}
	if _, err := w.s.Declare(w.ctx, w.actor("kari"), w.cycle.PublicID, jury.DeclarationInput{NoneAtAll: true}); err != nil {
		t.Fatal(err)
	}
	if w.canRead("kari", w.asker) {
		t.Error("a member reads her organisation's nomination as a juror")
	}
	if !w.canRead("kari", w.traena) {
		t.Error("a member cannot read the other nomination")
	}
	if n := w.count(`SELECT count(*) FROM conflict_reviews r JOIN jurors j ON j.id = r.juror_id WHERE j.user_id = ?`, w.users["kari"]); n != 1 {
		t.Errorf("%d organisations reviewed, want 1 (membership is no answer)", n)
	}
}

func TestLateConflictExcludesScores(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	jon := w.seat("jon", false)
	w.declareNone("jon")
	w.submitScores(jon, w.asker)
	w.submitScores(jon, w.traena)
	res, err := w.s.Declare(w.ctx, w.actor("jon"), w.cycle.PublicID, jury.DeclarationInput{Answers: []jury.Answer{
		{OrganisationID: w.orgs["Asker"], Conflict: jury.Involvement, Reason: "Jeg var med i Løsningsjakten"},
		{OrganisationID: w.orgs["Træna"], Conflict: jury.NoConflict},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{w.asker}, res.Excluded); diff != "" {
		t.Errorf("excluded (-want +got):\n%s", diff)
	}
	var rows []struct {
		NominationID int64   `bun:"nomination_id"`
		Reason       *string `bun:"excluded_reason"`
	}
	if err := w.db.NewRaw(`SELECT nomination_id, excluded_reason FROM score_submissions WHERE juror_id = ? ORDER BY nomination_id`, jon).Scan(w.ctx, &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Reason == nil || !strings.HasPrefix(*rows[0].Reason, "conflict declared 20") || rows[1].Reason != nil {
		t.Errorf("submissions = %+v", rows)
	}
	if n := w.count(`SELECT count(*) FROM scores WHERE juror_id = ?`, jon); n != 2 {
		t.Errorf("%d scores kept, want 2", n)
	}
	entries, err := audit.List(w.ctx, w.db, "nomination", w.asker)
	if err != nil || len(entries) != 1 || entries[0].Action != "exclude_scores" {
		t.Fatalf("audit = %+v, %v", entries, err)
	}
	var after map[string]any
	if err := json.Unmarshal(entries[0].After, &after); err != nil || after["juror_id"] != float64(jon) {
		t.Errorf("audit after = %s", entries[0].After)
	}
	// Declaring again excludes nothing more.
	res, err = w.s.Declare(w.ctx, w.actor("jon"), w.cycle.PublicID, jury.DeclarationInput{Answers: []jury.Answer{
		{OrganisationID: w.orgs["Asker"], Conflict: jury.Involvement, Reason: "Jeg var med i Løsningsjakten"},
		{OrganisationID: w.orgs["Træna"], Conflict: jury.NoConflict},
	}})
	if err != nil || len(res.Excluded) != 0 {
		t.Errorf("second declaration: %+v %v", res, err)
	}
}

func TestConflictOverview(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seat("jorunn", true)
	w.seat("jon", false)
	w.seat("kari", false)
	if _, err := w.s.Declare(w.ctx, w.actor("jorunn"), w.cycle.PublicID, jury.DeclarationInput{Answers: []jury.Answer{
		{OrganisationID: w.orgs["Asker"], Conflict: jury.NoConflict},
		{OrganisationID: w.orgs["Træna"], Conflict: jury.Family, Reason: "Søsteren min leder prosjektet"},
	}}); err != nil {
		t.Fatal(err)
	}
	_, err := w.s.Conflicts(w.ctx, w.actor("jon"), w.cycle.PublicID)
	wantErr(t, "juror", err, awards.EForbidden, nil)
	_, err = w.s.Conflicts(w.ctx, w.actor("tore"), w.cycle.PublicID)
	wantErr(t, "outsider", err, awards.EForbidden, nil)
	_, err = w.s.Conflicts(w.ctx, &awards.Actor{}, "nosuchcycle")
	wantErr(t, "unknown cycle", err, awards.ENotFound, nil)

	type line struct {
		Title  string
		Hidden bool
		Aside  []string
	}
	summary := func(o jury.ConflictOverview) []line {
		var out []line
		for _, n := range o.Nominations {
			l := line{Title: n.Title, Hidden: n.Hidden}
			for _, r := range n.SteppedAside {
				l.Aside = append(l.Aside, r.JurorName+":"+r.Kind+":"+r.Reason)
			}
			out = append(out, l)
		}
		return out
	}
	admin, err := w.s.Conflicts(w.ctx, w.actor("admin"), w.cycle.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	want := []line{
		{Title: "Asker velferdslab", Aside: []string{"Kari:member:"}},
		{Title: "Træna", Aside: []string{"Jorunn:family:Søsteren min leder prosjektet"}},
	}
	if diff := cmp.Diff(want, summary(admin)); diff != "" {
		t.Errorf("admin's overview (-want +got):\n%s", diff)
	}
	var declared []string
	for _, j := range admin.Jurors {
		declared = append(declared, j.Name+":"+map[bool]string{true: "declared", false: "not"}[j.Declared()])
	}
	if diff := cmp.Diff([]string{"Jorunn:declared", "Jon:not", "Kari:not"}, declared); diff != "" {
		t.Errorf("jurors (-want +got):\n%s", diff)
	}
	chair, err := w.s.Conflicts(w.ctx, w.actor("jorunn"), w.cycle.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	// The chair stepped aside from Træna's: she sees who, not its title.
	want[1].Title, want[1].Hidden = "", true
	if diff := cmp.Diff(want, summary(chair)); diff != "" {
		t.Errorf("chair's overview (-want +got):\n%s", diff)
	}
}
