package config

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"github.com/heder-awards/heder/internal/notify"
)

// validateMail checks the mail settings; serve needs a real mail server.
func (c Config) validateMail(serve bool) []error {
	var errs []error
	if c.SMTPURL == "" {
		if serve {
			errs = append(errs, errors.New("HEDER_SMTP_URL is not set: Heder sends receipts by e-mail; set it to the mail server, e.g. smtp://user:password@smtp.example.no:587?starttls=1"))
		}
	} else if _, err := notify.ParseSMTPURL(c.SMTPURL); err != nil {
		errs = append(errs, fmt.Errorf("HEDER_SMTP_URL: %w", err))
	}
	if c.ContactEmail != "" && !validAddress(c.ContactEmail) {
		errs = append(errs, fmt.Errorf("HEDER_CONTACT_EMAIL=%q is not an e-mail address: use e.g. heder@kdd.dep.no", c.ContactEmail))
	}
	if c.MailFrom == "" {
		if serve {
			errs = append(errs, errors.New("HEDER_MAIL_FROM is not set: set the sender of Heder's e-mail, e.g. Heder <noreply@heder.example.no>"))
		}
	} else if !validAddress(c.MailFrom) {
		errs = append(errs, fmt.Errorf("HEDER_MAIL_FROM=%q is not an e-mail address: use e.g. Heder <noreply@heder.example.no>", c.MailFrom))
	}
	return errs
}

func validAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && strings.Contains(a.Address, "@")
}
