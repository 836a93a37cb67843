package notify

import "context"

// Message is one e-mail to one recipient. Members of an organisation get
// one message each, so nobody sees the others' addresses.
type Message struct {
	To      string
	Subject string
	// Text is the plain-text body; HTML an optional alternative.
	Text string
	HTML string
}

// Mailer sends e-mail. Send returns when the mail is handed over (to the
// mail server, or the catcher's table) or failed; errors never contain the
// body.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}
