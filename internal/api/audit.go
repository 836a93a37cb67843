package api

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/heder-awards/heder/internal/auditlog"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/spreadsheet"
)

// auditRoutes are the audit log for site admins, as JSON pages and as CSV.
func (h *Handler) auditRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/audit", Gate: policy.Admin, Handler: h.handleAuditList},
		{Method: http.MethodGet, Pattern: "/api/v1/audit.csv", Gate: policy.Admin, Handler: h.handleAuditCSV},
	}
}

// auditKeys are the filter's query parameters.
var auditKeys = []string{"cycle", "nomination", "actor", "action", "from", "to", "after"}

func auditQuery(v url.Values) auditlog.Query {
	return auditlog.Query{Cycle: v.Get("cycle"), Nomination: v.Get("nomination"), Actor: v.Get("actor"), Action: v.Get("action"),
		From: v.Get("from"), To: v.Get("to"), After: v.Get("after")}
}

// AuditEntry is one entry of the audit log.
type AuditEntry struct {
	ID ID `json:"id"`
	// At is in Europe/Oslo, with its offset.
	At string `json:"at"`
	// Actor is null for the system's entries (imports, jobs).
	Actor       *AuditActor     `json:"actor"`
	Action      string          `json:"action"`
	ActionLabel string          `json:"action_label"`
	Entity      string          `json:"entity"`
	EntityID    *ID             `json:"entity_id"`
	Subject     *AuditSubject   `json:"subject"`
	Changes     []AuditChange   `json:"changes"`
	Before      json.RawMessage `json:"before"`
	After       json.RawMessage `json:"after"`
}

// AuditActor is the person who made a change.
type AuditActor struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
}

// AuditSubject is what an entry is about, while it exists.
type AuditSubject struct {
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Title string `json:"title"`
}

// AuditChange is one changed field; a side without the field is null.
type AuditChange struct {
	Field  string  `json:"field"`
	Before *string `json:"before"`
	After  *string `json:"after"`
}

// AuditPage is a page of entries, newest first.
type AuditPage struct {
	Items []AuditEntry `json:"items"`
	// Next is the URL of the following page, null on the last.
	Next *string `json:"next"`
}

func auditEntry(e auditlog.Entry, l *i18n.Localizer) AuditEntry {
	out := AuditEntry{ID: ID(e.ID), At: e.At.In(i18n.Oslo()).Format(time.RFC3339), Action: e.Action, ActionLabel: actionLabel(l, e.Action),
		Entity: e.Entity, Before: e.Before, After: e.After, Changes: []AuditChange{}}
	if e.ActorID != 0 {
		out.Actor = &AuditActor{ID: ID(e.ActorID), Name: e.ActorName}
	}
	if e.EntityID != 0 {
		id := ID(e.EntityID)
		out.EntityID = &id
	}
	if e.Subject.Kind != "" {
		out.Subject = &AuditSubject{Kind: e.Subject.Kind, ID: e.Subject.Ref, Title: e.Subject.Label}
	}
	for _, c := range auditlog.Changes(e.Before, e.After) {
		ch := AuditChange{Field: c.Field}
		if c.BeforeSet {
			ch.Before = &c.Before
		}
		if c.AfterSet {
			ch.After = &c.After
		}
		out.Changes = append(out.Changes, ch)
	}
	return out
}

// actionLabel is the action in words, or its name when it has none yet.
func actionLabel(l *i18n.Localizer, action string) string {
	if s := l.T("audit.action." + action); s != "audit.action."+action {
		return s
	}
	return action
}

func (h *Handler) handleAuditList(w http.ResponseWriter, r *http.Request) {
	p, err := h.Audit.List(r.Context(), httpx.ActorFrom(r.Context()), auditQuery(r.URL.Query()))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	out := AuditPage{Items: make([]AuditEntry, 0, len(p.Entries))}
	for _, e := range p.Entries {
		out.Items = append(out.Items, auditEntry(e, l))
	}
	if p.Next != 0 {
		q := url.Values{}
		for _, k := range auditKeys {
			if v := r.URL.Query().Get(k); v != "" {
				q.Set(k, v)
			}
		}
		q.Set("after", strconv.FormatInt(p.Next, 10))
		next := "/api/v1/audit?" + q.Encode()
		out.Next = &next
	}
	// Before and after hold e-mail addresses and other personal data.
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, out)
}

// auditCSVHeader is the CSV export's header row; machines read it, so
// it is not translated.
var auditCSVHeader = []string{"id", "at", "actor_id", "actor_name", "action", "entity", "entity_id",
	"subject_kind", "subject_id", "subject_title", "before", "after"}

func (h *Handler) handleAuditCSV(w http.ResponseWriter, r *http.Request) {
	var cw *csv.Writer
	out := &countingWriter{w: w}
	err := h.Audit.Export(r.Context(), httpx.ActorFrom(r.Context()), auditQuery(r.URL.Query()), func(e auditlog.Entry) error {
		if cw == nil {
			cw = h.startAuditCSV(w, out)
		}
		return writeAuditRow(cw, e)
	})
	if err == nil && cw == nil {
		cw = h.startAuditCSV(w, out) // no entries: the header alone
	}
	if err == nil {
		cw.Flush()
		err = cw.Error()
	}
	if err != nil {
		if out.n == 0 {
			w.Header().Del("Content-Disposition")
			h.Error(w, r, err)
			return
		}
		// Too late for an answer: the client sees a cut-off file.
		httpx.LogError(h.Logger, r, err)
	}
}

// startAuditCSV sets the headers and writes the header row; rows then
// stream as they are read.
func (h *Handler) startAuditCSV(w http.ResponseWriter, out *countingWriter) *csv.Writer {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="heder-logg.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(out)
	_ = cw.Write(auditCSVHeader) // an error stays in cw.Error()
	return cw
}

func writeAuditRow(cw *csv.Writer, e auditlog.Entry) error {
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	jsonCell := func(raw json.RawMessage) string {
		if string(raw) == "null" {
			return ""
		}
		return string(raw)
	}
	return cw.Write([]string{strconv.FormatInt(e.ID, 10), e.At.In(i18n.Oslo()).Format(time.RFC3339), id(e.ActorID),
		spreadsheet.Safe(e.ActorName), e.Action, e.Entity, id(e.EntityID), e.Subject.Kind, e.Subject.Ref, spreadsheet.Safe(e.Subject.Label),
		jsonCell(e.Before), jsonCell(e.After)})
}
