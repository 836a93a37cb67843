package nominations_test

import (
	"errors"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/nominations"
)

// TestExtension: an admin gives one nomination a later deadline; it takes
// changes, files and a submission after the cycle's deadline while its
// neighbour does not, shows the extension to its own nominees only, holds
// by the database's clock and ends with it, and is audited.
func TestExtension(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cycle := e.open()
	admin := e.actor("admin", true)
	kari := e.actor("kari", false, "Asker")
	trine := e.actor("trine", false, "Træna")
	late, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{Title: ptr("Velferdslab")})
	if err != nil {
		t.Fatal(err)
	}
	e.complete(kari, late.PublicID)
	other, err := e.s.Create(e.ctx, trine, cycle, 0, nominations.Fields{Title: ptr("Kystlab")})
	if err != nil {
		t.Fatal(err)
	}

	// Bad input, before the deadline passes: each names its field and
	// leaves the nomination as it was.
	for _, tt := range []struct {
		name   string
		until  time.Time
		reason string
		field  string
	}{
		{"no reason", time.Now().Add(72 * time.Hour), "  ", "extension_reason"},
		{"in the past", time.Now().Add(-time.Hour), "Feil i Heder", "extended_until"},
		{"before the cycle's deadline", time.Now().Add(24 * time.Hour), "Feil i Heder", "extended_until"},
	} {
		until := tt.until
		_, err := e.s.SetExtension(e.ctx, admin, late.PublicID, &until, tt.reason)
		wantCode(t, tt.name, err, awards.EInvalid, tt.field)
	}
	until := time.Now().Add(40 * 24 * time.Hour)
	if _, err := e.s.SetExtension(e.ctx, kari, late.PublicID, &until, "Selv"); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("a submitter extending their own deadline: %v, want forbidden", err)
	}
	if e.count(`SELECT count(*) FROM nominations WHERE extended_until IS NOT NULL`) != 0 {
		t.Fatal("a refused extension was stored")
	}

	// The cycle's deadline passes; the extension is given after it, until
	// a few seconds ahead.
	e.exec(`UPDATE cycles SET nomination_deadline = now() - interval '1 minute' WHERE public_id = ?`, cycle)
	until = time.Now().Add(3 * time.Second)
	v, err := e.s.SetExtension(e.ctx, admin, late.PublicID, &until, "Innloggingen var nede fredag.")
	if err != nil {
		t.Fatal(err)
	}
	if !v.Open || v.Extension == nil || v.Extension.Reason != "Innloggingen var nede fredag." {
		t.Fatalf("after the extension: open %v, extension %+v", v.Open, v.Extension)
	}
	got, err := e.s.Get(e.ctx, kari, late.PublicID)
	if err != nil || !got.Open || !got.CanEdit || got.Extension == nil {
		t.Fatalf("the nominee's view: open %v, edit %v, extension %+v (%v)", got.Open, got.CanEdit, got.Extension, err)
	}
	if got, err = e.s.Update(e.ctx, kari, late.PublicID, got.Version, nominations.Fields{Summary: ptr("Etter fristen, med lov")}); err != nil {
		t.Fatalf("a change under the extension: %v", err)
	}
	p := got.Items[0]
	if _, err := e.s.UpdateProject(e.ctx, kari, late.PublicID, p.PublicID, p.Version, nominations.ProjectInput{Results: ptr("Målt")}); err != nil {
		t.Errorf("a project change under the extension: %v", err)
	}
	if got, err = e.s.Submit(e.ctx, kari, late.PublicID); err != nil || got.Status != awards.StatusSubmitted {
		t.Fatalf("submitting under the extension: %v", err)
	}
	// The neighbour keeps the cycle's deadline, and sees nothing of it.
	if _, err := e.s.Update(e.ctx, trine, other.PublicID, other.Version, nominations.Fields{Summary: ptr("Jeg også")}); !errors.Is(err, nominations.ErrClosed) {
		t.Errorf("another nomination after the cycle's deadline: %v, want closed", err)
	}
	if o, err := e.s.Get(e.ctx, trine, other.PublicID); err != nil || o.Open || o.Extension != nil {
		t.Errorf("the neighbour: open %v, extension %+v (%v)", o.Open, o.Extension, err)
	}
	// The lists show the nomination's own deadline.
	mine, err := e.s.Mine(e.ctx, kari)
	if err != nil || len(mine) != 1 || mine[0].Deadline == nil || !mine[0].Deadline.Equal(until.Truncate(time.Microsecond)) {
		t.Errorf("the home list's deadline: %+v (%v), want %s", mine, err, until)
	}

	// The extension ends by the database's clock.
	for e.count(`SELECT count(*) FROM nominations WHERE public_id = ? AND now() < extended_until`, late.PublicID) > 0 {
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := e.s.Update(e.ctx, kari, late.PublicID, got.Version, nominations.Fields{Summary: ptr("For sent")}); !errors.Is(err, nominations.ErrClosed) {
		t.Errorf("after the extension: %v, want closed", err)
	}
	if after, _ := e.s.Get(e.ctx, kari, late.PublicID); after.Open || !after.Items[0].Frozen {
		t.Errorf("after the extension: open %v, project frozen %v", after.Open, after.Items[0].Frozen)
	}

	// Taken back, audited both ways; closing the call ends giving them.
	if v, err = e.s.SetExtension(e.ctx, admin, late.PublicID, nil, ""); err != nil || v.Extension != nil {
		t.Fatalf("taking the extension back: %+v (%v)", v.Extension, err)
	}
	entries, err := audit.List(e.ctx, e.db, "nomination", v.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, en := range entries {
		if en.Action == "extend_deadline" || en.Action == "remove_extension" {
			actions = append(actions, en.Action)
		}
	}
	if len(actions) != 2 || actions[0] != "extend_deadline" || actions[1] != "remove_extension" {
		t.Errorf("audited %v, want the extension and its removal", actions)
	}
	e.exec(`UPDATE cycles SET phase = 'closed' WHERE public_id = ?`, cycle)
	until = time.Now().Add(48 * time.Hour)
	if _, err := e.s.SetExtension(e.ctx, admin, late.PublicID, &until, "For sent"); awards.ErrorCode(err) != awards.EConflict {
		t.Errorf("an extension once the call is closed: %v, want conflict", err)
	}
}
