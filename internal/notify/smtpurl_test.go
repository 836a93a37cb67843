package notify

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSMTPURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want SMTPServer
		err  string // in the error; "" for success
	}{
		{raw: "smtp://user:pa%40ss@smtp.example.no:587?starttls=1",
			want: SMTPServer{Host: "smtp.example.no", Port: 587, Username: "user", Password: "pa@ss", Security: SecurityStartTLS}},
		{raw: "smtp://smtp.example.no", want: SMTPServer{Host: "smtp.example.no", Port: 587, Security: SecurityStartTLS}},
		{raw: "smtps://u:p@smtp.example.no", want: SMTPServer{Host: "smtp.example.no", Port: 465, Username: "u", Password: "p", Security: SecurityTLS}},
		{raw: "smtp://relay.internal:25?starttls=0", want: SMTPServer{Host: "relay.internal", Port: 25, Security: SecurityNone}},
		{raw: "smtp://u:p@127.0.0.1:1025?starttls=false", want: SMTPServer{Host: "127.0.0.1", Port: 1025, Username: "u", Password: "p", Security: SecurityNone}},
		{raw: "smtp://[::1]:2525?starttls=0", want: SMTPServer{Host: "::1", Port: 2525, Security: SecurityNone}},
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
