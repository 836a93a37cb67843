package notify

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/smtptest"
)

func TestSMTPSends(t *testing.T) {
	t.Parallel()
	f := smtptest.Start(t)
	s, err := NewSMTP(f.URL(), "Heder <noreply@heder.example.no>")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), Message{To: "kari@asker.kommune.no", Subject: "Kvittering: «Løsningsjakten» er sendt inn", Text: "Hei!\n\nKvitteringsnummer: abc123\n"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := f.WaitMessages(t, 1, 5*time.Second)
	got := strings.Join(msgs[0].To, ",") + "\n" + msgs[0].From + "\n" + msgs[0].Data
	for _, want := range []string{"noreply@heder.example.no\n", "kari@asker.kommune.no\n", "Auto-Submitted: auto-generated",
		"=?UTF-8?q?Kvittering:_=C2=ABL=C3=B8sningsjakten=C2=BB_er_sendt_inn?=", "Kvitteringsnummer: abc123", "Content-Type: text/plain; charset=UTF-8"} {
		if !strings.Contains(got, want) {
			t.Errorf("the server did not get %q:\n%s", want, got)
		}
	}
	if subject, err := msgs[0].Header("Subject"); err != nil || subject != "Kvittering: «Løsningsjakten» er sendt inn" {
		t.Errorf("subject %q (%v)", subject, err)
	}
	if text, err := msgs[0].Text(); err != nil || text != "Hei!\r\n\r\nKvitteringsnummer: abc123\r\n" {
		t.Errorf("text %q (%v)", text, err)
	}
}

// TestSMTPGivesUp: a server that greets and then hangs fails the send
// about when the job's context ends, not whenever the server wakes up.
func TestSMTPGivesUp(t *testing.T) {
	t.Parallel()
	f := smtptest.Start(t)
	f.Hang(true)
	s, err := NewSMTP(f.URL(), "heder@example.no")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := s.Send(ctx, Message{To: "kari@asker.kommune.no", Subject: "s", Text: "t"}); err == nil {
		t.Fatal("send to a hanging server succeeded")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("send to a hanging server took %s", d)
	}
}

// TestSMTPRefusesUnencrypted: with STARTTLS required (the default), a
// server without it gets nothing.
func TestSMTPRefusesUnencrypted(t *testing.T) {
	t.Parallel()
	f := smtptest.Start(t)
	s, err := NewSMTP("smtp://"+f.Addr(), "heder@example.no")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), Message{To: "kari@asker.kommune.no", Subject: "s", Text: "secret body"}); err == nil {
		t.Fatal("sent without STARTTLS")
	}
	if got := strings.Join(f.Transcripts(), ""); strings.Contains(got, "secret body") || strings.Contains(got, "RCPT") || len(f.Messages()) > 0 {
		t.Errorf("the server got the mail anyway:\n%s", got)
	}
}

func TestNewSMTPRejects(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ url, from string }{
		{"mail.example.no", "heder@example.no"},
		{"smtp://mail.example.no", "not an address"},
	} {
		if _, err := NewSMTP(tt.url, tt.from); err == nil {
			t.Errorf("NewSMTP(%q, %q) succeeded", tt.url, tt.from)
		}
	}
}
