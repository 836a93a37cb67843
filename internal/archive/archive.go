package archive

import (
	"context"
	"database/sql"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/files"
	"github.com/uptrace/bun"
)

// Service reads the public archive. Anyone may call its methods: they only
// ever return what the embargo views make public.
type Service struct {
	db    bun.IDB
	store files.Store
}

// NewService returns a Service over db, serving public attachments' bytes
// from store.
func NewService(db bun.IDB, store files.Store) *Service { return &Service{db: db, store: store} }

// read runs fn in a read-only, repeatable-read transaction: every query of
// one answer sees the same data and the same now(), so the embargo views
// flip between answers, never inside one.
func (s *Service) read(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	return s.db.RunInTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}, fn)
}

// Texts is a text in bokmål, nynorsk and English; NN and EN may be empty.
type Texts struct {
	NB, NN, EN string
}

// In returns the text in lang, falling back to bokmål.
func (t Texts) In(lang string) string { return t.Pick(lang).Text }

// Pick returns the text in lang, falling back to bokmål, with the
// language it is in.
func (t Texts) Pick(lang string) awards.Text { return awards.PickText(lang, t.NB, t.NN, t.EN) }

// Outcome is a nomination's public outcome; empty for an applicant shown
// because its cycle publishes every application.
type Outcome string

// Outcomes, in the order pages show them.
const (
	Winner            Outcome = "winner"
	Finalist          Outcome = "finalist"
	HonourableMention Outcome = "honourable_mention"
	Applicant         Outcome = ""
)

// outcomeOrder sorts public nominations winners first, then finalists,
// honourable mentions and the other applicants.
const outcomeOrder = `CASE pn.outcome WHEN 'winner' THEN 0 WHEN 'finalist' THEN 1 WHEN 'honourable_mention' THEN 2 ELSE 3 END`

// OrgRef points to an organisation.
type OrgRef struct {
	ID   int64
	Name string
}

// Nominee is a nominee organisation as it was when nominated: a former
// municipality keeps its name of the time (Oppegård) and says which
// organisation it is part of now (Nordre Follo).
type Nominee struct {
	ID     int64
	Kind   awards.OrgKind
	Name   string
	Number string
	County string
	// Former is set when the organisation no longer exists.
	Former  bool
	ValidTo *time.Time
	// Now is the organisation it is part of today (the end of its chain of
	// successors); nil when it still exists.
	Now *OrgRef
}

// Renamed reports whether a former organisation lives on under another
// name, which is worth saying ("now part of Nordre Follo"); Horten, which
// only got a new number, is not.
func (n Nominee) Renamed() bool { return n.Now != nil && n.Now.Name != n.Name }

// File is a public attachment.
type File struct {
	PublicID    string
	ProjectID   string // the project's public ID
	Filename    string
	ContentType string
	Size        int64
	AltText     string
	SHA256      string
}

// Image reports whether the file is a picture (else a PDF).
func (f File) Image() bool { return f.ContentType != "application/pdf" }

// Project is a public project.
type Project struct {
	PublicID    string
	Title       string
	Description string
	Results     string
	Partners    string
	PeriodStart *time.Time
	PeriodEnd   *time.Time
	Links       []string
	Owner       OrgRef
	Measures    []awards.Measure
	Files       []File
	// Sources are the keys of the public sources that state what the
	// project is, for a project from the award's history; Refs are those
	// sources as the page numbers them.
	Sources []string
	Refs    []Source
	// Lang is the written form of the project's texts: its owner's.
	Lang string
}

// Images returns the project's public pictures.
func (p Project) Images() []File { return p.filter(true) }

// Documents returns the project's public PDFs.
func (p Project) Documents() []File { return p.filter(false) }

func (p Project) filter(images bool) []File {
	var out []File
	for _, f := range p.Files {
		if f.Image() == images {
			out = append(out, f)
		}
	}
	return out
}

// CycleRef names a cycle of an award.
type CycleRef struct {
	AwardSlug string
	AwardName Texts
	Year      int
	Title     string
	// Programme: the award is a programme, and the entry a participation
	// in its cohort, with no outcome.
	Programme bool
}

// Entry is a public nomination: its texts, its public outcome and the
// jury's statement (once the winners are announced), its nominees and
// its projects.
type Entry struct {
	ID          int64
	PublicID    string
	Cycle       CycleRef
	Title       string
	Summary     string
	Challenge   awards.Challenge
	Outcome     Outcome
	Statement   Texts
	PublishedAt time.Time
	Nominees    []Nominee
	Projects    []Project
	// Sources are the keys of the public sources that state the
	// nomination and its outcome, for one from the award's history; Refs
	// are those sources as the page numbers them.
	Sources []string
	Refs    []Source
	// Lang is the written form of the nomination's texts: its (lead)
	// nominee's.
	Lang string
}

// Names returns the nominees' names of the time, joined: "Trondheim,
// Åfjord".
func (e Entry) Names() string {
	s := ""
	for i, n := range e.Nominees {
		if i > 0 {
			s += ", "
		}
		s += n.Name
	}
	return s
}

// Image returns the first public picture of the entry's projects, if any.
func (e Entry) Image() *File {
	for _, p := range e.Projects {
		if imgs := p.Images(); len(imgs) > 0 {
			return &imgs[0]
		}
	}
	return nil
}
