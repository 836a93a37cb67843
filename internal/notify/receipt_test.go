package notify

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
)

// TestReceiptVisibility: the receipt is for the nominees' members and
// admins; to anyone else, and before submission, it does not exist.
func TestReceiptVisibility(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	s := NewService(w.db)
	member := func(name, org string) *awards.Actor {
		orgID := map[string]int64{"asker": w.asker, "traena": w.traena, "baerum": w.baerum}[org]
		return &awards.Actor{User: awards.User{ID: w.users[name]}, Memberships: []awards.Membership{{UserID: w.users[name], OrganisationID: orgID, Role: awards.RoleSubmitter}}}
	}
	admin := &awards.Actor{User: awards.User{ID: 999, IsAdmin: true}}

	// A draft has no receipt, not even for its own members.
	if _, err := s.Receipt(ctx, member("kari", "asker"), w.publicID); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("receipt of a draft: %v, want not found", err)
	}
	w.submit(t, w.nomination, false)

	tests := []struct {
		name   string
		actor  *awards.Actor
		number string
		want   string // error code, "" for success
	}{
		{"member of the first nominee", member("kari", "asker"), w.publicID, ""},
		{"member of the second nominee", member("tore", "traena"), w.publicID, ""},
		{"admin", admin, w.publicID, ""},
		{"member of another municipality", member("bo", "baerum"), w.publicID, awards.ENotFound},
		{"anonymous", &awards.Actor{}, w.publicID, awards.ENotFound},
		{"unknown number", admin, "0123456789abcdef0123456789abcdef", awards.ENotFound},
		{"not a number at all", admin, "'; DROP TABLE nominations; --", awards.ENotFound},
		{"empty number", admin, "", awards.ENotFound},
	}
	for _, tt := range tests {
		r, err := s.Receipt(ctx, tt.actor, tt.number)
		if got := awards.ErrorCode(err); got != tt.want {
			t.Errorf("%s: error %v, want code %q", tt.name, err, tt.want)
			continue
		}
		if err != nil {
			continue
		}
		var nominees []string
		for _, o := range r.Nominees {
			nominees = append(nominees, o.Name)
		}
		got := []any{r.Number, r.Title, r.CycleTitle, nominees, r.Projects, r.Deadline.Equal(deadline), r.SubmittedAt.IsZero(), r.Path()}
		want := []any{w.publicID, "Løsningsjakten", "Innovasjonsprisen 2027", []string{"Asker kommune", "Træna kommune"},
			[]string{"Holmen svømmehall", "Asker velferdslab"}, true, false, "/nominasjoner/" + w.publicID + "/kvittering"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: receipt (-want +got):\n%s", tt.name, diff)
		}
	}
}
