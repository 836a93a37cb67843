package assignment

import (
	"strings"
	"sync"

	"github.com/heder-awards/heder/internal/i18n"
)

// Translate returns a message in the reader's language: an ID and
// template data as key/value pairs (i18n.Localizer.T).
type Translate func(id string, kv ...any) string

// InfeasibleError says why the automatic assignment cannot give every
// nomination K jurors. Nothing was changed. It comes wrapped in an
// *awards.Error with code EConflict; Reasons explains it in the reader's
// language.
type InfeasibleError struct {
	K      int
	Jurors int // seated jurors
	// TooFewJurors: K exceeds the number of jurors; then every nomination
	// is blocked and Nominations is empty.
	TooFewJurors bool
	// Nominations lists every blocked nomination; fixing all of them
	// (fewer manual exclusions, more jurors or a smaller K) is enough.
	Nominations []Issue
}

// Issue is why one nomination cannot get K jurors.
type Issue struct {
	// Nomination is the public ID and Label the title and nominees; both
	// are "" for a nomination the caller's own seat steps aside from.
	Nomination, Label string
	// Available counts the jurors the nomination can get: those neither
	// conflicted nor manually excluded, and the fixed ones.
	Available int
	// Conflicted and Excluded name the jurors who step aside and those the
	// admin excluded by hand.
	Conflicted, Excluded []string
	// Fixed names the jurors kept on the nomination: manually assigned, or
	// already scoring it. More than K of them is an error too.
	Fixed []string
}

// Error says it in English, for logs and clients that read no language.
func (e *InfeasibleError) Error() string {
	return strings.Join(e.Reasons(english), "; ")
}

// Reasons explains, one line per blocked nomination (or one line for a
// jury smaller than K), why the assignment is impossible.
func (e *InfeasibleError) Reasons(t Translate) []string {
	if e.TooFewJurors {
		return []string{t("assignment.infeasible.too_few_jurors", "Count", e.K, "Total", e.Jurors)}
	}
	out := make([]string, 0, len(e.Nominations))
	for _, iss := range e.Nominations {
		label := iss.Label
		if iss.Nomination == "" {
			label = t("assignment.hidden_nomination")
		}
		var parts []string
		if len(iss.Fixed) > e.K {
			parts = append(parts, t("assignment.infeasible.too_many_fixed", "Count", len(iss.Fixed), "Total", e.K,
				"Name", names(t, iss.Fixed)))
		}
		if iss.Available < e.K {
			p := t("assignment.infeasible.available", "Count", iss.Available, "Total", e.Jurors)
			var why []string
			if len(iss.Conflicted) > 0 {
				why = append(why, t("assignment.infeasible.conflicted", "Name", names(t, iss.Conflicted)))
			}
			if len(iss.Excluded) > 0 {
				why = append(why, t("assignment.infeasible.excluded", "Name", names(t, iss.Excluded)))
			}
			if len(why) > 0 {
				p += " (" + strings.Join(why, "; ") + ")"
			}
			parts = append(parts, p)
		}
		out = append(out, label+": "+strings.Join(parts, "; "))
	}
	return out
}

// names joins names as "Kari, Ola og Per".
func names(t Translate, list []string) string {
	if len(list) < 2 {
		return strings.Join(list, "")
	}
	return strings.Join(list[:len(list)-1], ", ") + " " + t("assignment.and") + " " + list[len(list)-1]
}

// CellConflictError refuses to assign a juror a nomination they must step
// aside from. It comes wrapped in an *awards.Error with code EConflict;
// Explain says it in the reader's language.
type CellConflictError struct {
	// Index is the cell's position in the request.
	Index int
	Juror string
	// Nomination names the nomination by title and nominees.
	Nomination string
	// Member: the conflict is membership of a nominee organisation, not a
	// declaration.
	Member bool
}

// Error says it in English, for logs and clients that read no language.
func (e *CellConflictError) Error() string { return e.Explain(english) }

// Explain says why the cell cannot be assigned.
func (e *CellConflictError) Explain(t Translate) string {
	if e.Member {
		return t("assignment.error.conflict_member", "Name", e.Juror, "Title", e.Nomination)
	}
	return t("assignment.error.conflict_declared", "Name", e.Juror, "Title", e.Nomination)
}

// english translates into English with the embedded messages, for Error
// (logs, and API clients when no language is asked for).
func english(id string, kv ...any) string { return englishT()(id, kv...) }

var englishT = sync.OnceValue(func() Translate {
	b, err := i18n.Load()
	if err != nil {
		// The messages are embedded and checked by tests: this cannot
		// happen in a build that passed them.
		return func(id string, _ ...any) string { return id }
	}
	return b.Localizer("en").T
})
