package notify

import "testing"

func TestParseSMTPURL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		url  string
		want SMTPConfig
	}{
		{"smtp://user:p%40ss@mail.example.com", SMTPConfig{Host: "mail.example.com", Port: 587, Username: "user", Password: "p@ss", TLS: TLSStartTLS}},
		{"smtps://mail.example.com", SMTPConfig{Host: "mail.example.com", Port: 465, TLS: TLSImplicit}},
		{"smtp://127.0.0.1:1025?tls=none", SMTPConfig{Host: "127.0.0.1", Port: 1025, TLS: TLSNone}},
		{"smtp://localhost:2525?tls=none", SMTPConfig{Host: "localhost", Port: 2525, TLS: TLSNone}},
		{"smtp://[::1]:25?tls=none", SMTPConfig{Host: "::1", Port: 25, TLS: TLSNone}},
	} {
		got, err := ParseSMTPURL(tt.url)
		if err != nil || got != tt.want {
			t.Errorf("ParseSMTPURL(%q) = %+v, %v; want %+v", tt.url, got, err, tt.want)
		}
	}
	for _, bad := range []string{"http://mail.example.com", "smtp://", "smtp://mail.example.com:0",
		"smtp://mail.example.com?tls=none", "smtps://127.0.0.1?tls=none", "smtp://127.0.0.1?tls=maybe",
		"smtp://127.0.0.1?insecure=1", "::"} {
		if _, err := ParseSMTPURL(bad); err == nil {
			t.Errorf("ParseSMTPURL(%q) accepted", bad)
		}
	}
	c, _ := ParseSMTPURL("smtp://user:secret@mail.example.com")
	if s := c.String(); s != "smtp://user:****@mail.example.com:587" {
		t.Errorf("String() = %q, want the password masked", s)
	}
}
