package scorestats

import (
	"fmt"
	"hash/fnv"
	"html"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Labels holds the words of the charts, so that pages can translate them.
// Empty fields fall back to English.
type Labels struct {
	// Title is the chart's title and accessible name. Defaults: "Scores by
	// criterion" and "Juror leniency: mean ± SD".
	Title string
	// Description, if set, becomes the chart's <desc> (aria-describedby).
	Description string
	Mean        string // "Mean"
	SD          string // "SD"
	JuryMean    string // "Jury mean"
	Score       string // legend of a strip plot dot: "One juror's score"
	Disagree    string // "Jurors disagree"
	Juror       string // "Juror", for jurors without a label: "Juror 17"
	// DecimalComma writes 2,5 rather than 2.5 (Norwegian).
	DecimalComma bool
}

// The palette: Designsystemet's default theme. Presentation attributes
// rather than style, so a strict style-src CSP does not block them; the
// class names let a stylesheet override the colours (e.g. with the
// --ds-color-* custom properties or for a dark theme).
const (
	colAccent  = "#0062ba" // accent base default: dots, SD bars
	colText    = "#292c30" // neutral text default: labels, means
	colSubtle  = "#5b5d60" // neutral text subtle: tick labels
	colBorder  = "#bbbcbd" // neutral border subtle: axes, grid
	colDanger  = "#c01b1b" // danger base default: disagreement marker
	colSurface = "#ffffff"
)

// Geometry shared by both charts (viewBox units).
const (
	svgW     = 720
	plotX0   = 200.0
	plotX1   = 540.0
	textX    = 556.0
	dotR     = 5.0
	dotStep  = 2*dotR + 1
	legendH  = 30.0
	labelMax = 27 // runes of a label before it is cut with "…"
)

func (l Labels) orDefaults(title string) Labels {
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&l.Title, title)
	def(&l.Mean, "Mean")
	def(&l.SD, "SD")
	def(&l.JuryMean, "Jury mean")
	def(&l.Score, "One juror's score")
	def(&l.Disagree, "Jurors disagree")
	def(&l.Juror, "Juror")
	return l
}

// StripPlot draws one nomination's scores with English labels; see
// Labels.StripPlot.
func StripPlot(row Row, criteria []Criterion, criterionNames map[int64]string, perJuror map[int64]map[int64]float64, jurorLabels map[int64]string) template.HTML {
	return Labels{}.StripPlot(row, criteria, criterionNames, perJuror, jurorLabels)
}

// LeniencyChart draws the jurors' leniency with English labels; see
// Labels.LeniencyChart.
func LeniencyChart(stats []JurorStats, labels map[int64]string, scaleMin, scaleMax float64) template.HTML {
	return Labels{}.LeniencyChart(stats, labels, scaleMin, scaleMax)
}

// StripPlot draws a server-rendered SVG strip plot of one nomination: per
// criterion (in the order of criteria) a horizontal line for the scale
// Min..Max, a dot per juror's value (perJuror: juror → criterion → value in
// scale units, e.g. Row.PerJuror()), dots of equal or close values stacked
// so none hides another, and the mean as a diamond with its value written
// out. A criterion flagged in row.Criteria gets a warning triangle and the
// words Labels.Disagree, so nothing relies on colour alone. Every dot has a
// tooltip with the juror's label and value. The picture has role="img" and
// a <title>; the data table belongs beside it for screen readers.
func (l Labels) StripPlot(row Row, criteria []Criterion, criterionNames map[int64]string, perJuror map[int64]map[int64]float64, jurorLabels map[int64]string) template.HTML {
	l = l.orDefaults("Scores by criterion")
	jurors := make([]int64, 0, len(perJuror))
	for j := range perJuror {
		jurors = append(jurors, j)
	}
	slices.Sort(jurors)

	type dot struct {
		juror int64
		v, x  float64
		level int
	}
	type block struct {
		c      Criterion
		dots   []dot
		mean   float64
		sd     float64
		n      int
		flag   bool
		half   int // stacking levels on each side of the line
		y, top float64
	}
	blocks := make([]block, len(criteria))
	y := legendH
	for i, c := range criteria {
		b := block{c: c}
		lo, hi := scaleOf(c)
		for _, j := range jurors {
			if v, ok := perJuror[j][c.ID]; ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
				b.dots = append(b.dots, dot{juror: j, v: v, x: xOf(v, lo, hi)})
			}
		}
		slices.SortStableFunc(b.dots, func(p, q dot) int {
			if p.v < q.v {
				return -1
			}
			if p.v > q.v {
				return 1
			}
			return 0
		})
		// Greedy stacking: each dot takes the first level whose last dot
		// is at least one dot apart; levels alternate above and below.
		var last []float64
		for d := range b.dots {
			lv := 0
			for lv < len(last) && b.dots[d].x-last[lv] < dotStep {
				lv++
			}
			if lv == len(last) {
				last = append(last, 0)
			}
			last[lv] = b.dots[d].x
			b.dots[d].level = lv
			b.half = max(b.half, (lv+1)/2)
		}
		if st, ok := row.Criterion(c.ID); ok && st.N > 0 {
			b.mean, b.sd, b.n, b.flag = st.Mean, st.SD, st.N, st.Disagree
		} else if len(b.dots) > 0 {
			for _, d := range b.dots {
				b.mean += d.v
			}
			b.n = len(b.dots)
			b.mean /= float64(b.n)
		}
		b.top = y
		b.y = y + 12 + float64(b.half)*dotStep + dotR
		y = b.y + float64(b.half)*dotStep + dotR + 30
		blocks[i] = b
	}
	height := y + 4

	id := "rk-strip-" + strconv.FormatInt(row.Nomination, 10)
	var sb strings.Builder
	sb.Grow(1024 + 400*len(criteria) + 160*len(perJuror)*len(criteria))
	openSVG(&sb, id, "rk-strip", height, l)

	// Legend.
	ly := 16.0
	sb.WriteString(`<g class="rk-legend" fill="` + colText + `">`)
	fmt.Fprintf(&sb, `<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s"/>`, f1(plotX0-180), f1(ly-4), f1(dotR), colAccent, colSurface)
	text(&sb, plotX0-170, ly, "start", "", l.Score)
	diamond(&sb, plotX0+40, ly-4, 6)
	text(&sb, plotX0+52, ly, "start", "", l.Mean)
	triangle(&sb, plotX0+182, ly-4)
	text(&sb, plotX0+194, ly, "start", "", l.Disagree)
	sb.WriteString(`</g>`)

	for _, b := range blocks {
		lo, hi := scaleOf(b.c)
		name := criterionNames[b.c.ID]
		if name == "" {
			name = "#" + strconv.FormatInt(b.c.ID, 10)
		}
		sb.WriteString(`<g class="rk-criterion">`)
		label2(&sb, 8, b.y, name)
		// The scale: axis, ticks and their values.
		fmt.Fprintf(&sb, `<line class="rk-axis" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"/>`, f1(plotX0), f1(b.y), f1(plotX1), f1(b.y), colBorder)
		for _, t := range ticks(lo, hi) {
			x := xOf(t, lo, hi)
			fmt.Fprintf(&sb, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, f1(x), f1(b.y-4), f1(x), f1(b.y+4), colBorder)
			text(&sb, x, b.y+float64(b.half)*dotStep+dotR+16, "middle", tickAttrs, l.num(t, -1))
		}
		for _, d := range b.dots {
			off := float64((d.level+1)/2) * dotStep
			if d.level%2 == 1 {
				off = -off
			}
			jl := jurorLabels[d.juror]
			if jl == "" {
				jl = l.Juror + " " + strconv.FormatInt(d.juror, 10)
			}
			fmt.Fprintf(&sb, `<circle class="rk-dot" cx="%s" cy="%s" r="%s" fill="%s" fill-opacity="0.85" stroke="%s"><title>%s: %s</title></circle>`,
				f1(d.x), f1(b.y+off), f1(dotR), colAccent, colSurface, esc(jl), l.num(d.v, -1))
		}
		if b.n > 0 {
			diamond(&sb, xOf(b.mean, lo, hi), b.y, 7)
			s := l.Mean + " " + l.num(b.mean, decimals(lo, hi))
			if b.n >= 2 {
				s += " · " + l.SD + " " + l.num(b.sd, decimals(lo, hi))
			}
			text(&sb, textX, b.y+4, "start", fillText, s)
		}
		if b.flag {
			triangle(&sb, textX+6, b.y+14)
			text(&sb, textX+16, b.y+18, "start", fillDanger, l.Disagree)
		}
		sb.WriteString(`</g>`)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String()) // safe: every text in it went through esc
}

// LeniencyChart draws a server-rendered SVG of the jurors' leniency: per
// juror (in the order of stats; sort them first if you like) the mean as a
// dot with a bar of ± one SD, its value written out, and a dashed line at
// the jury's overall mean (the N-weighted mean of the jurors' means). The
// stats are on the normalised 0–1 scale (JurorStats); the axis is labelled
// from scaleMin to scaleMax, e.g. Result.ScaleMin and Result.ScaleMax.
func (l Labels) LeniencyChart(stats []JurorStats, labels map[int64]string, scaleMin, scaleMax float64) template.HTML {
	l = l.orDefaults("Juror leniency: mean ± SD")
	if !(scaleMax > scaleMin) || math.IsInf(scaleMax-scaleMin, 0) {
		scaleMin, scaleMax = 0, 1
	}
	width := scaleMax - scaleMin
	dec := decimals(scaleMin, scaleMax)
	const rowH = 26.0
	top := legendH + 18 // room for the jury mean's label
	height := top + rowH*float64(len(stats)) + 30

	h := fnv.New64a()
	for _, s := range stats {
		fmt.Fprintf(h, "%d:%g:%g;", s.Juror, s.Mean, s.SD)
	}
	id := fmt.Sprintf("rk-leniency-%x", h.Sum64())
	var sb strings.Builder
	sb.Grow(2048 + 600*len(stats))
	openSVG(&sb, id, "rk-leniency", height, l)

	x := func(u float64) float64 { return xOf(u, 0, 1) }
	var n, sum float64
	for _, s := range stats {
		n += float64(s.N)
		sum += float64(s.N) * s.Mean
	}
	juryMean := math.NaN()
	if n > 0 {
		juryMean = sum / n
	}

	// Legend.
	ly := 16.0
	sb.WriteString(`<g class="rk-legend" fill="` + colText + `">`)
	fmt.Fprintf(&sb, `<circle cx="%s" cy="%s" r="%s" fill="%s"/>`, f1(20), f1(ly-4), f1(dotR), colAccent)
	text(&sb, 30, ly, "start", "", l.Mean)
	fmt.Fprintf(&sb, `<path d="M%s %sh30M%s %sv8M%s %sv8" stroke="%s" stroke-width="2" fill="none"/>`,
		f1(plotX0), f1(ly-4), f1(plotX0), f1(ly-8), f1(plotX0+30), f1(ly-8), colAccent)
	text(&sb, plotX0+38, ly, "start", "", "± "+l.SD)
	fmt.Fprintf(&sb, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="5 3"/>`,
		f1(plotX0+140), f1(ly-10), f1(plotX0+140), f1(ly+2), colText)
	text(&sb, plotX0+148, ly, "start", "", l.JuryMean)
	sb.WriteString(`</g>`)

	// Grid and axis.
	bottom := top + rowH*float64(len(stats))
	sb.WriteString(`<g class="rk-axis">`)
	for _, t := range ticks(scaleMin, scaleMax) {
		xt := xOf(t, scaleMin, scaleMax)
		fmt.Fprintf(&sb, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="0.5"/>`, f1(xt), f1(top), f1(xt), f1(bottom), colBorder)
		text(&sb, xt, bottom+16, "middle", tickAttrs, l.num(t, -1))
	}
	fmt.Fprintf(&sb, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, f1(plotX0), f1(bottom), f1(plotX1), f1(bottom), colBorder)
	sb.WriteString(`</g>`)

	for i, s := range stats {
		y := top + rowH*float64(i) + rowH/2
		jl := labels[s.Juror]
		if jl == "" {
			jl = l.Juror + " " + strconv.FormatInt(s.Juror, 10)
		}
		mean, sd := scaleMin+s.Mean*width, s.SD*width
		value := l.num(mean, dec) + " ± " + l.num(sd, dec)
		fmt.Fprintf(&sb, `<g class="rk-juror"><title>%s: %s %s, %s %s, n %d</title>`,
			esc(jl), esc(l.Mean), l.num(mean, dec), esc(l.SD), l.num(sd, dec), s.N)
		label(&sb, 8, y+4, jl)
		a, b := x(clamp01(s.Mean-s.SD)), x(clamp01(s.Mean+s.SD))
		fmt.Fprintf(&sb, `<path class="rk-sd" d="M%s %sH%sM%s %sv10M%s %sv10" stroke="%s" stroke-width="2" fill="none"/>`,
			f1(a), f1(y), f1(b), f1(a), f1(y-5), f1(b), f1(y-5), colAccent)
		fmt.Fprintf(&sb, `<circle class="rk-dot" cx="%s" cy="%s" r="%s" fill="%s" stroke="%s"/>`, f1(x(clamp01(s.Mean))), f1(y), f1(dotR), colAccent, colSurface)
		text(&sb, textX, y+4, "start", fillText, value)
		sb.WriteString(`</g>`)
	}
	if !math.IsNaN(juryMean) {
		xm := x(clamp01(juryMean))
		fmt.Fprintf(&sb, `<g class="rk-jury-mean"><line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="5 3"/>`,
			f1(xm), f1(top-4), f1(xm), f1(bottom), colText)
		text(&sb, min(max(xm, plotX0+40), plotX1-40), top-8, "middle", fillText, l.JuryMean+" "+l.num(scaleMin+juryMean*width, dec))
		sb.WriteString(`</g>`)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String()) // safe: every text in it went through esc
}

func openSVG(sb *strings.Builder, id, class string, height float64, l Labels) {
	fmt.Fprintf(sb, `<svg xmlns="http://www.w3.org/2000/svg" class="rk-chart %s" viewBox="0 0 %d %s" width="100%%" role="img" aria-labelledby="%s-title"`,
		class, svgW, f1(height), id)
	if l.Description != "" {
		fmt.Fprintf(sb, ` aria-describedby="%s-desc"`, id)
	}
	fmt.Fprintf(sb, ` font-family="inherit" font-size="12"><title id="%s-title">%s</title>`, id, esc(l.Title))
	if l.Description != "" {
		fmt.Fprintf(sb, `<desc id="%s-desc">%s</desc>`, id, esc(l.Description))
	}
}

// text writes an escaped <text>; attrs are further (trusted) attributes.
func text(sb *strings.Builder, x, y float64, anchor, attrs, s string) {
	sb.WriteString(`<text x="` + f1(x) + `" y="` + f1(y) + `"`)
	if anchor != "start" {
		sb.WriteString(` text-anchor="` + anchor + `"`)
	}
	if attrs != "" {
		sb.WriteString(" " + attrs)
	}
	sb.WriteString(`>` + esc(s) + `</text>`)
}

const (
	fillText   = `fill="` + colText + `"`
	fillDanger = `fill="` + colDanger + `"`
	tickAttrs  = `fill="` + colSubtle + `" font-size="10"`
)

// label writes a row label, cut to labelMax runes with the whole in a tooltip.
func label(sb *strings.Builder, x, y float64, s string) {
	if utf8.RuneCountInString(s) <= labelMax {
		text(sb, x, y, "start", fillText, s)
		return
	}
	r := []rune(s)
	fmt.Fprintf(sb, `<text x="%s" y="%s" fill="%s"><title>%s</title>%s…</text>`, f1(x), f1(y), colText, esc(s), esc(strings.TrimSpace(string(r[:labelMax-1]))))
}

// label2 writes a criterion's name beside its axis at y on up to two
// lines broken between words, so that names like "Helhetlig og
// systematisk innovasjonsarbeid" are read whole; only a name longer than
// two lines is cut, with the whole in a tooltip.
func label2(sb *strings.Builder, x, y float64, s string) {
	if utf8.RuneCountInString(s) <= labelMax {
		text(sb, x, y+4, "start", fillText, s)
		return
	}
	r := []rune(s)
	cut := labelMax
	for cut > 0 && r[cut] != ' ' {
		cut--
	}
	if cut == 0 {
		cut = labelMax
	}
	first, rest := strings.TrimSpace(string(r[:cut])), []rune(strings.TrimSpace(string(r[cut:])))
	second, title := string(rest), ""
	if len(rest) > labelMax {
		second, title = strings.TrimSpace(string(rest[:labelMax-1]))+"…", "<title>"+esc(s)+"</title>"
	}
	fmt.Fprintf(sb, `<text x="%s" y="%s" fill="%s">%s<tspan x="%s">%s</tspan><tspan x="%s" dy="14">%s</tspan></text>`,
		f1(x), f1(y-3), colText, title, f1(x), esc(first), f1(x), esc(second))
}

func diamond(sb *strings.Builder, x, y, r float64) {
	fmt.Fprintf(sb, `<path class="rk-mean" d="M%s %sl%s %sl-%s %sl-%s -%sz" fill="%s" stroke="%s"/>`,
		f1(x), f1(y-r), f1(r), f1(r), f1(r), f1(r), f1(r), f1(r), colText, colSurface)
}

func triangle(sb *strings.Builder, x, y float64) {
	fmt.Fprintf(sb, `<path class="rk-disagree" d="M%s %sl6 10h-12z" fill="%s"/>`, f1(x), f1(y-6), colDanger)
}

func esc(s string) string { return html.EscapeString(s) }

// f1 formats a coordinate with at most one decimal.
func f1(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// num formats a value for reading: dec decimals, or as short as exact
// (rounded to 6 decimals) when dec < 0.
func (l Labels) num(v float64, dec int) string {
	var s string
	if dec < 0 {
		s = strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
	} else {
		s = strconv.FormatFloat(v, 'f', dec, 64)
	}
	if s == "-0" || strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	if l.DecimalComma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// decimals is 1 for scales at least 2 wide (1–5, 0–10), else 2.
func decimals(lo, hi float64) int {
	if hi-lo >= 2 {
		return 1
	}
	return 2
}

func scaleOf(c Criterion) (lo, hi float64) {
	lo, hi = c.Min, c.Max
	if math.IsNaN(lo) || math.IsInf(lo, 0) {
		lo = 0
	}
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		hi = lo + 1
	}
	return lo, hi
}

// xOf places v of the scale lo..hi on the plot, clamped to its ends.
func xOf(v, lo, hi float64) float64 {
	return plotX0 + clamp01((v-lo)/(hi-lo))*(plotX1-plotX0)
}

func clamp01(u float64) float64 { return min(max(u, 0), 1) }

// ticks returns the scale's tick values: every integer on a scale with
// integer ends at most 10 wide, else five evenly spaced values.
func ticks(lo, hi float64) []float64 {
	if lo == math.Trunc(lo) && hi == math.Trunc(hi) && hi-lo <= 10 {
		t := make([]float64, 0, int(hi-lo)+1)
		for v := lo; v <= hi; v++ {
			t = append(t, v)
		}
		return t
	}
	t := make([]float64, 5)
	for i := range t {
		t[i] = lo + (hi-lo)*float64(i)/4
	}
	return t
}
