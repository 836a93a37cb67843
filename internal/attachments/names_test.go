package attachments

import (
	"strings"
	"testing"
)

func TestCleanFilename(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("å", 300)
	tests := []struct{ name, contentType, want string }{
		{"rapport.pdf", "application/pdf", "rapport.pdf"},
		{"RAPPORT.PDF", "application/pdf", "RAPPORT.PDF"},
		{`C:\Users\kari\Desktop\plan.pdf`, "application/pdf", "plan.pdf"},
		{"../../etc/passwd", "application/pdf", "passwd.pdf"},
		{"bilde.pdf", "image/png", "bilde.pdf.png"},
		{"foto.jpeg", "image/jpeg", "foto.jpeg"},
		{"foto", "image/jpeg", "foto.jpg"},
		{"", "image/webp", "vedlegg.webp"},
		{".pdf", "application/pdf", "vedlegg.pdf"},
		{"  tab\tand\nnewline\x00.pdf ", "application/pdf", "tabandnewline.pdf"},
		{"bad\xffutf8.pdf", "application/pdf", "badutf8.pdf"},
		{"Lo\u0308sning.pdf", "application/pdf", "Lösning.pdf"}, // NFD from macOS becomes NFC
		{long + ".pdf", "application/pdf", strings.Repeat("å", 251) + ".pdf"},
	}
	for _, tt := range tests {
		if got := cleanFilename(tt.name, tt.contentType); got != tt.want {
			t.Errorf("cleanFilename(%q, %s) = %q, want %q", tt.name, tt.contentType, got, tt.want)
		}
	}
}

func TestSniff(t *testing.T) {
	t.Parallel()
	tests := []struct{ head, want string }{
		{"%PDF-1.7\n", "application/pdf"},
		{"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"},
		{"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"},
		{"RIFF\x1a\x00\x00\x00WEBPVP8L", "image/webp"},
		{"RIFF\x1a\x00\x00\x00WAVEfmt ", ""},
		{"MZ\x90\x00", ""},
		{"<html><script>", ""},
		{"GIF89a", ""},
		{" %PDF-1.7", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := sniff([]byte(tt.head)); got != tt.want {
			t.Errorf("sniff(%q) = %q, want %q", tt.head, got, tt.want)
		}
	}
}
