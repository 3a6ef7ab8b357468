package main

import (
	"flag"
	"strings"
	"testing"
)

func TestMailSettings(t *testing.T) {
	tests := []struct {
		name, url, from string
		bad             bool
		printed         string
	}{
		{name: "off", printed: " smtp=off"},
		{name: "starttls", url: "smtp://me:s3cret@mail.example.com:587", from: "Shop <shop@example.com>",
			printed: ` smtp=smtp://me:****@mail.example.com:587 mail_from="Shop <shop@example.com>"`},
		{name: "loopback plain", url: "smtp://127.0.0.1:1025?tls=none", from: "shop@example.com"},
		{name: "plain to another host", url: "smtp://mail.example.com:25?tls=none", from: "shop@example.com", bad: true},
		{name: "no sender", url: "smtps://mail.example.com", bad: true},
		{name: "bad sender", url: "smtps://mail.example.com", from: "Shop <not an address>", bad: true},
		{name: "bad scheme", url: "http://mail.example.com", from: "shop@example.com", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("STOREKEEP_SMTP_URL", tc.url)
			t.Setenv("STOREKEEP_MAIL_FROM", tc.from)
			c, err := loadConfig(flag.NewFlagSet("serve", flag.ContinueOnError), nil)
			if tc.bad {
				if err == nil {
					t.Fatal("loadConfig accepted a bad setting")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			o := apiOptions(c, nil, nil, nil).Notify
			if o.SMTPURL != tc.url || o.From != tc.from {
				t.Errorf("Notify = %+v", o)
			}
			if tc.printed != "" && !strings.HasSuffix(c.String(), tc.printed) {
				t.Errorf("printed config ends %q, want %q", c.String()[max(0, len(c.String())-80):], tc.printed)
			}
			if strings.Contains(c.String(), "s3cret") {
				t.Error("the SMTP password is printed")
			}
		})
	}
}
