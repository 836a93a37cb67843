package config

import (
	"strings"
	"testing"
)

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
