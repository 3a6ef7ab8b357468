package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPConfig is a parsed STOREKEEP_SMTP_URL.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	// TLS is "starttls" (smtp://: the server must offer STARTTLS), "implicit"
	// (smtps://: TLS from the first byte) or "none" (smtp://...?tls=none:
	// plain text, loopback servers only).
	TLS string
}

// TLS modes of SMTPConfig.
const (
	TLSStartTLS = "starttls"
	TLSImplicit = "implicit"
	TLSNone     = "none"
)

// ParseSMTPURL reads smtp://user:pass@host:587 (STARTTLS, required),
// smtps://user:pass@host:465 (implicit TLS) or smtp://host:1025?tls=none
// (no TLS at all, accepted only for a loopback host such as a local test
// server). Ports default to 587 and 465; user and password are optional
// and URL-encoded.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTPConfig{}, errors.New("not a URL")
	}
	var c SMTPConfig
	switch u.Scheme {
	case "smtp":
		c.TLS, c.Port = TLSStartTLS, 587
	case "smtps":
		c.TLS, c.Port = TLSImplicit, 465
	default:
		return SMTPConfig{}, fmt.Errorf("the scheme must be smtp or smtps, not %q", u.Scheme)
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return SMTPConfig{}, errors.New("the host is missing")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, fmt.Errorf("bad port %q", p)
		}
		c.Port = n
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return SMTPConfig{}, fmt.Errorf("unknown option %q (only tls=none)", k)
		}
	}
	switch v := q.Get("tls"); v {
	case "":
	case TLSNone:
		if u.Scheme != "smtp" {
			return SMTPConfig{}, errors.New("tls=none goes with smtp://, not smtps://")
		}
		if !isLoopback(c.Host) {
			return SMTPConfig{}, fmt.Errorf("tls=none is only for a server on this machine (loopback), not %q", c.Host)
		}
		c.TLS = TLSNone
	default:
		return SMTPConfig{}, fmt.Errorf("tls must be none when given, not %q", v)
	}
	return c, nil
}

// isLoopback reports whether host is localhost or a loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String is the URL with the password masked, for the startup log.
func (c SMTPConfig) String() string {
	scheme := "smtp"
	if c.TLS == TLSImplicit {
		scheme = "smtps"
	}
	user := ""
	if c.Username != "" {
		user = url.User(c.Username).String() + ":****@"
	}
	s := fmt.Sprintf("%s://%s%s", scheme, user, net.JoinHostPort(c.Host, strconv.Itoa(c.Port)))
	if c.TLS == TLSNone {
		s += "?tls=none"
	}
	return s
}

// SMTPMailer sends over SMTP with github.com/wneessen/go-mail, one
// connection per message (notifications are few; a long-lived connection
// would have to survive the server's idle timeouts).
type SMTPMailer struct {
	cfg     SMTPConfig
	tls     *tls.Config
	timeout time.Duration
}

// NewSMTPMailer returns a mailer for cfg. tlsConfig may be nil (the system
// roots verify the server, named cfg.Host); tests pass their own roots.
func NewSMTPMailer(cfg SMTPConfig, tlsConfig *tls.Config) *SMTPMailer {
	if tlsConfig == nil {
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if tlsConfig.ServerName == "" {
		tlsConfig = tlsConfig.Clone()
		tlsConfig.ServerName = cfg.Host
	}
	return &SMTPMailer{cfg: cfg, tls: tlsConfig, timeout: 30 * time.Second}
}

// Send delivers m. A 5xx reply to the message (MAIL FROM, RCPT TO, DATA)
// is a *PermanentError; connection, TLS and authentication failures and
// 4xx replies are temporary (the next try may find the server fixed).
func (s *SMTPMailer) Send(ctx context.Context, m Outgoing) error {
	msg := gomail.NewMsg()
	if err := msg.From(m.From); err != nil {
		return &PermanentError{Err: fmt.Errorf("from %q: %w", m.From, err)}
	}
	if err := msg.To(m.To); err != nil {
		return &PermanentError{Err: fmt.Errorf("to %q: %w", m.To, err)}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID + "@storekeep")
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.timeout),
		gomail.WithTLSConfig(s.tls)}
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	err = c.DialAndSendWithContext(ctx, msg)
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		return &PermanentError{Err: err}
	}
	return err
}
