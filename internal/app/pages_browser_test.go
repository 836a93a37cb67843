package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
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
			if got := widerThanPhone(t, p); got != "" {
				t.Errorf("%s %s at 390 px: the page is wider than the screen: %s", c.who, path, got)
			}
			p.tab.Axe(t)
			p.tab.Screenshot(t, fmt.Sprintf("jury-phone-%s-%d", c.who, i))
		}
	}
}

// widerThanPhone says how much wider than a 390 px phone the tab's page
// is ("412 > 390"), "" when it fits. It measures against 390 itself too:
// a phone's browser may widen the layout viewport (clientWidth) to fit a
// page that is too wide.
func widerThanPhone(t *testing.T, p nomTab) string {
	t.Helper()
	return asgEval(t, p.tab, `(() => {
		const d = document.documentElement, w = Math.min(d.clientWidth, 390);
		return d.scrollWidth <= w ? "" : d.scrollWidth + " > " + w;
	})()`)
}

// chartTextJS reports the charts on the page whose smallest text (the
// tick labels, font-size 10 in their viewBox) is drawn smaller than 9 CSS
// pixels, with the size it is drawn at.
const chartTextJS = `(() => {
  const small = [];
  for (const el of document.querySelectorAll("svg.rk-chart")) {
    const px = 10 * el.getBoundingClientRect().width / el.viewBox.baseVal.width;
    if (px < 9) small.push(el.getAttribute("class") + " " + px.toFixed(1) + " px");
  }
  return small.join(", ");
})()`

// TestRankingOnPhoneInBrowser opens the chair's ranking, a nomination's
// scores and the report at a phone's width and a laptop's: the page is no
// wider than the screen, no chart is shrunk until its labels are
// unreadable (a chart's frame scrolls instead), and the ranking table's
// thumbnails of the strip plots, whose labels are too small on any
// screen, are left to wide screens.
func TestRankingOnPhoneInBrowser(t *testing.T) {
	t.Parallel()
	x := newDecidingRun(t)
	// A juror's draft, so that the warning of unfinished scores is on the
	// ranking too.
	scoringScore(t, x.db, scoringSeat(t, x.db, x.cycle, userID(t, x.a, x.a.Login(t, "jury-2")), false), x.baerum, false)
	// Criteria with long names, as real ones are: the disagreement column
	// names them, and must not be pushed out of a laptop's view.
	if _, err := x.db.ExecContext(context.Background(), `UPDATE criteria SET name_nb = CASE position
		WHEN 1 THEN 'Helhetlig og systematisk innovasjonsarbeid' ELSE 'Nytte for innbyggerne og overføringsverdi' END
		WHERE cycle_id = (SELECT id FROM cycles WHERE public_id = ?)`, x.cycle); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	p := nomTab{t: t, a: x.a, tab: b.Tab(t)}
	p.visit("/auth/login?login_hint=jury-chair", http.StatusOK)
	for _, width := range []int64{390, 1280} {
		p.tab.Run(t, chromedp.EmulateViewport(width, 844, chromedp.EmulateMobile))
		for i, path := range []string{"rangering", "rangering/" + x.horten, "rapport"} {
			p.visit("/jury/"+x.cycle+"/"+path, http.StatusOK)
			if got := asgEval(t, p.tab, `(() => {
				const d = document.documentElement, w = Math.min(d.clientWidth, `+fmt.Sprint(width)+`);
				return d.scrollWidth <= w ? "" : d.scrollWidth + " > " + w;
			})()`); got != "" {
				t.Errorf("%s at %d px: the page is wider than the screen: %s", path, width, got)
			}
			if got := asgEval(t, p.tab, chartTextJS); got != "" {
				t.Errorf("%s at %d px: charts' labels drawn at %s", path, width, got)
			}
			thumbs := asgEval(t, p.tab, `String([...document.querySelectorAll("#ranking img")].filter(e => e.getClientRects().length).length)`)
			if want := map[bool]string{true: "0", false: "2"}[width < 500 || path != "rangering"]; thumbs != want {
				t.Errorf("%s at %d px: %s thumbnails shown, want %s", path, width, thumbs, want)
			}
			// On a phone the ranking table scrolls in its frame; on a
			// laptop every column is in view.
			if got := asgEval(t, p.tab, `(() => {
				const t = document.querySelector("#ranking");
				return !t || t.parentElement.scrollWidth <= t.parentElement.clientWidth ? "" : t.parentElement.scrollWidth + " > " + t.parentElement.clientWidth;
			})()`); got != "" && width >= 1280 {
				t.Errorf("%s at %d px: the ranking table is wider than its frame: %s", path, width, got)
			}
			if path == "rangering" && !strings.Contains(p.tab.Text(t, "#unfinished"), "Jenny Jurymedlem") {
				t.Errorf("ranking at %d px: no warning of Jenny's draft", width)
			}
			p.tab.Axe(t)
			p.tab.Screenshot(t, fmt.Sprintf("ranking-%d-%d", width, i))
		}
	}
}

// TestHeaderOnPhoneInBrowser opens the home page at 390 px as a visitor,
// a municipality's member and a site admin, whose menu is the longest:
// the header leaves the screen to the page, with every link of the menu
// and the language switch still there, and the page no wider than the
// screen.
func TestHeaderOnPhoneInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	b := browsertest.New(t)
	for _, who := range []string{"", "asker", "admin"} {
		p := nomTab{t: t, a: a, tab: b.Tab(t)}
		p.tab.Run(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		if who != "" {
			p.visit("/auth/login?login_hint="+who, http.StatusOK)
		}
		p.visit("/", http.StatusOK)
		// At most a fifth of an 844 px high screen (a site admin's took 248).
		if got := asgEval(t, p.tab, `(() => {
			const d = document.documentElement, h = document.querySelector(".site-header").getBoundingClientRect().height;
			const hidden = [...document.querySelectorAll(".site-header a, .site-header button")].filter(e => !e.getClientRects().length);
			const bad = [];
			if (h > 844 / 5) bad.push("header " + Math.round(h) + " px high");
			if (d.scrollWidth > 390) bad.push("page " + d.scrollWidth + " px wide");
			if (hidden.length) bad.push(hidden.length + " links hidden");
			return bad.join(", ");
		})()`); got != "" {
			t.Errorf("%q at 390 px: %s", who, got)
		}
		p.tab.Axe(t)
		p.tab.Screenshot(t, "header-phone-"+who)
	}
}
