package payments

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/errs"
)

func TestAuthorizeRejectsBadInputAndWritesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	good := AuthorizeInput{Provider: "test", Method: MethodCard, Token: TokenVisa, Amount: eur(100), Reference: "order_x"}
	tests := []struct {
		name  string
		edit  func(*AuthorizeInput)
		code  string
		field string
	}{
		{"unknown provider", func(in *AuthorizeInput) { in.Provider = "acme" }, "validation_failed", "payment.provider"},
		{"unknown method", func(in *AuthorizeInput) { in.Method = "cash" }, "validation_failed", "payment.method"},
		{"unknown token", func(in *AuthorizeInput) { in.Token = "tok_unknown" }, "invalid_payment_token", "payment.token"},
		{"empty token", func(in *AuthorizeInput) { in.Token = " " }, "validation_failed", "payment.token"},
		{"zero amount", func(in *AuthorizeInput) { in.Amount = eur(0) }, "validation_failed", "amount"},
		{"bad currency", func(in *AuthorizeInput) { in.Amount.Currency = "XXY" }, "validation_failed", "amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good
			tt.edit(&in)
			_, err := f.svc.Authorize(t.Context(), in)
			wantCode(t, err, tt.code)
			e, _ := errs.As(err)
			if len(e.Fields) != 1 || e.Fields[0].Field != tt.field {
				t.Errorf("fields = %+v, want %s", e.Fields, tt.field)
			}
		})
	}
	if n := f.count(t, "payments") + f.count(t, "payment_transactions"); n != 0 {
		t.Errorf("%d rows written by rejected authorisations", n)
	}
	if got := f.tp.Calls()["authorize"]; got != 0 {
		t.Errorf("provider authorisations = %d, want 0", got)
	}
}

func TestAuthorizeWritesNothingAndRefusesATransaction(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	in := AuthorizeInput{Provider: "test", Method: MethodPayPal, Token: TokenVisa, Amount: eur(100), Reference: "order_x", IdempotencyKey: "k"}
	a, err := f.svc.Authorize(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if a.Result.Status != StatusAuthorized || a.Provider != "test" || a.Method != MethodPayPal || a.Amount != eur(100) {
		t.Errorf("authorization = %+v", a)
	}
	if n := f.count(t, "payments"); n != 0 {
		t.Errorf("Authorize wrote %d payments", n)
	}
	again, err := f.svc.Authorize(t.Context(), in)
	if err != nil || again.Result != a.Result {
		t.Errorf("retry with the same key = %+v, %v; want the first result", again.Result, err)
	}
	if got := f.tp.Calls()["authorize"]; got != 1 {
		t.Errorf("provider authorisations = %d, want 1", got)
	}
	err = f.db.WithTx(t.Context(), func(ctx context.Context) error {
		_, err := f.svc.Authorize(ctx, in)
		return err
	})
	wantErr(t, err, ErrInTransaction)
}

func TestRecordStoresTheAuthorisation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tests := []struct {
		name                 string
		token                string
		capture              bool
		status               Status
		captured             int64
		decline, transaction string
	}{
		{"authorized", TokenVisa, false, StatusAuthorized, 0, "", TxSucceeded},
		{"captured", TokenVisa, true, StatusCaptured, 2500, "", TxSucceeded},
		{"pending", TokenAsync, false, StatusPending, 0, "", TxPending},
		{"declined", TokenDeclined, false, StatusFailed, 0, "card_declined", TxFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := f.pay(t, tt.token, eur(2500), tt.capture)
			got := f.get(t, p.ID)
			if d := cmp.Diff(p, got); d != "" {
				t.Errorf("stored payment differs from the returned one (-returned +stored):\n%s", d)
			}
			if got.Status != tt.status || got.Captured != eur(tt.captured) || got.Amount != eur(2500) ||
				got.Refunded != eur(0) || got.DeclineCode != tt.decline || got.Provider != "test" {
				t.Errorf("payment = %+v", got)
			}
			txs, err := f.svc.Transactions(t.Context(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(txs) != 1 || txs[0].Kind != KindAuthorize || txs[0].Status != tt.transaction || txs[0].Amount != eur(2500) {
				t.Errorf("transactions = %+v", txs)
			}
			list, err := f.svc.ForOrder(t.Context(), p.OrderID)
			if err != nil || len(list) != 1 || list[0].ID != p.ID {
				t.Errorf("ForOrder = %+v, %v", list, err)
			}
		})
	}
}

func TestCaptureRefundFlow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	p := f.pay(t, TokenVisa, eur(100), false)

	p, err := f.svc.Capture(ctx, p.ID, eur(80), "cap-1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != StatusCaptured || p.Captured != eur(80) {
		t.Fatalf("after capture: %+v", p)
	}
	// The same request again replays: no second capture at the provider.
	if again, err := f.svc.Capture(ctx, p.ID, eur(80), "cap-1"); err != nil || again.Captured != eur(80) {
		t.Fatalf("capture replay = %+v, %v", again, err)
	}
	_, err = f.svc.Capture(ctx, p.ID, eur(10), "cap-2")
	wantCode(t, err, "payment_state_conflict")

	steps := []struct {
		amount   int64
		status   Status
		refunded int64
	}{{30, StatusPartiallyRefunded, 30}, {45, StatusPartiallyRefunded, 75}, {5, StatusRefunded, 80}}
	for i, st := range steps {
		p, err = f.svc.Refund(ctx, p.ID, eur(st.amount), fmt.Sprintf("ref-%d", i))
		if err != nil {
			t.Fatalf("refund %d: %v", st.amount, err)
		}
		if p.Status != st.status || p.Refunded != eur(st.refunded) {
			t.Fatalf("after refund of %d: %+v", st.amount, p)
		}
	}
	_, err = f.svc.Refund(ctx, p.ID, eur(1), "ref-more")
	wantCode(t, err, "payment_state_conflict") // fully refunded
	if d := cmp.Diff(map[string]int{"authorize": 1, "capture": 1, "refund": 3}, f.tp.Calls()); d != "" {
		t.Errorf("provider calls (-want +got):\n%s", d)
	}
	txs, err := f.svc.Transactions(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, tx := range txs {
		if tx.Status != TxSucceeded {
			t.Errorf("transaction %s is %s", tx.Kind, tx.Status)
		}
		kinds = append(kinds, tx.Kind+":"+fmt.Sprint(tx.Amount.Minor))
	}
	if d := cmp.Diff([]string{"authorize:100", "capture:80", "refund:30", "refund:45", "refund:5"}, kinds); d != "" {
		t.Errorf("transactions (-want +got):\n%s", d)
	}
}

func TestOperationsRejectIllegalRequestsAndChangeNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	authorized := f.pay(t, TokenVisa, eur(100), false)
	captured := f.pay(t, TokenVisa, eur(100), true)
	pending := f.pay(t, TokenAsync, eur(100), false)
	failed := f.pay(t, TokenDeclined, eur(100), false)
	tests := []struct {
		name string
		do   func(ctx context.Context) error
		code string
	}{
		{"capture above authorised", func(ctx context.Context) error {
			_, err := f.svc.Capture(ctx, authorized.ID, eur(101), "")
			return err
		}, "capture_exceeds_authorized"},
		{"capture in another currency", func(ctx context.Context) error {
			_, err := f.svc.Capture(ctx, authorized.ID, usd(50), "")
			return err
		}, "currency_mismatch"},
		{"capture zero", func(ctx context.Context) error {
			_, err := f.svc.Capture(ctx, authorized.ID, eur(0), "")
			return err
		}, "validation_failed"},
		{"capture a pending payment", func(ctx context.Context) error {
			_, err := f.svc.Capture(ctx, pending.ID, eur(100), "")
			return err
		}, "payment_state_conflict"},
		{"capture a captured payment", func(ctx context.Context) error {
			_, err := f.svc.Capture(ctx, captured.ID, eur(100), "")
			return err
		}, "payment_state_conflict"},
		{"refund an uncaptured payment", func(ctx context.Context) error {
			_, err := f.svc.Refund(ctx, authorized.ID, eur(10), "")
			return err
		}, "payment_state_conflict"},
		{"refund above captured", func(ctx context.Context) error {
			_, err := f.svc.Refund(ctx, captured.ID, eur(101), "")
			return err
		}, "refund_exceeds_captured"},
		{"refund in another currency", func(ctx context.Context) error {
			_, err := f.svc.Refund(ctx, captured.ID, usd(10), "")
			return err
		}, "currency_mismatch"},
		{"refund negative", func(ctx context.Context) error {
			_, err := f.svc.Refund(ctx, captured.ID, eur(-10), "")
			return err
		}, "validation_failed"},
		{"void a captured payment", func(ctx context.Context) error {
			_, err := f.svc.Void(ctx, captured.ID, "")
			return err
		}, "payment_state_conflict"},
		{"void a failed payment", func(ctx context.Context) error {
			_, err := f.svc.Void(ctx, failed.ID, "")
			return err
		}, "payment_state_conflict"},
		{"unknown payment", func(ctx context.Context) error {
			_, err := f.svc.Capture(ctx, "pay_nope", eur(1), "")
			return err
		}, "not_found"},
	}
	before := snapshot(t, f)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, tt.do(t.Context()), tt.code)
		})
	}
	if d := cmp.Diff(before, snapshot(t, f)); d != "" {
		t.Errorf("rejected operations changed payments (-before +after):\n%s", d)
	}
	if d := cmp.Diff(map[string]int{"authorize": 4}, f.tp.Calls()); d != "" {
		t.Errorf("provider calls (-want +got):\n%s", d)
	}
	err := f.db.WithTx(t.Context(), func(ctx context.Context) error {
		_, err := f.svc.Capture(ctx, authorized.ID, eur(1), "")
		return err
	})
	wantErr(t, err, ErrInTransaction)
}

// snapshot is every payment and transaction, to assert nothing changed.
func snapshot(t *testing.T, f *fixture) map[string]any {
	t.Helper()
	var ps []paymentRow
	var ts []txRow
	if err := f.db.Conn(t.Context()).Order("id").Find(&ps).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.db.Conn(t.Context()).Order("id").Find(&ts).Error; err != nil {
		t.Fatal(err)
	}
	return map[string]any{"payments": ps, "transactions": ts}
}

func TestVoid(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	for _, token := range []string{TokenVisa, TokenAsync} {
		p := f.pay(t, token, eur(100), false)
		got, err := f.svc.Void(ctx, p.ID, "")
		if err != nil || got.Status != StatusVoided {
			t.Fatalf("void %s payment = %+v, %v", token, got, err)
		}
		// Voiding again is a no-op, with or without a new key.
		if again, err := f.svc.Void(ctx, p.ID, "another"); err != nil || again.Status != StatusVoided {
			t.Fatalf("second void = %+v, %v", again, err)
		}
		_, err = f.svc.Capture(ctx, p.ID, eur(100), "")
		wantCode(t, err, "payment_state_conflict")
	}
	if got := f.tp.Calls()["void"]; got != 2 {
		t.Errorf("provider voids = %d, want 2", got)
	}
}

func TestProviderRefusalUndoesTheClaim(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	p := f.pay(t, TokenVisa, eur(100), false)

	f.fake.failNext(KindCapture, fakeAnswer{res: Result{Status: StatusFailed, DeclineCode: "expired_card"}})
	_, err := f.svc.Capture(ctx, p.ID, eur(100), "c1")
	wantCode(t, err, "payment_declined")
	if got := f.get(t, p.ID); got.Status != StatusAuthorized || got.Captured != eur(0) {
		t.Fatalf("after a declined capture: %+v, want authorized with nothing captured", got)
	}
	// The same key answers the same decline; a new key captures.
	_, err = f.svc.Capture(ctx, p.ID, eur(100), "c1")
	wantCode(t, err, "payment_declined")
	if got, err := f.svc.Capture(ctx, p.ID, eur(100), "c2"); err != nil || got.Status != StatusCaptured {
		t.Fatalf("capture after decline = %+v, %v", got, err)
	}

	f.fake.failNext(KindRefund, fakeAnswer{err: ErrProviderRejected})
	_, err = f.svc.Refund(ctx, p.ID, eur(40), "r1")
	wantCode(t, err, "payment_provider_rejected")
	if got := f.get(t, p.ID); got.Status != StatusCaptured || got.Refunded != eur(0) {
		t.Fatalf("after a refused refund: %+v", got)
	}
}

func TestUnknownOutcomeIsResumedWithTheSameKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	p := f.pay(t, TokenVisa, eur(100), true)

	f.fake.failNext(KindRefund, fakeAnswer{err: errors.New("connection reset")})
	_, err := f.svc.Refund(ctx, p.ID, eur(40), "r1")
	wantCode(t, err, "payment_provider_unavailable")
	// The claim stays: the money may have moved, so nobody else may use it.
	if got := f.get(t, p.ID); got.Refunded != eur(40) {
		t.Fatalf("after an unknown outcome: %+v, want 40 held", got)
	}
	_, err = f.svc.Refund(ctx, p.ID, eur(70), "r2")
	wantCode(t, err, "refund_exceeds_captured")

	got, err := f.svc.Refund(ctx, p.ID, eur(40), "r1")
	if err != nil || got.Refunded != eur(40) || got.Status != StatusPartiallyRefunded {
		t.Fatalf("resumed refund = %+v, %v", got, err)
	}
	txs, err := f.svc.Transactions(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := txs[len(txs)-1]; last.Kind != KindRefund || last.Status != TxSucceeded || last.ProviderRef == "" {
		t.Errorf("refund transaction = %+v", last)
	}
	if got := f.tp.Calls()["refund"]; got != 1 {
		t.Errorf("provider refunds = %d, want 1", got)
	}
}

func TestUnsettledListsOperationsLeftPending(t *testing.T) {
	t.Parallel()
	now := time.Now()
	f := newFixture(t, WithClock(func() time.Time { return now }))
	ctx := t.Context()
	p := f.pay(t, TokenVisa, eur(100), true)
	f.fake.failNext(KindRefund, fakeAnswer{err: errors.New("timeout")})
	_, err := f.svc.Refund(ctx, p.ID, eur(10), "r1")
	wantCode(t, err, "payment_provider_unavailable")
	f.pay(t, TokenAsync, eur(50), false) // an async authorisation never confirmed

	if got, err := f.svc.Unsettled(ctx, time.Minute, 10); err != nil || len(got) != 0 {
		t.Fatalf("fresh operations listed: %+v, %v", got, err)
	}
	now = now.Add(2 * time.Minute)
	got, err := f.svc.Unsettled(ctx, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, tx := range got {
		kinds = append(kinds, tx.Kind)
	}
	if d := cmp.Diff([]string{KindRefund, KindAuthorize}, kinds); d != "" {
		t.Errorf("unsettled (-want +got):\n%s", d)
	}
}

func TestConcurrentRefundsNeverExceedTheCapture(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.pay(t, TokenVisa, eur(100), true)

	var ok, exceeded atomic.Int64
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			_, err := f.svc.Refund(context.Background(), p.ID, eur(30), fmt.Sprintf("refund-%d", i))
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrRefundExceedsCaptured):
				exceeded.Add(1)
			default:
				t.Errorf("refund: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 3 || exceeded.Load() != 7 {
		t.Fatalf("succeeded %d, exceeded %d; want 3 and 7", ok.Load(), exceeded.Load())
	}
	got := f.get(t, p.ID)
	if got.Refunded != eur(90) || got.Status != StatusPartiallyRefunded {
		t.Errorf("payment = %+v, want 90 refunded", got)
	}
	// Only the claims that fit reached the provider.
	if n := f.tp.Calls()["refund"]; n != 3 {
		t.Errorf("provider refunds = %d, want 3", n)
	}
}

func TestConcurrentSameKeyRefundMovesMoneyOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.pay(t, TokenVisa, eur(100), true)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, err := f.svc.Refund(context.Background(), p.ID, eur(30), "same-key")
			if err != nil && !errors.Is(err, ErrInProgress) {
				t.Errorf("refund: %v", err)
			}
		})
	}
	wg.Wait()
	if got := f.get(t, p.ID); got.Refunded != eur(30) {
		t.Errorf("refunded = %v, want 30 once", got.Refunded)
	}
	if n := f.tp.Calls()["refund"]; n != 1 {
		t.Errorf("provider refunds = %d, want 1", n)
	}
}

func TestRecordingTheSameAuthorisationTwiceConflicts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := Authorization{Provider: "test", Method: MethodCard, Amount: eur(100), Result: Result{ProviderRef: "tp_same", Status: StatusAuthorized}}
	if _, err := f.svc.Record(t.Context(), "order_1", a); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Record(t.Context(), "order_2", a)
	wantCode(t, err, "conflict")
	if n := f.count(t, "payments"); n != 1 {
		t.Errorf("%d payments, want 1", n)
	}
	_, err = f.svc.Get(t.Context(), "not-an-id")
	wantErr(t, err, ErrPaymentNotFound)
}

func TestAClaimAbandonedMidCallIsResumedAfterTheTimeout(t *testing.T) {
	t.Parallel()
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f := newFixture(t, WithClock(clock))
	ctx := t.Context()
	p := f.pay(t, TokenVisa, eur(100), true)
	f.fake.failNext(KindRefund, fakeAnswer{err: errors.New("timeout")})
	_, err := f.svc.Refund(ctx, p.ID, eur(25), "r1")
	wantCode(t, err, "payment_provider_unavailable")
	// Make it look like a crash between the provider call and the settle:
	// pending, not marked outcome_unknown, so presumed in flight. UpdateColumn
	// keeps updated_at at the test clock's time (Update would stamp the real
	// time, and on a slow machine the claim would then not look old enough).
	if err := f.db.Conn(ctx).Model(&txRow{}).Where("kind = ? AND status = ?", KindRefund, TxPending).
		UpdateColumn("decline_code", "").Error; err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Refund(ctx, p.ID, eur(25), "r1")
	wantCode(t, err, "payment_operation_in_progress")

	mu.Lock()
	now = now.Add(claimTimeout + time.Second)
	mu.Unlock()
	got, err := f.svc.Refund(ctx, p.ID, eur(25), "r1")
	if err != nil || got.Refunded != eur(25) {
		t.Fatalf("resumed refund = %+v, %v", got, err)
	}
	if n := f.tp.Calls()["refund"]; n != 1 {
		t.Errorf("provider refunds = %d, want 1", n)
	}
}

// TestHugeRefundIsRefusedNotOverflowed: after a partial refund, a refund of
// the largest amount is 422 refund_exceeds_captured (it once overflowed the
// check and failed in the database).
func TestHugeRefundIsRefusedNotOverflowed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.pay(t, TokenVisa, eur(100), true)
	if _, err := f.svc.Refund(context.Background(), p.ID, eur(30), "first"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Refund(context.Background(), p.ID, eur(math.MaxInt64), "huge"); !errors.Is(err, ErrRefundExceedsCaptured) {
		t.Fatalf("huge refund: %v, want refund_exceeds_captured", err)
	}
	if got := f.get(t, p.ID); got.Refunded != eur(30) {
		t.Errorf("refunded = %+v, want 30", got.Refunded)
	}
}
