package app_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/heder-awards/heder/internal/browsertest"
)

// TestScoringScreenInBrowser opens the scoring screen of a long
// nomination with six criteria. At 1280 px the nomination and the
// criteria panel stand side by side, and the panel stays in the window
// while the page scrolls to the nomination's end; at 390 px they are
// stacked, with a link down to the criteria, and the page is no wider
// than the screen. Then a juror scores
// all six criteria by keyboard alone: one tab stop per criterion (the
// arrow keys pick the point), fewer than the twelve the screen had, and
// submits with the Enter key. axe-core checks every state.
func TestScoringScreenInBrowser(t *testing.T) {
	t.Parallel()
	s := newScoringRun(t)
	crit := s.sixCriteria()
	db := scoringDB(t, s.f)
	// A nomination as long as real ones: the page scrolls well past the
	// window.
	if _, err := db.ExecContext(context.Background(), `UPDATE projects SET
			description = repeat('Kommunen samlet innbyggere, ansatte og frivillige i en velferdslab. ', 60),
			results = repeat('Færre innleggelser og flere som bor hjemme lenger. ', 40)
		WHERE id IN (SELECT np.project_id FROM nomination_projects np JOIN nominations n ON n.id = np.nomination_id WHERE n.public_id = ?)`,
		s.nominees["Bærum"]); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	p := nomTab{t: t, a: s.a, tab: b.Tab(t)}
	p.tab.Run(t, chromedp.EmulateViewport(1280, 800))
	p.visit("/auth/login?login_hint=jury-1", http.StatusOK)
	p.visit(s.screen("Bærum"), http.StatusOK)
	p.tab.Axe(t)
	p.tab.Screenshot(t, "scoring-screen-1280")

	// Side by side, and the panel in view at the end of the nomination.
	if got := asgEval(t, p.tab, `(() => {
		const nom = document.querySelector(".scoring-nomination"), panel = document.querySelector(".scoring-panel");
		const bad = [];
		if (panel.getBoundingClientRect().left < nom.getBoundingClientRect().right) bad.push("the panel is not beside the nomination");
		if (document.querySelector(".scoring-jump a").getClientRects().length) bad.push("a link to the criteria beside them");
		if (document.documentElement.scrollWidth > document.documentElement.clientWidth) bad.push("the page scrolls sideways");
		window.scrollTo(0, nom.getBoundingClientRect().bottom + window.scrollY - window.innerHeight);
		if (window.scrollY < 1000) bad.push("scrolled only " + window.scrollY + " px: the nomination is too short for the test");
		const r = panel.getBoundingClientRect();
		if (r.top < 0 || r.bottom > window.innerHeight) bad.push("the panel at " + Math.round(r.top) + "–" + Math.round(r.bottom) + " px of " + window.innerHeight);
		if (panel.scrollHeight > panel.clientHeight && getComputedStyle(panel).overflowY !== "auto") bad.push("the panel does not scroll on its own");
		return bad.join(", ");
	})()`); got != "" {
		t.Errorf("at 1280 px: %s", got)
	}
	viewportShot(t, p.tab, "scoring-screen-1280-scrolled")

	// Stacked on a phone, no wider than the screen.
	phone := nomTab{t: t, a: s.a, tab: b.Tab(t)}
	phone.tab.Run(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	phone.visit("/auth/login?login_hint=jury-1", http.StatusOK)
	phone.visit(s.screen("Bærum"), http.StatusOK)
	if got := asgEval(t, phone.tab, `(() => {
		const d = document.documentElement, w = Math.min(d.clientWidth, 390), bad = [];
		if (d.scrollWidth > w) bad.push("the page is " + d.scrollWidth + " px wide");
		const nom = document.querySelector(".scoring-nomination").getBoundingClientRect();
		const panel = document.querySelector(".scoring-panel").getBoundingClientRect();
		if (panel.top < nom.bottom) bad.push("the panel is not below the nomination");
		if (!document.querySelector(".scoring-jump a").getClientRects().length) bad.push("no link down to the criteria");
		for (const el of document.querySelectorAll(".scoring-panel *")) {
			if (el.getBoundingClientRect().right > w + 1) { bad.push(el.tagName + "." + el.className + " sticks out"); break; }
		}
		return bad.join(", ");
	})()`); got != "" {
		t.Errorf("at 390 px: %s", got)
	}
	phone.tab.Axe(t)
	phone.tab.Screenshot(t, "scoring-screen-390")

	// By keyboard alone: from the link just before the form, Tab into
	// each scale and pick 4 with the arrow keys (from "Ingen karakter":
	// 1, 2, 3, 4), until the first comment field.
	p.tab.Run(t, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0); document.getElementById("to-score").focus()`))
	active := func() string {
		return asgEval(t, p.tab, `(() => {
			const a = document.activeElement;
			return (a.closest("fieldset.scoring-criterion") ? "scale " : a.tagName.toLowerCase() + " ") + (a.name || a.id);
		})()`)
	}
	var stops []string
	scaled := 0
	for len(stops) < 30 {
		p.tab.Run(t, chromedp.KeyEvent(kb.Tab))
		at := active()
		stops = append(stops, at)
		if strings.HasPrefix(at, "textarea ") {
			break
		}
		if strings.HasPrefix(at, "scale ") {
			scaled++
			for range 4 {
				p.tab.Run(t, chromedp.KeyEvent(kb.ArrowRight))
			}
		}
	}
	// stops ends at the first comment field: the stops before it are
	// what scoring takes.
	if scoring := len(stops) - 1; scaled != 6 || scoring != 6 || scoring >= 12 {
		t.Errorf("keyboard: %d scales in %d tab stops, want 6 in 6 (fewer than 12): %v", scaled, scoring, stops)
	}
	want := make([]string, len(crit))
	for i, id := range crit {
		want[i] = strconv.FormatInt(id, 10) + "=4"
	}
	if got := asgEval(t, p.tab, `[...document.querySelectorAll("fieldset.scoring-criterion")].map(f =>
		f.dataset.criterion + "=" + (f.querySelector("input:checked") || {}).value).join(" ")`); got != strings.Join(want, " ") {
		t.Errorf("picked by keyboard: %s, want %s", got, strings.Join(want, " "))
	}
	if got := p.tab.Text(t, "#criteria-progress"); got != "6 av 6 kriterier" {
		t.Errorf("progress after scoring: %q", got)
	}
	// Autosave has stored them all.
	deadline := time.Now().Add(15 * time.Second)
	for {
		var sheet struct{ Missing []any }
		decodeJSON(t, s.do("jury-1", http.MethodGet, "/api/v1/nominations/"+s.nominees["Bærum"]+"/scores", "", http.StatusOK), &sheet)
		if len(sheet.Missing) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after scoring by keyboard, %d cells missing in the saved sheet", len(sheet.Missing))
		}
		time.Sleep(200 * time.Millisecond)
	}
	p.tab.Axe(t)
	p.tab.Screenshot(t, "scoring-screen-1280-keyboard")

	// A comment typed in the field where Tab stopped, then on to "Send
	// inn mine vurderinger" and Enter.
	p.tab.Run(t, chromedp.KeyEvent("Tydelig forankret."))
	for len(stops) < 40 && asgEval(t, p.tab, `document.activeElement.id`) != "submit" {
		p.tab.Run(t, chromedp.KeyEvent(kb.Tab))
		stops = append(stops, active())
	}
	t.Logf("tab stops from the link before the form to the submit button: %d: %v", len(stops), stops)
	ctx, cancel := p.timeoutCtx()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(kb.Enter))
	if err != nil || resp == nil || resp.Status != http.StatusOK {
		t.Fatalf("submitting by keyboard: %v (%v)", resp, err)
	}
	if got := p.tab.Text(t, "#jury-work-h"); got != "Juryens vurderinger" {
		t.Errorf("after submitting: %q", got)
	}
	wantText(t, "after submitting", p.tab.HTML(t), "Tydelig forankret.", `id="to-score">Neste å vurdere: Innovasjon i Sandnes`)
	p.tab.Axe(t)
}

// viewportShot saves what the window shows, as Tab.Screenshot saves the
// whole page: a picture of the whole page cannot show what stays in the
// window while the page scrolls.
func viewportShot(t *testing.T, tab *browsertest.Tab, name string) {
	t.Helper()
	dir := os.Getenv("HEDER_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(tab.Ctx, browsertest.DefaultTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot of the window: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
