package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSMTPURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want SMTP
		err  string // in the error; "" for success
	}{
		{raw: "smtp://user:pa%40ss@smtp.example.no:587?starttls=1",
			want: SMTP{Host: "smtp.example.no", Port: 587, Username: "user", Password: "pa@ss", Security: SecurityStartTLS}},
		{raw: "smtp://smtp.example.no", want: SMTP{Host: "smtp.example.no", Port: 587, Security: SecurityStartTLS}},
		{raw: "smtps://u:p@smtp.example.no", want: SMTP{Host: "smtp.example.no", Port: 465, Username: "u", Password: "p", Security: SecurityTLS}},
		{raw: "smtp://relay.internal:25?starttls=0", want: SMTP{Host: "relay.internal", Port: 25, Security: SecurityNone}},
		{raw: "smtp://u:p@127.0.0.1:1025?starttls=false", want: SMTP{Host: "127.0.0.1", Port: 1025, Username: "u", Password: "p", Security: SecurityNone}},
		{raw: "smtp://[::1]:2525?starttls=0", want: SMTP{Host: "::1", Port: 2525, Security: SecurityNone}},
		{raw: "http://smtp.example.no", err: "smtp:// or smtps://"},
		{raw: "smtp.example.no:587", err: "smtp:// or smtps://"},
		{raw: "smtp://:587", err: "host name is missing"},
		{raw: "smtp://smtp.example.no:99999", err: "not a port number"},
		{raw: "smtp://smtp.example.no:0", err: "not a port number"},
		{raw: "smtp://smtp.example.no/heder", err: "path"},
		{raw: "smtp://smtp.example.no?starttls=maybe", err: "starttls must be 1 or 0"},
		{raw: "smtp://smtp.example.no?tls=1", err: `unknown setting "tls"`},
		{raw: "smtps://smtp.example.no?starttls=1", err: "smtp:// only"},
		{raw: "smtp://user:secret@smtp.example.no?starttls=0", err: "unencrypted"},
		{raw: "smtp://user:secret@smtp.example.no:x", err: "not a URL"},
		{raw: "", err: "smtp:// or smtps://"},
	}
	for _, tt := range tests {
		got, err := ParseSMTPURL(tt.raw)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseSMTPURL(%q) error %v, want one mentioning %q", tt.raw, err, tt.err)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("ParseSMTPURL(%q) error repeats the password: %v", tt.raw, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseSMTPURL(%q): %v", tt.raw, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseSMTPURL(%q) (-want +got):\n%s", tt.raw, diff)
		}
	}
}

// TestValidateMail: serve needs a mail server and a sender; dev catches
// mail and needs neither, but what is set must still be right.
func TestValidateMail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		serve  bool
		change map[string]string
		want   []string
	}{
		{"serve without smtp", true, map[string]string{"HEDER_SMTP_URL": ""}, []string{"HEDER_SMTP_URL is not set"}},
		{"serve without sender", true, map[string]string{"HEDER_MAIL_FROM": ""}, []string{"HEDER_MAIL_FROM is not set"}},
		{"serve with neither", true, map[string]string{"HEDER_SMTP_URL": "", "HEDER_MAIL_FROM": ""}, []string{"HEDER_SMTP_URL", "HEDER_MAIL_FROM"}},
		{"bad url", true, map[string]string{"HEDER_SMTP_URL": "smtp://u:hunter2@mail.example.no?starttls=0"}, []string{"HEDER_SMTP_URL: starttls=0"}},
		{"bad sender", true, map[string]string{"HEDER_MAIL_FROM": "heder"}, []string{`HEDER_MAIL_FROM="heder" is not an e-mail address`}},
		{"dev without either", false, map[string]string{"HEDER_SMTP_URL": "", "HEDER_MAIL_FROM": "", "HEDER_OIDC_PROVIDERS": ""}, nil},
		{"dev with a bad url", false, map[string]string{"HEDER_SMTP_URL": "mail.example.no", "HEDER_OIDC_PROVIDERS": ""}, []string{"HEDER_SMTP_URL"}},
		{"sender with name", true, map[string]string{"HEDER_MAIL_FROM": `"Heder, KDD" <heder@kdd.dep.no>`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := goodEnv()
			for k, v := range tt.change {
				e[k] = v
			}
			c, err := Load(env(e))
			if err != nil {
				t.Fatal(err)
			}
			err = c.Validate(tt.serve)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %v", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error repeats the SMTP password: %v", err)
			}
		})
	}
}
