// Package jurybook lays out a cycle's jury book as PDF for the jury's
// meeting: the nominations in ranking order with their projects, scores
// and charts, the disagreements and the draft decision, every page marked
// as an internal working paper exempt from public access (offl. § 14).
// It prints what deciding.Book holds and nothing more: the reader's
// access (a chair who steps aside from a nomination never finds it here)
// is decided there.
package jurybook

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/pdfdoc"
	"github.com/heder-awards/heder/internal/scorestats"
)

// maxProjectText is how much of a project's description and results the
// book prints; the full texts are in Heder.
const maxProjectText = 700

// Write writes b's jury book in l's language to w.
func Write(w io.Writer, l *i18n.Localizer, b deciding.Book) error {
	rk := b.Ranking
	cycle := rk.Cycle
	lang := l.Lang()
	title := l.T("jurybook.title", "Cycle", cycle.Title)
	doc, err := pdfdoc.New(pdfdoc.Portrait, pdfdoc.Meta{Title: title, Author: "Heder", Lang: lang, Created: b.Generated})
	if err != nil {
		return err
	}
	doc.Marked(l.T("internal.marking"), l.T("jurybook.footer", "Cycle", cycle.Title, "Date", l.FormatTime(b.Generated)))
	doc.AddPage()
	doc.SetTextColor(pdfdoc.Accent[0], pdfdoc.Accent[1], pdfdoc.Accent[2])
	doc.Text(title, 20, "B")
	doc.SetTextColor(0, 0, 0)
	if len(rk.Rounds) > 1 {
		// The book is of the current round's ranking.
		doc.Text(l.T("deciding.round.of", "N", rk.Round.Position, "Count", len(rk.Rounds), "Name", rk.Round.Name(lang)), 12, "B")
	}
	doc.Ln(2)
	doc.Text(l.T("jurybook.intro"), 10, "")
	doc.Muted(l.T("jurybook.generated", "Date", l.FormatTime(b.Generated)), 9)
	if b.OwnConflicts > 0 {
		doc.Ln(1)
		doc.Text(l.T("jurybook.hidden", "Count", b.OwnConflicts), 10, "B")
	}

	res := rk.Result
	criteria := rk.CriterionNames(lang)
	num := func(v float64) string { return number(lang, v, 2) }
	mean := func(row scorestats.Row) float64 {
		if res.SameScale {
			return res.Scaled(row.RawMean)
		}
		return row.RawMean
	}

	// The overview: the ranking as a table and a chart.
	doc.Heading(l.T("jurybook.overview"), 1, 30)
	var rows [][]string
	var bars []pdfdoc.Bar
	for _, row := range res.Rows {
		n := rk.Nominations[row.Nomination]
		m := "–"
		if row.RawRank != 0 {
			m = num(mean(row))
			bars = append(bars, pdfdoc.Bar{Label: n.Title, Value: mean(row), Marked: row.Disagree})
		}
		rows = append(rows, []string{scorestats.Place(row.ZRank, row.ZTied), n.Title, n.Nominees, m, strconv.Itoa(row.Jurors),
			yes(l, row.Disagree), outcome(l, n.Outcome)})
	}
	if len(rows) == 0 {
		doc.Text(l.T("jurybook.empty"), 10, "")
	} else {
		doc.Table([]float64{12, 50, 38, 14, 19, 19, 0}, []string{l.T("jurybook.col.rank"), l.T("jurybook.col.nomination"),
			l.T("jurybook.col.nominees"), l.T("jurybook.col.mean"), l.T("jurybook.col.jurors"), l.T("jurybook.col.disagree"),
			l.T("jurybook.col.outcome")}, rows)
		lo, hi := 0.0, 1.0
		if res.SameScale {
			lo, hi = res.ScaleMin, res.ScaleMax
		}
		if len(bars) > 0 {
			doc.Heading(l.T("jurybook.chart"), 2, 20)
			doc.Bars(bars, lo, hi, func(v float64) string { return number(lang, v, 1) })
			doc.Muted(l.T("jurybook.chart_help"), 8)
		}
	}

	// Each nomination, in ranking order.
	for _, row := range res.Rows {
		n := rk.Nominations[row.Nomination]
		doc.AddPage()
		doc.Heading(scorestats.Place(row.ZRank, row.ZTied)+". "+n.Title, 1, 20)
		doc.Muted(n.Nominees, 10)
		if s := strings.TrimSpace(b.Summaries[row.Nomination]); s != "" {
			doc.Heading(l.T("jurybook.summary"), 2, 14)
			doc.Text(cut(s, 2*maxProjectText), 9.5, "")
		}
		doc.Heading(l.T("jurybook.projects"), 2, 14)
		if len(b.Projects[row.Nomination]) == 0 {
			doc.Muted(l.T("jurybook.no_projects"), 9.5)
		}
		for _, p := range b.Projects[row.Nomination] {
			doc.Text(p.Title+period(l, p), 10, "B")
			if p.Description != "" {
				doc.Text(cut(p.Description, maxProjectText), 9, "")
			}
			if p.Results != "" {
				doc.Text(l.T("jurybook.results")+": "+cut(p.Results, maxProjectText), 9, "I")
			}
			doc.Ln(1.5)
		}

		doc.Heading(l.T("jurybook.scores"), 2, 30)
		var srows [][]string
		var strips []pdfdoc.Strip
		for i, c := range rk.Criteria {
			st := row.Criteria[i]
			r := []string{criteria[c.ID], strconv.Itoa(st.N), "–", "–", "–", yes(l, st.Disagree)}
			if st.N > 0 {
				r[2], r[3], r[4] = num(st.Mean), num(st.SD), number(lang, st.Min, 1)+"–"+number(lang, st.Max, 1)
			}
			srows = append(srows, r)
			s := pdfdoc.Strip{Label: criteria[c.ID], Mean: st.Mean, Disagree: st.Disagree}
			for _, cell := range row.Cells {
				if cell.Criterion == c.ID {
					s.Values = append(s.Values, cell.Value)
					s.Labels = append(s.Labels, rk.Jurors[cell.Juror].Initials())
				}
			}
			strips = append(strips, s)
		}
		doc.Table([]float64{62, 14, 18, 22, 26, 0}, []string{l.T("jurybook.col.criterion"), l.T("jurybook.col.n"),
			l.T("jurybook.col.mean"), l.T("jurybook.col.sd"), l.T("jurybook.col.range"), l.T("jurybook.col.disagree")}, srows)
		// The strip plot shares one axis, so it needs one scale.
		if res.SameScale && row.Scores > 0 {
			doc.Strips(strips, res.ScaleMin, res.ScaleMax)
			doc.Muted(l.T("jurybook.strip_help"), 8)
		}
		if d, ok := decisionOf(b.Decisions, row.Nomination); ok {
			doc.Heading(l.T("jurybook.draft"), 2, 16)
			doc.Text(outcome(l, d.Outcome), 10, "B")
			if st := statement(lang, d); st != "" {
				doc.Text(st, 9.5, "I")
			}
		}
	}

	// The disagreements, the draft decision and who stepped aside.
	doc.AddPage()
	doc.Heading(l.T("jurybook.disagreements"), 1, 20)
	found := false
	for _, row := range res.Rows {
		if !row.Disagree {
			continue
		}
		found = true
		var on []string
		for _, id := range row.DisagreeCriteria {
			on = append(on, criteria[id])
		}
		doc.Text(rk.Nominations[row.Nomination].Title, 10, "B")
		doc.Text(l.T("jurybook.disagree_on", "Text", strings.Join(on, ", ")), 9.5, "")
		doc.Ln(1)
	}
	if !found {
		doc.Text(l.T("jurybook.no_disagreements"), 10, "")
	}

	doc.Heading(l.T("jurybook.decision"), 1, 20)
	if len(b.Decisions) == 0 {
		doc.Text(l.T("jurybook.no_decision"), 10, "")
	}
	for _, d := range b.Decisions {
		doc.Text(outcome(l, d.Outcome)+": "+d.Title, 10, "B")
		doc.Muted(d.Nominees, 9)
		if st := statement(lang, d); st != "" {
			doc.Text(st, 9.5, "I")
		}
		doc.Ln(1.5)
	}

	doc.Heading(l.T("jurybook.conflicts"), 1, 20)
	if len(b.Conflicts) == 0 {
		doc.Text(l.T("jurybook.no_conflicts"), 10, "")
	} else {
		var crows [][]string
		for _, c := range b.Conflicts {
			crows = append(crows, []string{c.Juror, c.Nomination, c.Reason})
		}
		doc.Table([]float64{45, 60, 0}, []string{l.T("jurybook.col.juror"), l.T("jurybook.col.nomination"), l.T("jurybook.col.reason")}, crows)
	}
	if err := doc.Write(w); err != nil {
		return fmt.Errorf("jury book of cycle %s: %w", cycle.PublicID, err)
	}
	return nil
}

func decisionOf(ds []deciding.Decision, nomination int64) (deciding.Decision, bool) {
	for _, d := range ds {
		if d.NominationID == nomination {
			return d, true
		}
	}
	return deciding.Decision{}, false
}

// statement is the jury's statement in lang, falling back to bokmål.
func statement(lang string, d deciding.Decision) string {
	switch {
	case lang == "nn" && d.StatementNN != "":
		return d.StatementNN
	case lang == "en" && d.StatementEN != "":
		return d.StatementEN
	}
	return d.StatementNB
}

func outcome(l *i18n.Localizer, o string) string {
	if o == "" {
		o = "none"
	}
	return l.T("deciding.outcome." + o)
}

func yes(l *i18n.Localizer, b bool) string {
	if b {
		return l.T("common.yes")
	}
	return ""
}

func period(l *i18n.Localizer, p deciding.BookProject) string {
	switch {
	case p.PeriodStart != nil && p.PeriodEnd != nil:
		return " (" + l.FormatDate(*p.PeriodStart) + "–" + l.FormatDate(*p.PeriodEnd) + ")"
	case p.PeriodStart != nil:
		return " (" + l.FormatDate(*p.PeriodStart) + "–)"
	}
	return ""
}

// number formats v with digits decimals, with a decimal comma in
// Norwegian.
func number(lang string, v float64, digits int) string {
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// cut shortens s to at most max characters, at a word, with "…".
func cut(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	t := string(r[:max])
	if i := strings.LastIndexAny(t, " \n"); i > max/2 {
		t = t[:i]
	}
	return t + " …"
}
