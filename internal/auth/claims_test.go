package auth

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOrgnrs(t *testing.T) {
	t.Parallel()
	// Shapes as Ansattporten returns them.
	raw := `{
		"sub": "x",
		"authorization_details": [
			{"type": "ansattporten:altinn:service",
			 "authorized_parties": [{"orgno": {"authority": "iso6523-actorid-upis", "ID": "0192:974760673"}, "name": "ASKER KOMMUNE"}],
			 "reportees": [{"ID": "0192:945974900", "Name": "TRÆNA KOMMUNE"}]},
			{"type": "other", "authorized_parties": [{"orgno": {"ID": "not-a-number"}}]}
		],
		"orgnr": "974760673"
	}`
	var claims map[string]any
	if err := json.Unmarshal([]byte(raw), &claims); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		paths []string
		want  []string
	}{
		{[]string{"authorization_details[].authorized_parties[].orgno.ID"}, []string{"974760673"}},
		{[]string{"authorization_details[].reportees[].ID"}, []string{"945974900"}},
		{[]string{"authorization_details[].authorized_parties[].orgno.ID", "authorization_details[].reportees[].ID", "orgnr"}, []string{"974760673", "945974900"}},
		{[]string{"missing[].path"}, nil},
		{[]string{"sub"}, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Orgnrs(claims, tt.paths)); diff != "" {
			t.Errorf("Orgnrs(%v) (-want +got):\n%s", tt.paths, diff)
		}
	}
}
