package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/auth"
)

// Config is the whole configuration of a Heder process.
type Config struct {
	Addr string
	// MetricsAddr, when set, is where /metrics is served instead of Addr,
	// so that it stays inside the cluster while Addr faces the public.
	MetricsAddr     string
	BaseURL         string
	DatabaseURL     string
	SessionKey      string
	SessionIdle     time.Duration
	SessionLifetime time.Duration
	Providers       []auth.Provider
	Admins          []auth.Admin
	LogFormat       string
	LogLevel        string
	// AccessibilityURL is the accessibility statement linked in the footer.
	AccessibilityURL string
	// ContactEmail is where people reach whoever runs this Heder, shown
	// in the footer and the privacy statement.
	ContactEmail string
	// DevIdP is set by `heder dev` only; `serve` refuses it.
	DevIdP     bool
	DBMaxConns int32
	// FilesURL is where attachments are stored: file:///folder or
	// s3://bucket?endpoint=…&region=… (see files.Open).
	FilesURL string
	// SMTPURL is the mail server (see notify.ParseSMTPURL); MailFrom the sender.
	// `heder dev` never sends: it catches mail instead.
	SMTPURL  string
	MailFrom string
}

// Default returns the defaults for every setting.
func Default() Config {
	return Config{
		Addr:            ":8080",
		SessionIdle:     30 * time.Minute,
		SessionLifetime: 12 * time.Hour,
		LogFormat:       "json",
		LogLevel:        "info",
		DBMaxConns:      20,
		FilesURL:        "file://./files",
	}
}

// Load reads the configuration from getenv on top of Default. Problems
// found while reading are returned together as one error.
func Load(getenv func(string) string) (Config, error) {
	c := Default()
	var errs []error
	str := func(name string, dst *string) {
		if v := secret(getenv, name, &errs); v != "" {
			*dst = v
		}
	}
	str("HEDER_ADDR", &c.Addr)
	str("HEDER_METRICS_ADDR", &c.MetricsAddr)
	str("HEDER_BASE_URL", &c.BaseURL)
	str("DATABASE_URL", &c.DatabaseURL)
	str("HEDER_SESSION_KEY", &c.SessionKey)
	str("HEDER_LOG_FORMAT", &c.LogFormat)
	str("HEDER_LOG_LEVEL", &c.LogLevel)
	str("HEDER_ACCESSIBILITY_URL", &c.AccessibilityURL)
	str("HEDER_CONTACT_EMAIL", &c.ContactEmail)
	str("HEDER_FILES_URL", &c.FilesURL)
	str("HEDER_SMTP_URL", &c.SMTPURL)
	str("HEDER_MAIL_FROM", &c.MailFrom)
	dur := func(name string, dst *time.Duration) {
		if v := getenv(name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				errs = append(errs, fmt.Errorf("%s=%q is not a duration: use e.g. 30m or 12h", name, v))
				return
			}
			*dst = d
		}
	}
	dur("HEDER_SESSION_IDLE_TIMEOUT", &c.SessionIdle)
	dur("HEDER_SESSION_LIFETIME", &c.SessionLifetime)
	boolean := func(name string, dst *bool) {
		if v := getenv(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q is not true or false", name, v))
				return
			}
			*dst = b
		}
	}
	boolean("HEDER_DEV_IDP", &c.DevIdP)
	if v := getenv("HEDER_DB_MAX_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 || n > 1000 {
			errs = append(errs, fmt.Errorf("HEDER_DB_MAX_CONNS=%q must be a number from 2 to 1000", v))
		} else {
			c.DBMaxConns = int32(n)
		}
	}
	if raw := secret(getenv, "HEDER_OIDC_PROVIDERS", &errs); raw != "" {
		ps, err := auth.ParseProviders([]byte(raw))
		if err != nil {
			errs = append(errs, fmt.Errorf("HEDER_OIDC_PROVIDERS: %w", err))
		}
		c.Providers = ps
	}
	if raw := getenv("HEDER_ADMINS"); raw != "" {
		admins, err := auth.ParseAdmins(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("HEDER_ADMINS: %w", err))
		}
		c.Admins = admins
	}
	for i := range c.Providers {
		p := &c.Providers[i]
		if p.ClientSecret == "" && p.ClientSecretFile != "" {
			b, err := os.ReadFile(p.ClientSecretFile)
			if err != nil {
				errs = append(errs, fmt.Errorf("provider %q: read client_secret_file: %w", p.ID, err))
				continue
			}
			p.ClientSecret = strings.TrimSpace(string(b))
		}
	}
	return c, errors.Join(errs...)
}

// secret reads NAME, or the file named by NAME_FILE.
func secret(getenv func(string) string, name string, errs *[]error) string {
	if v := getenv(name); v != "" {
		return v
	}
	if f := getenv(name + "_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			*errs = append(*errs, fmt.Errorf("%s_FILE: %w", name, err))
			return ""
		}
		return strings.TrimSpace(string(b))
	}
	return ""
}

// Validate reports every problem with c at once; serve is true for
// `heder serve`, which must be safe for production.
func (c Config) Validate(serve bool) error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.DatabaseURL == "" {
		add("DATABASE_URL is not set: set it to postgres://user:password@host:5432/heder")
	} else if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		add("DATABASE_URL must be a postgres:// URL")
	}
	if c.BaseURL == "" {
		add("HEDER_BASE_URL is not set: set it to the public address, e.g. https://heder.example.no")
	} else if u, err := url.Parse(c.BaseURL); err != nil || u.Host == "" {
		add("HEDER_BASE_URL=%q is not an absolute URL", c.BaseURL)
	} else if u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())) {
		add("HEDER_BASE_URL must use https (plain http is only allowed on localhost/127.0.0.1)")
	} else if strings.HasSuffix(c.BaseURL, "/") {
		add("HEDER_BASE_URL must not end with a slash")
	}
	if len(c.SessionKey) < 32 {
		add("HEDER_SESSION_KEY is missing or weak (%d characters): set at least 32 random characters, e.g. from `openssl rand -base64 48`", len(c.SessionKey))
	} else if weakKey(c.SessionKey) {
		add("HEDER_SESSION_KEY is weak (too few distinct characters): use `openssl rand -base64 48`")
	}
	if serve && c.DevIdP {
		add("HEDER_DEV_IDP is set: the development identity provider is never allowed in `heder serve`; use `heder dev` for development")
	}
	if c.SessionIdle <= 0 || c.SessionLifetime < c.SessionIdle {
		add("HEDER_SESSION_LIFETIME (%s) must be at least HEDER_SESSION_IDLE_TIMEOUT (%s)", c.SessionLifetime, c.SessionIdle)
	}
	switch c.LogFormat {
	case "json", "text":
	default:
		add("HEDER_LOG_FORMAT=%q must be json or text", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		add("HEDER_LOG_LEVEL=%q must be debug, info, warn or error", c.LogLevel)
	}
	errs = append(errs, c.validateMail(serve)...)
	errs = append(errs, c.validateFiles(serve)...)
	if serve && len(c.Providers) == 0 {
		add("HEDER_OIDC_PROVIDERS is not set: configure at least one OpenID Connect provider (see README)")
	}
	ids := map[string]bool{}
	for i, p := range c.Providers {
		name := p.ID
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
			add("provider %s: id is missing", name)
		}
		if ids[p.ID] {
			add("provider %s: id is used twice", name)
		}
		ids[p.ID] = true
		if p.Name == "" {
			add("provider %s: name (the button text) is missing", name)
		}
		if u, err := url.Parse(p.Issuer); err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))) {
			add("provider %s: issuer %q must be an https URL", name, p.Issuer)
		}
		if p.ClientID == "" {
			add("provider %s: client_id is missing", name)
		}
		if p.ClientSecret == "" {
			add("provider %s: client_secret (or client_secret_file) is missing", name)
		}
		if p.MinACR != "" && !slices.Contains(p.ACRLevelsOrDefault(), p.MinACR) {
			add("provider %s: min_acr %q is not one of acr_levels %v", name, p.MinACR, p.ACRLevelsOrDefault())
		}
	}
	return errors.Join(errs...)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func weakKey(k string) bool {
	distinct := map[rune]bool{}
	for _, r := range k {
		distinct[r] = true
	}
	return len(distinct) < 10
}
