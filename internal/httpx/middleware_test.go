package httpx

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
)

// TestLogsKeepTokensOut: a route with a {token} in its pattern (a jury
// invitation's link) is logged by its pattern, in the request line and in
// a refusal; other paths as they are.
func TestLogsKeepTokensOut(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r := chi.NewRouter()
	r.Use(Observe(logger, nil))
	refuse := func(w http.ResponseWriter, r *http.Request) {
		LogError(logger, r, &awards.Error{Code: awards.EConflict, Message: "used", Err: errors.New("used")})
		w.WriteHeader(http.StatusConflict)
	}
	r.Get("/jury/invitasjon/{token}", refuse)
	r.Get("/nominasjoner/{id}", refuse)
	const token = "c2VjcmV0LXRva2VuLXRoYXQtbXVzdC1uZXZlci1iZS1sb2dnZWQ"
	for _, p := range []string{"/jury/invitasjon/" + token, "/nominasjoner/abc123"} {
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, p, nil))
	}
	logs := buf.String()
	if strings.Contains(logs, token) {
		t.Errorf("the token is logged:\n%s", logs)
	}
	if strings.Count(logs, "path=/jury/invitasjon/{token}") != 2 || strings.Count(logs, "path=/nominasjoner/abc123") != 2 {
		t.Errorf("paths not logged as expected:\n%s", logs)
	}
}
