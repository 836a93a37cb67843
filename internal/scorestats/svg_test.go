package scorestats

import (
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"strings"
	"testing"
)

// svgDoc parses an SVG strictly and returns its elements in order.
func svgDoc(t *testing.T, h template.HTML) []xml.StartElement {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(h)))
	d.Strict = true
	var els []xml.StartElement
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, h)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 && tok.Name.Local != "svg" {
				t.Fatalf("root element %q", tok.Name.Local)
			}
			depth++
			els = append(els, tok.Copy())
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 || len(els) == 0 {
		t.Fatalf("unbalanced or empty SVG")
	}
	return els
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// checkAccessibleSafe checks the root's role and accessible name, and that
// nothing executable or inline-styled is present.
func checkAccessibleSafe(t *testing.T, h template.HTML, els []xml.StartElement, wantTitle string) {
	t.Helper()
	root := els[0]
	if attr(root, "role") != "img" || attr(root, "viewBox") == "" || attr(root, "width") != "100%" {
		t.Errorf("root attributes: %v", root.Attr)
	}
	ids := map[string]bool{}
	for _, e := range els {
		if id := attr(e, "id"); id != "" {
			if ids[id] {
				t.Errorf("duplicate id %q", id)
			}
			ids[id] = true
		}
		if e.Name.Local == "script" || e.Name.Local == "style" || e.Name.Local == "foreignObject" {
			t.Errorf("element <%s>", e.Name.Local)
		}
		for _, a := range e.Attr {
			if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") || a.Name.Local == "style" || a.Name.Local == "href" {
				t.Errorf("attribute %s on <%s>", a.Name.Local, e.Name.Local)
			}
		}
	}
	labelled := strings.Fields(attr(root, "aria-labelledby"))
	if len(labelled) != 1 {
		t.Fatalf("aria-labelledby = %v, want the title", labelled)
	}
	for _, id := range append(labelled, strings.Fields(attr(root, "aria-describedby"))...) {
		if !ids[id] {
			t.Errorf("aria-labelledby or -describedby names missing id %q", id)
		}
	}
	if els[1].Name.Local != "title" || attr(els[1], "id") != labelled[0] {
		t.Errorf("first child is %v, want the <title>", els[1])
	}
	if !strings.Contains(string(h), ">"+wantTitle+"</title>") {
		t.Errorf("title %q not found", wantTitle)
	}
}

func count(els []xml.StartElement, class string) int {
	n := 0
	for _, e := range els {
		for _, c := range strings.Fields(attr(e, "class")) {
			if c == class {
				n++
			}
		}
	}
	return n
}

func stripFixture() (Row, []Criterion, map[int64]string, map[int64]string) {
	crits := []Criterion{{ID: 1, Weight: 1, Min: 1, Max: 5}, {ID: 2, Weight: 1, Min: 0, Max: 10}, {ID: 3, Weight: 1, Min: 1, Max: 5}}
	var scores []Score
	// Criterion 1: six jurors, four of them give 4 (the dots must stack).
	for j, v := range []float64{4, 4, 4, 4, 2, 5} {
		scores = append(scores, s(int64(j+1), 1, 1, v))
	}
	// Criterion 2: a split jury (flagged).
	scores = append(scores, s(1, 1, 2, 1), s(2, 1, 2, 9), s(3, 1, 2, 10))
	// Criterion 3: nobody.
	res := Compute(Input{Criteria: crits, Scores: scores})
	names := map[int64]string{1: `Innovation <b>&"co"</b>`, 2: "Samarbeid på tvers av sektorar og forvaltningsnivå", 3: "Effekt"}
	jurors := map[int64]string{1: "Ada & <Bob>", 2: "Kari"}
	return res.Rows[0], crits, names, jurors
}

func TestStripPlot(t *testing.T) {
	r, crits, names, jurors := stripFixture()
	h := StripPlot(r, crits, names, r.PerJuror(), jurors)
	els := svgDoc(t, h)
	checkAccessibleSafe(t, h, els, "Scores by criterion")

	if got := count(els, "rk-dot"); got != 9 {
		t.Errorf("%d dots, want 9 (one per value)", got)
	}
	if got := count(els, "rk-mean"); got != 1+2 {
		t.Errorf("%d mean diamonds, want legend + 2 criteria with values", got)
	}
	if got := count(els, "rk-disagree"); got != 1+2 {
		t.Errorf("%d disagreement markers, want legend + criteria 1 (range 2..5) and 2", got)
	}
	if got := count(els, "rk-axis"); got != 3 {
		t.Errorf("%d axes, want 3", got)
	}
	// The four 4s on criterion 1 are at one x and four different ys.
	ys := map[string]bool{}
	for _, e := range els {
		if attr(e, "class") == "rk-dot" && attr(e, "cx") == f1(xOf(4, 1, 5)) {
			ys[attr(e, "cy")] = true
		}
	}
	if len(ys) != 4 {
		t.Errorf("equal values at %d heights, want 4 stacked", len(ys))
	}

	s := string(h)
	for _, raw := range []string{"<b>", `&"co"`, "Ada & <Bob>", "<Bob>"} {
		if strings.Contains(s, raw) {
			t.Errorf("unescaped %q in output", raw)
		}
	}
	for _, want := range []string{
		"Innovation &lt;b&gt;&amp;&#34;co&#34;&lt;/b&gt;", // criterion name
		"<title>Ada &amp; &lt;Bob&gt;: 4</title>",         // juror tooltip
		"<title>Juror 3: 4</title>",                       // unlabelled juror
		"Mean 3.8 · SD 1.0",                               // criterion 1: mean 23/6, SD 0.98
		"Jurors disagree",
		// A long criterion name on two lines, cut only past them.
		`<title>Samarbeid på tvers av sektorar og forvaltningsnivå</title><tspan x="8">Samarbeid på tvers av</tspan><tspan x="8" dy="14">sektorar og forvaltningsni…</tspan>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestStripPlotLabels(t *testing.T) {
	r, crits, names, jurors := stripFixture()
	l := Labels{Title: "Poeng for <Bergen>", Description: "Eitt punkt per jurymedlem", Mean: "Snitt", SD: "SA", Disagree: "Juryen er usamd", Juror: "Jurymedlem", DecimalComma: true}
	h := l.StripPlot(r, crits, names, r.PerJuror(), jurors)
	els := svgDoc(t, h)
	checkAccessibleSafe(t, h, els, "Poeng for &lt;Bergen&gt;")
	s := string(h)
	for _, want := range []string{"Snitt 3,8 · SA 1,0", "Juryen er usamd", "<title>Jurymedlem 3: 4</title>", `aria-labelledby="rk-strip-1-title" aria-describedby="rk-strip-1-desc"`, ">Eitt punkt per jurymedlem</desc>"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(s, "Mean") {
		t.Error("English left in a translated chart")
	}
}

func TestStripPlotEmpty(t *testing.T) {
	h := StripPlot(Row{Nomination: 5}, nil, nil, nil, nil)
	checkAccessibleSafe(t, h, svgDoc(t, h), "Scores by criterion")
}

func TestLeniencyChart(t *testing.T) {
	// Two jurors on 1–5: mean u 0.5 (3) SD 0.25 (1), and u 0.75 (4) SD 0.125 (0.5).
	stats := []JurorStats{{Juror: 1, N: 10, Mean: 0.5, SD: 0.25}, {Juror: 2, N: 30, Mean: 0.75, SD: 0.125}, {Juror: 3, N: 0}}
	labels := map[int64]string{1: `"Quote" & <tag>`}
	h := LeniencyChart(stats, labels, 1, 5)
	els := svgDoc(t, h)
	checkAccessibleSafe(t, h, els, "Juror leniency: mean ± SD")
	if got := count(els, "rk-juror"); got != 3 {
		t.Errorf("%d juror rows, want 3", got)
	}
	if got := count(els, "rk-sd"); got != 3 {
		t.Errorf("%d SD bars, want 3", got)
	}
	s := string(h)
	// The jury mean is weighted by N: (10·0.5 + 30·0.75)/40 = 0.6875 → 3.75.
	for _, want := range []string{
		"&#34;Quote&#34; &amp; &lt;tag&gt;", "3.0 ± 1.0", "4.0 ± 0.5", "Jury mean 3.8",
		"<title>Juror 2: Mean 4.0, SD 0.5, n 30</title>",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(s, "<tag>") {
		t.Error("unescaped label")
	}

	t.Run("translated, degenerate scale, empty", func(t *testing.T) {
		h := Labels{JuryMean: "Snitt for juryen", DecimalComma: true}.LeniencyChart(stats[:1], nil, 3, 3)
		els := svgDoc(t, h)
		checkAccessibleSafe(t, h, els, "Juror leniency: mean ± SD")
		if s := string(h); !strings.Contains(s, "0,50 ± 0,25") || !strings.Contains(s, "Snitt for juryen 0,50") {
			t.Errorf("0–1 fallback scale not used:\n%s", s)
		}
		h = LeniencyChart(nil, nil, 1, 5)
		checkAccessibleSafe(t, h, svgDoc(t, h), "Juror leniency: mean ± SD")
	})
}

func TestNum(t *testing.T) {
	l, nb := Labels{}, Labels{DecimalComma: true}
	for _, tc := range []struct {
		got, want string
	}{
		{l.num(3.25, 1), "3.2"}, {l.num(-0.04, 1), "0.0"}, {l.num(0.1+0.2, -1), "0.3"},
		{l.num(4, -1), "4"}, {nb.num(2.5, -1), "2,5"}, {nb.num(-1.25, 2), "-1,25"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestLabel2: a criterion's name is whole on one line or two, broken
// between words, and cut only past two lines.
func TestLabel2(t *testing.T) {
	for name, want := range map[string]string{
		"Nytt": `<text x="8" y="44" fill="#292c30">Nytt</text>`,
		"Helhetlig og systematisk innovasjonsarbeid": `<text x="8" y="37" fill="#292c30"><tspan x="8">Helhetlig og systematisk</tspan><tspan x="8" dy="14">innovasjonsarbeid</tspan></text>`,
	} {
		var sb strings.Builder
		label2(&sb, 8, 40, name)
		if got := sb.String(); got != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}
