package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeTags are the axe-core rule tags that [Tab.Axe] runs: WCAG 2.0 and 2.1,
// levels A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Violation is one axe-core rule that a page breaks.
type Violation struct {
	ID      string          `json:"id"`     // rule id, such as "image-alt"
	Impact  string          `json:"impact"` // minor, moderate, serious or critical
	Help    string          `json:"help"`   // one-line description of the rule
	HelpURL string          `json:"helpUrl"`
	Nodes   []ViolationNode `json:"nodes"` // the elements that break it
}

// ViolationNode is one element that breaks a rule.
type ViolationNode struct {
	// Target holds CSS selectors of the element; one for an element of the
	// page itself, more for one inside iframes or shadow roots.
	Target         []string `json:"target"`
	HTML           string   `json:"html"`           // snippet of the element
	FailureSummary string   `json:"failureSummary"` // what to fix
}

var axeChecked atomic.Int64

// AxeCount reports how many pages axe-core checked in this test binary so
// far (each [Tab.Axe] or [Tab.AxeViolations] call counts once).
func AxeCount() int { return int(axeChecked.Load()) }

var axeSource struct {
	once sync.Once
	src  string
	err  error
}

// axeJS returns the text of node_modules/axe-core/axe.min.js, read once.
func axeJS(t testing.TB) string {
	t.Helper()
	axeSource.once.Do(func() {
		root, err := repoRoot()
		if err != nil {
			axeSource.err = err
			return
		}
		b, err := os.ReadFile(filepath.Join(root, "node_modules", "axe-core", "axe.min.js"))
		axeSource.src, axeSource.err = string(b), err
	})
	if axeSource.err != nil {
		t.Fatalf("browsertest: axe-core is missing (run make assets): %v", axeSource.err)
	}
	return axeSource.src
}

// axeRunJS runs axe-core on the document and returns what Violation needs.
// Frame and shadow-DOM targets come as arrays; they are joined with " >>> ".
const axeRunJS = `axe.run(document, {
	runOnly: {type: 'tag', values: %s},
	resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
	id: v.id,
	impact: v.impact || '',
	help: v.help,
	helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({
		target: n.target.map(s => Array.isArray(s) ? s.join(' >>> ') : String(s)),
		html: n.html,
		failureSummary: n.failureSummary || '',
	})),
})))`

// AxeViolations runs axe-core's WCAG 2.0/2.1 A and AA rules ([AxeTags]) on
// the tab's current page and returns the violations, without failing the
// test for them. It fails the test only when axe-core cannot run.
//
// axe-core is injected with the DevTools protocol, which the page's
// Content-Security-Policy does not block.
func (tab *Tab) AxeViolations(t testing.TB) []Violation {
	t.Helper()
	loaded := run(t, tab, "looking for axe-core",
		chromedp.Evaluate[bool](`typeof window.axe === 'object' && typeof window.axe.run === 'function'`))
	if !loaded {
		run(t, tab, "injecting axe-core", chromedp.Evaluate[chromedp.Void](axeJS(t)+"\n;void 0"))
	}
	tags := `['` + strings.Join(AxeTags, `', '`) + `']`
	vs := run(t, tab, "running axe-core", chromedp.Evaluate[[]Violation](
		fmt.Sprintf(axeRunJS, tags), chromedp.EvalAwaitPromise))
	axeChecked.Add(1)
	return vs
}

// Axe checks the tab's current page with [Tab.AxeViolations] and fails the
// test (without stopping it) when there are violations, listing each with
// its id, impact, help and up to three of its elements.
func (tab *Tab) Axe(t testing.TB) {
	t.Helper()
	vs := tab.AxeViolations(t)
	if len(vs) == 0 {
		return
	}
	t.Errorf("browsertest: axe found %d accessibility violation(s) on %s:\n%s",
		len(vs), tab.location(), FormatViolations(vs))
}

// FormatViolations describes violations as Axe reports them, with up to
// three elements per rule.
func FormatViolations(vs []Violation) string {
	const maxNodes = 3
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "- %s [%s]: %s (%s)\n", v.ID, v.Impact, v.Help, v.HelpURL)
		for i, n := range v.Nodes {
			if i == maxNodes {
				fmt.Fprintf(&b, "    ... and %d more\n", len(v.Nodes)-maxNodes)
				break
			}
			fmt.Fprintf(&b, "    %s\n      %s\n", strings.Join(n.Target, ", "), oneLine(n.HTML, 200))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return s
}
