package auth

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionCodec stores a session's values as JSON, grouped by their Go
// type so that each reads back as the type it was put as (scs's GetInt64
// wants an int64, not JSON's float64). scs's default, gob, sends a
// value's type description with every session and decodes it afresh on
// every request: a fifth of the Go time a logged-in request took before
// its own work. Sessions stored with gob before are still read.
type sessionCodec struct{}

// sessionJSON is a session as sessionCodec stores it.
type sessionJSON struct {
	Deadline time.Time          `json:"deadline"`
	Ints     map[string]int64   `json:"ints,omitempty"`
	Strings  map[string]string  `json:"strings,omitempty"`
	Logins   map[string]pending `json:"logins,omitempty"`
}

// Encode stores values of the types Heder puts in a session; any other
// is refused, so that a new one is seen in the tests, not lost.
func (sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	s := sessionJSON{Deadline: deadline}
	for k, v := range values {
		switch v := v.(type) {
		case int64:
			if s.Ints == nil {
				s.Ints = map[string]int64{}
			}
			s.Ints[k] = v
		case string:
			if s.Strings == nil {
				s.Strings = map[string]string{}
			}
			s.Strings[k] = v
		case pending:
			if s.Logins == nil {
				s.Logins = map[string]pending{}
			}
			s.Logins[k] = v
		default:
			return nil, fmt.Errorf("encode session: %q is a %T, which the session codec does not store", k, v)
		}
	}
	return json.Marshal(s)
}

// Decode reads a session stored by Encode, or by gob before.
func (sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) == 0 || b[0] != '{' {
		return scs.GobCodec{}.Decode(b)
	}
	var s sessionJSON
	if err := json.Unmarshal(b, &s); err != nil {
		return time.Time{}, nil, fmt.Errorf("decode session: %w", err)
	}
	values := make(map[string]any, len(s.Ints)+len(s.Strings)+len(s.Logins))
	for k, v := range s.Ints {
		values[k] = v
	}
	for k, v := range s.Strings {
		values[k] = v
	}
	for k, v := range s.Logins {
		values[k] = v
	}
	return s.Deadline, values, nil
}
