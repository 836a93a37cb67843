package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestDemoUsersLogIn logs every demo user in through the real OIDC flow
// and checks what /api/v1/me says about them.
func TestDemoUsersLogIn(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	tests := []struct {
		user  string
		roles []string
		org   string
	}{
		{"admin", []string{"admin", "submitter"}, "Kommunal- og distriktsdepartementet"},
		{"asker", []string{"submitter"}, "Asker"},
		{"traena", []string{"submitter"}, "Træna"},
		{"jury-chair", []string{"juror", "chair"}, ""},
		{"jury-1", []string{"juror"}, ""},
		{"jury-2", []string{"juror"}, ""},
	}
	for _, tt := range tests {
		c := a.Login(t, tt.user)
		status, body := a.Do(t, c, http.MethodGet, "/api/v1/me", "")
		if status != http.StatusOK {
			t.Fatalf("%s: /api/v1/me = %d %s", tt.user, status, body)
		}
		var me struct {
			Subject       string   `json:"subject"`
			Roles         []string `json:"roles"`
			Organisations []struct {
				Name string `json:"name"`
			} `json:"organisations"`
		}
		if err := json.Unmarshal([]byte(body), &me); err != nil {
			t.Fatal(err)
		}
		if me.Subject != tt.user || strings.Join(me.Roles, ",") != strings.Join(tt.roles, ",") {
			t.Errorf("%s: subject %q roles %v, want roles %v", tt.user, me.Subject, me.Roles, tt.roles)
		}
		if tt.org != "" && (len(me.Organisations) != 1 || me.Organisations[0].Name != tt.org) {
			t.Errorf("%s: organisations %+v, want %s", tt.user, me.Organisations, tt.org)
		}
		_, home := a.Do(t, c, http.MethodGet, "/", "")
		if !strings.Contains(home, "Logg ut") {
			t.Errorf("%s: home page has no log-out button", tt.user)
		}
	}
}
