package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"time"

	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/privacy"
)

func (h *Handler) privacyRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/me/export", Gate: policy.LoggedIn, Handler: h.handleMeExport},
	}
}

// PersonalSession is a live login in the person's export.
type PersonalSession struct {
	Provider string    `json:"provider"`
	LastSeen time.Time `json:"last_seen"`
	Expires  time.Time `json:"expires"`
}

// handleMeExport serves everything Heder holds about the logged-in person
// (GDPR art. 15) as one JSON file to download. The profile page links
// here, so the browser and the API get the same file.
func (h *Handler) handleMeExport(w http.ResponseWriter, r *http.Request) {
	e, err := h.Privacy.Export(r.Context(), httpx.ActorFrom(r.Context()))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	body, err := personalData(e)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	name := fmt.Sprintf("heder-mine-data-%s.json", e.GeneratedAt.UTC().Format("2006-01-02"))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

// personalData writes the export as one object whose keys keep the
// export's order: generated_at, user, each section, sessions.
func personalData(e *privacy.Export) ([]byte, error) {
	sessions := make([]PersonalSession, len(e.Sessions))
	for i, s := range e.Sessions {
		sessions[i] = PersonalSession{Provider: s.Provider, LastSeen: s.LastSeen, Expires: s.Expires}
	}
	var b bytes.Buffer
	b.WriteString("{")
	put := func(key string, v any) error {
		if b.Len() > 1 {
			b.WriteString(",\n")
		}
		k, _ := json.Marshal(key)
		val, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("marshal %s: %w", key, err)
		}
		b.Write(k)
		b.WriteString(": ")
		b.Write(val)
		return nil
	}
	if err := put("generated_at", e.GeneratedAt.UTC()); err != nil {
		return nil, err
	}
	if err := put("user", e.User); err != nil {
		return nil, err
	}
	for _, s := range e.Sections {
		if err := put(s.Name, s.Rows); err != nil {
			return nil, err
		}
	}
	if err := put("sessions", sessions); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}
