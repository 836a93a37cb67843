package api

import (
	"encoding/json"
	"reflect"
	"strconv"
)

// ID is an integer key as the API shows it: a string of its decimal
// digits, so that every ID in JSON is the same kind as the hex IDs of
// cycles, nominations, projects and attachments. Clients are told to treat
// it as opaque text.
type ID int64

// MarshalJSON writes the ID as a JSON string.
func (id ID) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, strconv.FormatInt(int64(id), 10)), nil
}

// UnmarshalJSON reads an ID written as a JSON string. A number, or a string
// that is no ID of ours, is an *json.UnmarshalTypeError, which
// encoding/json fills with the field's name for the problem details.
func (id *ID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil // as encoding/json leaves a plain integer on null
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeFor[ID]()}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(s), Type: reflect.TypeFor[ID]()}
	}
	*id = ID(n)
	return nil
}

// jsonKind names the kind of a JSON value by its first byte, as
// encoding/json's own type errors do.
func jsonKind(b []byte) string {
	switch {
	case len(b) == 0:
		return "nothing"
	case b[0] == '{':
		return "object"
	case b[0] == '[':
		return "array"
	case b[0] == 't' || b[0] == 'f':
		return "bool"
	default:
		return "number"
	}
}

// ids turns keys into IDs.
func ids(keys []int64) []ID {
	out := make([]ID, len(keys))
	for i, k := range keys {
		out[i] = ID(k)
	}
	return out
}
