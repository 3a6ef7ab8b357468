package admin_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/orders/fulfiltest"
	"storekeep/internal/payments"
)

// TestPendingOrderExpiresThroughTheJob: the server's job runner cancels a
// pending (async payment) order past expires_at, releases its stock and
// voids its payment.
func TestPendingOrderExpiresThroughTheJob(t *testing.T) {
	t.Parallel()
	a := newAfterSales(t)
	past := time.Now().Add(-time.Minute)
	o := a.shop.Order(t, fulfiltest.Spec{Token: payments.TokenAsync, ExpiresAt: &past,
		Lines: []fulfiltest.Line{{Variant: a.v, Quantity: 2, Total: 2000}}})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = a.h.Server.Jobs.Stop(stop)
	})
	if err := a.h.Server.Jobs.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	// The periodic job is inserted when the runner starts: wait for it.
	var got [3]string
	for ctx.Err() == nil {
		if got = orderStates(a.get(t, o.ID)); got[0] == "canceled" && got[1] == "voided" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if d := cmp.Diff([3]string{"canceled", "voided", "unfulfilled"}, got); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	var reserved int64
	if err := a.h.DB.Conn(ctx).Raw(`SELECT reserved FROM stock_levels WHERE variant_id = ?`, a.v.ID).Scan(&reserved).Error; err != nil {
		t.Fatal(err)
	}
	if reserved != 0 {
		t.Errorf("reserved = %d after expiry, want 0", reserved)
	}
}
