package notify

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
)

// SMTPServer is the mail server Heder sends through, from HEDER_SMTP_URL.
type SMTPServer struct {
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
func ParseSMTPURL(raw string) (SMTPServer, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTPServer{}, errors.New("not a URL: use smtp://user:password@host:587?starttls=1")
	}
	var s SMTPServer
	switch u.Scheme {
	case "smtp":
		s.Security, s.Port = SecurityStartTLS, 587
	case "smtps":
		s.Security, s.Port = SecurityTLS, 465
	default:
		return SMTPServer{}, errors.New("the scheme must be smtp:// or smtps://")
	}
	s.Host = u.Hostname()
	if s.Host == "" {
		return SMTPServer{}, errors.New("the mail server's host name is missing")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPServer{}, fmt.Errorf("port %q is not a port number", p)
		}
		s.Port = n
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	if u.Path != "" && u.Path != "/" {
		return SMTPServer{}, errors.New("a path after the host is not allowed")
	}
	for k, vs := range u.Query() {
		switch k {
		case "starttls":
			if u.Scheme == "smtps" {
				return SMTPServer{}, errors.New("starttls applies to smtp:// only (smtps:// is TLS from the start)")
			}
			on, err := strconv.ParseBool(vs[len(vs)-1])
			if err != nil {
				return SMTPServer{}, errors.New("starttls must be 1 or 0")
			}
			if !on {
				s.Security = SecurityNone
			}
		default:
			return SMTPServer{}, fmt.Errorf("unknown setting %q (only starttls is known)", k)
		}
	}
	if s.Security == SecurityNone && s.Username != "" && !isLoopback(s.Host) {
		return SMTPServer{}, errors.New("starttls=0 with a user name would send the password unencrypted: use starttls=1 or smtps://")
	}
	return s, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
