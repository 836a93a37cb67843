package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/wneessen/go-mail"
)

// Timeouts towards the mail server: a server that accepts the connection
// and then hangs must not hold a job (and its transaction) for long.
const (
	// smtpTimeout bounds the dial and each SMTP command.
	smtpTimeout = 10 * time.Second
	// sendTimeout bounds one whole message.
	sendTimeout = 30 * time.Second
)

// SMTP sends mail through a mail server, one connection per message.
type SMTP struct {
	server SMTPServer
	from   string
}

// NewSMTP returns a Mailer for HEDER_SMTP_URL (see ParseSMTPURL)
// sending as from ("Heder <noreply@example.no>").
func NewSMTP(rawURL, from string) (*SMTP, error) {
	server, err := ParseSMTPURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("HEDER_SMTP_URL: %w", err)
	}
	if err := mail.NewMsg().From(from); err != nil {
		return nil, fmt.Errorf("HEDER_MAIL_FROM: %w", err)
	}
	return &SMTP{server: server, from: from}, nil
}

// Send delivers m to the mail server.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := buildMsg(s.from, m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	opts := []mail.Option{mail.WithPort(s.server.Port), mail.WithTimeout(commandTimeout(ctx))}
	switch s.server.Security {
	case SecurityTLS:
		opts = append(opts, mail.WithSSL())
	case SecurityNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if s.server.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(s.server.Username), mail.WithPassword(s.server.Password))
	}
	client, err := mail.NewClient(s.server.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client for %s: %w", s.server.Host, err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send mail through %s:%d: %w", s.server.Host, s.server.Port, err)
	}
	return nil
}

// commandTimeout bounds the dial and each SMTP command by smtpTimeout and
// by what is left of ctx: go-mail honours ctx only while dialling, so a
// job whose time is nearly up must not wait a full smtpTimeout on a
// command.
func commandTimeout(ctx context.Context) time.Duration {
	d := smtpTimeout
	if deadline, ok := ctx.Deadline(); ok {
		d = min(d, max(time.Until(deadline), 50*time.Millisecond))
	}
	return d
}

// buildMsg turns m into a MIME message marked as sent by a machine, so
// that out-of-office replies stay away.
func buildMsg(from string, m Message) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("sender: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(mail.HeaderXAutoResponseSuppress, "All")
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}
