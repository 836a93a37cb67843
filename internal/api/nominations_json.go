package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/nominations"
)

// maxNominationBody bounds the JSON bodies of the nominations API, as
// httpx.DecodeJSON does for the rest.
const maxNominationBody = 1 << 20

// decodeNominationJSON reads a JSON body like httpx.DecodeJSON (unknown
// fields and trailing data refused), and also names the field at fault
// when the body is over 1 MB (the field being read when the limit was
// reached) or holds invalid UTF-8, which encoding/json would otherwise
// silently replace with U+FFFD.
func decodeNominationJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return awards.Errorf(awards.EInvalid, "send the body as application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxNominationBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if !errors.As(err, &tooBig) {
			return awards.Errorf(awards.EInvalid, "the body could not be read")
		}
		e := &awards.Error{Code: awards.EInvalid, Message: "the body is larger than 1 MB"}
		if field := fieldAtCut(body); field != "" {
			e.Message = fmt.Sprintf("the body is larger than 1 MB: field %q is far too long", field)
			e.Fields = map[string]string{field: "form.error.too_long"}
		}
		return e
	}
	if !utf8.Valid(body) {
		field := invalidUTF8Field(body)
		return &awards.Error{Code: awards.EInvalid, Message: fmt.Sprintf("field %q is not valid UTF-8", field),
			Fields: map[string]string{field: "nominations.error.text"}}
	}
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	return httpx.DecodeJSON(w, r2, dst)
}

// fieldAtCut returns the top-level key whose value was being read where
// a body was cut off, "" if none.
func fieldAtCut(partial []byte) string {
	dec := json.NewDecoder(bytes.NewReader(partial))
	depth, key, expectKey := 0, "", false
	for {
		tok, err := dec.Token()
		if err != nil {
			return key
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				depth++
				if depth == 1 {
					expectKey = v == '{'
				}
			default:
				depth--
				if depth == 1 {
					expectKey = true // a nested value ended
				}
			}
		default:
			if depth != 1 {
				continue
			}
			if s, ok := v.(string); ok && expectKey {
				key = s
			}
			expectKey = !expectKey
		}
	}
}

// invalidUTF8Field returns the first top-level field whose value holds
// invalid UTF-8, or "body".
func invalidUTF8Field(body []byte) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return "body"
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !utf8.ValidString(k) {
			return "body"
		}
		if !utf8.Valid(fields[k]) {
			return k
		}
	}
	return "body"
}

// nominationProblem is problem details with, for a stale write, the
// version now stored, so that a client can fetch it and merge.
type nominationProblem struct {
	httpx.Problem
	CurrentVersion *int `json:"current_version,omitempty"`
}

// nominationError writes err as problem details like Error does, but keeps
// the message of a conflict that names a field (a limit reached) and adds
// current_version (and the current ETag) to a stale write's 409 or 412.
func (h *Handler) nominationError(w http.ResponseWriter, r *http.Request, err error) {
	httpx.LogError(h.Logger, r, err)
	status := httpx.Status(err)
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	l := h.nominationLocalizer(r)
	p := nominationProblem{Problem: httpx.NewProblem(err, func(key string) string { return l.T(key) })}
	if len(p.Errors) > 0 && awards.ErrorCode(err) == awards.EInvalid && p.Detail == "invalid input" {
		p.Detail = "Some fields are invalid: see errors."
	}
	var stale *nominations.StaleError
	if errors.As(err, &stale) {
		p.CurrentVersion = &stale.Current
		w.Header().Set("ETag", httpx.ETag(stale.Current))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

func (h *Handler) nominationLocalizer(r *http.Request) *i18n.Localizer {
	return h.Bundle.Localizer(httpx.LangFrom(r.Context()))
}
