// Package api is Storekeep's HTTP layer: it builds the echo server, its
// middleware chain and every route group, wiring domain services to handlers.
// It holds no business rules and no SQL.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/idempotency"
	"storekeep/internal/platform/jobs"
	"storekeep/internal/platform/pubsub"
	"storekeep/internal/support/live"
)

// Options configure the server.
type Options struct {
	DB          *db.DB
	Log         *slog.Logger
	JWTSecret   []byte
	CORSOrigins []string
	// TrustedProxies are the reverse proxies and load balancers whose
	// X-Forwarded-For is believed (web.ClientIP); none by default, so the
	// client is the TCP peer.
	TrustedProxies []netip.Prefix
	// MetricsToken, when set, is the bearer token GET /metrics requires;
	// when empty, /metrics answers local, unproxied requests only
	// (web.MetricsAccess).
	MetricsToken string
	// AccessLog says which requests get an access-log line; the zero value
	// logs every one (web.DefaultAccessLog).
	AccessLog web.AccessLogConfig
	// CaptureOnCheckout captures payments when an order is placed; by
	// default they are authorised at checkout and captured on fulfilment.
	CaptureOnCheckout bool
	// Payments configures the payment providers.
	Payments PaymentOptions
	// Checkout tunes checkout recovery and the pending-payment policy.
	Checkout CheckoutOptions
	// OpenAPI is the contract served at /openapi.yaml (main embeds the file).
	OpenAPI []byte
	// Jobs runs durable background jobs; nil builds one over DB (not started:
	// the caller starts and stops it, as serve does).
	Jobs *jobs.Runner
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Carts configures the cart creation limit and guest cart cleanup.
	Carts CartOptions
	// Sockets configures the support WebSockets (web.SocketOptions; its
	// Origins come from CORSOrigins).
	Sockets web.SocketOptions
	// LiveBus tunes the support hub's notification bus (tests hold its
	// reconnections with BeforeReconnect).
	LiveBus pubsub.Options

	// Support configures the support chat (rate limits).
	Support SupportOptions
	// MetricsIngest configures storefront event ingestion (rate limit).
	MetricsIngest MetricsIngestOptions
	// Feeds configures the product feeds (storefront links, brand).
	Feeds FeedOptions

	// benchNoCheckoutEvents turns off the checkout's outbox events: the
	// baseline of the "Events per checkout" benchmark, set only by tests
	// (export_test.go).
	benchNoCheckoutEvents bool

	// Webhooks configures outbound webhooks (address rules, retries).
	Webhooks WebhookOptions

	// Notify configures e-mail notifications (SMTP, sender).
	Notify NotifyOptions
}

// CartOptions configures cart limits (docs/checkout.md) and abandonment
// (docs/events.md). For each, 0 means the default
// (checkout.DefaultCartCreateLimit, checkout.DefaultGuestCartTTL,
// checkout.DefaultAbandonedAfter) and a negative value turns it off.
type CartOptions struct {
	// CreateLimit is how many carts one client IP may create per 15 minutes.
	CreateLimit int
	// GuestTTL is how long an open guest cart may sit untouched before the
	// cleanup job deletes it.
	GuestTTL time.Duration
	// AbandonedAfter is how long an open cart with an e-mail and items sits
	// untouched before cart.abandoned is recorded for it (default 1 h).
	AbandonedAfter time.Duration
}

// PaymentOptions configures the payment providers (docs/payments.md).
type PaymentOptions struct {
	// EnableTestProvider turns on the deterministic test provider, which
	// takes tok_visa as money: for tests and the demo only (off by default).
	EnableTestProvider bool
	// TestSecret signs the test provider's webhooks; empty: derived from
	// the JWT secret.
	TestSecret string
	// TestJournal, when set, is a file where the test provider keeps its
	// state across restarts (the fault tests kill the server).
	TestJournal string
	// StripeAPIKey enables the Stripe provider; StripeWebhookSecret verifies
	// its webhooks; StripeAPIBase overrides its API URL (stripe-mock).
	StripeAPIKey, StripeWebhookSecret, StripeAPIBase string
}

// CheckoutOptions tune checkout's recovery and pending-payment rules
// (docs/checkout.md); zero values keep the defaults.
type CheckoutOptions struct {
	// ClaimTimeout is how long an interrupted checkout holds its cart before
	// a retry or the reconciliation job takes it over (default 2 min). It
	// also bounds how long a checkout's Idempotency-Key stays locked.
	ClaimTimeout time.Duration
	// Pending caps orders awaiting their payment and sets their stock hold.
	Pending checkout.PendingPolicy
	// ActionTimeout is how long a payment waiting for the shopper (3-D
	// Secure, a redirect) keeps the cart's stock (default 15 min).
	ActionTimeout time.Duration
	// SessionTTL is how long a payment session can be checked out with
	// (default 1 h).
	SessionTTL time.Duration
	// ReturnURLs are the app schemes (myshop, or myshop://checkout) a
	// payment's return_url may use besides https.
	ReturnURLs []string
}

// Server is the assembled HTTP application.
type Server struct {
	Echo   *echo.Echo
	Router *web.Router
	// Jobs has every domain's workers and periodic jobs registered.
	Jobs *jobs.Runner
	// Sockets are the open WebSockets; Live fans support changes out to
	// them (routes_support_live.go).
	Sockets *web.Sockets
	Live    *live.Hub
	// Events hands every outbox event to its consumers (webhooks, e-mail,
	// automations subscribe in their routes_<domain>.go); it runs as a loop
	// of Jobs.
	Events *events.Dispatcher
}

// Close closes every WebSocket with 1001 (going away) and stops the
// support hub's listener, waiting until ctx ends at most. Call it when the
// HTTP server shuts down, before the database closes.
func (s *Server) Close(ctx context.Context) error {
	err := s.Sockets.Close(ctx)
	if s.Live != nil {
		err = errors.Join(err, s.Live.Close())
	}
	return err
}

// BodyLimit is the largest request body accepted.
const BodyLimit = "1M"

// RequestTimeout bounds how long a request may run.
const RequestTimeout = 30 * time.Second

// New builds the echo server with every route registered.
func New(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Jobs == nil {
		opts.Jobs = jobs.New(opts.DB, jobs.Options{Log: opts.Log})
	}
	idempotency.RegisterJobs(opts.Jobs, idempotency.NewStore(opts.DB))
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = web.ErrorHandler(opts.Log)
	// c.RealIP(), behind every per-IP limit: the TCP peer, or the client
	// a trusted proxy reports.
	e.IPExtractor = web.ClientIP(opts.TrustedProxies)

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := web.NewMetrics(reg)
	registerOpMetrics(reg, opts.DB)

	e.Pre(middleware.RequestIDWithConfig(middleware.RequestIDConfig{Generator: func() string { return id.New("req") }}))
	e.Use(metrics.Middleware())
	e.Use(web.AccessLog(opts.Log, opts.AccessLog))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableErrorHandler: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		opts.Log.Error("panic", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "error", err.Error(), "stack", string(stack))
		return err
	}}))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection: "0", ContentTypeNosniff: "nosniff", XFrameOptions: "DENY",
		HSTSMaxAge: 31536000, ReferrerPolicy: "no-referrer",
		ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
	}))
	if len(opts.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:  opts.CORSOrigins,
			AllowMethods:  []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete},
			AllowHeaders:  []string{echo.HeaderAuthorization, echo.HeaderContentType, "Idempotency-Key", "X-Session-Id", "X-Anonymous-Id", "Accept-Language", "X-Conversation-Token", "X-Publishable-Key"},
			ExposeHeaders: []string{echo.HeaderXRequestID, "Idempotent-Replayed", "Retry-After", "X-Conversation-Token"},
			MaxAge:        600,
		}))
	}
	e.Use(middleware.BodyLimit(BodyLimit))
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024,
		// promhttp compresses /metrics itself; compressing twice corrupts it.
		// A WebSocket upgrade is not compressed: the gzip writer holds the
		// 101 back until a body is written, and there is none before the
		// connection is hijacked.
		Skipper: func(c echo.Context) bool { return c.Request().URL.Path == "/metrics" || web.IsUpgrade(c.Request()) }}))
	// Past RequestTimeout a failing request is 503 request_timeout; one whose
	// client went away is recorded as 499 (web.ErrorHandler).
	e.Use(web.Timeout(RequestTimeout))
	// Control characters and invalid UTF-8 in path/query parameters are 400
	// before any handler (Use runs after routing: path params are known).
	e.Use(web.CheckParams())

	authn := newAuthenticator(opts)
	r := web.NewRouter(e, authn)
	registerSystem(r, opts, reg)
	sockOpts := opts.Sockets
	sockOpts.Origins = opts.CORSOrigins
	srv := &Server{Echo: e, Router: r, Jobs: opts.Jobs, Sockets: web.NewSockets(authn, sockOpts),
		Events: events.NewDispatcher(opts.DB)}
	srv.Events.Register(opts.Jobs)
	if err := registerDomains(r, opts, srv); err != nil {
		return nil, err
	}
	return srv, nil
}

func registerSystem(r *web.Router, opts Options, reg *prometheus.Registry) {
	r.GET("/healthz", web.Public, healthz)
	r.GET("/readyz", web.Public, readyz(opts.DB))
	r.GET("/metrics", web.MetricsPolicy, echo.WrapHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})),
		web.MetricsAccess(opts.MetricsToken))
	registerDocs(r, opts.OpenAPI)
	registerConsole(r)
}
