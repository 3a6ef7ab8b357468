package payments

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// ManualProvider is the "manual" provider: money staff took outside
// Storekeep (cash at the counter, an external card terminal) and record
// with its reference. It calls no network and never declines; captures,
// voids and refunds are recorded as asked (a refund means staff gave the
// money back themselves). Shoppers cannot pay with it: checkout refuses
// it, only staff orders (point of sale) use it, through AuthorizeManual.
type ManualProvider struct{}

// ManualName is the manual provider's name.
const ManualName = "manual"

// Methods of a manual payment.
const (
	MethodCash = "cash"
	// MethodTerminal is a card paid on a terminal Storekeep does not drive.
	MethodTerminal = "card"
	MethodOther    = "other"
)

// ManualMethods lists the methods of a manual payment.
var ManualMethods = []string{MethodCash, MethodTerminal, MethodOther}

// NewManualProvider returns the manual provider.
func NewManualProvider() ManualProvider { return ManualProvider{} }

// Name implements Provider.
func (ManualProvider) Name() string { return ManualName }

// Authorize implements Provider: the payment is taken already. Its
// reference is "<order id>:<staff reference>" (unique per order, so two
// sales with the same till receipt number never collide).
func (ManualProvider) Authorize(_ context.Context, in AuthorizeRequest) (Result, error) {
	st := StatusAuthorized
	if in.Capture {
		st = StatusCaptured
	}
	return Result{ProviderRef: in.Reference + ":" + in.Token, Status: st}, nil
}

// Capture implements Provider.
func (ManualProvider) Capture(_ context.Context, ref string, _ money.Amount, _ string) (Result, error) {
	return Result{ProviderRef: ref, Status: StatusCaptured}, nil
}

// Void implements Provider.
func (ManualProvider) Void(_ context.Context, ref string, _ string) (Result, error) {
	return Result{ProviderRef: ref, Status: StatusVoided}, nil
}

// Refund implements Provider: recorded, the payment service keeps the
// amounts and the resulting status.
func (ManualProvider) Refund(_ context.Context, ref string, _ money.Amount, _ string) (Result, error) {
	return Result{ProviderRef: ref + ":refund:" + randomHex(6), Status: StatusRefunded}, nil
}

// ParseWebhook implements Provider: nothing calls back about manual payments.
func (ManualProvider) ParseWebhook(http.Header, []byte) (WebhookEvent, error) {
	return WebhookEvent{}, ErrInvalidSignature
}

// Lookup implements Provider: a manual payment exists only once recorded.
func (ManualProvider) Lookup(context.Context, string) (Found, bool, error) {
	return Found{}, false, nil
}

// ManualInput is a payment staff took themselves.
type ManualInput struct {
	// Method is cash, card (an external terminal) or other.
	Method string
	// Reference is the till receipt or terminal transaction number ("" if
	// none).
	Reference string
	Amount    money.Amount
	// OrderID is the order it pays.
	OrderID string
}

// AuthorizeManual records-to-be a manual payment, captured: like
// Authorize, it writes nothing (Record does, in the caller's transaction).
// 422 when the manual provider is not configured or the method unknown.
func (s *Service) AuthorizeManual(ctx context.Context, in ManualInput) (Authorization, error) {
	if db.InTx(ctx) {
		return Authorization{}, ErrInTransaction
	}
	p, err := s.Provider(ManualName)
	if err != nil {
		return Authorization{}, err
	}
	if !slices.Contains(ManualMethods, in.Method) {
		return Authorization{}, errs.Invalidf("payment.method", "must be one of %s for a manual payment",
			strings.Join(ManualMethods, ", "))
	}
	if !money.ValidCurrency(in.Amount.Currency) || in.Amount.Minor < 0 {
		return Authorization{}, errs.Invalidf("amount", "must be an amount in a known currency")
	}
	res, err := p.Authorize(ctx, AuthorizeRequest{Amount: in.Amount, Method: in.Method, Token: in.Reference,
		Reference: in.OrderID, Capture: true})
	if err != nil {
		return Authorization{}, err
	}
	return Authorization{Provider: ManualName, Method: in.Method, Amount: in.Amount, Result: res}, nil
}
