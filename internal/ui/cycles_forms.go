package ui

import (
	"errors"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/i18n"
)

// formField is one input of a form, with its label, value and error in
// the user's language, so that one template renders every field alike.
type formField struct {
	ID, Name string
	// Type is text, textarea, datetime-local, checkbox, checkboxes or select.
	Type      string
	Label     string
	Hint      string
	Value     string
	Error     string
	Lang      string // for texts in another language than the page's
	InputMode string
	Required  bool
	MaxLength int
	Rows      int
	Checked   bool
	Options   []formOption
}

// formOption is a choice of a select or a checkbox group.
type formOption struct {
	ID, Value, Label string
	Selected         bool
}

// DescribedBy lists the IDs of the field's hint and error.
func (f formField) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// form is one form on a page.
type form struct {
	ID     string
	Action string
	Submit string
	Fields []formField
}

// fieldError is one line of the error summary, linked to its field.
type fieldError struct {
	ID, Message string
}

// formBuilder builds a form's fields from its current values (stored, or
// as posted when re-showing a refused form) and translated errors.
type formBuilder struct {
	l      *i18n.Localizer
	values url.Values
	errs   map[string]string
	f      form
}

func newForm(l *i18n.Localizer, id, action, submit string, values url.Values, errs map[string]string) *formBuilder {
	return &formBuilder{l: l, values: values, errs: errs, f: form{ID: id, Action: action, Submit: l.T(submit)}}
}

func (b *formBuilder) add(f formField, label, hint string) *formBuilder {
	f.ID = b.f.ID + "-" + f.Name
	f.Label = b.l.T(label)
	if !f.Required && f.Type != "checkbox" {
		f.Label += " (" + b.l.T("form.optional") + ")"
	}
	if hint != "" {
		f.Hint = b.l.T(hint)
	}
	if f.Type == "" {
		f.Type = "text"
	}
	f.Value = b.values.Get(f.Name)
	f.Error = b.errs[f.Name]
	b.f.Fields = append(b.f.Fields, f)
	return b
}

// text adds a one-line text input.
func (b *formBuilder) text(name, label, hint string, required bool, max int) *formBuilder {
	return b.add(formField{Name: name, Required: required, MaxLength: max}, label, hint)
}

// translated adds a text in nynorsk or English, marked with its language.
func (b *formBuilder) translated(name, label, lang string, multiline bool, max int) *formBuilder {
	f := formField{Name: name, Lang: lang, MaxLength: max}
	if multiline {
		f.Type, f.Rows = "textarea", 4
	}
	return b.add(f, label, "")
}

func (b *formBuilder) textarea(name, label, hint string, rows, max int) *formBuilder {
	return b.add(formField{Name: name, Type: "textarea", Rows: rows, MaxLength: max}, label, hint)
}

func (b *formBuilder) number(name, label, hint, mode string, required bool) *formBuilder {
	return b.add(formField{Name: name, InputMode: mode, Required: required, MaxLength: 12}, label, hint)
}

func (b *formBuilder) datetime(name, label string) *formBuilder {
	return b.add(formField{Name: name, Type: "datetime-local"}, label, "cycles.hint.oslo_time")
}

func (b *formBuilder) checkbox(name, label, hint string) *formBuilder {
	b.add(formField{Name: name, Type: "checkbox"}, label, hint)
	last := &b.f.Fields[len(b.f.Fields)-1]
	last.Checked = last.Value == "true"
	return b
}

func (b *formBuilder) choices(name, label, hint, typ string, required bool, opts []formOption) *formBuilder {
	b.add(formField{Name: name, Type: typ, Required: required}, label, hint)
	last := &b.f.Fields[len(b.f.Fields)-1]
	chosen := map[string]bool{}
	for _, v := range b.values[name] {
		chosen[v] = true
	}
	for i := range opts {
		opts[i].ID = last.ID + "-" + opts[i].Value
		opts[i].Selected = chosen[opts[i].Value]
	}
	if typ == "checkboxes" && len(opts) > 0 {
		last.ID = opts[0].ID // the summary links to the first box
	}
	last.Options = opts
	return b
}

// errorList returns the errors of the forms' fields in their order, for
// the summary at the top of the page.
func errorList(forms ...*form) []fieldError {
	var out []fieldError
	for _, f := range forms {
		for _, fld := range f.Fields {
			if fld.Error != "" {
				out = append(out, fieldError{ID: fld.ID, Message: fld.Error})
			}
		}
	}
	return out
}

// translateFields returns err's field messages in the user's language.
func translateFields(l *i18n.Localizer, err error) map[string]string {
	fields := awards.ErrorFields(err)
	if len(fields) == 0 {
		return nil
	}
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		out[k] = l.T(v)
	}
	return out
}

// conflictMessage explains a conflict the cycles service reports in the
// user's language; ok is false for errors it does not know.
func conflictMessage(l *i18n.Localizer, err error, c awards.Cycle, to awards.Phase) (string, bool) {
	phase := func(p awards.Phase) string { return l.T("cycles.phase." + string(p)) }
	switch {
	case errors.Is(err, cycles.ErrPhaseMove):
		return l.T("cycles.error.move", "From", phase(c.Phase), "To", phase(to)), true
	case errors.Is(err, cycles.ErrPhaseChanged):
		return l.T("cycles.error.phase_changed"), true
	case errors.Is(err, cycles.ErrNotAnnounced):
		return l.T("cycles.error.not_announced"), true
	case errors.Is(err, cycles.ErrCriteriaLocked):
		return l.T("cycles.error.criteria_locked"), true
	case errors.Is(err, cycles.ErrYearTaken):
		return l.T("cycles.error.copy_exists", "Year", c.Year+1), true
	case errors.Is(err, cycles.ErrTooManyRounds):
		return l.T("rounds.error.too_many", "N", awards.MaxRounds), true
	case errors.Is(err, cycles.ErrFirstRound):
		return l.T("rounds.error.first_round"), true
	case errors.Is(err, cycles.ErrRoundStarted):
		return l.T("rounds.error.started"), true
	case errors.Is(err, cycles.ErrRoundClosed):
		return l.T("rounds.error.closed"), true
	}
	return "", false
}

// Values as forms show them.

func intValue(n int) string { return strconv.Itoa(n) }

func floatValue(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func boolValue(b bool) string {
	if b {
		return "true"
	}
	return ""
}

// datetimeLocal formats an instant for <input type="datetime-local">, in
// Europe/Oslo.
func datetimeLocal(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(i18n.Oslo()).Format("2006-01-02T15:04")
}

// formParser reads typed values from a posted form, collecting the
// fields it cannot read.
type formParser struct {
	form url.Values
	errs map[string]string
}

func newFormParser(form url.Values) *formParser {
	return &formParser{form: form, errs: map[string]string{}}
}

func (p *formParser) str(name string) *string {
	v := p.form.Get(name)
	return &v
}

func (p *formParser) integer(name string) *int {
	v := strings.TrimSpace(p.form.Get(name))
	n, err := strconv.Atoi(v)
	if err != nil {
		p.errs[name] = "cycles.error.integer"
		return nil
	}
	return &n
}

// days reads whole numbers of days separated by commas or spaces; empty
// is none, a form without the field leaves them (nil).
func (p *formParser) days(name string) []int {
	if _, ok := p.form[name]; !ok {
		return nil
	}
	out := []int{}
	for _, f := range strings.FieldsFunc(p.form.Get(name), func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		n, err := strconv.Atoi(f)
		if err != nil {
			p.errs[name] = "cycles.error.reminder_days"
			return nil
		}
		out = append(out, n)
	}
	return out
}

// daysValue writes days as the days field reads them.
func daysValue(days []int) string {
	s := make([]string, len(days))
	for i, d := range days {
		s[i] = strconv.Itoa(d)
	}
	return strings.Join(s, ", ")
}

// optionalInteger is nil for an empty field.
func (p *formParser) optionalInteger(name string) *int {
	if strings.TrimSpace(p.form.Get(name)) == "" {
		return nil
	}
	return p.integer(name)
}

// decimal reads a number, with a decimal comma or point.
func (p *formParser) decimal(name string) *float64 {
	v := strings.ReplaceAll(strings.TrimSpace(p.form.Get(name)), ",", ".")
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		p.errs[name] = "cycles.error.number"
		return nil
	}
	return &x
}

func (p *formParser) boolean(name string) *bool {
	b := p.form.Get(name) == "true"
	return &b
}

// instant reads <input type="datetime-local"> as Europe/Oslo time; empty
// clears the date.
func (p *formParser) instant(name string) cycles.TimeChange {
	v := strings.TrimSpace(p.form.Get(name))
	if v == "" {
		return cycles.TimeChange{Set: true}
	}
	if t, ok := osloTime(v); ok {
		return cycles.TimeChange{Set: true, At: &t}
	}
	p.errs[name] = "cycles.error.datetime"
	return cycles.TimeChange{}
}

// osloTime reads <input type="datetime-local">'s value as Europe/Oslo time.
func osloTime(v string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(v), i18n.Oslo()); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// err returns the fields that could not be read, as EInvalid.
func (p *formParser) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	return awards.Invalid(p.errs)
}
