package pdfdoc_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/pdfdoc"
	"github.com/heder-awards/heder/internal/pdfdoc/pdftest"
)

// The Norwegian letters and the dashes survive the embedded font: what
// pdftotext reads back is what was written.
func TestTextRoundTrip(t *testing.T) {
	d, err := pdfdoc.New(pdfdoc.Portrait, pdfdoc.Meta{Title: "Prøve", Lang: "nn", Created: time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	d.AddPage()
	d.Centred("Innovasjonsprisen – Ærlig, øvd og åpen", 20, "B")
	d.Text("Juryen si grunngjeving: «Tenesta er betre for innbyggjarane.»", 11, "I")
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, buf.Bytes())
	for _, want := range []string{"Innovasjonsprisen – Ærlig, øvd og åpen", "«Tenesta er betre for innbyggjarane.»"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q: %q", want, text)
		}
	}
	// Same input, same bytes: the date is fixed and the fonts are subset
	// the same way.
	d2, _ := pdfdoc.New(pdfdoc.Portrait, pdfdoc.Meta{Title: "Prøve", Lang: "nn", Created: time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)})
	d2.AddPage()
	d2.Centred("Innovasjonsprisen – Ærlig, øvd og åpen", 20, "B")
	d2.Text("Juryen si grunngjeving: «Tenesta er betre for innbyggjarane.»", 11, "I")
	var buf2 bytes.Buffer
	if err := d2.Write(&buf2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
		t.Error("the same document made twice differs")
	}
	if n := buf.Len(); n > 200_000 {
		t.Errorf("a one-page document is %d bytes: the fonts are not subset", n)
	}
}

// A diploma stays one page however long the jury's statement (the
// decision allows 5000 characters): the statement is set smaller.
func TestDiplomaLongStatement(t *testing.T) {
	d, err := pdfdoc.New(pdfdoc.Landscape, pdfdoc.Meta{Title: "Diplom"})
	if err != nil {
		t.Fatal(err)
	}
	statement := strings.Repeat("Kommunen har arbeidet systematisk med innovasjon. ", 100) + "Slutten."
	d.Diploma(pdfdoc.DiplomaPage{Issuer: "Testdepartementet", Heading: "Diplom", Organisations: []string{"Asker kommune", "Bærum kommune"},
		Outcome: "vinner av Innovasjonsprisen 2027", Work: "for «Sammen»", StatementHeading: "Juryens begrunnelse",
		Statement: statement, SignName: "Ola Nordmann", SignTitle: "statsråd"})
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	pages := pdftest.Pages(t, buf.Bytes())
	if len(pages) != 1 {
		t.Fatalf("%d pages", len(pages))
	}
	if dir := os.Getenv("HEDER_PDF_DIR"); dir != "" {
		pdftest.PNG(t, buf.Bytes(), 1, dir, "diploma-long")
	}
	for _, want := range []string{"Slutten.", "Ola Nordmann", "statsråd", "Bærum kommune"} {
		if !strings.Contains(pages[0], want) {
			t.Errorf("lacks %q", want)
		}
	}
}
