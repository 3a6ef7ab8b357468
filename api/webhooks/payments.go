package webhooks

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/payments"
	"storekeep/internal/platform/errs"
)

// maxBody bounds a webhook body even if the server-wide limit changes:
// provider events are a few kilobytes.
const maxBody = 1 << 20

// Payments serves provider webhooks.
type Payments struct{ Svc *payments.Service }

// Received acknowledges a webhook.
type Received struct {
	Received bool `json:"received" binding:"required" example:"true"`
} // @name WebhookReceived

// RegisterPayments adds POST /v1/webhooks/payments/{provider}. It is public:
// the provider's signature over the body is the authentication.
func RegisterPayments(r *web.Router, svc *payments.Service) {
	h := Payments{Svc: svc}
	r.POST("/v1/webhooks/payments/:provider", web.Public, h.receivePaymentWebhook)
}

// receivePaymentWebhook godoc
//
//	@Summary		Receive a payment provider webhook
//	@Description	Called by a payment provider (`test`, or `stripe` when configured) to report a payment's outcome. The body is the provider's own event, verified by its signature header over the raw bytes (`Storekeep-Test-Signature` for the test provider, `Stripe-Signature` for Stripe; 5 minute tolerance). Each event is applied once: a repeated delivery answers 200 and changes nothing. An event whose amount or currency differs from the payment does not confirm it. See docs/payments.md.
//	@Tags			webhooks
//	@ID				receivePaymentWebhook
//	@Accept			json
//	@Produce		json
//	@Param			provider					path		string	true	"payment provider name"	example(test)
//	@Param			Storekeep-Test-Signature	header		string	false	"test provider signature: t=<unix>,v1=<hex HMAC-SHA256>"
//	@Param			Stripe-Signature			header		string	false	"Stripe signature"
//	@Param			body						body		payments.TestWebhookEvent	true	"the provider's event: a TestPaymentEvent for test, a Stripe Event for stripe"
//	@Success		200							{object}	Received
//	@Failure		400							{object}	web.Problem	"invalid_signature; malformed_request: a verified event that is not UTF-8 or whose id, type, reference or currency holds control characters (nothing is stored)"
//	@Failure		404							{object}	web.Problem	"unknown provider"
//	@Failure		413							{object}	web.Problem
//	@Failure		500							{object}	web.Problem	"not applied: the provider retries"
//	@Router			/v1/webhooks/payments/{provider} [post]
func (h Payments) receivePaymentWebhook(c echo.Context) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxBody+1))
	if err != nil {
		return err // the server's body limit answers 413
	}
	if len(body) > maxBody {
		return errs.New(errs.TooLarge, "body_too_large", "the webhook body is too large")
	}
	if err := h.Svc.HandleWebhook(c.Request().Context(), c.Param("provider"), c.Request().Header, body); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, Received{Received: true})
}
