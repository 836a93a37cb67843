package smtptest

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"time"
)

// TB is the part of testing.TB the server uses, so that a program that
// is not a test can run it too.
type TB interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
}

// Server is a running mail server; it stops when the test ends.
type Server struct {
	ln     net.Listener
	closed chan struct{}
	wg     sync.WaitGroup

	mu          sync.Mutex
	hang        bool
	reject      string
	delay       time.Duration
	held        int
	messages    []Message
	transcripts []string
}

// Message is one message the server accepted.
type Message struct {
	From string   // the MAIL FROM address
	To   []string // the RCPT TO addresses
	// Data is the message as sent (headers and body, CRLF line ends),
	// without SMTP's dot-stuffing.
	Data string
}

// Start starts a server on a free loopback port.
func Start(t TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: %v", err)
	}
	s := &Server{ln: ln, closed: make(chan struct{})}
	s.wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() { s.serve(conn) })
		}
	})
	t.Cleanup(func() {
		close(s.closed)
		ln.Close()
		s.wg.Wait()
	})
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the server as HEDER_SMTP_URL: plain SMTP, which config allows on
// loopback only.
func (s *Server) URL() string { return "smtp://" + s.Addr() + "?starttls=0" }

// Hang makes the server, from the next connection on, greet and then
// never answer (until Hang(false) or the end of the test), as a mail
// server that accepts connections and is stuck behind them.
func (s *Server) Hang(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hang = on
}

// Reject makes the server answer every recipient with reply, e.g. "450
// 4.2.0 mailbox busy" (try again later) or "550 5.1.1 no such user"
// (never): the messages are then not accepted. "" accepts again.
func (s *Server) Reject(reply string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject = reply
}

// SetReplyDelay makes the server wait d after each message's data before
// it accepts the message: the sender is then mid-send for that long.
func (s *Server) SetReplyDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// Held is how many messages the server has received in full but not yet
// answered (see SetReplyDelay).
func (s *Server) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// Messages returns the messages accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Transcripts returns what clients sent, one string per closed connection.
func (s *Server) Transcripts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.transcripts...)
}

// WaitMessages waits until at least n messages have been accepted and
// returns them all; it fails the test after timeout.
func (s *Server) WaitMessages(t TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.Messages()
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("smtptest: %d messages after %s, want %d", len(msgs), timeout, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *Server) serve(conn net.Conn) {
	defer conn.Close()
	// A closing server ends every conversation, even a hanging one.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-s.closed:
			conn.Close()
		case <-stop:
		}
	}()
	var transcript strings.Builder
	defer func() {
		s.mu.Lock()
		s.transcripts = append(s.transcripts, transcript.String())
		s.mu.Unlock()
	}()
	fmt.Fprint(conn, "220 smtptest ESMTP\r\n")
	s.mu.Lock()
	hang := s.hang
	s.mu.Unlock()
	if hang {
		_, _ = io.Copy(io.Discard, conn) // until the client or the server gives up
		return
	}
	r := bufio.NewReader(conn)
	var msg Message
	var data *strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		transcript.WriteString(line)
		if data != nil {
			if line != ".\r\n" {
				data.WriteString(strings.TrimPrefix(line, "."))
				continue
			}
			msg.Data = data.String()
			data = nil
			if !s.accept(msg) {
				return
			}
			fmt.Fprint(conn, "250 queued\r\n")
			msg = Message{}
			continue
		}
		cmd := strings.TrimSpace(line)
		upper := strings.ToUpper(cmd)
		switch {
		case strings.HasPrefix(upper, "EHLO"), strings.HasPrefix(upper, "HELO"):
			fmt.Fprint(conn, "250-smtptest\r\n250 8BITMIME\r\n")
		case strings.HasPrefix(upper, "MAIL FROM:"):
			msg = Message{From: address(cmd[len("MAIL FROM:"):])}
			fmt.Fprint(conn, "250 ok\r\n")
		case strings.HasPrefix(upper, "RCPT TO:"):
			s.mu.Lock()
			reject := s.reject
			s.mu.Unlock()
			if reject != "" {
				fmt.Fprint(conn, reject+"\r\n")
				continue
			}
			msg.To = append(msg.To, address(cmd[len("RCPT TO:"):]))
			fmt.Fprint(conn, "250 ok\r\n")
		case upper == "DATA":
			data = &strings.Builder{}
			fmt.Fprint(conn, "354 go ahead\r\n")
		case upper == "RSET":
			msg = Message{}
			fmt.Fprint(conn, "250 ok\r\n")
		case upper == "QUIT":
			fmt.Fprint(conn, "221 bye\r\n")
			return
		default:
			fmt.Fprint(conn, "250 ok\r\n")
		}
	}
}

// accept keeps msg after the reply delay; false when the server closed
// meanwhile, and the message is then not accepted.
func (s *Server) accept(msg Message) bool {
	s.mu.Lock()
	delay := s.delay
	s.held++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.held--
		s.mu.Unlock()
	}()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-s.closed:
			return false
		}
	}
	s.mu.Lock()
	s.messages = append(s.messages, msg)
	s.mu.Unlock()
	return true
}

// address takes the address out of "<kari@example.no> SIZE=…".
func address(arg string) string {
	arg = strings.TrimSpace(arg)
	if i := strings.IndexByte(arg, '>'); strings.HasPrefix(arg, "<") && i > 0 {
		return arg[1:i]
	}
	return arg
}

// Header returns the decoded value of the message's header field name.
func (m Message) Header(name string) (string, error) {
	msg, err := mail.ReadMessage(strings.NewReader(m.Data))
	if err != nil {
		return "", fmt.Errorf("parse message: %w", err)
	}
	v, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get(name))
	if err != nil {
		return "", fmt.Errorf("decode %s: %w", name, err)
	}
	return v, nil
}

// Text returns the message's plain-text body, decoded: the body itself,
// or the first text/plain part of a multipart message.
func (m Message) Text() (string, error) {
	msg, err := mail.ReadMessage(strings.NewReader(m.Data))
	if err != nil {
		return "", fmt.Errorf("parse message: %w", err)
	}
	return textOf(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
}

func textOf(contentType, encoding string, body io.Reader) (string, error) {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mediaType = "text/plain"
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return "", fmt.Errorf("no text/plain part: %w", err)
			}
			ct := p.Header.Get("Content-Type")
			if ct == "" || strings.HasPrefix(ct, "text/plain") || strings.HasPrefix(ct, "multipart/") {
				return textOf(ct, p.Header.Get("Content-Transfer-Encoding"), p)
			}
		}
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // skips line breaks
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return "", fmt.Errorf("read body: %w", err)
	}
	return string(b), nil
}
