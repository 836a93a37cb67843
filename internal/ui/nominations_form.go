package ui

import (
	"cmp"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/nominations"
)

// maxNominationForm bounds a nomination or project form: far more than
// anyone types, far less than the 10 MB net/http would read.
const maxNominationForm = 2 << 20

// parseNominationForm reads an urlencoded form into r.PostForm. A body
// over the limit is refused with a message on the field that was being
// read when the limit was reached, instead of the silently empty form
// r.PostFormValue would give.
func parseNominationForm(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxNominationForm))
	if err != nil {
		var tooBig *http.MaxBytesError
		if !errors.As(err, &tooBig) {
			return awards.Errorf(awards.EInvalid, "the form could not be read")
		}
		// Keep the fields read before the cut, so that the form can be
		// shown again with them; the one being read is the culprit.
		field, last := "form", string(body)
		if i := strings.LastIndexByte(last, '&'); i >= 0 {
			last = last[i+1:]
			if values, err := url.ParseQuery(string(body[:i])); err == nil {
				r.PostForm, r.Form = values, values
			}
		}
		if k, _, _ := strings.Cut(last, "="); k != "" {
			if u, err := url.QueryUnescape(k); err == nil {
				field = u
			}
		}
		return awards.Invalid(map[string]string{field: "form.error.too_long"})
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return awards.Errorf(awards.EInvalid, "the form could not be read")
	}
	r.PostForm = values
	r.Form = values
	return nil
}

// nomFieldID is the id of the form element a service field message belongs
// next to: "measures[2].value" → "measure-2-value", "links[1]" → "links".
func nomFieldID(field string) string {
	switch {
	case strings.HasPrefix(field, "links["):
		return "links"
	case strings.HasPrefix(field, "measures["):
		i, rest, _ := strings.Cut(strings.TrimPrefix(field, "measures["), "]")
		return "measure-" + i + "-" + strings.TrimPrefix(rest, ".")
	case strings.HasPrefix(field, "projects"):
		return "projects"
	}
	return field
}

// nomRefusal is what a form shows when the service refused a save: messages
// next to fields (by element id) or one alert for the whole form.
type nomRefusal struct {
	Errors map[string]string
	Alert  string
}

// nomExplain turns a refused save into messages in the reader's language.
// ok is false for errors that get the error page instead (not found
// without a field, forbidden, server faults).
func nomExplain(l *i18n.Localizer, err error, deadline *time.Time) (nomRefusal, bool) {
	var out nomRefusal
	if fields := awards.ErrorFields(err); len(fields) > 0 {
		out.Errors = map[string]string{}
		for k, v := range fields {
			id := nomFieldID(k)
			if _, dup := out.Errors[id]; !dup {
				out.Errors[id] = l.T(v)
			}
		}
		return out, true
	}
	var stale *nominations.StaleError
	switch {
	case errors.Is(err, nominations.ErrClosed) && deadline != nil:
		out.Alert = l.T("nominations.error.closed", "Date", l.FormatTime(*deadline))
	case errors.Is(err, nominations.ErrClosed), errors.Is(err, nominations.ErrNotOpen):
		out.Alert = l.T("nominations.error.not_open")
	case errors.Is(err, nominations.ErrFrozen):
		out.Alert = l.T("nominations.project.frozen")
	case errors.As(err, &stale):
		out.Alert = l.T("nominations.error.stale")
	case awards.ErrorCode(err) == awards.EConflict:
		out.Alert = l.T("nominations.error.status")
	case awards.ErrorCode(err) == awards.EInvalid:
		out.Alert = l.T("nominations.error.form")
	default:
		return out, false
	}
	return out, true
}

// nomFormPtr returns a pointer to the posted value of key, so that an empty
// field is saved as empty.
func nomFormPtr(r *http.Request, key string) *string {
	v := r.PostForm.Get(key)
	return &v
}

// lines splits a textarea into its lines, keeping blank ones so that a
// message about line i matches what the person sees.
func nomLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if strings.TrimSpace(s) == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

// formatNumber writes a measured value as people in lang read it:
// "1 250 000" and "87,5" in Norwegian, "1,250,000" and "87.5" in English.
func formatNumber(lang string, v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	intPart, frac, hasFrac := strings.Cut(s, ".")
	sep, dec := "\u00a0", ","
	if lang == "en" {
		sep, dec = ",", "."
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString(dec + frac)
	}
	return b.String()
}

// Num formats a measured value for the page's language.
func (p nominationPage) Num(v float64) string { return formatNumber(p.L.Lang(), v) }

// Num formats a measured value for the page's language.
func (p projectPage) Num(v float64) string { return formatNumber(p.L.Lang(), v) }

// nomFieldOrder is the order of the fields on the nomination and project
// pages, which their error summaries follow.
var nomFieldOrder = []string{"title", "summary", "challenge", "nominees", "organisation_id", "description", "results",
	"measures", "partners", "period_start", "period_end", "links", "projects", "contact_name", "contact_email",
	"contact_phone", "publication", "project_id", "earlier", "q"}

// nomFieldLabels are the message IDs of the labels of the nomination and
// project forms' fields, by element id, which the error summary names.
var nomFieldLabels = map[string]string{"title": "nominations.field.title", "summary": "nominations.field.summary",
	"challenge": "nominations.field.challenge", "nominees": "nominations.part.nominees",
	"organisation_id": "nominations.project.owner", "description": "nominations.project.description",
	"results": "nominations.project.results", "partners": "nominations.project.partners",
	"period_start": "nominations.project.period_start", "period_end": "nominations.project.period_end",
	"links": "nominations.project.links", "contact_name": "nominations.field.contact_name",
	"contact_email": "nominations.field.contact_email", "contact_phone": "nominations.field.contact_phone",
	"q": "nominations.search_org"}

// nomFieldLabel is the label of the field with element id, "" for one
// without a label of its own (the message then says what it is about).
func nomFieldLabel(l *i18n.Localizer, id string) string {
	if m, ok := strings.CutPrefix(id, "measure-"); ok {
		r, part, _ := strings.Cut(m, "-")
		row, err := strconv.Atoi(r)
		if err != nil || !slices.Contains([]string{"label", "value", "unit"}, part) {
			return ""
		}
		return l.T("nominations.measure."+part+"_row", "Count", row+1)
	}
	if key, ok := nomFieldLabels[id]; ok {
		return l.T(key)
	}
	return ""
}

// nomSummary lists a nomination or project form's errors in the order of
// its fields; measured results ("measure-<i>-<part>") by row, under
// "measures". Each message starts with its field's label, as the summary
// stands apart from the fields.
func nomSummary(l *i18n.Localizer, errs map[string]string) []fieldError {
	rank := func(id string) (field, row, part int, rest string) {
		if m, ok := strings.CutPrefix(id, "measure-"); ok {
			r, p, _ := strings.Cut(m, "-")
			row, _ = strconv.Atoi(r)
			return slices.Index(nomFieldOrder, "measures"), row, slices.Index([]string{"label", "value", "unit"}, p), ""
		}
		if i := slices.Index(nomFieldOrder, id); i >= 0 {
			return i, 0, 0, ""
		}
		return len(nomFieldOrder), 0, 0, id
	}
	ids := slices.Collect(maps.Keys(errs))
	slices.SortFunc(ids, func(a, b string) int {
		af, ar, ap, ax := rank(a)
		bf, br, bp, bx := rank(b)
		return cmp.Or(cmp.Compare(af, bf), cmp.Compare(ar, br), cmp.Compare(ap, bp), cmp.Compare(ax, bx))
	})
	out := make([]fieldError, len(ids))
	for i, id := range ids {
		out[i] = fieldError{ID: id, Message: errs[id]}
		if label := nomFieldLabel(l, id); strings.HasSuffix(label, "?") {
			out[i].Message = label + " " + errs[id]
		} else if label != "" {
			out[i].Message = label + ": " + errs[id]
		}
	}
	return out
}
