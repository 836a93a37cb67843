package notify

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSMTP is a mail server that accepts everything and keeps what it got,
// or, when hang is set, greets and then never answers.
type fakeSMTP struct {
	ln   net.Listener
	hang bool
	mu   sync.Mutex
	got  []string // one transcript per connection
}

func startFakeSMTP(t *testing.T, hang bool) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln, hang: hang}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(t, conn)
		}
	}()
	return f
}

func (f *fakeSMTP) serve(t *testing.T, conn net.Conn) {
	defer conn.Close()
	var transcript strings.Builder
	defer func() {
		f.mu.Lock()
		f.got = append(f.got, transcript.String())
		f.mu.Unlock()
	}()
	fmt.Fprint(conn, "220 fake ESMTP\r\n")
	if f.hang {
		time.Sleep(5 * time.Second)
		return
	}
	r := bufio.NewReader(conn)
	inData := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		transcript.WriteString(line)
		if inData {
			if line == ".\r\n" {
				inData = false
				fmt.Fprint(conn, "250 queued\r\n")
			}
			continue
		}
		switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
		case strings.HasPrefix(cmd, "EHLO"):
			fmt.Fprint(conn, "250-fake\r\n250 8BITMIME\r\n")
		case cmd == "DATA":
			inData = true
			fmt.Fprint(conn, "354 go ahead\r\n")
		case cmd == "QUIT":
			fmt.Fprint(conn, "221 bye\r\n")
			return
		default:
			fmt.Fprint(conn, "250 ok\r\n")
		}
	}
}

func (f *fakeSMTP) transcripts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got...)
}

func TestSMTPSends(t *testing.T) {
	t.Parallel()
	f := startFakeSMTP(t, false)
	s, err := NewSMTP("smtp://"+f.ln.Addr().String()+"?starttls=0", "Heder <noreply@heder.example.no>")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), Message{To: "kari@asker.kommune.no", Subject: "Kvittering: «Løsningsjakten» er sendt inn", Text: "Hei!\n\nKvitteringsnummer: abc123\n"})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(f.transcripts()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	got := strings.Join(f.transcripts(), "")
	for _, want := range []string{"MAIL FROM:<noreply@heder.example.no>", "RCPT TO:<kari@asker.kommune.no>", "Auto-Submitted: auto-generated",
		"=?UTF-8?q?Kvittering:_=C2=ABL=C3=B8sningsjakten=C2=BB_er_sendt_inn?=", "Kvitteringsnummer: abc123", "Content-Type: text/plain; charset=UTF-8"} {
		if !strings.Contains(got, want) {
			t.Errorf("the server did not get %q:\n%s", want, got)
		}
	}
}

// TestSMTPGivesUp: a server that greets and then hangs fails the send
// about when the job's context ends, not whenever the server wakes up.
func TestSMTPGivesUp(t *testing.T) {
	t.Parallel()
	f := startFakeSMTP(t, true)
	s, err := NewSMTP("smtp://"+f.ln.Addr().String()+"?starttls=0", "heder@example.no")
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
	f := startFakeSMTP(t, false)
	s, err := NewSMTP("smtp://"+f.ln.Addr().String(), "heder@example.no")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), Message{To: "kari@asker.kommune.no", Subject: "s", Text: "secret body"}); err == nil {
		t.Fatal("sent without STARTTLS")
	}
	if got := strings.Join(f.transcripts(), ""); strings.Contains(got, "secret body") || strings.Contains(got, "RCPT") {
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
