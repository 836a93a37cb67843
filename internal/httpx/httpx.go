package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/heder-awards/heder/internal/awards"
)

// Status maps an error's code to an HTTP status. It is the only place that
// does.
func Status(err error) int {
	var se *statusError
	if errors.As(err, &se) {
		return se.status
	}
	switch awards.ErrorCode(err) {
	case awards.EInvalid:
		return http.StatusUnprocessableEntity
	case awards.ENotFound:
		return http.StatusNotFound
	case awards.EConflict:
		return http.StatusConflict
	case awards.EForbidden:
		return http.StatusForbidden
	case awards.EUnauthenticated:
		return http.StatusUnauthorized
	case awards.EUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// LogError logs err once where it is handled: server faults as errors,
// the user's own mistakes at debug level.
func LogError(logger *slog.Logger, r *http.Request, err error) {
	status := Status(err)
	// A refused login (with a cause) matters; a plain "log in first" does not.
	var ae *awards.Error
	failedLogin := status == http.StatusUnauthorized && errors.As(err, &ae) && ae.Err != nil
	if status >= 500 || failedLogin {
		level := slog.LevelError
		if failedLogin || status == http.StatusServiceUnavailable {
			level = slog.LevelWarn
		}
		logger.Log(r.Context(), level, "request failed", "method", r.Method, "path", logPath(r), "status", status, "error", err)
		return
	}
	logger.DebugContext(r.Context(), "request refused", "path", logPath(r), "status", status, "error", err)
}

// Problem is an RFC 9457 problem-details body. Code and Codes are the
// machine codes (awards.Codes) beside the texts, which change with the
// language: Code says why at the top (a Reason, else the error's class),
// Codes says why per field, for the same fields as Errors.
type Problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail,omitempty"`
	Code   string            `json:"code"`
	Errors map[string]string `json:"errors,omitempty"`
	Codes  map[string]string `json:"codes,omitempty"`
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// WritePDF answers with a finished PDF as a download named filename: the
// app's strict Content-Security-Policy is no place for a browser's PDF
// viewer, and a download opens in the reader's own.
func WritePDF(w http.ResponseWriter, filename string, pdf []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pdf)
}

// NewProblem describes err as problem details. translate turns field
// message keys into text (may be nil). A server fault's message is not
// shown.
func NewProblem(err error, translate func(string) string) Problem {
	status := Status(err)
	p := Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Code: awards.ErrorReason(err)}
	if status < 500 || status == http.StatusServiceUnavailable {
		p.Detail = awards.ErrorMessage(err)
	}
	if fields := awards.ErrorFields(err); len(fields) > 0 {
		p.Errors = make(map[string]string, len(fields))
		p.Codes = make(map[string]string, len(fields))
		for k, key := range fields {
			text := key
			if translate != nil {
				text = translate(key)
			}
			p.Errors[k] = text
			p.Codes[k] = awards.FieldCode(key)
		}
	}
	return p
}

// WriteProblem writes err as problem details. translate turns field
// message keys into text (may be nil).
func WriteProblem(w http.ResponseWriter, err error, translate func(string) string) {
	p := NewProblem(err, translate)
	if len(p.Errors) > 0 {
		p.Detail = "Some fields are invalid: see errors."
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// maxBody bounds JSON request bodies.
const maxBody = 1 << 20

// DecodeJSON decodes a JSON body into dst, refusing unknown fields, bodies
// over 1 MB and trailing data, with an EInvalid error a person can act on.
func DecodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return awards.Errorf(awards.EInvalid, "send the body as application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var tooBig *http.MaxBytesError
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			return awards.Errorf(awards.EInvalid, "the body is larger than 1 MB")
		case errors.Is(err, io.EOF):
			return awards.Errorf(awards.EInvalid, "the body is empty: send a JSON object")
		case errors.As(err, &syntax):
			return awards.Errorf(awards.EInvalid, "the body is not valid JSON (at byte %d)", syntax.Offset)
		case errors.As(err, &typ):
			return &awards.Error{Code: awards.EInvalid, Message: fmt.Sprintf("field %q has the wrong type", typ.Field),
				Fields: map[string]string{typ.Field: "form.error.type"}}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &awards.Error{Code: awards.EInvalid, Message: fmt.Sprintf("unknown field %q", field),
				Fields: map[string]string{field: "form.error.unknown_field"}}
		}
		return awards.Errorf(awards.EInvalid, "the body could not be read: %v", err)
	}
	if dec.More() {
		return awards.Errorf(awards.EInvalid, "the body must hold one JSON object")
	}
	return nil
}
