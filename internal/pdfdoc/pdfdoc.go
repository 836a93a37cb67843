// Package pdfdoc makes Heder's PDF documents (the diplomas and the jury
// book) with fpdf, a pure-Go PDF writer: no browser is involved. Its
// documents set Inter, the typeface of the web pages, embedded as a
// subset from the TrueType files that `make assets` copies from npm into
// web/static/vendor/pdf (embedded into the binary with the rest of
// web/static). It knows nothing of the database or HTTP: callers hand it
// plain values and the texts in the document's language.
package pdfdoc

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/heder-awards/heder/web"
)

// Font is the family name documents set their text in.
const Font = "Inter"

// fontFiles are the styles of Inter documents use, by fpdf style.
var fontFiles = map[string]string{
	"":  "static/vendor/pdf/Inter_400Regular.ttf",
	"B": "static/vendor/pdf/Inter_700Bold.ttf",
	"I": "static/vendor/pdf/Inter_400Regular_Italic.ttf",
}

// ErrNoFonts: the binary was built without the PDF fonts (`make assets`
// was not run first).
var ErrNoFonts = errors.New("the PDF fonts are missing from web/static/vendor/pdf: run `make assets` and build again")

var (
	fontsOnce sync.Once
	fonts     map[string][]byte
	fontsErr  error
)

// loadFonts reads the font files once; every document embeds its own
// subset of them.
func loadFonts() (map[string][]byte, error) {
	fontsOnce.Do(func() {
		fonts = make(map[string][]byte, len(fontFiles))
		for style, name := range fontFiles {
			b, err := fs.ReadFile(web.Static, name)
			if err != nil {
				fontsErr = fmt.Errorf("%w (%s: %v)", ErrNoFonts, name, err)
				return
			}
			fonts[style] = b
		}
	})
	return fonts, fontsErr
}

// Page sizes and orientations documents use.
const (
	Portrait  = "P"
	Landscape = "L"
)

// Doc is one PDF document being written, in millimetres on A4.
type Doc struct {
	*fpdf.Fpdf
}

// Meta is the document's information dictionary.
type Meta struct {
	Title  string
	Author string
	Lang   string // "nb", "nn" or "en"
	// Created is the document's date; a fixed one makes the same input
	// give the same bytes.
	Created time.Time
}

// New starts a document with Inter loaded and the metadata set.
func New(orientation string, m Meta) (*Doc, error) {
	ff, err := loadFonts()
	if err != nil {
		return nil, err
	}
	f := fpdf.New(orientation, "mm", "A4", "")
	for style, b := range ff {
		f.AddUTF8FontFromBytes(Font, style, b)
	}
	f.SetTitle(m.Title, true)
	f.SetAuthor(m.Author, true)
	f.SetCreator("Heder", true)
	f.SetProducer("Heder", true)
	f.SetLang(langTag(m.Lang))
	f.SetCreationDate(m.Created)
	f.SetModificationDate(m.Created)
	f.SetCatalogSort(true)
	f.SetFont(Font, "", 11)
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("start PDF: %w", err)
	}
	return &Doc{f}, nil
}

func langTag(lang string) string {
	switch lang {
	case "nn":
		return "nn-NO"
	case "en":
		return "en"
	}
	return "nb-NO"
}

// Write finishes the document and writes it to w.
func (d *Doc) Write(w io.Writer) error {
	if err := d.Output(w); err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	return nil
}

// Text writes s as a paragraph the width of the text area, in size pt and
// style ("", "B" or "I"), and moves below it.
func (d *Doc) Text(s string, size float64, style string) {
	d.SetFont(Font, style, size)
	d.MultiCell(0, size*0.5, s, "", "L", false)
}

// Centred writes s centred across the text area.
func (d *Doc) Centred(s string, size float64, style string) {
	d.SetFont(Font, style, size)
	d.MultiCell(0, size*0.5, s, "", "C", false)
}

// Grey is the colour of secondary text and rules.
var Grey = [3]int{90, 97, 107}

// Accent is the colour of headings and chart marks (Designsystemet's
// accent blue).
var Accent = [3]int{0, 91, 173}
