package payments

import (
	"testing"
)

// TestSettleOrphanGivesBackWhatNoOrderClaimed: an authorisation no order
// recorded is voided, a capture refunded in full, a reference the provider
// never saw is recorded as nothing to do, and a recorded payment (an order
// claimed it) is left alone. A second run moves no money.
func TestSettleOrphanGivesBackWhatNoOrderClaimed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	authorize := func(ref string, capture bool) Result {
		t.Helper()
		a, err := f.svc.Authorize(ctx, AuthorizeInput{Provider: "test", Method: MethodCard, Token: TokenVisa,
			Amount: eur(1200), Reference: ref, IdempotencyKey: "order:" + ref + ":authorize", Capture: capture})
		if err != nil {
			t.Fatal(err)
		}
		return a.Result
	}
	authorize("order_auth", false)
	authorize("order_capt", true)
	claimed := f.pay(t, TokenVisa, eur(900), false)

	for _, tc := range []struct{ ref, want string }{
		{"order_auth", ReconcileVoided}, {"order_capt", ReconcileRefunded}, {"order_none", ReconcileNone},
	} {
		recs, err := f.svc.SettleOrphan(ctx, "", tc.ref)
		if err != nil || len(recs) != 1 || recs[0].Action != tc.want {
			t.Errorf("%s: %+v, %v; want %s", tc.ref, recs, err, tc.want)
		}
	}
	if recs, err := f.svc.SettleOrphan(ctx, "test", claimed.OrderID); err != nil || len(recs) != 0 {
		t.Errorf("claimed payment: %+v, %v; want left alone", recs, err)
	}
	for _, ref := range []string{"order_auth", "order_capt"} { // again: the provider replays
		if _, err := f.svc.SettleOrphan(ctx, "test", ref); err != nil {
			t.Fatal(err)
		}
	}
	if calls := f.tp.Calls(); calls["void"] != 1 || calls["refund"] != 1 {
		t.Errorf("provider calls = %v, want one void and one refund", calls)
	}
	if got := f.get(t, claimed.ID); got.Status != StatusAuthorized {
		t.Errorf("claimed payment is %s, want authorized", got.Status)
	}
	recs, err := f.svc.Reconciliations(ctx, "order_capt")
	if err != nil || len(recs) != 1 || recs[0].Amount != eur(1200) {
		t.Errorf("recorded = %+v, %v", recs, err)
	}
}
