package store

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/payments"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
)

// actionRequired answers a checkout whose payment waits for the shopper:
// 202 with the next action. A next action URL the provider gave as a path
// (the test provider's authenticate page) is made absolute on this API's
// host, so apps can open it as is.
func actionRequired(c echo.Context, ar *checkout.ActionRequired) error {
	a := ar.Action
	if strings.HasPrefix(a.NextAction.URL, "/") {
		a.NextAction.URL = c.Scheme() + "://" + c.Request().Host + a.NextAction.URL
	}
	return c.JSON(http.StatusAccepted, a)
}

// TestPayments serves the test provider's authenticate page.
type TestPayments struct{ Provider *payments.TestProvider }

// RegisterTestPayments adds GET /v1/test-payments/{id}/authenticate; wire it
// only while the test provider is on.
func RegisterTestPayments(r *web.Router, tp *payments.TestProvider) {
	h := TestPayments{Provider: tp}
	r.GET("/v1/test-payments/:id/authenticate", web.Public, h.authenticate)
}

// TestAuthentication is the authenticate page's answer when the payment
// has no return_url to send the shopper back to.
type TestAuthentication struct {
	ProviderRef string `json:"provider_ref" binding:"required" example:"tp_5f1c9a0e4b7d2c3a8e6f0b1d"`
	// Status is the payment's status at the provider afterwards.
	Status string `json:"status" binding:"required" enums:"authorized,captured,failed" example:"authorized"`
} // @name TestPaymentAuthentication

// authenticate godoc
//
//	@Summary		Pass or fail a test payment's 3-D Secure or redirect step
//	@Description	The test provider's stand-in for a bank's 3-D Secure page or PayPal's approval page, served only while the test provider is on. A `tok_3ds` or `tok_redirect` checkout (or a test payment session) answers 202 with a next action pointing here (`redirect_to_url`), or with a `client_secret` (`use_sdk`) to pass here as a query parameter. `outcome=success` authorises the payment (captures it when the shop captures at checkout); `outcome=failure` fails it. The shopper is then sent back to the checkout's `return_url` with 303, carrying `payment_ref` and `redirect_status` (succeeded or failed); without a return_url the answer is 200 with the status. The app then calls checkout again with a new Idempotency-Key (or the provider webhook places the order first). The same outcome twice answers the same; a payment no longer waiting (its checkout expired) is 409.
//	@Tags			payments
//	@ID				authenticateTestPayment
//	@Produce		json
//	@Param			id				path		string	true	"the test payment's provider_ref (tp_...)"
//	@Param			client_secret	query		string	true	"the payment's client_secret (in the next action)"
//	@Param			outcome			query		string	true	"success or failure"	Enums(success, failure)
//	@Success		200				{object}	TestAuthentication
//	@Success		303				"to the return_url"
//	@Header			303				{string}	Location	"the return_url with payment_ref and redirect_status"
//	@Failure		404				{object}	web.Problem	"unknown payment or wrong client_secret"
//	@Failure		409				{object}	web.Problem	"payment_provider_rejected: the payment is no longer waiting"
//	@Failure		422				{object}	web.Problem	"validation_failed: outcome"
//	@Router			/v1/test-payments/{id}/authenticate [get]
func (h TestPayments) authenticate(c echo.Context) error {
	var success bool
	switch c.QueryParam("outcome") {
	case "success":
		success = true
	case "failure":
	default:
		return errs.Invalidf("outcome", "must be success or failure")
	}
	ref := c.Param("id")
	back, status, err := h.Provider.Authenticate(ref, c.QueryParam("client_secret"), success)
	if err != nil {
		return err
	}
	if back == "" {
		return c.JSON(http.StatusOK, TestAuthentication{ProviderRef: ref, Status: string(status)})
	}
	u, err := url.Parse(back)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("payment_ref", ref)
	q.Set("redirect_status", "succeeded")
	if !success {
		q.Set("redirect_status", "failed")
	}
	u.RawQuery = q.Encode()
	return c.Redirect(http.StatusSeeOther, u.String())
}

// PaymentSessions serves /v1/store/carts/{id}/payment-sessions.
type PaymentSessions struct{ Svc *checkout.Service }

// RegisterPaymentSessions adds the payment session route; mw wraps it
// (Idempotency-Key, optional).
func RegisterPaymentSessions(r *web.Router, svc *checkout.Service, mw ...echo.MiddlewareFunc) {
	h := PaymentSessions{Svc: svc}
	r.POST("/v1/store/carts/:id/payment-sessions", web.Shopper, h.create, mw...)
}

// create godoc
//
//	@Summary		Start a payment the app confirms with the provider's SDK
//	@Description	Creates the provider's payment (a Stripe PaymentIntent) for the cart's total, for the app to confirm with the provider's SDK (Stripe.js, the iOS and Android SDKs, Apple Pay, Google Pay) using `client_secret`; then check out with `{"payment": {"session_id": "..."}}`. The cart must be ready to check out (422 cart_incomplete otherwise). A cart changed after the session was created cannot be paid with it: checkout answers 409 payment_session_stale and the app creates a new session. A session of another cart, or of a cart the caller cannot open, is 404. `return_url` must be https or an app scheme listed in STOREKEEP_PAYMENT_RETURN_URLS (422 return_url_not_allowed; Stripe gets it when the app confirms, it is kept in the PaymentIntent's metadata). The test provider's sessions are confirmed through GET /v1/test-payments/{id}/authenticate with the client_secret. A session not checked out within an hour expires: whatever its payment became is given back. With an Idempotency-Key, a retry returns the first answer and is the same request at the provider.
//	@Tags			cart
//	@ID				createPaymentSession
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string					true	"cart id"
//	@Param			Idempotency-Key	header		string					false	"reuse it to retry"
//	@Param			body			body		checkout.SessionInput	true	"provider, method, return_url"
//	@Success		201				{object}	checkout.PaymentSession
//	@Failure		400				{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401				{object}	web.Problem
//	@Failure		404				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"cart_completed, idempotency_key_in_use"
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed, cart_incomplete, return_url_not_allowed"
//	@Failure		503				{object}	web.Problem	"payment_provider_unavailable"
//	@Router			/v1/store/carts/{id}/payment-sessions [post]
func (h PaymentSessions) create(c echo.Context) error {
	var in checkout.SessionInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx, cancel := web.Detached(c.Request().Context())
	defer cancel()
	ps, err := h.Svc.CreatePaymentSession(ctx, auth.FromContext(ctx), c.Param("id"), in,
		c.Request().Header.Get(web.HeaderIdempotencyKey))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, ps)
}
