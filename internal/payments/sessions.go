package payments

import (
	"context"

	"storekeep/internal/platform/db"
)

// Payment sessions: the provider's payment is made before checkout, for the
// cart's total, and confirmed by the app with the provider's SDK (Stripe.js,
// the iOS and Android SDKs, Apple Pay, Google Pay). Checkout then reads
// where it stands (Refresh) instead of authorising.

// SessionProvider is a provider that can make a payment for the app to
// confirm: the Result is requires_action with a use_sdk next action
// carrying the client secret.
type SessionProvider interface {
	CreateSession(ctx context.Context, in AuthorizeRequest) (Result, error)
}

// KindSession derives the provider idempotency key of a session.
const KindSession = "session"

// CreateSession asks the provider for a payment the app will confirm. The
// provider's idempotency key derives from in.Reference (the order id
// planned for the session) and in.IdempotencyKey (the caller's, built from
// the cart). Token is not used. It must not be called in a transaction.
func (s *Service) CreateSession(ctx context.Context, in AuthorizeInput) (Authorization, error) {
	if db.InTx(ctx) {
		return Authorization{}, ErrInTransaction
	}
	p, err := s.Provider(in.Provider)
	if err != nil {
		return Authorization{}, err
	}
	if !ValidMethod(in.Method) {
		return Authorization{}, ErrUnknownMethod
	}
	sp, ok := p.(SessionProvider)
	if !ok {
		return Authorization{}, ErrUnknownProvider.WithDetail("payment provider %q has no payment sessions", in.Provider)
	}
	res, err := sp.CreateSession(ctx, AuthorizeRequest{Amount: in.Amount, Method: in.Method, Reference: in.Reference,
		IdempotencyKey: deriveKey(KindSession, in.Reference, in.IdempotencyKey), Capture: in.Capture, ReturnURL: in.ReturnURL})
	if err != nil {
		return Authorization{}, providerErr(err)
	}
	return Authorization{Provider: p.Name(), Method: in.Method, Amount: in.Amount, Result: res}, nil
}

// CreateSession implements SessionProvider: a payment waiting for the
// shopper, confirmed (or failed) through the authenticate page with its
// client secret, like tok_3ds.
func (p *TestProvider) CreateSession(_ context.Context, in AuthorizeRequest) (Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.replay(KindSession, in.IdempotencyKey); ok {
		return r, nil
	}
	ref := "tp_" + randomHex(12)
	r := Result{ProviderRef: ref, Status: StatusRequiresAction, NextAction: testNextAction(ref, Token3DS, "")}
	return r, p.commit(testEntry{Op: KindSession, Key: in.IdempotencyKey, Reference: in.Reference, Ref: ref,
		Result: r, Amount: in.Amount.Minor, Currency: in.Amount.Currency, Capture: in.Capture, ReturnURL: in.ReturnURL})
}
