// Package diplomas makes the diplomas of a cycle's decision: one PDF for
// each winner, finalist and honourable mention, naming the nominee
// organisations, the award, the year, the outcome and the jury's
// statement, in the organisations' written form (bokmål or nynorsk;
// English on request), signed by whom the cycle's owner admins set.
//
// Who sees what: the cycle's admins (its owner's admins and site admins)
// see, preview and download every diploma at any time, before the
// decision is public too. Everyone else sees nothing before the winners'
// instant (the live winners' announcement's publish_at, by the database
// clock); after it, the members of a decided nominee organisation get
// their own diplomas.
package diplomas

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/pdfdoc"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Outcomes as decisions.outcome stores them.
const (
	Winner            = "winner"
	Finalist          = "finalist"
	HonourableMention = "honourable_mention"
)

var outcomeOrder = map[string]int{Winner: 0, Finalist: 1, HonourableMention: 2}

// MaxSignature is the longest signatory name or title, in characters.
const MaxSignature = 200

// Service lists and makes a cycle's diplomas and keeps their signature.
type Service struct {
	db     bun.IDB
	bundle *i18n.Bundle
}

// NewService returns a Service over db, with the diplomas' texts from
// bundle.
func NewService(db bun.IDB, bundle *i18n.Bundle) *Service { return &Service{db: db, bundle: bundle} }

// Cycle is what a diploma names of its cycle.
type Cycle struct {
	ID       int64  `bun:"id"`
	PublicID string `bun:"public_id"`
	Title    string `bun:"title"`
	Year     int    `bun:"year"`
	AwardNB  string `bun:"name_nb"`
	AwardNN  string `bun:"name_nn"`
	AwardEN  string `bun:"name_en"`
	// Owner is the name of the award's owner, who gives the award.
	Owner string `bun:"owner"`
}

// Award returns the award's name in lang, falling back to bokmål.
func (c Cycle) Award(lang string) string {
	switch {
	case lang == "nn" && c.AwardNN != "":
		return c.AwardNN
	case lang == "en" && c.AwardEN != "":
		return c.AwardEN
	}
	return c.AwardNB
}

// Signature is who signs the cycle's diplomas.
type Signature struct {
	Name    string `bun:"name" json:"name"`
	TitleNB string `bun:"title_nb" json:"title_nb"`
	TitleNN string `bun:"title_nn" json:"title_nn"`
	TitleEN string `bun:"title_en" json:"title_en"`
}

// Title returns the signatory's title in lang, falling back to bokmål.
func (s Signature) Title(lang string) string {
	return awards.PickText(lang, s.TitleNB, s.TitleNN, s.TitleEN).Text
}

// Diploma is one decided nomination's diploma.
type Diploma struct {
	NominationID int64  `bun:"nomination_id" json:"-"`
	PublicID     string `bun:"public_id" json:"id"`
	Title        string `bun:"title" json:"title"`
	Outcome      string `bun:"outcome" json:"outcome"`
	// Organisations are the nominee organisations' names, by name.
	Organisations []string `bun:"organisations,array" json:"organisations"`
	// Lang is the organisations' written form, "nb" or "nn": the first
	// organisation's (by name) when a joint nomination's differ.
	Lang        string `bun:"lang" json:"language"`
	StatementNB string `bun:"statement_nb" json:"-"`
	StatementNN string `bun:"statement_nn" json:"-"`
	StatementEN string `bun:"statement_en" json:"-"`
}

// Statement returns the jury's statement in lang, falling back to bokmål
// where it was not written in that form; finalists may have none.
func (d Diploma) Statement(lang string) string {
	return awards.PickText(lang, d.StatementNB, d.StatementNN, d.StatementEN).Text
}

// Set is a cycle's diplomas as one reader may see them.
type Set struct {
	Cycle     Cycle
	Signature Signature
	// Diplomas are the ones the reader may have: winners, finalists,
	// honourable mentions, each by title.
	Diplomas []Diploma
	// Admin: the reader administers the cycle, sees every diploma and
	// sets the signature.
	Admin bool
	// WinnersAt is the winners' instant, if a winners' announcement is
	// scheduled; Released says it has passed.
	WinnersAt *time.Time
	Released  bool
}

// Of returns the diploma of the nomination with publicID, if the set has it.
func (s Set) Of(publicID string) (Diploma, bool) {
	for _, d := range s.Diplomas {
		if d.PublicID == publicID {
			return d, true
		}
	}
	return Diploma{}, false
}

// ErrNotAdmin: only the cycle's admins manage its diplomas.
var ErrNotAdmin = errors.New("not an admin of the cycle")

// List returns the cycle's diplomas the actor may have (see the package
// doc). Logged-in readers only; an unknown cycle is ENotFound.
func (s *Service) List(ctx context.Context, actor *awards.Actor, cyclePublicID string) (Set, error) {
	var set Set
	if actor.Anonymous() {
		return set, awards.Errorf(awards.EUnauthenticated, "log in to continue")
	}
	err := s.db.NewRaw(`SELECT c.id, c.public_id, c.title, c.year, a.name_nb, a.name_nn, a.name_en, coalesce(o.name, '') AS owner
		FROM cycles c JOIN awards a ON a.id = c.award_id LEFT JOIN organisations o ON o.id = a.owner_id
		WHERE c.public_id = ?`, cyclePublicID).Scan(ctx, &set.Cycle)
	if err != nil {
		return set, postgres.Map("load cycle for diplomas", err)
	}
	set.Admin = actor.AdministersCycle(set.Cycle.ID)
	var ann []struct {
		At       time.Time `bun:"publish_at"`
		Released bool      `bun:"released"`
	}
	if err := s.db.NewRaw(`SELECT publish_at, publish_at <= now() AS released FROM announcements
		WHERE cycle_id = ? AND kind = 'winners' AND unpublished_at IS NULL`, set.Cycle.ID).Scan(ctx, &ann); err != nil {
		return set, postgres.Map("load the winners' announcement", err)
	}
	if len(ann) > 0 {
		set.WinnersAt, set.Released = &ann[0].At, ann[0].Released
	}
	if !set.Admin && !set.Released {
		return set, nil
	}
	mine := "true"
	args := []any{set.Cycle.ID}
	if !set.Admin {
		mine = `EXISTS (SELECT 1 FROM nomination_organisations x JOIN memberships m ON m.organisation_id = x.organisation_id
			WHERE x.nomination_id = n.id AND m.user_id = ?)`
		args = append(args, actor.User.ID)
	}
	err = s.db.NewRaw(`SELECT d.nomination_id, n.public_id, n.title, d.outcome, d.statement_nb, d.statement_nn, d.statement_en,
			array(SELECT o.name FROM nomination_organisations x JOIN organisations o ON o.id = x.organisation_id
				WHERE x.nomination_id = n.id ORDER BY o.name, o.id) AS organisations,
			coalesce((SELECT o.language FROM nomination_organisations x JOIN organisations o ON o.id = x.organisation_id
				WHERE x.nomination_id = n.id ORDER BY o.name, o.id LIMIT 1), 'nb') AS lang
		FROM decisions d JOIN nominations n ON n.id = d.nomination_id
		WHERE d.cycle_id = ? AND `+mine, args...).Scan(ctx, &set.Diplomas)
	if err != nil {
		return set, postgres.Map("list diplomas", err)
	}
	slices.SortFunc(set.Diplomas, func(a, b Diploma) int {
		return cmp.Or(cmp.Compare(outcomeOrder[a.Outcome], outcomeOrder[b.Outcome]),
			strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), cmp.Compare(a.NominationID, b.NominationID))
	})
	if set.Signature, err = s.signature(ctx, set.Cycle.ID); err != nil {
		return set, err
	}
	return set, nil
}

// Manage is List for the cycle's admins only (EForbidden for others).
func (s *Service) Manage(ctx context.Context, actor *awards.Actor, cyclePublicID string) (Set, error) {
	set, err := s.List(ctx, actor, cyclePublicID)
	if err == nil && !set.Admin {
		err = &awards.Error{Code: awards.EForbidden, Err: ErrNotAdmin, Message: "only the cycle's administrators manage its diplomas"}
	}
	return set, err
}

func (s *Service) signature(ctx context.Context, cycleID int64) (Signature, error) {
	var out []Signature
	if err := s.db.NewRaw(`SELECT name, title_nb, title_nn, title_en FROM diploma_signatures WHERE cycle_id = ?`, cycleID).
		Scan(ctx, &out); err != nil {
		return Signature{}, postgres.Map("load the diplomas' signature", err)
	}
	if len(out) == 0 {
		return Signature{}, nil
	}
	return out[0], nil
}

// SetSignature sets who signs the cycle's diplomas, with an audit entry.
// The cycle's admins (EForbidden otherwise); each field at most
// MaxSignature characters (EInvalid, keyed name, title_nb, title_nn,
// title_en); a title needs a name.
func (s *Service) SetSignature(ctx context.Context, actor *awards.Actor, cyclePublicID string, in Signature) (Signature, error) {
	set, err := s.Manage(ctx, actor, cyclePublicID)
	if err != nil {
		return Signature{}, err
	}
	errs := map[string]string{}
	for _, f := range []struct {
		key string
		v   *string
	}{{"name", &in.Name}, {"title_nb", &in.TitleNB}, {"title_nn", &in.TitleNN}, {"title_en", &in.TitleEN}} {
		*f.v = strings.Join(strings.Fields(*f.v), " ")
		if utf8.RuneCountInString(*f.v) > MaxSignature {
			errs[f.key] = "form.error.too_long"
		}
	}
	if in.Name == "" && (in.TitleNB != "" || in.TitleNN != "" || in.TitleEN != "") {
		errs["name"] = "diplomas.error.name_required"
	}
	if len(errs) > 0 {
		return Signature{}, awards.Invalid(errs)
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO diploma_signatures (cycle_id, name, title_nb, title_nn, title_en, updated_by)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (cycle_id) DO UPDATE SET name = EXCLUDED.name, title_nb = EXCLUDED.title_nb, title_nn = EXCLUDED.title_nn,
				title_en = EXCLUDED.title_en, updated_by = EXCLUDED.updated_by, updated_at = now()`,
			set.Cycle.ID, in.Name, in.TitleNB, in.TitleNN, in.TitleEN, actor.User.ID)
		if err != nil {
			return postgres.Map("save the diplomas' signature", err)
		}
		return audit.Record(ctx, tx, actor.User.ID, "update", "cycle", set.Cycle.ID,
			map[string]any{"diploma_signature": set.Signature}, map[string]any{"diploma_signature": in})
	})
	if err != nil {
		return Signature{}, err
	}
	return in, nil
}

// Langs a diploma can be asked for in; "" means the organisations' own.
var Langs = []string{"nb", "nn", "en"}

// checkLang refuses a language a diploma is not made in.
func checkLang(lang string) error {
	if lang == "" || slices.Contains(Langs, lang) {
		return nil
	}
	return awards.Invalid(map[string]string{"lang": "diplomas.error.lang"})
}

// WritePDF writes the diploma of the nomination with nominationPublicID
// to w, in lang ("" for the organisations' written form). A diploma the
// actor may not have is ENotFound, as one that does not exist.
func (s *Service) WritePDF(ctx context.Context, actor *awards.Actor, cyclePublicID, nominationPublicID, lang string, w io.Writer) error {
	if err := checkLang(lang); err != nil {
		return err
	}
	set, err := s.List(ctx, actor, cyclePublicID)
	if err != nil {
		return err
	}
	d, ok := set.Of(nominationPublicID)
	if !ok {
		return awards.Errorf(awards.ENotFound, "no such diploma")
	}
	return s.write(set, []Diploma{d}, lang, w)
}

// WriteNominationPDF is WritePDF for the nomination with publicID,
// whichever its cycle: the nominee organisations' own link to their
// diploma.
func (s *Service) WriteNominationPDF(ctx context.Context, actor *awards.Actor, nominationPublicID, lang string, w io.Writer) error {
	if actor.Anonymous() {
		return awards.Errorf(awards.EUnauthenticated, "log in to continue")
	}
	var cycle string
	if err := s.db.NewRaw(`SELECT c.public_id FROM nominations n JOIN cycles c ON c.id = n.cycle_id WHERE n.public_id = ?`,
		nominationPublicID).Scan(ctx, &cycle); err != nil {
		return postgres.Map("find the nomination's cycle", err)
	}
	return s.WritePDF(ctx, actor, cycle, nominationPublicID, lang, w)
}

// WriteAllPDF writes every diploma the actor may have as one PDF, a page
// each (ENotFound when there is none).
func (s *Service) WriteAllPDF(ctx context.Context, actor *awards.Actor, cyclePublicID, lang string, w io.Writer) error {
	if err := checkLang(lang); err != nil {
		return err
	}
	set, err := s.List(ctx, actor, cyclePublicID)
	if err != nil {
		return err
	}
	if len(set.Diplomas) == 0 {
		return awards.Errorf(awards.ENotFound, "no diplomas")
	}
	return s.write(set, set.Diplomas, lang, w)
}

// write lays out ds, one page each, in one document.
func (s *Service) write(set Set, ds []Diploma, lang string, w io.Writer) error {
	docLang := cmp.Or(lang, ds[0].Lang)
	l := s.bundle.Localizer(docLang)
	title := l.T("diplomas.pdf.title", "Award", set.Cycle.Award(docLang), "Year", set.Cycle.Year)
	// The document's date is the winners' instant where known, so that the
	// same diploma downloaded twice is the same file.
	created := time.Date(set.Cycle.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	if set.WinnersAt != nil {
		created = *set.WinnersAt
	}
	doc, err := pdfdoc.New(pdfdoc.Landscape, pdfdoc.Meta{Title: title, Author: set.Cycle.Owner, Lang: docLang, Created: created})
	if err != nil {
		return err
	}
	for _, d := range ds {
		dl := cmp.Or(lang, d.Lang)
		doc.Diploma(s.Page(set, d, dl))
	}
	if err := doc.Write(w); err != nil {
		return fmt.Errorf("diplomas of cycle %s: %w", set.Cycle.PublicID, err)
	}
	return nil
}

// Page is the diploma of d in lang as pdfdoc lays it out.
func (s *Service) Page(set Set, d Diploma, lang string) pdfdoc.DiplomaPage {
	l := s.bundle.Localizer(lang)
	award := set.Cycle.Award(lang)
	p := pdfdoc.DiplomaPage{
		Issuer:        set.Cycle.Owner,
		Heading:       l.T("diplomas.pdf.heading"),
		Organisations: d.Organisations,
		Outcome:       l.T("diplomas.pdf.outcome."+d.Outcome, "Award", award, "Year", set.Cycle.Year),
		Work:          l.T("diplomas.pdf.work", "Title", d.Title),
		SignName:      set.Signature.Name,
		SignTitle:     set.Signature.Title(lang),
	}
	if st := d.Statement(lang); st != "" {
		p.StatementHeading, p.Statement = l.T("diplomas.pdf.statement"), st
	}
	return p
}
