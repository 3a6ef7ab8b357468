package payments

import (
	"context"
	"crypto/subtle"
	"net/url"
)

// The test provider's payments that need the shopper (tok_3ds,
// tok_redirect) wait in requires_action until someone opens the local
// authenticate page, GET /v1/test-payments/{ref}/authenticate (served only
// while the test provider is on): outcome=success authorises them (or
// captures them, when the checkout asked for capture), outcome=failure
// fails them. The page is what a bank's 3-D Secure page or PayPal's
// approval page is for a real provider.

// TestAuthenticatePath is the authenticate page of a test payment, relative
// to the API's base URL; the API makes it absolute in its answers.
func TestAuthenticatePath(ref string) string {
	return "/v1/test-payments/" + url.PathEscape(ref) + "/authenticate"
}

// testNextAction is what a tok_3ds or tok_redirect payment asks for: a
// redirect to the authenticate page when the shopper can come back to a
// return_url (always for tok_redirect), else the "SDK" flow with a client
// secret, which a test confirms through the same page.
func testNextAction(ref, token, returnURL string) *NextAction {
	secret := ref + "_secret_" + randomHex(8)
	if token == TokenRedirect || returnURL != "" {
		return &NextAction{Type: NextActionRedirect,
			URL: TestAuthenticatePath(ref) + "?client_secret=" + url.QueryEscape(secret), ClientSecret: secret}
	}
	return &NextAction{Type: NextActionUseSDK, ClientSecret: secret}
}

// Authenticate completes (success) or fails a payment waiting for the
// shopper and returns where to send them back (its return_url, may be
// empty) and the payment's status. A wrong client secret, an unknown
// reference or a payment that is not waiting (voided when its checkout
// expired) is refused; the same outcome twice answers the same.
func (p *TestProvider) Authenticate(ref, clientSecret string, success bool) (string, Status, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	tp, ok := p.refs[ref]
	if !ok || tp.nextAction == nil ||
		subtle.ConstantTimeCompare([]byte(tp.nextAction.ClientSecret), []byte(clientSecret)) != 1 {
		return "", "", ErrPaymentNotFound
	}
	want := StatusFailed
	if success {
		want = StatusAuthorized
		if tp.capture {
			want = StatusCaptured
		}
	}
	switch tp.status {
	case StatusRequiresAction:
	case want:
		return tp.returnURL, tp.status, nil
	default:
		return "", tp.status, ErrProviderRejected.WithDetail("test provider: the payment is %s", tp.status)
	}
	p.calls["authenticate"]++
	r := Result{ProviderRef: ref, Status: want}
	if !success {
		r.DeclineCode = "authentication_failed"
	}
	return tp.returnURL, want, p.commit(testEntry{Op: "authenticate", Ref: ref, Result: r})
}

// Refresh implements Refresher: the payment's status now, with its next
// action while it still waits for the shopper.
func (p *TestProvider) Refresh(_ context.Context, ref string) (Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	tp, ok := p.refs[ref]
	if !ok {
		return Result{}, ErrProviderRejected.WithDetail("test provider: unknown payment reference %q", ref)
	}
	r := Result{ProviderRef: ref, Status: tp.status}
	switch tp.status {
	case StatusRequiresAction:
		r.NextAction = tp.nextAction
	case StatusFailed:
		r.DeclineCode = "authentication_failed"
	}
	return r, nil
}
