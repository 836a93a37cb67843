package app_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// sixCriteria gives the run's cycle four more criteria, six in all as
// the issue about the scoring screen counted, and returns their IDs in
// order.
func (s *scoringRun) sixCriteria() []int64 {
	s.t.Helper()
	db := scoringDB(s.t, s.f)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `INSERT INTO criteria (cycle_id, name_nb, help_nb, position)
		SELECT c.id, v.name, v.help, v.pos FROM cycles c, (VALUES
			('Brukerinvolvering', 'Hvordan var innbyggerne med i arbeidet', 3),
			('Overføringsverdi', 'Kan andre kommuner ta det i bruk', 4),
			('Gevinster', 'Er gevinstene målt og hentet ut', 5),
			('Forankring', 'Er arbeidet forankret i ledelsen', 6)) AS v(name, help, pos)
		WHERE c.public_id = ?`, s.cycle); err != nil {
		s.t.Fatal(err)
	}
	var ids []int64
	if err := db.NewRaw(`SELECT cr.id FROM criteria cr JOIN cycles c ON c.id = cr.cycle_id WHERE c.public_id = ? ORDER BY cr.position, cr.id`,
		s.cycle).Scan(ctx, &ids); err != nil || len(ids) != 6 {
		s.t.Fatalf("criteria %v: %v", ids, err)
	}
	return ids
}

var (
	scoringFormRE = regexp.MustCompile(`(?s)<form[^>]*id="scoring-form".*?</form>`)
	inputRE       = regexp.MustCompile(`<input ([^>]*)>`)
	textareaRE    = regexp.MustCompile(`(?s)<textarea ([^>]*)>(.*?)</textarea>`)
	attrRE        = regexp.MustCompile(`([a-z-]+)="([^"]*)"`)
)

// scoringForm reads the scoring form of a page as a browser without
// JavaScript would send it: every field with its value, the checked radio
// of each scale, and options, each scale's values in order.
func scoringForm(t *testing.T, page string) (form url.Values, options map[string][]string) {
	t.Helper()
	src := scoringFormRE.FindString(page)
	if src == "" {
		t.Fatalf("no scoring form in %.2000s", page)
	}
	form, options = url.Values{}, map[string][]string{}
	for _, m := range inputRE.FindAllStringSubmatch(src, -1) {
		attrs := map[string]string{}
		for _, a := range attrRE.FindAllStringSubmatch(m[1], -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		checked := strings.Contains(" "+m[1]+" ", " checked ")
		switch attrs["type"] {
		case "radio":
			options[attrs["name"]] = append(options[attrs["name"]], attrs["value"])
			if checked {
				form.Set(attrs["name"], attrs["value"])
			}
		default:
			form.Set(attrs["name"], attrs["value"])
		}
	}
	for _, m := range textareaRE.FindAllStringSubmatch(src, -1) {
		for _, a := range attrRE.FindAllStringSubmatch(m[1], -1) {
			if a[1] == "name" {
				form.Set(a[2], html.UnescapeString(m[2]))
			}
		}
	}
	return form, options
}

// TestScoringScreenForm checks the scoring screen's criteria panel as
// served (each criterion's question and scale, "0 av 6 kriterier", the
// link to the next nomination left to score) and that its form works
// without JavaScript: the fields as the page has them, posted as a
// browser would, are saved, refused with one summary, and submitted; the
// link goes to a nomination still to score, and is gone when none is
// left.
func TestScoringScreenForm(t *testing.T) {
	t.Parallel()
	s := newScoringRun(t)
	crit := s.sixCriteria()
	baerum, sandnes := s.screen("Bærum"), s.screen("Sandnes")

	page := s.page("jury-1", baerum)
	wantText(t, "screen", page, "0 av 6 kriterier", `<progress id="criteria-progress-bar" max="6" value="0"`,
		`<a class="ds-link" href="`+sandnes+`" id="to-score">Neste å vurdere: Innovasjon i Sandnes</a>`,
		"Er det nytt for kommunen", "Hvordan var innbyggerne med i arbeidet", "Er arbeidet forankret i ledelsen",
		"Skala 1–5", "1 (lavest)", "5 (høyest)", "Kommentar til Forankring", "Internt arbeidsdokument – unntatt offentlighet, offl. § 14")
	// From the last in the list, round from the top; Træna, which jury-1
	// stepped aside from, is never offered.
	wantText(t, "the last one", s.page("jury-1", sandnes), `href="`+baerum+`" id="to-score">Neste å vurdere: Innovasjon i Bærum</a>`)
	s.do("jury-1", http.MethodGet, "/lang/en?next=/", "", http.StatusSeeOther)
	wantText(t, "in English", s.page("jury-1", baerum), "0 of 6 criteria", "Next to score: Innovasjon i Sandnes", "Comment on Forankring")
	s.do("jury-1", http.MethodGet, "/lang/nb?next=/", "", http.StatusSeeOther)

	form, options := scoringForm(t, page)
	if len(options) != 6 {
		t.Fatalf("%d scales in the form, want 6: %v", len(options), options)
	}
	for i, id := range crit {
		name := fmt.Sprintf("score-%d", id)
		if opts := options[name]; len(opts) != 6 || opts[0] != "" || form.Get(name) != "" {
			t.Fatalf("scale %s: options %v, checked %q; want no score and 1–5", name, opts, form.Get(name))
		}
		// The juror picks a point of each scale, 5 down to 2 and round.
		form.Set(name, options[name][5-i%4])
	}
	form.Set(fmt.Sprintf("comment-%d", crit[5]), "Godt forankret i kommunedirektørens ledergruppe.")
	if form.Get("next") != s.nominees["Sandnes"] {
		t.Errorf("the form's next: %q", form.Get("next"))
	}
	post := func(action string, want int) string {
		t.Helper()
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("action", action)
		return s.do("jury-1", http.MethodPost, baerum, f.Encode(), want)
	}

	// One left without a score: submitting is refused, with one summary
	// naming it, the scores and comment as sent, and nothing locked.
	last := fmt.Sprintf("score-%d", crit[5])
	form.Set(last, "")
	refused := post("submit", http.StatusUnprocessableEntity)
	oneSummary(t, "incomplete", refused)
	wantText(t, "incomplete", refused, "5 av 6 kriterier", `href="#`+last+`">Forankring: Gi karakter før du sender inn.`,
		"Godt forankret i kommunedirektørens ledergruppe.")
	// Saved as a draft, the page counts what is stored.
	post("save", http.StatusSeeOther)
	wantText(t, "saved", s.page("jury-1", baerum), "5 av 6 kriterier", "Vurderingene er lagret som utkast", "Utkast")
	form.Set(last, "3")
	post("submit", http.StatusSeeOther)
	page = s.page("jury-1", baerum)
	wantText(t, "submitted", page, "Vurderingene dine er låst", "Juryens vurderinger", "Godt forankret",
		`id="to-score">Neste å vurdere: Innovasjon i Sandnes</a>`)
	wantNoText(t, "submitted", page, `id="scoring-form"`, "to-score-none")

	// With Sandnes submitted too, nothing is left to score.
	sform, _ := scoringForm(t, s.page("jury-1", sandnes))
	for _, id := range crit {
		sform.Set(fmt.Sprintf("score-%d", id), "4")
	}
	sform.Set("action", "submit")
	s.do("jury-1", http.MethodPost, sandnes, sform.Encode(), http.StatusSeeOther)
	for _, path := range []string{baerum, sandnes} {
		page := s.page("jury-1", path)
		wantText(t, "all submitted", page, `id="to-score-none"`, "Du har sendt inn vurderingene av alle de andre nominasjonene dine.")
		wantNoText(t, "all submitted", page, `id="to-score"`)
	}
}

// TestScoringScreenProjects checks the criteria panel of a cycle that
// scores each project: the progress counts the scores given (criteria ×
// projects), and each comment field names its criterion and project.
func TestScoringScreenProjects(t *testing.T) {
	t.Parallel()
	s := newScoringRun(t)
	if _, err := scoringDB(t, s.f).ExecContext(context.Background(), `UPDATE cycles SET scoring_level = 'project' WHERE public_id = ?`, s.cycle); err != nil {
		t.Fatal(err)
	}
	page := s.page("jury-1", s.screen("Bærum"))
	wantText(t, "project level", page, "0 av 2 karakterer gitt", `<legend class="ds-heading" data-size="xs">Velferdslab</legend>`,
		"Kommentar til Nytt (Velferdslab)", "Kommentar til Nyttig (Velferdslab)")
	form, options := scoringForm(t, page)
	for name, opts := range options {
		form.Set(name, opts[len(opts)-1])
	}
	form.Set("action", "save")
	s.do("jury-1", http.MethodPost, s.screen("Bærum"), form.Encode(), http.StatusSeeOther)
	wantText(t, "project level, saved", s.page("jury-1", s.screen("Bærum")), "2 av 2 karakterer gitt")
}
