package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
)

// TestIDJSON: an ID is written as a string and read only from one; a
// number, or a string that is no ID, is refused naming the field, as the
// problem details show it.
func TestIDJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(AssignmentCellsPut{Cells: []AssignmentCellPut{{JurorID: 42, NominationID: "ab", State: "assigned"}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"cells":[{"juror_id":"42","nomination_id":"ab","state":"assigned"}]}`; string(b) != want {
		t.Errorf("marshal: %s, want %s", b, want)
	}
	var in AssignmentCellsPut
	if err := decode(t, string(b), &in); err != nil || in.Cells[0].JurorID != 42 {
		t.Errorf("decode %s: %v, %+v", b, err, in)
	}
	var remind JuryRemind
	if err := decode(t, `{"juror_id":null}`, &remind); err != nil || remind.JurorID != 0 {
		t.Errorf("null: %v, %+v", err, remind)
	}
	for body, field := range map[string]string{
		`{"juror_id":42}`:               "juror_id",
		`{"juror_id":"x"}`:              "juror_id",
		`{"juror_id":"0"}`:              "juror_id",
		`{"juror_id":"-3"}`:             "juror_id",
		`{"juror_id":"4.0"}`:            "juror_id",
		`{"juror_id":true}`:             "juror_id",
		`{"juror_id":["1"]}`:            "juror_id",
		`{"user_id":7,"role":"member"}`: "user_id",
	} {
		var dst any = &JuryRemind{}
		if strings.Contains(body, "user_id") {
			dst = &MemberAdd{}
		}
		err := decode(t, body, dst)
		var e *awards.Error
		if !errors.As(err, &e) || e.Code != awards.EInvalid || e.Fields[field] == "" {
			t.Errorf("%s: %v, want EInvalid naming %s", body, err, field)
		}
		if s := httpx.Status(err); s != http.StatusUnprocessableEntity && s != http.StatusBadRequest {
			t.Errorf("%s: status %d", body, s)
		}
	}
	var cells AssignmentCellsPut
	err = decode(t, `{"cells":[{"juror_id":1,"nomination_id":"ab","state":"assigned"}]}`, &cells)
	var e *awards.Error
	if !errors.As(err, &e) || e.Fields["cells.juror_id"] == "" {
		t.Errorf("nested: %v, want the field cells.juror_id", err)
	}
}

func decode(t *testing.T, body string, dst any) error {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return httpx.DecodeJSON(httptest.NewRecorder(), r, dst)
}
