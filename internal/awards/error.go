package awards

import (
	"errors"
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Oslo without system zoneinfo
)

// Error codes. Only httpx maps them to HTTP status codes.
const (
	EInvalid         = "invalid"
	ENotFound        = "not_found"
	EConflict        = "conflict"
	EForbidden       = "forbidden"
	EUnauthenticated = "unauthenticated"
	EUnavailable     = "unavailable"
	EInternal        = "internal"
)

// Error is Heder's one error type. Message is safe to show to the user; Err
// is the internal cause and is only logged.
type Error struct {
	Code string
	// Reason is the machine code of why, finer than Code, for API clients
	// (ReasonDeadlinePassed, …; see codes.go); optional.
	Reason  string
	Op      string
	Message string
	// Fields holds per-field message keys (field name → key); each key
	// has a machine code in codes.go.
	Fields map[string]string
	Err    error
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Err != nil {
		if msg != "" {
			msg += ": "
		}
		msg += e.Err.Error()
	}
	if e.Op != "" {
		return fmt.Sprintf("%s: %s: %s", e.Op, e.Code, msg)
	}
	return e.Code + ": " + msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EInvalid error carrying field messages.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: EInvalid, Message: "invalid input", Fields: fields}
}

// ErrorCode returns the code of the first *Error in err's chain, or EInternal.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the user-facing message of err, or a generic one.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "internal error"
}

// ErrorFields returns the field messages of err, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

var oslo = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil { // cannot happen with time/tzdata embedded
		panic("awards: load Europe/Oslo: " + err.Error())
	}
	return loc
})

// ErrorTime writes t as error messages show it: RFC 3339 in Europe/Oslo
// with its offset (2027-03-01T23:59:00+01:00), the zone of every time
// Heder shows and reads, so that a deadline in an API error reads as the
// same instant the pages show, and a client can still parse it.
func ErrorTime(t time.Time) string {
	return t.In(oslo()).Format(time.RFC3339)
}
