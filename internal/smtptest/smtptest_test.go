package smtptest_test

import (
	"net/smtp"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/smtptest"
)

const quoted = "Subject: =?UTF-8?q?Hei_fr=C3=A5_Tr=C3=A6na?=\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
	"Bl=C3=A5b=C3=A6r\r\n.Punktum f=\r\nørst\r\n"

// TestServerKeepsMessages: what a client sends comes back as sent,
// decoded on request, and a delayed reply holds the sender.
func TestServerKeepsMessages(t *testing.T) {
	t.Parallel()
	s := smtptest.Start(t)
	if err := smtp.SendMail(s.Addr(), nil, "heder@example.no", []string{"kari@asker.kommune.no", "tore@traena.kommune.no"}, []byte(quoted)); err != nil {
		t.Fatal(err)
	}
	msgs := s.WaitMessages(t, 1, 5*time.Second)
	m := msgs[0]
	if m.From != "heder@example.no" || len(m.To) != 2 || m.To[1] != "tore@traena.kommune.no" {
		t.Errorf("envelope: %q → %q", m.From, m.To)
	}
	if subject, err := m.Header("Subject"); err != nil || subject != "Hei frå Træna" {
		t.Errorf("subject %q (%v)", subject, err)
	}
	// The client's dot-stuffing is undone; quoted-printable is decoded.
	if text, err := m.Text(); err != nil || text != "Blåbær\r\n.Punktum først\r\n" {
		t.Errorf("text %q (%v)", text, err)
	}

	s.SetReplyDelay(500 * time.Millisecond)
	done := make(chan error, 1)
	go func() {
		done <- smtp.SendMail(s.Addr(), nil, "heder@example.no", []string{"kari@asker.kommune.no"}, []byte(quoted))
	}()
	deadline := time.Now().Add(5 * time.Second)
	for s.Held() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if s.Held() != 1 || len(s.Messages()) != 1 {
		t.Errorf("while the reply is delayed: held %d, accepted %d", s.Held(), len(s.Messages()))
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if s.Held() != 0 || len(s.Messages()) != 2 {
		t.Errorf("after the reply: held %d, accepted %d", s.Held(), len(s.Messages()))
	}
}
