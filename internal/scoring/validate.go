package scoring

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/awards"
)

// Limits on what jurors type, in characters.
const (
	// MaxComment is the longest comment on a score (the column's check).
	MaxComment = 5000
	// MaxBody is the longest discussion comment.
	MaxBody = 5000
	// MaxReason is the longest reason for reopening scores.
	MaxReason = 2000
)

// Message keys of field errors; ui and api translate them.
const (
	keyScale     = "scoring.error.scale"
	keyStep      = "scoring.error.step"
	keyNumber    = "scoring.error.number"
	keyCriterion = "scoring.error.criterion"
	keyProject   = "scoring.error.project"
	keyNeedProj  = "scoring.error.project_required"
	keyNoProj    = "scoring.error.project_not_allowed"
	keyDuplicate = "scoring.error.duplicate"
	keyMissing   = "scoring.error.missing"
	keyText      = "scoring.error.text"
	keyNone      = "scoring.error.none"
	keyJuror     = "scoring.error.juror"
	keyRequired  = "form.required"
	keyTooLong   = "form.error.too_long"
)

// Key names one score cell: a criterion and, when the juror scores
// projects, a project (by public ID).
type Key struct {
	CriterionID int64
	ProjectID   string
}

// Field is the name forms and error messages use for the cell's score:
// "score-<criterion>" or "score-<criterion>-<project>".
func (k Key) Field() string { return "score-" + k.suffix() }

// CommentField is the name of the cell's comment: "comment-<criterion>"
// or "comment-<criterion>-<project>".
func (k Key) CommentField() string { return "comment-" + k.suffix() }

func (k Key) suffix() string {
	s := strconv.FormatInt(k.CriterionID, 10)
	if k.ProjectID != "" {
		s += "-" + k.ProjectID
	}
	return s
}

// Cell is one score as a juror writes it. A nil Value is no score (yet);
// a cell with neither value nor comment is removed.
type Cell struct {
	Key
	Value   *float64
	Comment string
}

// ParseValue reads a score typed or picked in a form: "" is no score; a
// decimal comma is accepted. It returns the EInvalid field message key
// for anything that is not a finite number.
func ParseValue(s string) (*float64, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, ""
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, keyNumber
	}
	return &v, ""
}

// onScale checks v against a criterion's scale: min ≤ v ≤ max, and on a
// step ((v − min)/step a whole number). Scales are stored in hundredths,
// so the arithmetic is done in hundredths, tolerating the noise of binary
// floating point (2.9999999999 is 3). It returns v snapped to the exact
// point, or the message key of the problem.
func onScale(v float64, cr awards.Criterion) (float64, string) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, keyNumber
	}
	const eps = 1e-6
	lo, hi, step := math.Round(cr.ScaleMin*100), math.Round(cr.ScaleMax*100), math.Round(cr.ScaleStep*100)
	x := v * 100
	if x < lo-eps || x > hi+eps {
		return 0, keyScale
	}
	k := (x - lo) / step
	if math.Abs(k-math.Round(k)) > eps {
		return 0, keyStep
	}
	return (lo + math.Round(k)*step) / 100, ""
}

// Points lists the values of a criterion's scale, lowest first.
func Points(cr awards.Criterion) []float64 {
	lo, hi, step := math.Round(cr.ScaleMin*100), math.Round(cr.ScaleMax*100), math.Round(cr.ScaleStep*100)
	if step <= 0 || hi < lo {
		return nil
	}
	var out []float64
	for x := lo; x <= hi+1e-6; x += step {
		out = append(out, x/100)
	}
	return out
}

// cleanText trims a text a person typed, turns CRLF into LF and refuses
// invalid UTF-8 and control characters other than line breaks and tabs
// (PostgreSQL refuses NUL; the rest are never meant). It returns the
// cleaned text and a message key when it is not acceptable.
func cleanText(s string, max int, required bool) (string, string) {
	if !utf8.ValidString(s) {
		return s, keyText
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	for _, r := range s {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return s, keyText
		}
	}
	switch {
	case required && s == "":
		return s, keyRequired
	case utf8.RuneCountInString(s) > max:
		return s, keyTooLong
	}
	return s, ""
}

// rules are what a juror's cells of one nomination are checked against.
type rules struct {
	level    Level
	criteria map[int64]awards.Criterion
	// projects maps the linked projects' public IDs to their row IDs.
	projects map[string]int64
}

// write is a checked cell, ready for the database.
type write struct {
	Cell
	projectRowID int64 // 0 at nomination level
}

// empty reports whether the cell holds nothing and is to be removed.
func (w write) empty() bool { return w.Value == nil && w.Comment == "" }

// check cleans and checks cells, returning them ready to write or an
// EInvalid error with a message per field. Nothing is written when any
// cell is wrong.
func (r rules) check(cells []Cell) ([]write, error) {
	if len(cells) == 0 {
		return nil, &awards.Error{Code: awards.EInvalid, Message: "send at least one score",
			Fields: map[string]string{"scores": keyNone}}
	}
	fields := map[string]string{}
	add := func(field, key string) {
		if _, ok := fields[field]; !ok {
			fields[field] = key
		}
	}
	seen := map[Key]bool{}
	out := make([]write, 0, len(cells))
	for _, c := range cells {
		w := write{Cell: c}
		field := c.Field()
		cr, ok := r.criteria[c.CriterionID]
		if !ok {
			add(field, keyCriterion)
			continue
		}
		switch {
		case r.level == LevelProject && c.ProjectID == "":
			add(field, keyNeedProj)
			continue
		case r.level == LevelNomination && c.ProjectID != "":
			add(field, keyNoProj)
			continue
		case c.ProjectID != "":
			id, ok := r.projects[c.ProjectID]
			if !ok {
				add(field, keyProject)
				continue
			}
			w.projectRowID = id
		}
		if seen[c.Key] {
			add(field, keyDuplicate)
			continue
		}
		seen[c.Key] = true
		if c.Value != nil {
			v, key := onScale(*c.Value, cr)
			if key != "" {
				add(field, key)
				continue
			}
			w.Value = &v
		}
		var key string
		if w.Comment, key = cleanText(c.Comment, MaxComment, false); key != "" {
			add(c.CommentField(), key)
			continue
		}
		out = append(out, w)
	}
	if len(fields) > 0 {
		return nil, &awards.Error{Code: awards.EInvalid, Message: fmt.Sprintf("%d score(s) could not be saved: see errors", len(fields)),
			Fields: fields}
	}
	return out, nil
}
