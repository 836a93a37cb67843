// Package smtptest is a mail server for tests. It listens on a loopback
// port, speaks enough plain SMTP (no STARTTLS, no AUTH) for Heder's mailer,
// accepts every message and keeps it, so that a test can count and read
// what was really sent over the wire. On request it misbehaves the ways a
// real server does: it greets and then never answers (Hang), holds its
// answer to a message for a while (SetReplyDelay), or refuses the
// recipients (Reject).
//
//	sink := smtptest.Start(t)
//	env["HEDER_SMTP_URL"] = sink.URL() // smtp://127.0.0.1:<port>?starttls=0
//	…
//	msgs := sink.WaitMessages(t, 3, 10*time.Second)
//	body, _ := msgs[0].Text()
package smtptest
