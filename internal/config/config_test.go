package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

const goodKey = "9f8e7d6c5b4a39281706f5e4d3c2b1a0ZYXWVUTS"

func goodEnv() map[string]string {
	return map[string]string{
		"DATABASE_URL":         "postgres://heder@db:5432/heder",
		"HEDER_BASE_URL":       "https://heder.example.no",
		"HEDER_SESSION_KEY":    goodKey,
		"HEDER_OIDC_PROVIDERS": `[{"id":"entra","name":"Entra ID","issuer":"https://login.example.com/tenant/v2.0","client_id":"c","client_secret":"s"}]`,
		"HEDER_SMTP_URL":       "smtp://heder:secret@smtp.example.no:587?starttls=1",
		"HEDER_MAIL_FROM":      "Heder <noreply@heder.example.no>",
	}
}

func TestValidateServe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change map[string]string
		want   []string // substrings, one per expected problem line
	}{
		{"good", nil, nil},
		{"no database", map[string]string{"DATABASE_URL": ""}, []string{"DATABASE_URL is not set"}},
		{"http base", map[string]string{"HEDER_BASE_URL": "http://heder.example.no"}, []string{"must use https"}},
		{"http localhost allowed", map[string]string{"HEDER_BASE_URL": "http://127.0.0.1:8080"}, nil},
		{"missing key", map[string]string{"HEDER_SESSION_KEY": ""}, []string{"HEDER_SESSION_KEY is missing or weak"}},
		{"short key", map[string]string{"HEDER_SESSION_KEY": "short"}, []string{"missing or weak (5 characters)"}},
		{"repetitive key", map[string]string{"HEDER_SESSION_KEY": strings.Repeat("ab", 20)}, []string{"too few distinct"}},
		{"dev idp", map[string]string{"HEDER_DEV_IDP": "true"}, []string{"never allowed in `heder serve`"}},
		{"no providers", map[string]string{"HEDER_OIDC_PROVIDERS": ""}, []string{"HEDER_OIDC_PROVIDERS is not set"}},
		{"bad provider", map[string]string{"HEDER_OIDC_PROVIDERS": `[{"id":"x","issuer":"http://evil.example"}]`},
			[]string{"name (the button text) is missing", "must be an https URL", "client_id is missing", "client_secret"}},
		{"several at once", map[string]string{"DATABASE_URL": "", "HEDER_SESSION_KEY": "", "HEDER_LOG_LEVEL": "loud"},
			[]string{"DATABASE_URL", "HEDER_SESSION_KEY", "HEDER_LOG_LEVEL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := goodEnv()
			for k, v := range tt.change {
				e[k] = v
			}
			c, err := Load(env(e))
			if err == nil {
				err = c.Validate(true)
			}
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %v", tt.want)
			}
			lines := strings.Split(err.Error(), "\n")
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if len(lines) < len(tt.want) {
				t.Errorf("got %d problem lines, want at least %d: %q", len(lines), len(tt.want), err)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	e := goodEnv()
	e["HEDER_SESSION_IDLE_TIMEOUT"] = "soon"
	e["HEDER_OIDC_PROVIDERS"] = `{"not":"an array"}`
	e["HEDER_ADMINS"] = "nonsense"
	_, err := Load(env(e))
	for _, w := range []string{"HEDER_SESSION_IDLE_TIMEOUT", "HEDER_OIDC_PROVIDERS", "HEDER_ADMINS"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v does not mention %s", err, w)
		}
	}
}
