package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// SMTP is the mail server Heder sends through, from HEDER_SMTP_URL.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	// Security is how the connection is protected: SecurityTLS (smtps://,
	// TLS from the first byte), SecurityStartTLS (smtp://, STARTTLS
	// required) or SecurityNone (smtp://…?starttls=0, a relay on a trusted
	// network).
	Security string
}

// SMTP connection security.
const (
	SecurityTLS      = "tls"
	SecurityStartTLS = "starttls"
	SecurityNone     = "none"
)

// ParseSMTPURL reads smtp://user:password@host:587?starttls=1 (STARTTLS,
// required unless starttls=0) or smtps://user:password@host:465 (TLS from
// the start). The port defaults to 587 and 465. Errors never repeat the
// URL, which may hold a password.
func ParseSMTPURL(raw string) (SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTP{}, errors.New("not a URL: use smtp://user:password@host:587?starttls=1")
	}
	var s SMTP
	switch u.Scheme {
	case "smtp":
		s.Security, s.Port = SecurityStartTLS, 587
	case "smtps":
		s.Security, s.Port = SecurityTLS, 465
	default:
		return SMTP{}, errors.New("the scheme must be smtp:// or smtps://")
	}
	s.Host = u.Hostname()
	if s.Host == "" {
		return SMTP{}, errors.New("the mail server's host name is missing")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTP{}, fmt.Errorf("port %q is not a port number", p)
		}
		s.Port = n
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	if u.Path != "" && u.Path != "/" {
		return SMTP{}, errors.New("a path after the host is not allowed")
	}
	for k, vs := range u.Query() {
		switch k {
		case "starttls":
			if u.Scheme == "smtps" {
				return SMTP{}, errors.New("starttls applies to smtp:// only (smtps:// is TLS from the start)")
			}
			on, err := strconv.ParseBool(vs[len(vs)-1])
			if err != nil {
				return SMTP{}, errors.New("starttls must be 1 or 0")
			}
			if !on {
				s.Security = SecurityNone
			}
		default:
			return SMTP{}, fmt.Errorf("unknown setting %q (only starttls is known)", k)
		}
	}
	if s.Security == SecurityNone && s.Username != "" && !isLoopback(s.Host) {
		return SMTP{}, errors.New("starttls=0 with a user name would send the password unencrypted: use starttls=1 or smtps://")
	}
	return s, nil
}

// validateMail checks the mail settings; serve needs a real mail server.
func (c Config) validateMail(serve bool) []error {
	var errs []error
	if c.SMTPURL == "" {
		if serve {
			errs = append(errs, errors.New("HEDER_SMTP_URL is not set: Heder sends receipts by e-mail; set it to the mail server, e.g. smtp://user:password@smtp.example.no:587?starttls=1"))
		}
	} else if _, err := ParseSMTPURL(c.SMTPURL); err != nil {
		errs = append(errs, fmt.Errorf("HEDER_SMTP_URL: %w", err))
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
