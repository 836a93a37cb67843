package app_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/browsertest"
)

// brokenWordsJS lists the words in the elements matching the first
// selector that a line break splits, and the elements matching the second
// whose text is not on one line or sticks out of its cell.
const brokenWordsJS = `(() => {
  const tops = r => new Set([...r.getClientRects()].map(x => Math.round(x.top))).size;
  const bad = [];
  for (const el of document.querySelectorAll(%q)) {
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n; (n = walk.nextNode());) {
      for (const m of n.data.matchAll(/\S+/g)) {
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        if (tops(r) > 1) bad.push(m[0]);
      }
    }
  }
  for (const el of document.querySelectorAll(%q)) {
    const r = document.createRange();
    r.selectNodeContents(el);
    const box = el.closest("dd") || el.parentElement;
    if (tops(r) > 1 || el.getBoundingClientRect().right > box.getBoundingClientRect().right + 1) bad.push("[" + el.textContent + "]");
  }
  return bad.join(" | ");
})()`

// TestScoringFiguresInBrowser opens the scoring screen at a phone's and a
// laptop's width: in its narrow columns the figures of "Resultater i tall"
// stay whole on one line, and no word of the texts or of the juror's own
// comment breaks inside itself.
func TestScoringFiguresInBrowser(t *testing.T) {
	t.Parallel()
	s := newScoringRun(t)
	db := scoringDB(t, s.f)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `INSERT INTO project_results (project_id, label, value, unit, position)
		SELECT np.project_id, v.label, v.value, v.unit, v.pos
		FROM nomination_projects np JOIN nominations n ON n.id = np.nomination_id,
			(VALUES ('deltakere i dokumentasjonsarbeidet', 240, '', 0), ('innspill fra innbyggerpanelet', 1234567.5, 'stk', 1)) AS v(label, value, unit, pos)
		WHERE n.public_id = ?`, s.nominees["Bærum"]); err != nil {
		t.Fatal(err)
	}
	scoringScore(t, db, s.jurors["jury-1"], s.nominees["Bærum"], true)
	if _, err := db.ExecContext(ctx, `UPDATE scores SET comment = 'Grundig dokumentasjon av gevinstrealiseringen og tjenestedesignet.'
		WHERE juror_id = ?`, s.jurors["jury-1"]); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	p := nomTab{t: t, a: s.a, tab: b.Tab(t)}
	p.visit("/auth/login?login_hint=jury-1", http.StatusOK)
	for _, width := range []int64{390, 1280} {
		p.tab.Run(t, chromedp.EmulateViewport(width, 900))
		p.visit(s.screen("Bærum"), http.StatusOK)
		if got := p.tab.Text(t, ".scoring-measures"); got == "" {
			t.Fatalf("at %dpx: no measured results on the screen", width)
		}
		if broken := asgEval(t, p.tab, fmt.Sprintf(brokenWordsJS, ".nom-facts dd", ".scoring-measures strong")); broken != "" {
			t.Errorf("at %dpx, broken across lines: %s", width, broken)
		}
		p.tab.Axe(t)
		p.tab.Screenshot(t, fmt.Sprintf("scoring-figures-%d", width))
	}
}

// TestJuryPagesFitPhoneInBrowser opens the jury's pages on a 390 px wide
// phone: the internal-document marking wraps, and no page is wider than
// the screen (no sideways scrolling, WCAG 1.4.10).
func TestJuryPagesFitPhoneInBrowser(t *testing.T) {
	t.Parallel()
	s := newScoringRun(t)
	b := browsertest.New(t)
	for _, c := range []struct {
		who   string
		paths []string
	}{
		{"jury-1", []string{"/jury/" + s.cycle, s.screen("Bærum")}},
		{"jury-chair", []string{"/jury/" + s.cycle, s.screen("Sandnes"), "/jury/" + s.cycle + "/fremdrift"}},
	} {
		p := nomTab{t: t, a: s.a, tab: b.Tab(t)}
		p.tab.Run(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		p.visit("/auth/login?login_hint="+c.who, http.StatusOK)
		for i, path := range c.paths {
			p.visit(path, http.StatusOK)
			// Against 390 itself too: a phone's browser may widen the layout
			// viewport (clientWidth) to fit a page that is too wide.
			if got := asgEval(t, p.tab, `(() => {
				const d = document.documentElement, w = Math.min(d.clientWidth, 390);
				return d.scrollWidth <= w ? "" : d.scrollWidth + " > " + w;
			})()`); got != "" {
				t.Errorf("%s %s at 390 px: the page is wider than the screen: %s", c.who, path, got)
			}
			p.tab.Axe(t)
			p.tab.Screenshot(t, fmt.Sprintf("jury-phone-%s-%d", c.who, i))
		}
	}
}
