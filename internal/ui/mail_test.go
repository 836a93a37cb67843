package ui

import (
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/notify"
)

// TestDevMailRoutesOnlyWithCatcher: the caught-mail pages are listed only
// for a handler with a catcher, which only `heder dev` builds.
func TestDevMailRoutesOnlyWithCatcher(t *testing.T) {
	t.Parallel()
	count := func(h *Handler) int {
		n := 0
		for _, rt := range h.Routes() {
			if strings.HasPrefix(rt.Pattern, "/dev/") {
				n++
			}
		}
		return n
	}
	if n := count(&Handler{}); n != 0 {
		t.Errorf("without a catcher: %d /dev/ routes", n)
	}
	if n := count(&Handler{DevMail: &notify.Catcher{}}); n != 2 {
		t.Errorf("with a catcher: %d /dev/ routes, want 2", n)
	}
}
