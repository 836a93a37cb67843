package nominations

import (
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/awards"
)

// Limits on what people type. The database has its own checks; these come
// first so that a person gets a message next to the field.
const (
	maxTitle       = 300
	maxSummary     = 20000
	maxName        = 200
	maxEmail       = 254
	maxPhone       = 50
	maxLongText    = 20000
	maxPartners    = 5000
	maxLinks       = 20
	maxLink        = 2000
	maxMeasures    = 50
	maxLabel       = 200
	maxUnit        = 50
	maxReason      = 2000
	minPeriodYear  = 1900
	maxPeriodYear  = 2100
	dateLayout     = time.DateOnly
	keyRequired    = "form.required"
	keyTooLong     = "form.error.too_long"
	keyBadText     = "nominations.error.text"
	keyEmail       = "nominations.error.email"
	keyChallenge   = "nominations.error.challenge"
	keyDate        = "nominations.error.date"
	keyPeriodOrder = "nominations.error.period_order"
	keyLink        = "nominations.error.link"
	keyTooMany     = "nominations.error.too_many"
	keyValue       = "nominations.error.measure_value"
	keyNegative    = "nominations.error.measure_negative"
	keyLabel       = "nominations.error.measure_label"
)

// fieldErrors collects field messages; empty means valid.
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

// cleanText checks that s is text PostgreSQL can store and a person could
// have typed: valid UTF-8 without NUL or other control characters (tabs
// and line breaks excepted). Line breaks become "\n"; single-line fields
// are trimmed. It returns the cleaned text and a message key, "" if fine.
func cleanText(s string, multiline bool, max int) (string, string) {
	if !utf8.ValidString(s) {
		return s, keyBadText
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, r := range s {
		if r == '\n' && !multiline {
			return s, keyBadText
		}
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return s, keyBadText
		}
	}
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > max {
		return s, keyTooLong
	}
	return s, ""
}

// text validates an optional text field in place.
func (f fieldErrors) text(field string, p *string, multiline bool, max int) {
	if p == nil {
		return
	}
	s, key := cleanText(*p, multiline, max)
	*p = s
	if key != "" {
		f.add(field, key)
	}
}

// required is text that must not be empty when given.
func (f fieldErrors) required(field string, p *string, multiline bool, max int) {
	f.text(field, p, multiline, max)
	if p != nil && *p == "" {
		f.add(field, keyRequired)
	}
}

// validEmail accepts a plain address ("kari@asker.kommune.no"), not a
// display name or a list.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.HasSuffix(domain, ".")
}

// Fields are a nomination's own texts. A nil field is left as it is.
type Fields struct {
	Title        *string
	Summary      *string
	Challenge    *string
	ContactName  *string
	ContactEmail *string
	ContactPhone *string
}

func (in *Fields) validate() error {
	f := fieldErrors{}
	f.text("title", in.Title, false, maxTitle)
	f.text("summary", in.Summary, true, maxSummary)
	f.text("challenge", in.Challenge, false, 50)
	if in.Challenge != nil && *in.Challenge != "" && !awards.Challenge(*in.Challenge).Valid() {
		f.add("challenge", keyChallenge)
	}
	f.text("contact_name", in.ContactName, false, maxName)
	f.text("contact_email", in.ContactEmail, false, maxEmail)
	if in.ContactEmail != nil && *in.ContactEmail != "" && f["contact_email"] == "" && !validEmail(*in.ContactEmail) {
		f.add("contact_email", keyEmail)
	}
	f.text("contact_phone", in.ContactPhone, false, maxPhone)
	return f.err()
}

// MeasureInput is one row of measured results as typed: the value is text
// so that "1 234,5" and "abc" reach the same rule from the browser and the
// API.
type MeasureInput struct {
	Label string
	Value string
	Unit  string
}

// ProjectInput is a project's content. A nil field is left as it is (for
// a new project: empty).
type ProjectInput struct {
	// OrganisationID owns a new project; 0 picks the actor's one nominee
	// organisation. Ignored when updating.
	OrganisationID int64
	Title          *string
	Description    *string
	Results        *string
	Partners       *string
	// PeriodStart and PeriodEnd are dates as YYYY-MM-DD, "" for none.
	PeriodStart *string
	PeriodEnd   *string
	Links       *[]string
	Measures    *[]MeasureInput
}

// project is a validated ProjectInput.
type project struct {
	in         ProjectInput
	start, end *time.Time
	links      []string
	measures   []awards.Measure
}

// parseDate reads YYYY-MM-DD within years that make sense for a project.
func parseDate(s string) (*time.Time, bool) {
	if s == "" {
		return nil, true
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil || t.Year() < minPeriodYear || t.Year() > maxPeriodYear {
		return nil, false
	}
	return &t, true
}

// parseValue reads a measured value as people write it: "783", "1 234",
// "12,5" or "12.5". It refuses anything else, and negative, infinite or
// not-a-number values.
func parseValue(s string) (float64, string) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(s, "xXpP_") {
		return 0, keyValue
	}
	if v < 0 {
		return 0, keyNegative
	}
	return v, ""
}

// validLink accepts absolute http and https URLs with a host.
func validLink(s string) bool {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return false
	}
	return !strings.ContainsAny(s, " \t\n<>\"")
}

// validate checks in; creating says whether the title must be given.
func (in ProjectInput) validate(creating bool) (project, error) {
	p := project{in: in}
	f := fieldErrors{}
	if creating && p.in.Title == nil {
		empty := ""
		p.in.Title = &empty
	}
	f.required("title", p.in.Title, false, maxTitle)
	f.text("description", p.in.Description, true, maxLongText)
	f.text("results", p.in.Results, true, maxLongText)
	f.text("partners", p.in.Partners, true, maxPartners)
	f.text("period_start", p.in.PeriodStart, false, 10)
	f.text("period_end", p.in.PeriodEnd, false, 10)
	if p.in.PeriodStart != nil && f["period_start"] == "" {
		var ok bool
		if p.start, ok = parseDate(*p.in.PeriodStart); !ok {
			f.add("period_start", keyDate)
		}
	}
	if p.in.PeriodEnd != nil && f["period_end"] == "" {
		var ok bool
		if p.end, ok = parseDate(*p.in.PeriodEnd); !ok {
			f.add("period_end", keyDate)
		}
	}
	if p.start != nil && p.end != nil && p.end.Before(*p.start) {
		f.add("period_end", keyPeriodOrder)
	}
	if p.in.Links != nil {
		p.links = []string{}
		for i, l := range *p.in.Links {
			field := fmt.Sprintf("links[%d]", i)
			l, key := cleanText(l, false, maxLink)
			switch {
			case key != "":
				f.add(field, key)
			case l == "":
				continue
			case !validLink(l):
				f.add(field, keyLink)
			default:
				p.links = append(p.links, l)
			}
		}
		if len(p.links) > maxLinks {
			f.add("links", keyTooMany)
		}
	}
	if p.in.Measures != nil {
		p.measures = []awards.Measure{}
		for i, m := range *p.in.Measures {
			field := fmt.Sprintf("measures[%d].", i)
			label, lkey := cleanText(m.Label, false, maxLabel)
			value, vkey := cleanText(m.Value, false, 50)
			unit, ukey := cleanText(m.Unit, false, maxUnit)
			if label == "" && value == "" && unit == "" && lkey == "" && vkey == "" && ukey == "" {
				continue // an empty row of the form
			}
			if lkey != "" {
				f.add(field+"label", lkey)
			} else if label == "" {
				f.add(field+"label", keyLabel)
			}
			if ukey != "" {
				f.add(field+"unit", ukey)
			}
			var v float64
			if vkey == "" {
				if value == "" {
					vkey = keyRequired
				} else {
					v, vkey = parseValue(value)
				}
			}
			if vkey != "" {
				f.add(field+"value", vkey)
			}
			p.measures = append(p.measures, awards.Measure{Label: label, Value: v, Unit: unit})
		}
		if len(p.measures) > maxMeasures {
			f.add("measures", keyTooMany)
		}
	}
	return p, f.err()
}
