package main

import (
	"errors"
	"fmt"
	"net/mail"
	"os"

	"storekeep/api"
	"storekeep/internal/notify"
)

// E-mail settings (docs/email.md): STOREKEEP_SMTP_URL is the SMTP server
// (smtp://user:pass@host:587 with STARTTLS, smtps://... with implicit TLS,
// smtp://127.0.0.1:1025?tls=none for a loopback test server); unset, e-mail
// is off and messages are recorded as not_sent. STOREKEEP_MAIL_FROM is the
// sender, required with a server; its display name names the shop.

// loadNotify reads and checks the e-mail settings.
func (c *config) loadNotify() error {
	c.SMTPURL = os.Getenv("STOREKEEP_SMTP_URL")
	c.MailFrom = os.Getenv("STOREKEEP_MAIL_FROM")
	if c.SMTPURL != "" {
		smtp, err := notify.ParseSMTPURL(c.SMTPURL)
		if err != nil {
			return fmt.Errorf("STOREKEEP_SMTP_URL: %w", err)
		}
		c.smtp = smtp
		if c.MailFrom == "" {
			return errors.New("STOREKEEP_MAIL_FROM is required with STOREKEEP_SMTP_URL (e.g. \"Shop <shop@example.com>\")")
		}
	}
	if c.MailFrom != "" {
		if _, err := mail.ParseAddress(c.MailFrom); err != nil {
			return fmt.Errorf("STOREKEEP_MAIL_FROM must be an address such as \"Shop <shop@example.com>\", not %q", c.MailFrom)
		}
	}
	return nil
}

// notifyOptions maps the settings onto api.NotifyOptions.
func (c config) notifyOptions() api.NotifyOptions {
	return api.NotifyOptions{SMTPURL: c.SMTPURL, From: c.MailFrom}
}

// notifyString is the e-mail part of the printed config (password masked).
func (c config) notifyString() string {
	if c.SMTPURL == "" {
		return " smtp=off"
	}
	return " smtp=" + c.smtp.String() + " mail_from=" + fmt.Sprintf("%q", c.MailFrom)
}
