package pdfdoc

import (
	"strings"
	"unicode/utf8"
)

// DiplomaPage is one diploma's texts, already in its language.
type DiplomaPage struct {
	// Issuer is who gives the award (the award's owner).
	Issuer  string
	Heading string
	// Organisations are the nominee organisations, one line each.
	Organisations []string
	// Outcome says what the organisations are: "vinner av …".
	Outcome string
	// Work names the nomination: "for «…»".
	Work string
	// StatementHeading and Statement are the jury's statement; empty for
	// none.
	StatementHeading, Statement string
	// SignName and SignTitle are the signature line's; no line without a
	// name.
	SignName, SignTitle string
}

// Diploma adds a landscape page with p, centred within a double frame.
// Everything stays on the one page: a long statement is set smaller.
func (d *Doc) Diploma(p DiplomaPage) {
	d.SetAutoPageBreak(false, 0)
	d.AddPage()
	w, h := d.GetPageSize()
	d.SetDrawColor(Accent[0], Accent[1], Accent[2])
	d.SetLineWidth(1.2)
	d.Rect(10, 10, w-20, h-20, "D")
	d.SetLineWidth(0.3)
	d.Rect(13, 13, w-26, h-26, "D")

	const side = 35.0
	// A long statement (the decision allows 5000 characters) gets a
	// smaller heading and the frame's full width.
	compact := utf8.RuneCountInString(p.Statement) > 1200
	big, gap, width := 1.0, 1.0, w-2*side-20
	if compact {
		big, gap, width = 0.72, 0.5, w-2*23
	}
	d.SetMargins(side, 20, side)
	d.SetY(24)
	d.SetTextColor(Grey[0], Grey[1], Grey[2])
	d.Centred(strings.ToUpper(p.Issuer), 11, "")
	d.Ln(6 * gap)
	d.SetTextColor(Accent[0], Accent[1], Accent[2])
	d.Centred(p.Heading, 36*big, "B")
	d.Ln(5 * gap)
	d.SetTextColor(0, 0, 0)
	for _, o := range p.Organisations {
		d.Centred(o, 22*big, "B")
	}
	d.Ln(3 * gap)
	d.Centred(p.Outcome, 15*big, "")
	d.Ln(1)
	d.Centred(p.Work, 13*big, "I")

	// The statement gets the room left above the signature.
	bottom := h - 52
	if p.SignName == "" {
		bottom = h - 24
	}
	if p.Statement != "" {
		d.Ln(6 * gap)
		d.SetTextColor(Grey[0], Grey[1], Grey[2])
		d.Centred(p.StatementHeading, 9, "B")
		d.Ln(1)
		d.SetTextColor(0, 0, 0)
		const leading = 0.45 // line height per point of font size, in mm
		size := 11.0
		for ; size > 5.5; size -= 0.5 {
			d.SetFont(Font, "", size)
			if float64(len(d.SplitText(p.Statement, width)))*size*leading <= bottom-d.GetY() {
				break
			}
		}
		d.SetX((w - width) / 2)
		d.SetFont(Font, "", size)
		d.MultiCell(width, size*leading, p.Statement, "", "C", false)
	}

	if p.SignName != "" {
		d.SetDrawColor(0, 0, 0)
		d.SetLineWidth(0.3)
		d.Line(w/2-40, h-38, w/2+40, h-38)
		d.SetY(h - 36)
		d.Centred(p.SignName, 11, "B")
		d.SetTextColor(Grey[0], Grey[1], Grey[2])
		d.Centred(p.SignTitle, 10, "")
		d.SetTextColor(0, 0, 0)
	}
}
