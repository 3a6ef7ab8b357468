package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"storekeep/api"
	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/notify"
	"storekeep/internal/platform/db"
	"storekeep/internal/support"
	"storekeep/internal/support/bot"
)

// config is everything read from flags and the environment, once, in main.
type config struct {
	Addr        string
	DatabaseURL string
	JWTSecret   string
	CORSOrigins []string
	// TrustedProxies (STOREKEEP_TRUSTED_PROXIES) are the proxies whose
	// X-Forwarded-For names the client; none by default.
	TrustedProxies []netip.Prefix
	// MetricsToken (STOREKEEP_METRICS_TOKEN) is the bearer token of
	// GET /metrics; unset, /metrics answers local requests only.
	MetricsToken string
	// AccessLog is STOREKEEP_ACCESS_LOG (all|errors|off),
	// STOREKEEP_ACCESS_LOG_SAMPLE (0..1) and STOREKEEP_SLOW_REQUEST.
	AccessLog web.AccessLogConfig
	LogLevel  slog.Level
	LogFormat string
	// PaymentCapture is when payments are captured: "fulfillment" (authorise
	// at checkout, capture when the order is fulfilled; the default) or
	// "checkout" (capture when the order is placed).
	PaymentCapture string
	// Payment providers (docs/payments.md).
	// TestPayments turns on the deterministic test provider, which takes
	// tok_visa as money: STOREKEEP_TEST_PAYMENTS=on|off, and when unset
	// only with --demo (testPaymentsOn).
	TestPayments        bool
	TestPaymentsSecret  string
	StripeAPIKey        string
	StripeWebhookSecret string
	StripeAPIBase       string
	// TestPaymentsJournal keeps the test provider's state in a file.
	TestPaymentsJournal string
	// Checkout recovery and the pending-payment policy (docs/checkout.md).
	CheckoutClaimTimeout time.Duration
	Pending              checkout.PendingPolicy
	// Payments waiting for the shopper (config_payment_actions.go).
	PaymentActionTimeout time.Duration
	PaymentSessionTTL    time.Duration
	PaymentReturnURLs    []string
	// Cart limits (docs/checkout.md): carts one client IP may create per
	// 15 minutes (0: no limit) and the idle age after which open guest
	// carts are deleted (0: never).
	CartCreateLimit int
	GuestCartTTL    time.Duration
	// CartAbandonedAfter is the idle time after which cart.abandoned is
	// recorded for a cart with an e-mail and items (0: never).
	CartAbandonedAfter time.Duration
	// SocketsPerPrincipal caps one principal's support WebSockets per node.
	SocketsPerPrincipal int
	// BotLLM is the support bot's optional model (STOREKEEP_BOT_LLM_*).
	BotLLM bot.LLMConfig
	// SupportLimits are the support chat's rate limits (config_support.go).
	SupportLimits support.Limits
	// EventBatchesPerIP limits storefront event batches per client IP and
	// 15 minutes (config_metrics_ingest.go).
	EventBatchesPerIP int
	// Webhooks are the outbound webhook settings (config_webhooks.go).
	Webhooks webhookConfig
	// SMTPURL and MailFrom are the e-mail settings (config_notify.go); smtp
	// is SMTPURL parsed.
	SMTPURL, MailFrom string
	smtp              notify.SMTPConfig
	// Feeds are the product feed settings (config_feeds.go).
	Feeds feedConfig
}

// loadConfig reads the environment, then the flags, which override it; the
// defaults are the ones the README's configuration table lists.
func loadConfig(fs *flag.FlagSet, args []string) (config, error) {
	c := config{
		Addr:                envOr("STOREKEEP_ADDR", ":8080"),
		DatabaseURL:         envOr("DATABASE_URL", "sqlite:storekeep.db"),
		JWTSecret:           os.Getenv("STOREKEEP_JWT_SECRET"),
		MetricsToken:        os.Getenv("STOREKEEP_METRICS_TOKEN"),
		LogFormat:           envOr("STOREKEEP_LOG_FORMAT", "json"),
		PaymentCapture:      envOr("STOREKEEP_PAYMENT_CAPTURE", "fulfillment"),
		TestPaymentsSecret:  os.Getenv("STOREKEEP_TEST_PAYMENTS_SECRET"),
		StripeAPIKey:        os.Getenv("STRIPE_API_KEY"),
		StripeWebhookSecret: os.Getenv("STRIPE_WEBHOOK_SECRET"),
		StripeAPIBase:       os.Getenv("STRIPE_API_BASE"),
	}
	c.TestPaymentsJournal = os.Getenv("STOREKEEP_TEST_PAYMENTS_JOURNAL")
	if err := checkoutConfig(&c); err != nil {
		return c, err
	}
	if err := c.loadCartLimits(); err != nil {
		return c, err
	}
	if err := c.loadSocketLimits(); err != nil {
		return c, err
	}
	if err := c.loadBotLLM(); err != nil {
		return c, err
	}
	if err := c.loadSupportLimits(); err != nil {
		return c, err
	}
	if err := c.loadEventLimit(); err != nil {
		return c, err
	}
	if err := c.loadWebhooks(); err != nil {
		return c, err
	}
	if err := c.loadNotify(); err != nil {
		return c, err
	}
	if err := c.loadFeeds(); err != nil {
		return c, err
	}
	if c.PaymentCapture != "fulfillment" && c.PaymentCapture != "checkout" {
		return c, fmt.Errorf("STOREKEEP_PAYMENT_CAPTURE must be fulfillment or checkout, not %q", c.PaymentCapture)
	}
	for _, o := range strings.Split(os.Getenv("STOREKEEP_CORS_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		// /metrics has no attempt limit: a short token could be guessed.
		return c, errors.New("STOREKEEP_METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 32)")
	}
	proxies, err := web.ParseTrustedProxies(os.Getenv("STOREKEEP_TRUSTED_PROXIES"))
	if err != nil {
		return c, fmt.Errorf("STOREKEEP_TRUSTED_PROXIES: %w", err)
	}
	c.TrustedProxies = proxies
	if c.AccessLog, err = accessLogConfig(); err != nil {
		return c, err
	}
	if err := c.LogLevel.UnmarshalText([]byte(envOr("STOREKEEP_LOG_LEVEL", "info"))); err != nil {
		return c, err
	}
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (env STOREKEEP_ADDR)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "sqlite:PATH or postgres://... (env DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	// serve and seed declare --demo on fs; the demo shop pays with the test
	// provider, so --demo turns it on unless the environment says off.
	demo := false
	if f := fs.Lookup("demo"); f != nil {
		demo = f.Value.String() == "true"
	}
	if c.TestPayments, err = testPaymentsOn(os.Getenv("STOREKEEP_TEST_PAYMENTS"), demo); err != nil {
		return c, err
	}
	return c, nil
}

// accessLogConfig reads the access-log settings (docs/operations.md).
func accessLogConfig() (web.AccessLogConfig, error) {
	cfg := web.DefaultAccessLog()
	var err error
	if cfg.Mode, err = web.ParseAccessLogMode(os.Getenv("STOREKEEP_ACCESS_LOG")); err != nil {
		return cfg, fmt.Errorf("STOREKEEP_ACCESS_LOG: %w", err)
	}
	if v := os.Getenv("STOREKEEP_ACCESS_LOG_SAMPLE"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f >= 0 && f <= 1) {
			return cfg, fmt.Errorf("STOREKEEP_ACCESS_LOG_SAMPLE must be a fraction from 0 to 1, not %q", v)
		}
		cfg.Sample = f
	}
	if v := os.Getenv("STOREKEEP_SLOW_REQUEST"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return cfg, fmt.Errorf("STOREKEEP_SLOW_REQUEST must be a positive duration such as 500ms, not %q", v)
		}
		cfg.Slow = d
	}
	return cfg, nil
}

// testPaymentsOn decides whether the test payment provider runs: an explicit
// STOREKEEP_TEST_PAYMENTS (on or off) wins; unset, it follows --demo. A plain
// serve never takes test tokens as money.
func testPaymentsOn(setting string, demo bool) (bool, error) {
	switch strings.ToLower(setting) {
	case "":
		return demo, nil
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, fmt.Errorf("STOREKEEP_TEST_PAYMENTS must be on or off, not %q", setting)
}

// envDuration reads a positive Go duration ("90s", "15m").
func envDuration(key string, def time.Duration) (time.Duration, error) {
	v := os.Getenv(key)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s must be a positive duration such as 90s or 15m, not %q", key, v)
	}
	return d, nil
}

// envCount reads a count >= 0 (0 usually means "no limit").
func envCount(key string, def int) (int, error) {
	v := os.Getenv(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s must be a whole number >= 0, not %q", key, v)
	}
	return n, nil
}

// String prints the config with secrets masked.
func (c config) String() string {
	secret := "unset (generated and stored in the database)"
	if c.JWTSecret != "" {
		secret = "set (" + mask(c.JWTSecret) + ")"
	}
	return "addr=" + c.Addr + " database=" + maskURL(c.DatabaseURL) + " jwt_secret=" + secret +
		" cors=" + strings.Join(c.CORSOrigins, ",") + " trusted_proxies=" + prefixes(c.TrustedProxies) +
		" metrics_token=" + fmt.Sprint(c.MetricsToken != "") + " log_level=" + c.LogLevel.String() +
		" access_log=" + string(c.AccessLog.Mode) + " access_log_sample=" + fmt.Sprint(c.AccessLog.Sample) +
		" slow_request=" + c.AccessLog.Slow.String() +
		" payment_capture=" + c.PaymentCapture + " test_payments=" + fmt.Sprint(c.TestPayments) +
		" stripe=" + fmt.Sprint(c.StripeAPIKey != "") + " checkout_claim_timeout=" + c.CheckoutClaimTimeout.String() +
		fmt.Sprintf(" pending_hold=%s pending_caps=ip:%d,email:%d,customer:%d", c.Pending.Hold, c.Pending.PerIP,
			c.Pending.PerEmail, c.Pending.PerCustomer) +
		fmt.Sprintf(" payment_action_timeout=%s payment_session_ttl=%s payment_return_urls=%s", c.PaymentActionTimeout,
			c.PaymentSessionTTL, strings.Join(c.PaymentReturnURLs, ",")) +
		fmt.Sprintf(" cart_create_limit=%d guest_cart_ttl=%s cart_abandoned_after=%s", c.CartCreateLimit,
			c.GuestCartTTL, c.CartAbandonedAfter) +
		fmt.Sprintf(" support_sockets_per_principal=%d", c.SocketsPerPrincipal) +
		" bot_llm=" + botLLMString(c.BotLLM) +
		c.supportString() + c.metricsIngestString() + c.webhooksString() + c.feedsString() + c.notifyString()
}

func prefixes(ps []netip.Prefix) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return strings.Join(out, ",")
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func mask(s string) string {
	if len(s) <= 4 {
		return "****"
	}
	return s[:2] + "****"
}

// maskURL hides a password in a database URL.
func maskURL(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 {
		return u
	}
	creds := u[scheme+3 : at]
	if user, _, ok := strings.Cut(creds, ":"); ok {
		return u[:scheme+3] + user + ":****" + u[at:]
	}
	return u
}

// apiOptions maps the configuration onto the API server's options.
func apiOptions(c config, d *db.DB, log *slog.Logger, secret []byte) api.Options {
	return api.Options{DB: d, Log: log, JWTSecret: secret, CORSOrigins: c.CORSOrigins, OpenAPI: openapiSpec,
		TrustedProxies: c.TrustedProxies, MetricsToken: c.MetricsToken, AccessLog: c.AccessLog,
		CaptureOnCheckout: c.PaymentCapture == "checkout", Payments: api.PaymentOptions{
			EnableTestProvider: c.TestPayments, TestSecret: c.TestPaymentsSecret, StripeAPIKey: c.StripeAPIKey,
			StripeWebhookSecret: c.StripeWebhookSecret, StripeAPIBase: c.StripeAPIBase, TestJournal: c.TestPaymentsJournal},
		Checkout: api.CheckoutOptions{ClaimTimeout: c.CheckoutClaimTimeout, Pending: c.Pending,
			ActionTimeout: c.PaymentActionTimeout, SessionTTL: c.PaymentSessionTTL, ReturnURLs: c.PaymentReturnURLs},
		Carts: api.CartOptions{CreateLimit: offIfZero(c.CartCreateLimit), GuestTTL: offIfZero(c.GuestCartTTL),
			AbandonedAfter: offIfZero(c.CartAbandonedAfter)},
		Sockets: web.SocketOptions{PerPrincipal: c.SocketsPerPrincipal},
		Support: c.supportOptions(), MetricsIngest: c.metricsIngestOptions(), Webhooks: c.webhookOptions(),
		Notify: c.notifyOptions(), Feeds: c.feedOptions()}
}
