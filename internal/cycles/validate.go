package cycles

import (
	"math"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/awards"
)

// Limits on what people type, in characters.
const (
	maxSlug     = 100
	maxName     = 200
	maxTitle    = 300
	maxText     = 20000
	maxHelp     = 4000
	minYear     = 2000
	maxYear     = 2200
	maxNomLimit = 100
	maxProjects = 50
	maxPosition = 10000
	maxWeight   = 999
	maxScaleAbs = 9999.99
	maxPoints   = 100 // steps on a scale, so a score control stays usable
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// fieldErrors collects field → message key; the first problem of a field
// wins, since it is the one to fix first.
type fieldErrors map[string]string

func (f fieldErrors) add(field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return awards.Invalid(f)
}

// text cleans a text people typed and checks it: valid UTF-8 without
// control characters (PostgreSQL refuses NUL, and the rest are never
// meant), line breaks only where multiline, trimmed, at most max
// characters, present when required. It returns the cleaned text.
func (f fieldErrors) text(field, s string, multiline, required bool, max int) string {
	if !utf8.ValidString(s) {
		f.add(field, "cycles.error.text")
		return s
	}
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	s = strings.TrimSpace(s)
	for _, r := range s {
		if r == '\n' && multiline || r == '\t' {
			continue
		}
		if unicode.IsControl(r) {
			f.add(field, "cycles.error.text")
			return s
		}
	}
	switch {
	case required && s == "":
		f.add(field, "form.required")
	case utf8.RuneCountInString(s) > max:
		f.add(field, "form.error.too_long")
	}
	return s
}

// hundredths returns x in hundredths when it has at most two decimals.
func hundredths(x float64) (int64, bool) {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > maxScaleAbs+0.001 {
		return 0, false
	}
	h := math.Round(x * 100)
	return int64(h), math.Abs(x*100-h) < 1e-6
}

// validWeight: positive, at most 999, at most three decimals (the column
// is numeric(6,3), which would round silently).
func validWeight(w float64) bool {
	if math.IsNaN(w) || w <= 0 || w > maxWeight {
		return false
	}
	return math.Abs(w*1000-math.Round(w*1000)) < 1e-6
}

// validateScale checks a criterion's scale: both ends with at most two
// decimals, min < max, a positive step that divides the range, and not
// more points than a score control can show.
func validateScale(f fieldErrors, min, max, step float64) {
	lo, okLo := hundredths(min)
	hi, okHi := hundredths(max)
	st, okSt := hundredths(step)
	if !okLo {
		f.add("scale_min", "cycles.error.scale_value")
	}
	if !okHi {
		f.add("scale_max", "cycles.error.scale_value")
	}
	if !okSt || st <= 0 {
		f.add("scale_step", "cycles.error.scale_step")
	}
	if !okLo || !okHi || !okSt || st <= 0 {
		return
	}
	switch {
	case lo >= hi:
		f.add("scale_max", "cycles.error.scale_order")
	case (hi-lo)%st != 0:
		f.add("scale_step", "cycles.error.scale_step")
	case (hi-lo)/st > maxPoints:
		f.add("scale_step", "cycles.error.scale_points")
	}
}
