package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

func TestIfMatch(t *testing.T) {
	t.Parallel()
	stale := &awards.Error{Code: awards.EConflict, Reason: awards.ReasonStaleVersion, Message: "stale"}
	for _, tt := range []struct {
		header      string
		body        int
		version     int
		status      int // of IfMatch's error, 0 for none
		staleStatus int // of a stale write's error after Err
	}{
		{"", 3, 3, 0, http.StatusConflict},
		{"", 0, 0, 0, http.StatusConflict},
		{"*", 3, 3, 0, http.StatusConflict},
		{`"4"`, 0, 4, 0, http.StatusPreconditionFailed},
		{` "4" `, 4, 4, 0, http.StatusPreconditionFailed},
		{`"4"`, 3, 0, http.StatusBadRequest, 0},
		{`W/"4"`, 0, 0, http.StatusPreconditionFailed, 0},
		{`4`, 0, 0, http.StatusBadRequest, 0},
		{`"0"`, 0, 0, http.StatusBadRequest, 0},
		{`"4", "5"`, 0, 0, http.StatusBadRequest, 0},
		{`"`, 0, 0, http.StatusBadRequest, 0},
	} {
		r := httptest.NewRequest(http.MethodPatch, "/", nil)
		if tt.header != "" {
			r.Header.Set("If-Match", tt.header)
		}
		p, err := IfMatch(r, tt.body)
		if err != nil {
			if got := Status(err); got != tt.status {
				t.Errorf("%q with body %d: status %d, want %d (%v)", tt.header, tt.body, got, tt.status, err)
			}
			continue
		}
		if tt.status != 0 || p.Version != tt.version {
			t.Errorf("%q with body %d: version %d, want %d and status %d", tt.header, tt.body, p.Version, tt.version, tt.status)
			continue
		}
		if got := Status(p.Err(stale)); got != tt.staleStatus {
			t.Errorf("%q: a stale write is %d, want %d", tt.header, got, tt.staleStatus)
		}
		if got := Status(p.Err(awards.Errorf(awards.EConflict, "closed"))); got != http.StatusConflict {
			t.Errorf("%q: another conflict is %d", tt.header, got)
		}
	}
}
