package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
)

// TestWriteProblemCodes: beside each translated text stands its machine
// code, per field and at the top, so that clients need not parse texts.
func TestWriteProblemCodes(t *testing.T) {
	translate := func(key string) string { return "text of " + key }
	for name, tc := range map[string]struct {
		err    error
		status int
		want   Problem
	}{
		"fields": {
			err:    awards.Invalid(map[string]string{"title": "form.required", "summary": "form.error.too_long"}),
			status: http.StatusUnprocessableEntity,
			want: Problem{Code: "invalid", Detail: "Some fields are invalid: see errors.",
				Errors: map[string]string{"title": "text of form.required", "summary": "text of form.error.too_long"},
				Codes:  map[string]string{"title": "required", "summary": "too_long"}},
		},
		"a limit on a field, with its reason": {
			err: &awards.Error{Code: awards.EConflict, Reason: awards.ReasonQuotaReached, Message: "Asker already has 1 nomination",
				Fields: map[string]string{"organisation_id": "nominations.error.limit"}},
			status: http.StatusConflict,
			want: Problem{Code: "quota_reached", Detail: "Some fields are invalid: see errors.",
				Errors: map[string]string{"organisation_id": "text of nominations.error.limit"},
				Codes:  map[string]string{"organisation_id": "quota_reached"}},
		},
		"a closed deadline, wrapped": {
			err: fmt.Errorf("save: %w", &awards.Error{Code: awards.EConflict, Reason: awards.ReasonDeadlinePassed,
				Message: "the nomination deadline (2027-03-01T23:59:00+01:00) has passed"}),
			status: http.StatusConflict,
			want:   Problem{Code: "deadline_passed", Detail: "the nomination deadline (2027-03-01T23:59:00+01:00) has passed"},
		},
		"not found": {
			err:    awards.Errorf(awards.ENotFound, "no such nomination"),
			status: http.StatusNotFound,
			want:   Problem{Code: "not_found", Detail: "no such nomination"},
		},
		"forbidden": {
			err:    awards.Errorf(awards.EForbidden, "only the chair"),
			status: http.StatusForbidden,
			want:   Problem{Code: "forbidden", Detail: "only the chair"},
		},
		"a fault tells nothing": {
			err:    errors.New("pq: connection refused"),
			status: http.StatusInternalServerError,
			want:   Problem{Code: "internal"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			w := httptest.NewRecorder()
			WriteProblem(w, tc.err, translate)
			if w.Code != tc.status || w.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("status %d, type %q", w.Code, w.Header().Get("Content-Type"))
			}
			var got Problem
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			want := tc.want
			want.Type, want.Title, want.Status = "about:blank", http.StatusText(tc.status), tc.status
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("problem (-want +got):\n%s", diff)
			}
		})
	}
}
