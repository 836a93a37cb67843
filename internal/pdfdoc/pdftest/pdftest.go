// Package pdftest reads the PDFs Heder makes as a person would: their
// text with pdftotext and their pages as PNG with pdftoppm (Debian's
// poppler-utils, which scripts/setup.sh installs).
package pdftest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/browsertest"
)

// Pages returns the text of each page of pdf, in reading layout, with
// runs of white space made one space so that tests can look for
// sentences that wrap.
func Pages(t testing.TB, pdf []byte) []string {
	t.Helper()
	cmd := exec.Command(browsertest.NeedTool(t, "pdftotext", "poppler-utils"), "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	pages := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	for i, p := range pages {
		pages[i] = strings.Join(strings.Fields(p), " ")
	}
	return pages
}

// Text returns the text of all pages, joined by a space.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	return strings.Join(Pages(t, pdf), " ")
}

// PNG renders page (from 1) of pdf at 60 dpi into dir as name.png and
// returns its path, for a person to look at.
func PNG(t testing.TB, pdf []byte, page int, dir, name string) string {
	t.Helper()
	in := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	p := strconv.Itoa(page)
	out := filepath.Join(dir, name)
	cmd := exec.Command(browsertest.NeedTool(t, "pdftoppm", "poppler-utils"), "-png", "-r", "60", "-f", p, "-l", p, "-singlefile", in, out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, b)
	}
	return out + ".png"
}
