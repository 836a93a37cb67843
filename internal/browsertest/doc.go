// Package browsertest drives a headless Debian Chromium from Go tests, with
// chromedp, so that tests can load Heder's server-rendered pages as a person's
// browser would, read what they show, check them for accessibility with
// axe-core and take screenshots.
//
// It is a normal package (not a _test file) so that the tests of any package
// can import it:
//
//	func TestPage(t *testing.T) {
//		b := browsertest.New(t) // skips when Chromium is absent
//		tab := b.Tab(t)
//		tab.Navigate(t, srv.URL+"/")
//		if got := tab.Text(t, "h1"); got != "Heder" {
//			t.Errorf("h1 = %q", got)
//		}
//		tab.Axe(t)
//		tab.Screenshot(t, "home")
//	}
//
// [New] skips the test when neither /usr/bin/chromium nor a chromium on PATH
// exists, except when the environment variable HEDER_REQUIRE_BROWSER=1 is
// set (as CI does): the test then fails. Install the browser with
// `apt-get install chromium`.
//
// [Tab.Axe] needs node_modules/axe-core/axe.min.js, which `make assets`
// (scripts/assets.sh) copies from the pinned axe-core npm package. Axe runs
// the WCAG 2.0/2.1 A and AA rules. It injects axe-core with the DevTools
// protocol (Runtime.evaluate), which a page's Content-Security-Policy does not
// block, so pages are checked with their real, strict CSP.
//
// [Tab.Screenshot] writes full-page PNGs to the folder named by the
// environment variable HEDER_SCREENSHOTS, and does nothing when it is unset.
//
// Each [Browser.Tab] is a new browser context (like an incognito window), so
// two tabs can be two users. Its viewport is 1280×900.
//
// Every action through a [Tab] has a time limit ([DefaultTimeout] unless
// Tab.Timeout says otherwise), so an element that never appears fails the
// test instead of hanging it. Chromium's own output and chromedp's log lines
// are kept out of the test output; the last of them are shown only when the
// test fails.
package browsertest
