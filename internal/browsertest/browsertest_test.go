package browsertest

import (
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const testCSP = "default-src 'self'; script-src 'self'; style-src 'self'"

// iconCSP adds what Designsystemet's icons need: they are data: SVG images
// (CSS mask-image), which img-src, falling back to default-src 'self',
// blocks.
const iconCSP = testCSP + "; img-src 'self' data:"

const head = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Heder icons</title>
<link rel="stylesheet" href="/static/vendor/designsystemet-theme.css">
<link rel="stylesheet" href="/static/vendor/designsystemet.css">
<link rel="stylesheet" href="/static/vendor/inter.css">
<link rel="stylesheet" href="/static/app.css">
</head>
`

const iconsPage = head + `<body>
<main>
<h1 class="ds-heading">Icons</h1>
<div class="ds-alert" data-color="info"><p class="ds-paragraph">Nominations close on Friday.</p></div>
<p class="ds-validation-message">Write a name.</p>
<details class="ds-details"><summary>More</summary><div>Hidden text.</div></details>
</main>
</body>
</html>`

const goodPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Heder browser test</title>
<link rel="stylesheet" href="/static/vendor/designsystemet-theme.css">
<link rel="stylesheet" href="/static/vendor/designsystemet.css">
<link rel="stylesheet" href="/static/vendor/inter.css">
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<main>
<h1 class="ds-heading" data-size="lg">Heder</h1>
<p class="ds-paragraph">Nominate a colleague for an award. Blåbærsyltetøy, Ærø, Œuvre – “quotes”.</p>
<form class="ds-field" action="/good" method="get">
<label class="ds-label" for="name">Name</label>
<input class="ds-input" id="name" name="name" type="text">
<button class="ds-button" data-variant="primary" type="submit">Nominate</button>
</form>
</main>
</body>
</html>`

const badPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Bad page</title></head>
<body>
<main>
<h1>Bad page</h1>
<img src="/static/vendor/none.png" width="10" height="10">
<input type="text" name="nolabel">
</main>
</body>
</html>`

// pageStyle is what the good page's CSS did.
type pageStyle struct {
	Family     string `json:"family"`     // computed font-family of body
	InterFaces int    `json:"interFaces"` // Inter font faces loaded
	ButtonBg   string `json:"buttonBg"`   // computed background of .ds-button
}

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	static := filepath.Join(RepoRoot(t), "web", "static")
	if _, err := os.Stat(filepath.Join(static, "vendor", "designsystemet.css")); err != nil {
		t.Fatalf("vendored CSS missing (run make assets): %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServer(http.Dir(static))))
	page := func(body, csp string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", csp)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /good", page(goodPage, testCSP))
	mux.HandleFunc("GET /bad", page(badPage, testCSP))
	mux.HandleFunc("GET /icons", page(iconsPage, iconCSP))
	mux.HandleFunc("GET /set-cookie", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "who", Value: "first", Path: "/"})
		fmt.Fprint(w, `<!doctype html><title>set</title><p id="c">set</p>`)
	})
	mux.HandleFunc("GET /cookie", func(w http.ResponseWriter, r *http.Request) {
		v := "none"
		if c, err := r.Cookie("who"); err == nil {
			v = c.Value
		}
		fmt.Fprintf(w, `<!doctype html><title>cookie</title><p id="c">%s</p>`, v)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestBrowser(t *testing.T) {
	srv := newServer(t)
	start := time.Now()
	b := New(t)
	t.Logf("Chromium start: %v", time.Since(start).Round(time.Millisecond))

	t.Run("GoodPage", func(t *testing.T) {
		tab := b.Tab(t)
		console := chromedp.Console(tab.Ctx) // subscribe before loading
		tab.Navigate(t, srv.URL+"/good")

		if got, want := tab.URL(t), srv.URL+"/good"; got != want {
			t.Errorf("URL = %q, want %q", got, want)
		}
		if got := tab.Text(t, "h1"); got != "Heder" {
			t.Errorf("h1 text = %q, want Heder", got)
		}
		if html := tab.HTML(t); !strings.Contains(html, `<main>`) || !strings.HasPrefix(html, `<html lang="en">`) {
			t.Errorf("HTML does not look like the page: %.80q", html)
		}

		// The CSS and the self-hosted font load under the strict CSP.
		font := run(t, tab, "reading the styles", chromedp.Evaluate[pageStyle](`document.fonts.ready.then(() => ({
			family: getComputedStyle(document.body).fontFamily,
			interFaces: [...document.fonts].filter(f => f.family.includes('Inter') && f.status === 'loaded').length,
			buttonBg: getComputedStyle(document.querySelector('.ds-button')).backgroundColor,
		}))`, chromedp.EvalAwaitPromise))
		t.Logf("body font-family %s; loaded Inter faces %d; button background %s", font.Family, font.InterFaces, font.ButtonBg)
		if !strings.Contains(font.Family, "Inter Variable") {
			t.Errorf("body font-family = %q, want Inter Variable (app.css not applied?)", font.Family)
		}
		if font.InterFaces == 0 {
			t.Error("no Inter font face loaded (vendor/inter.css or the woff2 files blocked?)")
		}
		if font.ButtonBg == "" || font.ButtonBg == "rgba(0, 0, 0, 0)" || font.ButtonBg == "rgb(239, 239, 239)" {
			t.Errorf("button background %q: Designsystemet CSS not applied", font.ButtonBg)
		}

		axeStart := time.Now()
		tab.Axe(t)
		t.Logf("axe run (inject + check): %v", time.Since(axeStart).Round(time.Millisecond))
		// A second run on the same page reuses the injected axe-core.
		axeStart = time.Now()
		tab.Axe(t)
		t.Logf("axe run (already injected): %v", time.Since(axeStart).Round(time.Millisecond))

		tab.Screenshot(t, "browsertest-shot")

		// The page wrote nothing to the console: no CSP report, no error.
		for _, m := range drain(t, console) {
			t.Errorf("console: %s", m)
		}
	})

	t.Run("IconsUnderCSP", func(t *testing.T) {
		tab := b.Tab(t)
		console := chromedp.Console(tab.Ctx)
		tab.Navigate(t, srv.URL+"/icons")
		tab.Axe(t)
		tab.Screenshot(t, "browsertest-icons")
		for _, m := range drain(t, console) {
			t.Errorf("console: %s", m)
		}
	})

	t.Run("BadPage", func(t *testing.T) {
		tab := b.Tab(t)
		tab.Navigate(t, srv.URL+"/bad")
		vs := tab.AxeViolations(t)
		var ids []string
		for _, v := range vs {
			ids = append(ids, v.ID)
		}
		for _, want := range []string{"image-alt", "label"} {
			if !slices.Contains(ids, want) {
				t.Errorf("violations %v lack %q", ids, want)
			}
		}
		report := FormatViolations(vs)
		t.Logf("violations of the bad page:\n%s", report)
		for _, want := range []string{"image-alt [critical]", `<img src="/static/vendor/none.png"`, "input"} {
			if !strings.Contains(report, want) {
				t.Errorf("report lacks %q", want)
			}
		}

		// Axe itself fails the test; check it through a recording TB.
		rec := record(t, func(tb testing.TB) { tab.Axe(tb) })
		if !rec.failed || !strings.Contains(rec.msg, "image-alt") || !strings.Contains(rec.msg, srv.URL+"/bad") {
			t.Errorf("Axe on the bad page: failed=%v, message %q", rec.failed, rec.msg)
		}
	})

	t.Run("MissingElementTimesOut", func(t *testing.T) {
		tab := b.Tab(t)
		tab.Navigate(t, srv.URL+"/good")
		tab.Timeout = 500 * time.Millisecond
		begin := time.Now()
		rec := record(t, func(tb testing.TB) { tab.Text(tb, "#does-not-exist") })
		took := time.Since(begin)
		if !rec.failed || !rec.fatal {
			t.Fatalf("Text of a missing element did not fail the test: %+v", rec)
		}
		if !strings.Contains(rec.msg, "timed out") || !strings.Contains(rec.msg, srv.URL+"/good") {
			t.Errorf("message %q lacks the timeout or the URL", rec.msg)
		}
		if took > 5*time.Second {
			t.Errorf("took %v with a 500ms timeout", took)
		}
	})

	t.Run("TabsDoNotShareCookies", func(t *testing.T) {
		first, second := b.Tab(t), b.Tab(t)
		first.Navigate(t, srv.URL+"/set-cookie")
		first.Navigate(t, srv.URL+"/cookie")
		if got := first.Text(t, "#c"); got != "first" {
			t.Errorf("first tab cookie = %q, want first", got)
		}
		second.Navigate(t, srv.URL+"/cookie")
		if got := second.Text(t, "#c"); got != "none" {
			t.Errorf("second tab sees cookie %q, want none", got)
		}
	})

	t.Logf("axe checked %d pages", AxeCount())
}

func TestNewWithoutChromium(t *testing.T) {
	saved := debianChromium
	debianChromium = filepath.Join(t.TempDir(), "no-chromium")
	t.Cleanup(func() { debianChromium = saved })
	t.Setenv("PATH", t.TempDir())

	t.Setenv(RequireBrowserEnv, "")
	rec := record(t, func(tb testing.TB) { New(tb) })
	if !rec.skipped || rec.failed || !strings.Contains(rec.msg, "Chromium not found") {
		t.Errorf("without %s: %+v, want a skip", RequireBrowserEnv, rec)
	}

	t.Setenv(RequireBrowserEnv, "1")
	rec = record(t, func(tb testing.TB) { New(tb) })
	if !rec.fatal || !strings.Contains(rec.msg, RequireBrowserEnv+"=1") {
		t.Errorf("with %s=1: %+v, want a fatal failure", RequireBrowserEnv, rec)
	}
}

func TestScreenshotUnset(t *testing.T) {
	t.Setenv("HEDER_SCREENSHOTS", "")
	// With the variable unset, Screenshot returns before touching the tab.
	(&Tab{}).Screenshot(t, "never")
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"home":            "home",
		"TestX/sub case":  "TestX_sub_case",
		"../../etc":       ".._.._etc",
		"":                "screenshot",
		"..":              "screenshot",
		"nb-NO_forside.1": "nb-NO_forside.1",
	} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// drain returns the console messages that arrived so far.
func drain(t *testing.T, msgs iter.Seq2[chromedp.ConsoleMessage, error]) []string {
	t.Helper()
	var out []string
	// The iterator blocks for new messages; give it a moment and stop.
	done := make(chan struct{})
	var mu sync.Mutex
	go func() {
		defer close(done)
		for m, err := range msgs {
			if err != nil {
				return
			}
			mu.Lock()
			out = append(out, m.String())
			mu.Unlock()
		}
	}()
	select {
	case <-done:
	case <-time.After(300 * time.Millisecond):
	}
	mu.Lock()
	defer mu.Unlock()
	return slices.Clone(out)
}

// recorder is a testing.TB that records failures and skips instead of
// failing or skipping the test. Methods it does not override reach the real
// test, so the code under test must fail only through these.
type recorder struct {
	testing.TB
	mu      sync.Mutex
	failed  bool
	fatal   bool
	skipped bool
	msg     string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
	r.msg += fmt.Sprintf(format, args...)
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.mu.Lock()
	r.fatal = true
	r.mu.Unlock()
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }
func (r *recorder) Skip(args ...any) {
	r.mu.Lock()
	r.skipped = true
	r.msg += fmt.Sprint(args...)
	r.mu.Unlock()
	runtime.Goexit()
}
func (r *recorder) Skipf(format string, args ...any) { r.Skip(fmt.Sprintf(format, args...)) }
func (r *recorder) SkipNow()                         { r.Skip() }
func (r *recorder) Error(args ...any)                { r.Errorf("%s", fmt.Sprint(args...)) }

// record runs f with a recorder in its own goroutine, so that a Fatal ends
// only that goroutine.
func record(t *testing.T, f func(testing.TB)) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}
