package auditlog

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
)

// Change is one field an entry changed, with its values before and after
// as compact JSON text (strings without their quotes); a side that did not
// have the field is "" with Set false.
type Change struct {
	Field               string
	Before, After       string
	BeforeSet, AfterSet bool
}

// Changes returns the fields that differ between before and after, sorted
// by name. Objects are compared field by field (a field missing on one side
// counts as changed); anything else that differs is one change with the
// empty field name. A creation (before null) lists every field of after,
// a deletion every field of before.
func Changes(before, after json.RawMessage) []Change {
	b, bok := decode(before)
	a, aok := decode(after)
	bm, bObj := b.(map[string]any)
	am, aObj := a.(map[string]any)
	switch {
	case (bObj || !bok) && (aObj || !aok) && (bok || aok):
		var names []string
		for k := range bm {
			names = append(names, k)
		}
		for k := range am {
			if _, ok := bm[k]; !ok {
				names = append(names, k)
			}
		}
		slices.Sort(names)
		var out []Change
		for _, k := range names {
			bv, inB := bm[k]
			av, inA := am[k]
			if inB && inA && reflect.DeepEqual(bv, av) {
				continue
			}
			c := Change{Field: k, BeforeSet: inB, AfterSet: inA}
			if inB {
				c.Before = text(bv)
			}
			if inA {
				c.After = text(av)
			}
			out = append(out, c)
		}
		return out
	case !bok && !aok:
		return nil
	case reflect.DeepEqual(b, a):
		return nil
	default:
		c := Change{BeforeSet: bok, AfterSet: aok}
		if bok {
			c.Before = text(b)
		}
		if aok {
			c.After = text(a)
		}
		return []Change{c}
	}
}

// decode reads a side of an entry; SQL NULL and JSON null are both absent.
func decode(raw json.RawMessage) (any, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, false
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber() // ids and sums stay as written, not as floats
	var v any
	if err := d.Decode(&v); err != nil {
		return string(raw), true
	}
	return v, true
}

func text(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
