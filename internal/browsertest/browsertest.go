package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// DefaultTimeout limits each action of a [Tab] whose Timeout is zero.
const DefaultTimeout = 20 * time.Second

// The size of a tab's viewport, in CSS pixels. The window is as big, but
// headless Chromium keeps some of it for (invisible) browser UI.
const (
	ViewportWidth  = 1280
	ViewportHeight = 900
)

// startTimeout limits the start of Chromium and the opening of a tab.
const startTimeout = 60 * time.Second

// RequireBrowserEnv is the environment variable that makes [New] fail, rather
// than skip, when Chromium is absent. CI sets it to 1.
const RequireBrowserEnv = "HEDER_REQUIRE_BROWSER"

// NeedTool returns the path of the program name, which the Debian package
// pkg provides (scripts/setup.sh --browser installs it, as it does
// Chromium). Without it the test skips, saying what to install, or fails
// when RequireBrowserEnv is set, as in CI: a missing install step never
// passes there as a skip.
func NeedTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		msg := fmt.Sprintf("%s is missing: apt-get install %s (make test installs it)", name, pkg)
		if os.Getenv(RequireBrowserEnv) == "1" {
			t.Fatal(msg + " (" + RequireBrowserEnv + "=1 requires it)")
		}
		t.Skip(msg + " to run this test")
	}
	return p
}

// Browser is a headless Debian Chromium driven by chromedp. Make one with
// [New]; open tabs with [Browser.Tab].
type Browser struct {
	ctx context.Context // chromedp context of the browser (its first tab)
}

// debianChromium is where Debian's chromium package puts the browser (a
// wrapper script). A variable so that tests can pretend it is absent.
var debianChromium = "/usr/bin/chromium"

// ExecPath returns the Chromium binary that [New] starts: /usr/bin/chromium
// when it exists, else `chromium` on PATH, else "".
func ExecPath() string {
	if fi, err := os.Stat(debianChromium); err == nil && !fi.IsDir() {
		return debianChromium
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// New starts a headless Chromium for the test and stops it, removing its
// profile directory, when the test ends. When Chromium is absent it skips
// the test, or fails it when HEDER_REQUIRE_BROWSER=1.
func New(t testing.TB) *Browser {
	t.Helper()
	path := ExecPath()
	if path == "" {
		const msg = "browsertest: Chromium not found (no /usr/bin/chromium, no chromium on PATH); install it with `apt-get install chromium`"
		if os.Getenv(RequireBrowserEnv) == "1" {
			t.Fatal(msg + " (" + RequireBrowserEnv + "=1 requires it)")
		}
		t.Skip(msg + " to run this test")
	}

	dir, err := os.MkdirTemp("", "heder-chromium-")
	if err != nil {
		t.Fatalf("browsertest: user data dir: %v", err)
	}

	lg := newTailLog(64 << 10)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(ViewportWidth, ViewportHeight),
		// Chromium's stdout and stderr: kept, shown only if the test fails.
		chromedp.CombinedOutput(lg),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx,
		chromedp.WithLogf(lg.printf),
		chromedp.WithErrorf(lg.printf),
	)
	b := &Browser{ctx: ctx}

	t.Cleanup(func() {
		// Close Chromium gracefully, then make sure it is gone.
		cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
		cerr := chromedp.Cancel(cctx)
		ccancel()
		cancel()
		allocCancel() // waits for the process and its goroutines
		rerr := removeAllRetry(dir)
		if t.Failed() {
			if cerr != nil && !errors.Is(cerr, context.Canceled) {
				t.Logf("browsertest: closing Chromium: %v", cerr)
			}
			lg.dump(t)
		}
		if rerr != nil {
			t.Logf("browsertest: removing %s: %v", dir, rerr)
		}
	})

	start := time.Now()
	// The first Do starts the browser, bound to ctx for its whole life, so
	// it must not carry a deadline; a timer cancels a start that hangs.
	timer := time.AfterFunc(startTimeout, cancel)
	err = chromedp.Do(ctx)
	if !timer.Stop() {
		err = fmt.Errorf("no answer within %v", startTimeout)
	}
	if err != nil {
		t.Fatalf("browsertest: starting %s: %v", path, err)
	}
	vctx, vcancel := context.WithTimeout(ctx, 5*time.Second)
	defer vcancel()
	version := "Chromium"
	if v, err := chromedp.Run(vctx, chromedp.Action[string](func(ctx context.Context, _ *chromedp.Target) (string, error) {
		r, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, browser.GetVersion, cdp.Empty{})
		return r.Product, err
	})); err == nil {
		version = v
	}
	t.Logf("browsertest: %s started in %v", version, time.Since(start).Round(time.Millisecond))
	return b
}

// Tab is one browser tab, in a browser context of its own (like an
// incognito window), so tabs do not share cookies or storage.
type Tab struct {
	// Ctx is the tab's chromedp context, for chromedp calls the helpers
	// below do not cover. It has no deadline: derive one, or use [Tab.Run].
	Ctx context.Context

	// Timeout limits each action of the helpers; zero means DefaultTimeout.
	Timeout time.Duration
}

// Tab opens a new tab in a fresh browser context, with a viewport of
// ViewportWidth×ViewportHeight CSS pixels. It is closed, and its cookies and
// storage dropped, when the test ends.
func (b *Browser) Tab(t testing.TB) *Tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// As for the browser, the first Do binds the tab to ctx: no deadline.
	timer := time.AfterFunc(startTimeout, cancel)
	err := chromedp.Do(ctx)
	if !timer.Stop() {
		err = fmt.Errorf("no answer within %v", startTimeout)
	}
	if err != nil {
		t.Fatalf("browsertest: opening a tab: %v", err)
	}
	tab := &Tab{Ctx: ctx}
	run(t, tab, "setting the viewport", chromedp.EmulateViewport(ViewportWidth, ViewportHeight))
	return tab
}

func (tab *Tab) timeout() time.Duration {
	if tab.Timeout > 0 {
		return tab.Timeout
	}
	return DefaultTimeout
}

// run runs one action with the tab's time limit, and fails the test with
// what and the tab's URL when it returns an error.
func run[T any](t testing.TB, tab *Tab, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := try(tab, a)
	if err != nil {
		t.Fatalf("browsertest: %s (at %s): %v", what, tab.location(), err)
	}
	return v
}

func try[T any](tab *Tab, a chromedp.Action[T]) (T, error) {
	d := tab.timeout()
	ctx, cancel := context.WithTimeout(tab.Ctx, d)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil && errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("timed out after %v: %w", d, err)
	}
	return v, err
}

// location is the tab's URL for error messages.
func (tab *Tab) location() string {
	ctx, cancel := context.WithTimeout(tab.Ctx, 2*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "unknown URL"
	}
	return u
}

// Run runs the actions in order, with the tab's time limit for all of them
// together, and fails the test on the first error.
func (tab *Tab) Run(t testing.TB, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	run(t, tab, "running actions", chromedp.Steps(actions...))
}

// Navigate loads url and waits for its load event. It does not look at the
// HTTP status: a 404 or 500 page loads like any other.
func (tab *Tab) Navigate(t testing.TB, url string) {
	t.Helper()
	run(t, tab, "navigating to "+url, chromedp.Navigate(url))
}

// URL returns the tab's current URL.
func (tab *Tab) URL(t testing.TB) string {
	t.Helper()
	return run(t, tab, "reading the URL", chromedp.Location())
}

// Text returns the innerText of the first element matching the CSS selector,
// waiting (up to the time limit) for one to exist.
func (tab *Tab) Text(t testing.TB, selector string) string {
	t.Helper()
	return run(t, tab, "reading the text of "+selector,
		chromedp.JavascriptAttribute[string](chromedp.CSS(selector), "innerText"))
}

// HTML returns document.documentElement.outerHTML.
func (tab *Tab) HTML(t testing.TB) string {
	t.Helper()
	return run(t, tab, "reading the HTML",
		chromedp.Evaluate[string](`document.documentElement.outerHTML`))
}

// Screenshot saves a full-page PNG named <name>.png in the folder that the
// environment variable HEDER_SCREENSHOTS names, creating it if needed. It
// does nothing when the variable is unset. Characters other than letters,
// digits, '.', '-' and '_' in name become '_'.
func (tab *Tab) Screenshot(t testing.TB, name string) {
	t.Helper()
	dir := os.Getenv("HEDER_SCREENSHOTS")
	if dir == "" {
		return
	}
	// Web fonts use font-display: swap; wait for them so the picture shows
	// the real font.
	run(t, tab, "waiting for fonts", chromedp.Evaluate[bool](
		`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise))
	png := run(t, tab, "taking a screenshot", chromedp.FullScreenshot(100))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
	file := filepath.Join(dir, safeName(name)+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
	t.Logf("browsertest: screenshot %s", file)
}

func safeName(name string) string {
	s := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, name)
	if s == "" || strings.Trim(s, ".") == "" {
		s = "screenshot"
	}
	return s
}

// RepoRoot returns the directory of the nearest go.mod at or above the
// working directory (for a test, its package directory), failing the test
// when there is none.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := repoRoot()
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	return dir
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above the working directory")
		}
		dir = parent
	}
}

func removeAllRetry(dir string) error {
	var err error
	for range 20 {
		if err = os.RemoveAll(dir); err == nil {
			return nil
		}
		// A Chromium child process can still be writing in it.
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

// tailLog keeps the last bytes of Chromium's output and chromedp's log
// lines, to show them when a test fails and never otherwise.
type tailLog struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func newTailLog(max int) *tailLog { return &tailLog{max: max} }

func (l *tailLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	if over := len(l.buf) - l.max; over > 0 {
		l.buf = append(l.buf[:0], l.buf[over:]...)
	}
	return len(p), nil
}

func (l *tailLog) printf(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	l.Write([]byte("chromedp: " + s))
}

// dump logs the last lines, less D-Bus complaints (there is no D-Bus in a
// container, and Chromium says so many times).
func (l *tailLog) dump(t testing.TB) {
	const maxLines = 40
	l.mu.Lock()
	s := string(l.buf)
	l.mu.Unlock()
	var lines []string
	for line := range strings.Lines(s) {
		if line = strings.TrimRight(line, "\r\n"); line != "" && !strings.Contains(line, ":ERROR:dbus/") {
			lines = append(lines, line)
		}
	}
	if len(lines) > maxLines {
		lines = lines[len(lines)-maxLines:]
	}
	if len(lines) > 0 {
		t.Logf("browsertest: last output of Chromium and chromedp:\n%s", strings.Join(lines, "\n"))
	}
}
