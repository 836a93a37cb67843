package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/heder-awards/heder/internal/awards"
)

// statusError gives err an HTTP status of its own where the protocol, not
// the domain, decides it: a stale If-Match is 412 where the same stale
// version in a body is 409. Status reads it; everything else (message,
// reason, fields) comes from the *awards.Error inside.
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// ETag is the strong entity tag of a record at version, as GET returns it
// and If-Match takes it back.
func ETag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// Precondition is the version a write is based on and whether it came in
// an If-Match header.
type Precondition struct {
	Version int
	ifMatch bool
}

// IfMatch returns the version a write is based on: the one If-Match names
// when the header is there, else body (the body's version field, 0 when
// absent). "*" leaves it to the body. When both name a version they must
// agree (400 otherwise); a header that is not one entity tag as ETag gave
// it is 400, and a weak tag, which never matches under If-Match's strong
// comparison (RFC 9110 §13.1.1), is 412.
func IfMatch(r *http.Request, body int) (Precondition, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return Precondition{Version: body}, nil
	}
	if strings.HasPrefix(h, "W/") {
		return Precondition{}, &statusError{status: http.StatusPreconditionFailed, err: &awards.Error{Code: awards.EConflict,
			Reason: awards.ReasonStaleVersion, Message: "If-Match needs the strong entity tag that ETag gave, not a weak one"}}
	}
	v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(h, `"`), `"`))
	if err != nil || v <= 0 || len(h) < 3 || h[0] != '"' || h[len(h)-1] != '"' {
		return Precondition{}, badRequest(`If-Match must hold one entity tag as the ETag header gave it, such as "3"`)
	}
	if body != 0 && body != v {
		return Precondition{}, badRequest(fmt.Sprintf("If-Match names version %d but the body's version is %d: send one of them, or the same in both", v, body))
	}
	return Precondition{Version: v, ifMatch: true}, nil
}

func badRequest(msg string) error {
	return &statusError{status: http.StatusBadRequest, err: awards.Errorf(awards.EInvalid, "%s", msg)}
}

// Err returns err from a write based on p, as 412 Precondition Failed
// when it is a stale version that came in If-Match.
func (p Precondition) Err(err error) error {
	var e *awards.Error
	if p.ifMatch && errors.As(err, &e) && e.Reason == awards.ReasonStaleVersion {
		return &statusError{status: http.StatusPreconditionFailed, err: err}
	}
	return err
}
