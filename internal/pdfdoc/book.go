package pdfdoc

import (
	"fmt"
	"math"
	"strconv"
)

// Marked starts a portrait book whose every page carries mark at its top
// (the screening under offentleglova) and footer with "n/N" at its
// bottom. Call it before the first AddPage.
func (d *Doc) Marked(mark, footer string) {
	d.SetMargins(18, 22, 18)
	d.SetAutoPageBreak(true, 18)
	d.AliasNbPages("{nb}")
	d.SetHeaderFuncMode(func() {
		d.SetY(8)
		d.SetTextColor(164, 0, 0)
		d.SetFont(Font, "B", 8.5)
		d.CellFormat(0, 5, mark, "B", 1, "C", false, 0, "")
		d.SetTextColor(0, 0, 0)
		d.SetY(22)
	}, true)
	d.SetFooterFunc(func() {
		d.SetY(-12)
		d.SetTextColor(Grey[0], Grey[1], Grey[2])
		d.SetFont(Font, "", 8)
		d.CellFormat(0, 4, footer, "", 0, "L", false, 0, "")
		d.CellFormat(0, 4, strconv.Itoa(d.PageNo())+"/{nb}", "", 0, "R", false, 0, "")
		d.SetTextColor(0, 0, 0)
	})
}

// Heading writes a heading: level 1 large and in the accent colour,
// level 2 smaller. It starts a new page when less than room mm is left.
func (d *Doc) Heading(s string, level int, room float64) {
	d.needRoom(room)
	size := 16.0
	if level > 1 {
		size = 12.5
	}
	d.Ln(2)
	d.SetTextColor(Accent[0], Accent[1], Accent[2])
	d.Text(s, size, "B")
	d.SetTextColor(0, 0, 0)
	d.Ln(1)
}

// Muted writes a paragraph in grey.
func (d *Doc) Muted(s string, size float64) {
	d.SetTextColor(Grey[0], Grey[1], Grey[2])
	d.Text(s, size, "")
	d.SetTextColor(0, 0, 0)
}

// needRoom starts a new page unless room mm are left above the bottom
// margin.
func (d *Doc) needRoom(room float64) {
	_, h := d.GetPageSize()
	_, _, _, bottom := d.GetMargins()
	if d.GetY()+room > h-bottom {
		d.AddPage()
	}
}

// Table writes rows under head, with column widths in mm (the last takes
// the rest); each row is one line, its cells cut to fit.
func (d *Doc) Table(widths []float64, head []string, rows [][]string) {
	left, _, right, _ := d.GetMargins()
	w, _ := d.GetPageSize()
	last := w - left - right
	for _, x := range widths[:len(widths)-1] {
		last -= x
	}
	ws := append(append([]float64{}, widths[:len(widths)-1]...), last)
	line := func(cells []string, style string, fill bool) {
		d.needRoom(6)
		d.SetFont(Font, style, 8.5)
		if fill {
			d.SetFillColor(232, 239, 247)
		}
		for i, c := range cells {
			d.CellFormat(ws[i], 5.5, d.fit(c, ws[i]-2), "B", 0, "L", fill, 0, "")
		}
		d.Ln(-1)
	}
	d.SetDrawColor(200, 205, 212)
	d.SetLineWidth(0.2)
	line(head, "B", true)
	for _, r := range rows {
		line(r, "", false)
	}
	d.Ln(2)
}

// fit cuts s with "…" to fit width mm in the current font.
func (d *Doc) fit(s string, width float64) string {
	if d.GetStringWidth(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && d.GetStringWidth(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// Bar is one bar of a bar chart.
type Bar struct {
	Label string
	Value float64
	// Marked bars are drawn in the warning colour (e.g. disagreement).
	Marked bool
}

// Bars draws a horizontal bar chart of bars on the scale [min, max], as
// vector paths, with each value written after its bar.
func (d *Doc) Bars(bars []Bar, min, max float64, format func(float64) string) {
	const rowH, labelW = 6.0, 62.0
	left, _, right, _ := d.GetMargins()
	w, _ := d.GetPageSize()
	plotW := w - left - right - labelW - 14
	d.needRoom(rowH*float64(len(bars)) + 8)
	y0 := d.GetY()
	span := max - min
	if span <= 0 || math.IsNaN(span) {
		span = 1
	}
	d.SetLineWidth(0.2)
	d.SetDrawColor(200, 205, 212)
	for i := 0; i <= 4; i++ { // grid at quarters of the scale
		x := left + labelW + plotW*float64(i)/4
		d.Line(x, y0, x, y0+rowH*float64(len(bars)))
		d.SetFont(Font, "", 7)
		d.SetTextColor(Grey[0], Grey[1], Grey[2])
		d.Text2(x-3, y0+rowH*float64(len(bars))+3.5, format(min+span*float64(i)/4))
	}
	for i, b := range bars {
		y := y0 + rowH*float64(i)
		d.SetTextColor(0, 0, 0)
		d.SetFont(Font, "", 8)
		d.SetXY(left, y)
		d.CellFormat(labelW-2, rowH, d.fit(b.Label, labelW-3), "", 0, "R", false, 0, "")
		frac := math.Max(0, math.Min(1, (b.Value-min)/span))
		if b.Marked {
			d.SetFillColor(196, 105, 0)
		} else {
			d.SetFillColor(Accent[0], Accent[1], Accent[2])
		}
		d.Rect(left+labelW, y+1.2, plotW*frac, rowH-2.4, "F")
		d.SetXY(left+labelW+plotW*frac+1, y)
		d.CellFormat(14, rowH, format(b.Value), "", 0, "L", false, 0, "")
	}
	d.SetTextColor(0, 0, 0)
	d.SetY(y0 + rowH*float64(len(bars)) + 7)
}

// Strip is one line of a strip plot: a criterion with each juror's value.
type Strip struct {
	Label  string
	Values []float64
	// Labels name the values (jurors' initials), in the same order.
	Labels   []string
	Mean     float64
	Disagree bool
}

// Strips draws a strip plot on the scale [min, max]: one line per strip,
// a dot per value with its label above it, and the mean as a tick.
func (d *Doc) Strips(strips []Strip, min, max float64) {
	const rowH, labelW = 11.0, 62.0
	left, _, right, _ := d.GetMargins()
	w, _ := d.GetPageSize()
	plotW := w - left - right - labelW - 8
	d.needRoom(rowH*float64(len(strips)) + 8)
	y0 := d.GetY()
	span := max - min
	if span <= 0 || math.IsNaN(span) {
		span = 1
	}
	x := func(v float64) float64 { return left + labelW + plotW*math.Max(0, math.Min(1, (v-min)/span)) }
	for i, s := range strips {
		y := y0 + rowH*float64(i)
		mid := y + rowH/2 + 1
		d.SetFont(Font, "", 8)
		d.SetXY(left, y+1)
		d.CellFormat(labelW-2, rowH, d.fit(s.Label, labelW-3), "", 0, "R", false, 0, "")
		d.SetDrawColor(170, 176, 184)
		d.SetLineWidth(0.3)
		d.Line(x(min), mid, x(max), mid)
		for v := math.Ceil(min); v <= max; v++ {
			d.Line(x(v), mid-1, x(v), mid+1)
		}
		if s.Disagree {
			d.SetFillColor(196, 105, 0)
		} else {
			d.SetFillColor(Accent[0], Accent[1], Accent[2])
		}
		// Labels of equal values stack upwards, so that none hides another.
		stacked := map[float64]int{}
		for j, v := range s.Values {
			d.Circle(x(v), mid, 1.1, "F")
			if j < len(s.Labels) {
				d.SetFont(Font, "", 5.5)
				d.Text2(x(v)-d.GetStringWidth(s.Labels[j])/2, mid-2.6-float64(stacked[v])*2.2, s.Labels[j])
				stacked[v]++
			}
		}
		d.SetDrawColor(0, 0, 0)
		d.SetLineWidth(0.6)
		d.Line(x(s.Mean), mid-1.8, x(s.Mean), mid+1.8)
	}
	d.SetFont(Font, "", 7)
	d.SetTextColor(Grey[0], Grey[1], Grey[2])
	end := y0 + rowH*float64(len(strips))
	for v := math.Ceil(min); v <= max; v++ {
		s := fmt.Sprint(v)
		d.Text2(x(v)-d.GetStringWidth(s)/2, end+4, s)
	}
	d.SetTextColor(0, 0, 0)
	d.SetY(end + 7)
}

// Text2 writes s at (x, y), y being the baseline, without moving.
func (d *Doc) Text2(x, y float64, s string) { d.Fpdf.Text(x, y, s) }
