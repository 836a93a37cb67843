package attachments_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

// TestSuccessorsSeeFiles: the files of a project of Asker 0220 (which
// became Asker 3025 in 2020 and today's Asker in 2024) are today's
// Asker's to read, as the project is, but not to change; other
// municipalities learn nothing of them.
func TestSuccessorsSeeFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	var asker3025, asker0220, userID int64
	f.mustScan(t, `INSERT INTO organisations (kind, name, number, valid_to, successor_id) VALUES ('municipality', 'Asker', '3025', '2024-01-01', ?)
		RETURNING id`, &asker3025, f.asker)
	f.mustScan(t, `INSERT INTO organisations (kind, name, number, valid_to, successor_id) VALUES ('municipality', 'Asker', '0220', '2020-01-01', ?)
		RETURNING id`, &asker0220, asker3025)
	var project string
	f.mustScan(t, `INSERT INTO projects (organisation_id, title) VALUES (?, 'Asker velferdslab') RETURNING public_id`, &project, asker0220)
	// Asker 0220's own member, as in 2017, adds a file.
	f.mustScan(t, `INSERT INTO users (issuer, subject, name) VALUES ('test', 'kari2017', 'Kari') RETURNING id`, &userID)
	then := &awards.Actor{User: awards.User{ID: userID}, Memberships: []awards.Membership{{UserID: userID, OrganisationID: asker0220, Role: awards.RoleSubmitter}}}
	a, err := f.svc.Upload(ctx, then, project, "rapport.pdf", "", bytes.NewReader(pdfFile))
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name         string
		actor        *awards.Actor
		read, change string
	}{
		{"today's Asker", f.owner, "", awards.EForbidden},
		{"Træna", f.outsider, awards.ENotFound, awards.ENotFound},
	} {
		l, lerr := f.svc.List(ctx, tc.actor, project)
		_, body, gerr := f.svc.Get(ctx, tc.actor, a.PublicID)
		if body != nil {
			body.Close()
		}
		_, uerr := f.svc.Upload(ctx, tc.actor, project, "ny.pdf", "", bytes.NewReader(pdfFile))
		_, derr := f.svc.Delete(ctx, tc.actor, a.PublicID)
		if awards.ErrorCode(lerr) != tc.read || awards.ErrorCode(gerr) != tc.read {
			t.Errorf("%s reads: list %v, get %v; want %q", tc.name, lerr, gerr, tc.read)
		}
		if awards.ErrorCode(uerr) != tc.change || awards.ErrorCode(derr) != tc.change {
			t.Errorf("%s changes: upload %v, delete %v; want %q", tc.name, uerr, derr, tc.change)
		}
		if lerr == nil && (len(l.Attachments) != 1 || l.CanChange) {
			t.Errorf("%s lists %+v", tc.name, l)
		}
	}
}
