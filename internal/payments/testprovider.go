package payments

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// Tokens the test provider understands (docs/payments.md).
const (
	// TokenVisa authorises (or captures, when asked to).
	TokenVisa = "tok_visa"
	// TokenDeclined is declined with decline code card_declined.
	TokenDeclined = "tok_declined"
	// TokenAsync leaves the payment pending until a signed webhook confirms it.
	TokenAsync = "tok_async"
	// Token3DS needs 3-D Secure: requires_action until the shopper passes
	// (or fails) the test provider's authenticate page (testprovider_actions.go).
	Token3DS = "tok_3ds"
	// TokenRedirect is a PayPal or BNPL style payment: the shopper approves
	// it on the provider's page and is sent back to the return_url.
	TokenRedirect = "tok_redirect"
)

// TestSignatureHeader carries the test provider's webhook signature:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>".
const TestSignatureHeader = "Storekeep-Test-Signature"

// Test provider webhook event types.
const (
	TestEventAuthorized = "payment.authorized" // pending -> authorized
	TestEventSucceeded  = "payment.succeeded"  // pending|authorized -> captured
	TestEventFailed     = "payment.failed"     // pending -> failed
)

// WebhookTolerance is how old (or how far in the future) a signed webhook's
// timestamp may be: older deliveries are replays and are refused.
const WebhookTolerance = 5 * time.Minute

// TestProvider is the built-in deterministic provider: no network, fixed
// tokens, state in memory. It keeps the state of the payments it made to
// refuse impossible operations (capturing twice) and to answer Lookup; a
// reference it does not know (made before a restart) is accepted as is.
// With a journal (OpenJournal) its state outlives the process, as a real
// provider's does: the fault tests kill the server and check afterwards
// that every authorisation ended in an order or a void.
type TestProvider struct {
	secret []byte
	now    func() time.Time

	mu    sync.Mutex
	calls map[string]int
	// idem maps operation and idempotency key to the first result.
	idem map[string]Result
	refs map[string]*testPayment
	// byReference maps our reference (the order id) to the payment's ref.
	byReference map[string]string
	journal     *os.File
}

type testPayment struct {
	amount, captured, refunded int64
	currency                   string
	status                     Status
	// For a payment that needs the shopper: capture when they pass, where
	// to send them back, and the secret the authenticate page asks for.
	capture    bool
	returnURL  string
	nextAction *NextAction
}

var _ Provider = (*TestProvider)(nil)

// NewTestProvider returns a test provider that signs and verifies webhooks
// with secret.
func NewTestProvider(secret string) *TestProvider {
	return &TestProvider{secret: []byte(secret), now: time.Now, calls: map[string]int{}, idem: map[string]Result{},
		refs: map[string]*testPayment{}, byReference: map[string]string{}}
}

// TestWebhookSecret derives the test provider's webhook secret from the JWT
// secret when STOREKEEP_TEST_PAYMENTS_SECRET is unset: HMAC-SHA256(jwtSecret,
// "storekeep test payments webhook secret"), hex. It is stable per install
// and reveals nothing about the JWT secret.
func TestWebhookSecret(jwtSecret []byte) string {
	m := hmac.New(sha256.New, jwtSecret)
	m.Write([]byte("storekeep test payments webhook secret"))
	return hex.EncodeToString(m.Sum(nil))
}

// Name implements Provider.
func (p *TestProvider) Name() string { return "test" }

// Calls returns how many operations of each kind (authorize, capture, void,
// refund) the provider performed. Idempotent replays are not counted, so a
// test can assert "one provider authorisation" for many retries.
func (p *TestProvider) Calls() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int, len(p.calls))
	for k, v := range p.calls {
		out[k] = v
	}
	return out
}

// Authorize implements Provider.
func (p *TestProvider) Authorize(ctx context.Context, in AuthorizeRequest) (Result, error) {
	switch in.Token {
	case TokenVisa, TokenDeclined, TokenAsync, Token3DS:
	case TokenRedirect:
		if in.ReturnURL == "" {
			return Result{}, errs.ErrValidation.WithFields(errs.FieldError{Field: "payment.return_url",
				Message: "is required for a payment that redirects the shopper"})
		}
	default:
		return Result{}, ErrInvalidToken
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.replay("authorize", in.IdempotencyKey); ok {
		return r, nil
	}
	r := Result{ProviderRef: "tp_" + randomHex(12)}
	switch in.Token {
	case TokenVisa:
		r.Status = StatusAuthorized
		if in.Capture {
			r.Status = StatusCaptured
		}
	case TokenDeclined:
		r.Status, r.DeclineCode, r.Message = StatusFailed, "card_declined", "Your card was declined."
	case Token3DS, TokenRedirect:
		r.Status, r.NextAction = StatusRequiresAction, testNextAction(r.ProviderRef, in.Token, in.ReturnURL)
	default: // TokenAsync
		r.Status = StatusPending
	}
	return r, p.commit(testEntry{Op: "authorize", Key: in.IdempotencyKey, Reference: in.Reference, Ref: r.ProviderRef,
		Result: r, Amount: in.Amount.Minor, Currency: in.Amount.Currency, Capture: in.Capture, ReturnURL: in.ReturnURL})
}

// Capture implements Provider.
func (p *TestProvider) Capture(ctx context.Context, ref string, amount money.Amount, idemKey string) (Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.replay("capture", idemKey); ok {
		return r, nil
	}
	if err := testRef(ref); err != nil {
		return Result{}, err
	}
	if tp, ok := p.refs[ref]; ok && (tp.status != StatusAuthorized || amount.Minor > tp.amount) {
		return Result{}, ErrProviderRejected.WithDetail("test provider: cannot capture %d of a %s payment", amount.Minor, tp.status)
	}
	r := Result{ProviderRef: ref, Status: StatusCaptured}
	return r, p.commit(testEntry{Op: "capture", Key: idemKey, Ref: ref, Result: r, Amount: amount.Minor})
}

// Void implements Provider.
func (p *TestProvider) Void(ctx context.Context, ref string, idemKey string) (Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.replay("void", idemKey); ok {
		return r, nil
	}
	if err := testRef(ref); err != nil {
		return Result{}, err
	}
	if tp, ok := p.refs[ref]; ok && tp.status != StatusAuthorized && tp.status != StatusPending && tp.status != StatusRequiresAction {
		return Result{}, ErrProviderRejected.WithDetail("test provider: cannot void a %s payment", tp.status)
	}
	r := Result{ProviderRef: ref, Status: StatusVoided}
	return r, p.commit(testEntry{Op: "void", Key: idemKey, Ref: ref, Result: r})
}

// Refund implements Provider.
func (p *TestProvider) Refund(ctx context.Context, ref string, amount money.Amount, idemKey string) (Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.replay("refund", idemKey); ok {
		return r, nil
	}
	if err := testRef(ref); err != nil {
		return Result{}, err
	}
	status := StatusRefunded
	if tp, ok := p.refs[ref]; ok {
		if tp.captured-tp.refunded < amount.Minor {
			return Result{}, ErrProviderRejected.WithDetail("test provider: refund of %d exceeds what is left of the capture", amount.Minor)
		}
		if tp.refunded+amount.Minor < tp.captured {
			status = StatusPartiallyRefunded
		}
	}
	r := Result{ProviderRef: "tpr_" + randomHex(12), Status: status}
	return r, p.commit(testEntry{Op: "refund", Key: idemKey, Ref: ref, Result: r, Amount: amount.Minor})
}

// Lookup implements Provider: the payment authorised for reference.
func (p *TestProvider) Lookup(ctx context.Context, reference string) (Found, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ref, ok := p.byReference[reference]
	if !ok {
		return Found{}, false, nil
	}
	tp := p.refs[ref]
	return Found{Result: Result{ProviderRef: ref, Status: tp.status},
		Amount:   money.Amount{Minor: tp.amount, Currency: tp.currency},
		Captured: money.Amount{Minor: tp.captured, Currency: tp.currency}}, true, nil
}

// replay returns the remembered result of op under key; the caller holds mu.
// A new operation is counted.
func (p *TestProvider) replay(op, key string) (Result, bool) {
	if key != "" {
		if r, ok := p.idem[op+"\x00"+key]; ok {
			return r, true
		}
	}
	p.calls[op]++
	return Result{}, false
}

func testRef(ref string) error {
	if !strings.HasPrefix(ref, "tp_") {
		return ErrProviderRejected.WithDetail("test provider: unknown payment reference %q", ref)
	}
	return nil
}

// TestWebhookEvent is the test provider's event: the whole signed body of
// its webhook, decoded strictly (an unknown field is refused). The contract
// describes the webhook body with it.
type TestWebhookEvent struct {
	// ID is the event's id; each id is applied once.
	ID string `json:"id" binding:"required" example:"evt_demo_1"`
	// Type is payment.authorized, payment.succeeded or payment.failed; other
	// types are recorded and ignored.
	Type string `json:"type" example:"payment.succeeded"`
	// ProviderRef is the payment's reference at the provider (tp_...).
	ProviderRef string `json:"provider_ref" binding:"required" example:"tp_0123abcd"`
	// Amount is what the provider says it authorised or captured; an event
	// whose amount or currency differs from the payment's confirms nothing.
	Amount money.Amount `json:"amount"`
} // @name TestPaymentEvent

// WebhookBody returns the JSON body of a test provider event (for tests, the
// demo and docs); sign it with SignWebhook.
func (p *TestProvider) WebhookBody(eventID, eventType, ref string, amount money.Amount) []byte {
	b, _ := json.Marshal(TestWebhookEvent{ID: eventID, Type: eventType, ProviderRef: ref, Amount: amount})
	return b
}

// SignWebhook returns the Storekeep-Test-Signature header value for body
// signed at t.
func (p *TestProvider) SignWebhook(body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(p.mac(ts, body))
}

func (p *TestProvider) mac(ts string, body []byte) []byte {
	m := hmac.New(sha256.New, p.secret)
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return m.Sum(nil)
}

// ParseWebhook implements Provider: it checks the signature header against
// the raw body within WebhookTolerance, then decodes the event strictly.
func (p *TestProvider) ParseWebhook(header http.Header, body []byte) (WebhookEvent, error) {
	if err := p.verify(header.Get(TestSignatureHeader), body); err != nil {
		return WebhookEvent{}, err
	}
	var b TestWebhookEvent
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return WebhookEvent{}, ErrInvalidSignature.WithDetail("the signed body is not a test provider event")
	}
	if b.ID == "" || b.ProviderRef == "" {
		return WebhookEvent{}, ErrInvalidSignature.WithDetail("the event has no id or provider_ref")
	}
	ev := WebhookEvent{ID: b.ID, Type: b.Type, ProviderRef: b.ProviderRef, Amount: b.Amount}
	switch b.Type {
	case TestEventAuthorized:
		ev.Status = StatusAuthorized
	case TestEventSucceeded:
		ev.Status = StatusCaptured
	case TestEventFailed:
		ev.Status = StatusFailed
	}
	return ev, nil
}

func (p *TestProvider) verify(header string, body []byte) error {
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			if s, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, s)
			}
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrInvalidSignature.WithDetail("missing or malformed %s header", TestSignatureHeader)
	}
	if d := p.now().Sub(time.Unix(sec, 0)); d > WebhookTolerance || d < -WebhookTolerance {
		return ErrInvalidSignature.WithDetail("the signature timestamp is outside the %s tolerance", WebhookTolerance)
	}
	want := p.mac(ts, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return ErrInvalidSignature
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("payments: random: %v", err))
	}
	return hex.EncodeToString(b)
}
