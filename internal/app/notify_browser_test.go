package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
	"github.com/heder-awards/heder/internal/notify"
)

// TestReceiptInBrowser checks the receipt and the caught-mail pages with
// axe-core, and that the receipt prints without the site's header, footer
// and screen hints.
func TestReceiptInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := receiptDB(t, a)
	public := submitForReceipt(t, db, "Utskriftsprisen", "Asker")
	mail := waitMail(t, db, "kari@asker.kommune.no", public)

	b := browsertest.New(t)
	tab := b.Tab(t)
	tab.Navigate(t, a.URL+"/auth/login?login_hint=asker")
	if u := tab.URL(t); u != a.URL+"/" {
		t.Fatalf("login ended at %s", u)
	}
	for _, path := range []string{notify.ReceiptPath(public), "/dev/e-post", fmt.Sprintf("/dev/e-post/%d", mail)} {
		tab.Navigate(t, a.URL+path)
		if got := tab.Text(t, "main h1"); got == "" || strings.Contains(got, "ikke funnet") {
			t.Fatalf("%s: h1 %q", path, got)
		}
		tab.Axe(t)
		tab.Screenshot(t, "notify"+strings.ReplaceAll(path, "/", "-"))
	}

	tab.Navigate(t, a.URL+notify.ReceiptPath(public))
	tab.Run(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	shown := func(selector string) bool {
		ctx, cancel := context.WithTimeout(tab.Ctx, 10*time.Second)
		defer cancel()
		display, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`getComputedStyle(document.querySelector(%q)).display`, selector)))
		if err != nil {
			t.Fatalf("display of %s: %v", selector, err)
		}
		return display != "none"
	}
	for selector, want := range map[string]bool{".site-header": false, ".site-footer": false, ".skip-link": false, ".no-print": false,
		".receipt": true, ".receipt__facts": true} {
		if got := shown(selector); got != want {
			t.Errorf("printed, %s shown = %v, want %v", selector, got, want)
		}
	}
	tab.Screenshot(t, "notify-receipt-print")
}
