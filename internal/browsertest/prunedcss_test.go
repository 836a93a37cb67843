package browsertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// statesPage holds the states of Designsystemet's components that the pages
// use and that a screenshot does not show: hover, keyboard focus, invalid,
// disabled, open and closed details, and the variants the templates choose
// at run time. %s is the component CSS's URL.
const statesPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>States</title>
<link rel="stylesheet" href="/static/vendor/designsystemet-theme.css">
<link rel="stylesheet" href="%s">
<link rel="stylesheet" href="/static/vendor/inter.css">
<link rel="stylesheet" href="/static/app.css">
</head>
<body data-color-scheme="light">
<main>
<nav aria-label="Brødsmuler" class="ds-breadcrumbs"><ol><li><a class="ds-link" href="#a">Start</a></li><li><a class="ds-link" href="#b" aria-current="page">Here</a></li></ol></nav>
<h1 class="ds-heading" data-size="2xl" id="h2xl">States</h1>
<p class="ds-paragraph" data-size="sm"><a class="ds-link" id="link" href="#x">A link</a> <a class="ds-link" id="focus" href="#y">Focused</a> <a class="ds-link" data-color="neutral" id="neutral" href="#z">Neutral</a></p>
<div class="ds-error-summary" id="summary-box"><h2 class="ds-heading" data-size="xs">Fix</h2><ul class="ds-list"><li><a class="ds-link" href="#bad">Name</a></li></ul></div>
<div class="ds-field"><label class="ds-label" for="ok">Fine</label><input class="ds-input" id="ok" type="text"></div>
<div class="ds-field"><label class="ds-label" for="bad">Name</label><input class="ds-input" id="bad" type="text" aria-invalid="true" aria-describedby="bad-msg"><p class="ds-validation-message" id="bad-msg" data-color="danger">Write a name.</p></div>
<div class="ds-field"><label class="ds-label" for="area">Text</label><textarea class="ds-input" id="area" aria-invalid="true"></textarea></div>
<div class="ds-field"><label class="ds-label" for="sel">Pick</label><select class="ds-input" id="sel"><option>One</option></select></div>
<div class="ds-field"><input class="ds-input" type="checkbox" id="box" checked aria-invalid="true"><label class="ds-label" for="box">Box</label></div>
<fieldset class="ds-fieldset"><legend>Choose</legend><div class="ds-field"><input class="ds-input" type="radio" name="r" id="radio" disabled><label class="ds-label" for="radio">Off</label></div></fieldset>
<button class="ds-button" data-variant="primary" id="enabled" type="button">Save</button>
<button class="ds-button" data-variant="primary" id="disabled" type="button" disabled>Save</button>
<button class="ds-button" data-variant="secondary" data-size="sm" id="secondary" type="button" disabled>Cancel</button>
<button class="ds-button" data-variant="tertiary" id="tertiary" type="button">More</button>
<details class="ds-details" id="closed"><summary id="closed-summary">Closed</summary><div>Hidden.</div></details>
<details class="ds-details" id="open" open><summary id="open-summary">Open</summary><div>Shown.</div></details>
<div class="ds-alert" data-color="warning" id="alert"><p class="ds-paragraph">Careful.</p></div>
<div class="ds-alert" data-color="danger" id="alert-h"><h2 class="ds-heading" data-size="xs">Wrong</h2><p class="ds-paragraph">Fix it.</p></div>
<span class="ds-tag" data-color="success" id="tag">Sendt inn</span>
<span class="ds-tag" data-color="warning" data-size="sm" id="tag-sm">Utkast</span>
<section class="ds-card" id="card"><h2 class="ds-heading" data-size="sm">Card</h2><p class="ds-paragraph">Body.</p></section>
<table class="ds-table" data-border="true" data-zebra="true" id="table"><thead><tr><th>Name</th></tr></thead><tbody><tr><td id="cell">Asker</td></tr><tr><td>Bærum</td></tr></tbody></table>
<p class="ds-sr-only" id="sr">Only for screen readers.</p>
</main>
</body>
</html>`

// TestPrunedCSSKeepsStates shows the states page with Designsystemet's full
// component CSS (from node_modules) and with the pruned copy that make assets
// writes, and compares every computed property of each element and of its
// ::before and ::after: pruning must not change how any state looks. Each
// state is first shown to matter with the full CSS, so a state that no
// longer applies cannot pass unnoticed.
func TestPrunedCSSKeepsStates(t *testing.T) {
	root := RepoRoot(t)
	full := filepath.Join(root, "node_modules", "@digdir", "designsystemet-css", "dist", "src", "index.css")
	if _, err := os.Stat(full); err != nil {
		t.Fatalf("Designsystemet's CSS missing from node_modules (run make assets): %v", err)
	}
	static := filepath.Join(root, "web", "static")
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServer(http.Dir(static))))
	mux.HandleFunc("GET /full.css", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, full) })
	page := func(css string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", iconCSP)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, statesPage, css)
		}
	}
	mux.HandleFunc("GET /full", page("/full.css"))
	mux.HandleFunc("GET /pruned", page("/static/vendor/designsystemet.css"))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	b := New(t)
	// Each tab gets the same steps: every element's styles at rest, then the
	// styles of one element at a time with the mouse on it, then with
	// keyboard focus on a link. Designsystemet's hover rules ask for
	// (hover: hover) and (pointer: fine), which headless Chromium, having no
	// mouse, does not match (nor emulate): those conditions are opened up
	// through the CSSOM, in both tabs alike.
	const mouse = `(() => {
		let n = 0;
		const walk = (rules) => {
			for (const r of rules) {
				if (r instanceof CSSMediaRule && /hover:\s*hover/.test(r.media.mediaText)) { r.media.mediaText = 'all'; n++; }
				if (r.cssRules) walk(r.cssRules);
			}
		};
		for (const sheet of document.styleSheets) walk(sheet.cssRules);
		return n;
	})()`
	styles := func(path string) map[string]map[string]string {
		tab := b.Tab(t)
		tab.Navigate(t, srv.URL+path)
		run(t, tab, "waiting for fonts", chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise))
		if n := run(t, tab, "opening the hover rules", chromedp.Evaluate[int](mouse)); n == 0 {
			t.Fatalf("%s: no @media rule for a mouse found", path)
		}
		got := map[string]map[string]string{}
		collect := func(state, selector string) {
			for k, v := range run(t, tab, "reading styles", chromedp.Evaluate[map[string]map[string]string](fmt.Sprintf(computedJS, selector))) {
				got[state+" "+k] = v
			}
		}
		collect("rest", "[id]")
		for _, id := range []string{"link", "neutral", "closed-summary", "open-summary", "enabled", "disabled", "tertiary", "ok", "bad", "box", "cell"} {
			c := run(t, tab, "finding #"+id, chromedp.Evaluate[[2]float64](fmt.Sprintf(`(() => {
				const el = document.getElementById(%q);
				el.scrollIntoView({block: 'center'});
				const r = el.getBoundingClientRect();
				return [r.x + r.width/2, r.y + r.height/2];
			})()`, id)))
			tab.Run(t, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, c[0], c[1]))
			if !run(t, tab, "hovering #"+id, chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById(%q).matches(':hover')`, id))) {
				t.Fatalf("%s: the mouse is not on #%s", path, id)
			}
			collect("hover", "#"+id)
		}
		tab.Run(t, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 0, 0), chromedp.Focus(chromedp.CSS("#link")), chromedp.KeyEvent(kb.Tab))
		collect("keyboard-focus", "#focus")
		return got
	}
	f, p := styles("/full"), styles("/pruned")

	// The states apply at all (with the full CSS).
	differ := func(a, b, prop string) {
		t.Helper()
		if f[a][prop] == f[b][prop] {
			t.Errorf("full CSS: %s of %q and %q are both %q: the state is not exercised", prop, a, b, f[a][prop])
		}
	}
	differ("rest link", "hover link", "text-decoration-thickness")
	differ("rest ok", "rest bad", "border-top-color")
	differ("rest enabled", "rest disabled", "opacity")
	differ("rest closed-summary::before", "rest open-summary::before", "rotate")
	differ("rest focus", "keyboard-focus focus", "outline-style")

	var diffs []string
	for _, k := range sortedKeys(f) {
		for _, prop := range sortedKeys(f[k]) {
			if f[k][prop] != p[k][prop] {
				diffs = append(diffs, fmt.Sprintf("%s: %s is %q with the full CSS, %q pruned", k, prop, f[k][prop], p[k][prop]))
			}
		}
	}
	if len(diffs) > 0 {
		t.Errorf("%d computed styles differ:\n%s", len(diffs), strings.Join(diffs, "\n"))
	}
	if len(f) < 40 {
		js, _ := json.Marshal(f)
		t.Errorf("only %d elements and pseudo-elements compared: %.300s", len(f), js)
	}
	t.Logf("%d elements and pseudo-elements at rest, hovered or focused compared, each with %d properties", len(f), len(f["rest link"]))
}

// computedJS returns, for every element matching the selector %q and for its
// ::before and ::after, all its computed properties.
const computedJS = `(() => {
	const out = {};
	for (const el of document.querySelectorAll(%q)) {
		for (const pseudo of [null, '::before', '::after']) {
			const cs = getComputedStyle(el, pseudo), props = {};
			for (let i = 0; i < cs.length; i++) props[cs[i]] = cs.getPropertyValue(cs[i]);
			out[el.id + (pseudo || '')] = props;
		}
	}
	return out;
})()`

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
