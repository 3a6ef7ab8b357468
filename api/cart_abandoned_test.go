package api_test

import (
	"context"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/api"
	"storekeep/internal/checkout"
)

// TestCartAbandoned drives the abandonment job with the server's clock set
// ahead of the carts' last change: a cart with an e-mail and items is
// abandoned once per idle spell, after the configured delay and not before;
// a change starts a new spell. Carts without items, without an e-mail, or
// checked out are never abandoned.
func TestCartAbandoned(t *testing.T) {
	t.Parallel()
	var ahead atomic.Int64 // how far the server's clock runs ahead of real time
	clock := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	s := newShop(t, 10, 10, func(o *api.Options) {
		o.Now = clock
		o.Carts.AbandonedAfter = 2 * time.Hour
	})
	runner := s.h.Server.Jobs
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = runner.Stop(ctx)
	})
	// run runs the job once with the clock `idle` ahead of now, then puts
	// the clock back (the periodic run at start may come at any time: at
	// the real time it finds nothing new).
	run := func(idle time.Duration) {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		ahead.Store(int64(idle))
		defer ahead.Store(0)
		if err := runner.Enqueue(ctx, checkout.AbandonedCartsArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		if err := runner.Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	abandoned := func() []string {
		t.Helper()
		return typesAndIDs(s.events(url.Values{"type": {"cart.abandoned"}}))
	}

	left := s.guestWith(s.small, 2)
	mine := s.customer()
	mine.newCart()
	mine.add(s.large, 1)
	empty := s.guest()
	empty.newCart()
	anonymous := s.guest()
	anonymous.step(http.MethodPost, "/v1/store/carts", map[string]any{"currency": "EUR"}, http.StatusCreated)
	anonymous.add(s.small, 1)
	bought := s.guestWith(s.small, 1)
	bought.ready()
	bought.placeOrder("abandoned-bought")

	run(110 * time.Minute)
	if got := abandoned(); len(got) != 0 {
		t.Fatalf("abandoned before the delay: %v", got)
	}
	run(125 * time.Minute)
	want := []string{"cart.abandoned " + left.cart.ID, "cart.abandoned " + mine.cart.ID}
	if d := cmp.Diff(want, abandoned()); d != "" {
		t.Fatalf("after the delay (-want +got):\n%s", d)
	}
	run(5 * time.Hour)
	if d := cmp.Diff(want, abandoned()); d != "" {
		t.Fatalf("a second run, still idle (-want +got):\n%s", d)
	}
	// The event's data is the cart as the store API returns it.
	evs := s.events(url.Values{"resource_id": {left.cart.ID}})
	got := left.do(http.MethodGet, "/v1/store/carts/"+left.cart.ID, nil).Expect(t, http.StatusOK)
	sameJSON(t, "cart.abandoned data vs GET", got.Body, evs[0].Data)

	// Back at the cart: a new spell, abandoned again only after the delay.
	left.add(s.large, 1)
	run(time.Hour)
	if d := cmp.Diff(want, abandoned()); d != "" {
		t.Fatalf("changed an hour ago (-want +got):\n%s", d)
	}
	run(3 * time.Hour)
	want = append(want, "cart.abandoned "+left.cart.ID)
	if d := cmp.Diff(want, abandoned()); d != "" {
		t.Fatalf("idle again (-want +got):\n%s", d)
	}
}
