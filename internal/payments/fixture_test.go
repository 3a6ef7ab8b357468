package payments

import (
	"context"
	"errors"
	"sync"
	"testing"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

const testSecret = "whsec_storekeep_test_secret"

// fixture is a payments service over a fresh database with the test
// provider, wrapped so tests can make the provider fail.
type fixture struct {
	db   *db.DB
	svc  *Service
	tp   *TestProvider
	fake *fakeProvider
}

func newFixture(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	d := dbtest.New(t)
	tp := NewTestProvider(testSecret)
	fake := &fakeProvider{TestProvider: tp}
	svc := NewService(d, append([]Option{WithProvider(fake)}, opts...)...)
	return &fixture{db: d, svc: svc, tp: tp, fake: fake}
}

// fakeProvider is the test provider with injectable failures: the external
// system is the one thing tests may fake.
type fakeProvider struct {
	*TestProvider
	mu sync.Mutex
	// fail, when set, answers the next calls of that operation instead of
	// the test provider.
	fail map[string]fakeAnswer
}

type fakeAnswer struct {
	res Result
	err error
}

func (f *fakeProvider) failNext(op string, a fakeAnswer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail == nil {
		f.fail = map[string]fakeAnswer{}
	}
	f.fail[op] = a
}

func (f *fakeProvider) answer(op string) (fakeAnswer, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.fail[op]
	delete(f.fail, op)
	return a, ok
}

func (f *fakeProvider) Capture(ctx context.Context, ref string, amount money.Amount, key string) (Result, error) {
	if a, ok := f.answer(KindCapture); ok {
		return a.res, a.err
	}
	return f.TestProvider.Capture(ctx, ref, amount, key)
}

func (f *fakeProvider) Refund(ctx context.Context, ref string, amount money.Amount, key string) (Result, error) {
	if a, ok := f.answer(KindRefund); ok {
		return a.res, a.err
	}
	return f.TestProvider.Refund(ctx, ref, amount, key)
}

func (f *fakeProvider) Void(ctx context.Context, ref string, key string) (Result, error) {
	if a, ok := f.answer(KindVoid); ok {
		return a.res, a.err
	}
	return f.TestProvider.Void(ctx, ref, key)
}

func eur(minor int64) money.Amount { return money.Amount{Minor: minor, Currency: "EUR"} }

func usd(minor int64) money.Amount { return money.Amount{Minor: minor, Currency: "USD"} }

// pay authorises amount with token and records it for a new order.
func (f *fixture) pay(t *testing.T, token string, amount money.Amount, capture bool) Payment {
	t.Helper()
	orderID := id.New("order")
	a, err := f.svc.Authorize(t.Context(), AuthorizeInput{Provider: "test", Method: MethodCard, Token: token,
		Amount: amount, Reference: orderID, IdempotencyKey: "checkout-" + orderID, Capture: capture})
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	p, err := f.svc.Record(t.Context(), orderID, a)
	if err != nil {
		t.Fatalf("record: %v", err)
	}
	return p
}

func (f *fixture) get(t *testing.T, paymentID string) Payment {
	t.Helper()
	p, err := f.svc.Get(t.Context(), paymentID)
	if err != nil {
		t.Fatalf("get payment: %v", err)
	}
	return p
}

func (f *fixture) count(t *testing.T, table string) int64 {
	t.Helper()
	var n int64
	if err := f.db.Conn(t.Context()).Table(table).Count(&n).Error; err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// wantCode fails unless err is an *errs.Error with code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

// wantErr fails unless errors.Is(err, target).
func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}
