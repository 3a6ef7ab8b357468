package inventory

import (
	"context"
	"errors"
	"testing"
	"time"

	"storekeep/internal/platform/jobs"
)

// TestExpiryJobReleasesExpiredReservations runs the real periodic job on
// River: an expired reservation is released by it and the stock is sellable again.
func TestExpiryJobReleasesExpiredReservations(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.variants(t, 1, false)[0]
	wh := f.warehouse(t, 1)
	f.stock(t, v, wh, 1)
	ctx := t.Context()
	r, err := f.inv.Reserve(ctx, ReserveInput{Reference: "cart_1", TTL: time.Millisecond,
		Lines: []Line{{VariantID: v, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	if _, err := f.inv.Reserve(ctx, ReserveInput{Reference: "cart_2", Lines: []Line{{VariantID: v, Quantity: 1}}}); !errors.Is(err, ErrInsufficientStock) {
		t.Fatalf("expired but not yet swept: %v, want insufficient_stock", err)
	}

	runner := jobs.New(f.inv.db, jobs.Options{PollInterval: 20 * time.Millisecond})
	RegisterReservationJobs(runner, f.inv)
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = runner.Stop(stop)
	})
	if err := runner.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The periodic job runs on start; wait for the release.
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := f.inv.Reservation(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == StatusReleased {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("reservation still %s after 10 s", got.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := f.inv.Reserve(ctx, ReserveInput{Reference: "cart_2", Lines: []Line{{VariantID: v, Quantity: 1}}}); err != nil {
		t.Fatalf("reserve after the job: %v", err)
	}
	f.checkLedger(t)
}
