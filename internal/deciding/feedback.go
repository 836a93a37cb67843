package deciding

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// MaxFeedback is the longest feedback, in characters (the column's check).
const MaxFeedback = 20000

// FeedbackStatus is one nomination's line in the list of feedback.
type FeedbackStatus struct {
	Nomination
	// Drafted: the feedback has text.
	Drafted   bool       `bun:"drafted"`
	UpdatedBy string     `bun:"updated_by"`
	UpdatedAt *time.Time `bun:"updated_at"`
	// Comments is the number of jurors' comments to start from.
	Comments int `bun:"comments"`
}

// FeedbackList is the feedback of a cycle's assessed nominations.
type FeedbackList struct {
	Viewer Viewer
	// Items are the nominations in the running the reader may see, by
	// title.
	Items []FeedbackStatus
}

// Drafted counts the nominations whose feedback has text.
func (l FeedbackList) Drafted() int {
	n := 0
	for _, it := range l.Items {
		if it.Drafted {
			n++
		}
	}
	return n
}

// Comment is one juror's comment on a score of a nomination.
type Comment struct {
	Juror     Juror
	Criterion string // the criterion's name in the nominee's written form
	// Round is the name of the criterion's round in the nominee's
	// written form, "" when the cycle judges in one round.
	Round   string
	Project string // the project's title when the cycle scores projects
	Text    string
}

// Heading is what a draft groups the comment under: its criterion, with
// its round when the cycle has several ("Nytt (Kortliste)").
func (c Comment) Heading() string {
	if c.Round == "" {
		return c.Criterion
	}
	return c.Criterion + " (" + c.Round + ")"
}

// Feedback is the written feedback to one nomination, with what it can be
// drafted from.
type Feedback struct {
	Viewer     Viewer
	Nomination Nomination
	Body       string
	UpdatedBy  string
	UpdatedAt  *time.Time
	// Language is the written form the nominee organisation has chosen
	// (nb or nn), which the feedback should be written in.
	Language string
	// Comments are the jurors' comments on their submitted scores that
	// count, round by round, criterion by criterion.
	Comments []Comment
}

// FromComments joins the comments into a draft, criterion by criterion
// (and round by round), without saying who wrote what: the jurors' names
// and initials, also where a juror signed a comment with them, are left
// out.
func (f Feedback) FromComments() string {
	var b strings.Builder
	last := ""
	for _, c := range f.Comments {
		text := unsign(c.Text, c.Juror)
		if text == "" {
			continue
		}
		if h := c.Heading(); h != last {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(h + ":\n")
			last = h
		}
		b.WriteString("- ")
		if c.Project != "" {
			b.WriteString(c.Project + ": ")
		}
		b.WriteString(strings.ReplaceAll(text, "\n", "\n  ") + "\n")
	}
	return strings.TrimSpace(b.String())
}

// unsign removes a juror's signature from a comment: their name or
// initials on their own at the start ("JJ: …") or the end ("… – JJ",
// "… (Jorunn Juryleder)", "… /jj").
func unsign(text string, j Juror) string {
	var alts []string
	if j.Name != "" {
		alts = append(alts, regexp.QuoteMeta(j.Name))
	}
	if in := j.Initials(); len([]rune(in)) >= 2 {
		alts = append(alts, regexp.QuoteMeta(in))
	}
	text = strings.TrimSpace(text)
	if len(alts) == 0 {
		return text
	}
	who := `(?:` + strings.Join(alts, "|") + `)`
	start := regexp.MustCompile(`(?i)^` + who + `\s*[:\-–—]\s+`)
	end := regexp.MustCompile(`(?i)(?:^|[\s.!?])\s*[\-–—/(]*\s*` + who + `\s*\)?\.?$`)
	text = start.ReplaceAllString(text, "")
	if loc := end.FindStringIndex(text); loc != nil {
		// Keep the sentence's own closing punctuation.
		cut := loc[0]
		if cut < len(text) && strings.ContainsRune(".!?", rune(text[cut])) {
			cut++
		}
		text = text[:cut]
	}
	return strings.TrimSpace(text)
}

// FeedbackList lists the cycle's nominations in the running with the
// state of their feedback. The chair (declared) and site admins; see
// RankingFor for the errors.
func (s *Service) FeedbackList(ctx context.Context, actor *awards.Actor, cyclePublicID string) (FeedbackList, error) {
	v, err := load(ctx, s.db, actor, cyclePublicID, false)
	if err != nil {
		return FeedbackList{}, err
	}
	l := FeedbackList{Viewer: v}
	err = s.db.NewRaw(`SELECT n.id, n.public_id, n.title, coalesce(d.outcome, '') AS outcome,
			coalesce((SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM nomination_organisations x
				JOIN organisations o ON o.id = x.organisation_id WHERE x.nomination_id = n.id), '') AS nominees,
			coalesce(f.body, '') <> '' AS drafted, coalesce(u.name, '') AS updated_by, f.updated_at,
			(SELECT count(*) FROM scores s JOIN criteria cr ON cr.id = s.criterion_id
				JOIN score_submissions ss ON ss.juror_id = s.juror_id AND ss.nomination_id = s.nomination_id AND ss.round_id = cr.round_id
				JOIN jurors j ON j.id = s.juror_id
				WHERE s.nomination_id = n.id AND btrim(s.comment) <> '' AND ss.excluded_reason IS NULL AND j.removed_at IS NULL) AS comments
		FROM nominations n LEFT JOIN decisions d ON d.nomination_id = n.id
		LEFT JOIN feedback f ON f.nomination_id = n.id LEFT JOIN users u ON u.id = f.updated_by
		WHERE n.cycle_id = ? AND in_the_running(n.status) AND `+v.visible("n")+`
		ORDER BY lower(n.title), n.id`, v.ID).Scan(ctx, &l.Items)
	if err != nil {
		return l, postgres.Map("list feedback", err)
	}
	return l, nil
}

// Feedback returns the feedback to the nomination with
// nominationPublicID (in the cycle with cyclePublicID, unless that is "")
// and the jurors' comments to draft it from. The chair of its cycle (declared,
// and not stepping aside from it) and site admins; ENotFound for others
// without a seat in the cycle and for nominations not in the running,
// EForbidden for jurors.
func (s *Service) Feedback(ctx context.Context, actor *awards.Actor, cyclePublicID, nominationPublicID string) (Feedback, error) {
	v, id, err := loadNomination(ctx, s.db, actor, cyclePublicID, nominationPublicID, false)
	if err != nil {
		return Feedback{}, err
	}
	return readFeedback(ctx, s.db, v, id)
}

func readFeedback(ctx context.Context, db bun.IDB, v Viewer, id int64) (Feedback, error) {
	f := Feedback{Viewer: v}
	var row struct {
		Nomination
		Body      string     `bun:"body"`
		UpdatedBy string     `bun:"updated_by"`
		UpdatedAt *time.Time `bun:"updated_at"`
		Language  string     `bun:"language"`
	}
	err := db.NewRaw(`SELECT n.id, n.public_id, n.title, coalesce(d.outcome, '') AS outcome,
			coalesce((SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM nomination_organisations x
				JOIN organisations o ON o.id = x.organisation_id WHERE x.nomination_id = n.id), '') AS nominees,
			coalesce(f.body, '') AS body, coalesce(u.name, '') AS updated_by, f.updated_at,
			coalesce((SELECT o.language FROM nomination_organisations x JOIN organisations o ON o.id = x.organisation_id
				WHERE x.nomination_id = n.id ORDER BY o.name, o.id LIMIT 1), 'nb') AS language
		FROM nominations n LEFT JOIN decisions d ON d.nomination_id = n.id
		LEFT JOIN feedback f ON f.nomination_id = n.id LEFT JOIN users u ON u.id = f.updated_by
		WHERE n.id = ?`, id).Scan(ctx, &row)
	if err != nil {
		return f, postgres.Map(fmt.Sprintf("read feedback to nomination %d", id), err)
	}
	f.Nomination, f.Body, f.UpdatedBy, f.UpdatedAt, f.Language = row.Nomination, row.Body, row.UpdatedBy, row.UpdatedAt, row.Language
	var comments []struct {
		JurorID    int64  `bun:"juror_id"`
		Name       string `bun:"name"`
		Chair      bool   `bun:"chair"`
		NameNB     string `bun:"name_nb"`
		NameNN     string `bun:"name_nn"`
		NameEN     string `bun:"name_en"`
		RoundNB    string `bun:"round_nb"`
		RoundNN    string `bun:"round_nn"`
		RoundEN    string `bun:"round_en"`
		ManyRounds bool   `bun:"many_rounds"`
		Project    string `bun:"project"`
		Comment    string `bun:"comment"`
	}
	// Each round's scores count with that round's submission.
	err = db.NewRaw(`SELECT j.id AS juror_id, u.name, j.chair, cr.name_nb, cr.name_nn, cr.name_en,
			r.name_nb AS round_nb, r.name_nn AS round_nn, r.name_en AS round_en,
			EXISTS (SELECT 1 FROM rounds x WHERE x.cycle_id = r.cycle_id AND x.id <> r.id) AS many_rounds,
			coalesce(p.title, '') AS project, s.comment
		FROM scores s
		JOIN jurors j ON j.id = s.juror_id JOIN users u ON u.id = j.user_id
		JOIN criteria cr ON cr.id = s.criterion_id JOIN rounds r ON r.id = cr.round_id
		JOIN score_submissions ss ON ss.juror_id = s.juror_id AND ss.nomination_id = s.nomination_id AND ss.round_id = cr.round_id
		LEFT JOIN projects p ON p.id = s.project_id
		LEFT JOIN nomination_projects np ON np.nomination_id = s.nomination_id AND np.project_id = s.project_id
		WHERE s.nomination_id = ? AND btrim(s.comment) <> '' AND ss.excluded_reason IS NULL AND j.removed_at IS NULL
		ORDER BY r.position, cr.position, cr.id, np.position NULLS FIRST, p.id, u.name, j.id`, id).Scan(ctx, &comments)
	if err != nil {
		return f, postgres.Map(fmt.Sprintf("read comments on nomination %d", id), err)
	}
	for _, c := range comments {
		cm := Comment{Juror: Juror{ID: c.JurorID, Name: c.Name, Chair: c.Chair},
			Criterion: Criterion{NameNB: c.NameNB, NameNN: c.NameNN, NameEN: c.NameEN}.Name(f.Language),
			Project:   c.Project, Text: c.Comment}
		if c.ManyRounds {
			cm.Round = awards.Round{NameNB: c.RoundNB, NameNN: c.RoundNN, NameEN: c.RoundEN}.Name(f.Language)
		}
		f.Comments = append(f.Comments, cm)
	}
	return f, nil
}

// SaveFeedback stores body as the feedback to the nomination with
// nominationPublicID (in the cycle, unless cyclePublicID is ""), with its audit entry; an empty body leaves the nomination
// without feedback. The chair and site admins, as Feedback, while the
// cycle is judging or decided (EConflict, ErrClosed, otherwise); EInvalid
// (field "body") for a text over MaxFeedback characters.
func (s *Service) SaveFeedback(ctx context.Context, actor *awards.Actor, cyclePublicID, nominationPublicID, body string) (Feedback, error) {
	body, fits := cleanText(body, MaxFeedback)
	return s.changeFeedback(ctx, actor, cyclePublicID, nominationPublicID, func(Feedback) (string, error) {
		if !fits {
			return "", awards.Invalid(map[string]string{"body": keyFeedbackLong})
		}
		return body, nil
	})
}

// DraftFeedbackFromComments starts the feedback to the nomination with
// nominationPublicID (in the cycle, unless cyclePublicID is "") from the jurors' comments (Feedback.FromComments): they become
// the feedback when it is empty, and are added below it otherwise, so
// nothing written is lost. Who may, and the errors, as SaveFeedback;
// EInvalid (field "body") when the result would be too long.
func (s *Service) DraftFeedbackFromComments(ctx context.Context, actor *awards.Actor, cyclePublicID, nominationPublicID string) (Feedback, error) {
	return s.changeFeedback(ctx, actor, cyclePublicID, nominationPublicID, func(f Feedback) (string, error) {
		body := f.Body
		if from := f.FromComments(); from != "" {
			if body != "" {
				body += "\n\n"
			}
			body += from
		}
		if _, fits := cleanText(body, MaxFeedback); !fits {
			return "", awards.Invalid(map[string]string{"body": keyFeedbackLong})
		}
		return body, nil
	})
}

// changeFeedback replaces a nomination's feedback with what change makes
// of it, audited, in one transaction.
func (s *Service) changeFeedback(ctx context.Context, actor *awards.Actor, cyclePublicID, nominationPublicID string, change func(Feedback) (string, error)) (Feedback, error) {
	var out Feedback
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// The cycle's row lock keeps two writers from losing each other's text.
		v, id, err := loadNomination(ctx, tx, actor, cyclePublicID, nominationPublicID, true)
		if err != nil {
			return err
		}
		if !v.Open() {
			return closed(v)
		}
		if err := checkNotAnnounced(ctx, tx, v.ID); err != nil {
			return err
		}
		f, err := readFeedback(ctx, tx, v, id)
		if err != nil {
			return err
		}
		body, err := change(f)
		if err != nil {
			return err
		}
		if body == f.Body {
			out = f
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO feedback (nomination_id, body, updated_by, updated_at) VALUES (?, ?, ?, now())
			ON CONFLICT (nomination_id) DO UPDATE SET body = EXCLUDED.body, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
			id, body, actor.User.ID)
		if err != nil {
			return postgres.Map(fmt.Sprintf("save feedback to nomination %d", id), err)
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "update", "feedback", id,
			map[string]any{"body": f.Body}, map[string]any{"body": body}); err != nil {
			return err
		}
		out, err = readFeedback(ctx, tx, v, id)
		return err
	})
	return out, err
}
