package ui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/attachments"
	"github.com/heder-awards/heder/internal/i18n"
)

func TestFormatSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n          int64
		lang, want string
	}{
		{0, "nb", "0\u00a0B"},
		{1023, "nb", "1023\u00a0B"},
		{1024, "nb", "1\u00a0kB"},
		{340_000, "nn", "332\u00a0kB"},
		{1_258_291, "nb", "1,2\u00a0MB"},
		{1_258_291, "en", "1.2\u00a0MB"},
		{attachments.MaxSize, "nb", "20,0\u00a0MB"},
	}
	for _, tt := range tests {
		if got := formatSize(tt.n, tt.lang); got != tt.want {
			t.Errorf("formatSize(%d, %s) = %q, want %q", tt.n, tt.lang, got, tt.want)
		}
	}
}

// TestAttachmentLimitsInMessages keeps the numbers people read in step
// with the limits the service enforces.
func TestAttachmentLimitsInMessages(t *testing.T) {
	t.Parallel()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	size := strconv.Itoa(attachments.MaxSize>>20) + " MB"
	count := strconv.Itoa(attachments.MaxPerProject)
	for _, lang := range i18n.Langs {
		l := b.Localizer(lang)
		for id, want := range map[string]string{
			"attachments.file_hint":       size,
			"attachments.error.too_large": size,
			"attachments.limit":           size,
			"attachments.error.too_many":  count,
		} {
			if got := l.T(id, "Count", attachments.MaxPerProject); !strings.Contains(got, want) {
				t.Errorf("%s %s = %q, want it to say %q", lang, id, got, want)
			}
		}
	}
}
