// Package history owns the real history of the municipal innovation award
// (2014–2020) as data with its sources, and its import into the archive:
// `heder import-archive` in production, and the demo's published years.
package history

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"time"

	"github.com/BurntSushi/toml"
)

//go:embed innovasjonsprisen.toml
var innovasjonsprisen []byte

// Record is an award's history as its data file gives it.
type Record struct {
	Award   AwardSpec         `toml:"award"`
	Sources map[string]Source `toml:"sources"`
	Years   []Year            `toml:"years"`
}

// AwardSpec names the award and its owner.
type AwardSpec struct {
	Slug       string `toml:"slug"`
	NameNB     string `toml:"name_nb"`
	NameNN     string `toml:"name_nn"`
	NameEN     string `toml:"name_en"`
	OwnerOrgnr string `toml:"owner_orgnr"`
	OwnerName  string `toml:"owner_name"`
}

// Source is a public document that states facts of the history.
type Source struct {
	Publisher string `toml:"publisher"`
	Title     string `toml:"title"`
	URL       string `toml:"url"`
	Published string `toml:"published"`
}

// Year is one year of the award: its facts and its nominees.
type Year struct {
	Year     int       `toml:"year"`
	Facts    []Fact    `toml:"facts"`
	Nominees []Nominee `toml:"nominees"`
}

// Fact kinds, as history_facts.kind.
const (
	FactOwner             = "owner"
	FactSecretariat       = "secretariat"
	FactCallAnnounced     = "call_announced"
	FactDeadline          = "deadline"
	FactJuryMeeting       = "jury_meeting"
	FactApplicants        = "applicants"
	FactNomineesAnnounced = "nominees_announced"
	FactWinnerAnnounced   = "winner_announced"
	FactAnnouncedBy       = "announced_by"
	FactPrize             = "prize"
	FactJuror             = "juror"
	FactNote              = "note"
)

var factKinds = []string{FactOwner, FactSecretariat, FactCallAnnounced, FactDeadline, FactJuryMeeting, FactApplicants,
	FactNomineesAnnounced, FactWinnerAnnounced, FactAnnouncedBy, FactPrize, FactJuror, FactNote}

// Fact is one fact of a year. Which fields it uses depends on its kind.
type Fact struct {
	Key  string `toml:"key"`
	Kind string `toml:"kind"`
	// Date is a day ("2017-03-01"); Month a month ("2015-12") where the
	// source gives no day.
	Date  string `toml:"date"`
	Month string `toml:"month"`
	// Applicants: municipalities and projects, or applications.
	Municipalities int `toml:"municipalities"`
	Projects       int `toml:"projects"`
	Applications   int `toml:"applications"`
	// Prize: the amount in kroner.
	Amount      int    `toml:"amount"`
	Person      string `toml:"person"`
	Affiliation string `toml:"affiliation"`
	// Number is a juror's municipality, by its kommunenummer of the year.
	Number  string   `toml:"number"`
	Chair   bool     `toml:"chair"`
	NB      string   `toml:"nb"`
	NN      string   `toml:"nn"`
	EN      string   `toml:"en"`
	Sources []string `toml:"sources"`
}

// Nominee is a winner or finalist of a year, by its kommunenummer of the
// year, with the work the sources name.
type Nominee struct {
	Number   string    `toml:"number"`
	Outcome  string    `toml:"outcome"`
	Sources  []string  `toml:"sources"`
	Projects []Project `toml:"projects"`
}

// Project is a piece of work a source names, with its words where it
// gives some.
type Project struct {
	Title       string   `toml:"title"`
	Description string   `toml:"description"`
	Sources     []string `toml:"sources"`
}

// Innovasjonsprisen is the municipal innovation award's history.
func Innovasjonsprisen() (Record, error) { return Parse(innovasjonsprisen) }

// Parse reads a history and checks that every fact, nominee and project
// names sources the history lists, and that its values make sense.
func Parse(data []byte) (Record, error) {
	var r Record
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&r)
	if err != nil {
		return r, fmt.Errorf("read history: %w", err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return r, fmt.Errorf("read history: unknown keys %v", un)
	}
	return r, r.check()
}

func (r Record) check() error {
	if r.Award.Slug == "" || r.Award.NameNB == "" || r.Award.OwnerOrgnr == "" || r.Award.OwnerName == "" {
		return fmt.Errorf("history: the award needs a slug, a name and an owner")
	}
	for key, s := range r.Sources {
		if s.Publisher == "" || s.Title == "" || s.URL == "" {
			return fmt.Errorf("history: source %s needs a publisher, a title and an address", key)
		}
	}
	cited := func(what string, keys []string) error {
		if len(keys) == 0 {
			return fmt.Errorf("history: %s has no source", what)
		}
		for _, k := range keys {
			if _, ok := r.Sources[k]; !ok {
				return fmt.Errorf("history: %s cites %s, which is not among the sources", what, k)
			}
		}
		return nil
	}
	years := map[int]bool{}
	for _, y := range r.Years {
		if years[y.Year] {
			return fmt.Errorf("history: %d twice", y.Year)
		}
		years[y.Year] = true
		keys := map[string]bool{}
		for _, f := range y.Facts {
			what := fmt.Sprintf("fact %d/%s", y.Year, f.Key)
			if f.Key == "" || keys[f.Key] {
				return fmt.Errorf("history: %s: a key that is empty or used twice", what)
			}
			keys[f.Key] = true
			if !slices.Contains(factKinds, f.Kind) {
				return fmt.Errorf("history: %s: unknown kind %q", what, f.Kind)
			}
			if _, err := f.day(); err != nil {
				return fmt.Errorf("history: %s: %w", what, err)
			}
			if f.Kind == FactNote && f.NB == "" {
				return fmt.Errorf("history: %s: a note needs its text", what)
			}
			if err := cited(what, f.Sources); err != nil {
				return err
			}
		}
		for _, n := range y.Nominees {
			what := fmt.Sprintf("nominee %d/%s", y.Year, n.Number)
			if n.Outcome != "winner" && n.Outcome != "finalist" {
				return fmt.Errorf("history: %s: outcome %q is neither winner nor finalist", what, n.Outcome)
			}
			if err := cited(what, n.Sources); err != nil {
				return err
			}
			for _, p := range n.Projects {
				if p.Title == "" {
					return fmt.Errorf("history: %s: a project without a title", what)
				}
				if err := cited(what+" "+p.Title, p.Sources); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// day is the fact's date, or its month's first day, or nil.
func (f Fact) day() (*time.Time, error) {
	layout, s := time.DateOnly, f.Date
	if f.Month != "" {
		layout, s = "2006-01", f.Month
	}
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return nil, fmt.Errorf("date %q: %w", s, err)
	}
	return &t, nil
}

// date is the year's fact of kind, if there is one.
func (y Year) date(kind string) *time.Time {
	for _, f := range y.Facts {
		if f.Kind == kind {
			d, _ := f.day()
			return d
		}
	}
	return nil
}
