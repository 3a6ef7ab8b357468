package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"storekeep/api/apitest"
	"storekeep/internal/checkout"
)

// TestCodeGuessingIsLimited: after CodeFailuresPerCart codes that do not
// apply, the cart gets 429 with Retry-After, even for a good code.
func TestCodeGuessingIsLimited(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 0, apitest.WindowAligned)
	p := s.guestWith(s.small, 1)
	path := "/v1/store/carts/" + p.cart.ID + "/discounts"
	for i := range checkout.CodeFailuresPerCart {
		p.do(http.MethodPost, path, map[string]any{"code": fmt.Sprintf("GUESS%d", i)}).
			ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_not_found")
	}
	res := p.do(http.MethodPost, path, map[string]any{"code": "WELCOME15"})
	res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	// Another shopper's cart is not affected (below the per-client limit).
	q := s.guestWith(s.small, 1)
	q.step(http.MethodPost, "/v1/store/carts/"+q.cart.ID+"/discounts", map[string]any{"code": "WELCOME15"}, http.StatusOK)
}

// TestCardTestingIsLimited: after DeclinesPerCart declined payments the
// cart's checkout is 429 before the provider is asked again.
func TestCardTestingIsLimited(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 0, apitest.WindowAligned)
	p := s.guestWith(s.small, 1)
	p.ready()
	for i := range checkout.DeclinesPerCart {
		p.checkout(fmt.Sprintf("card-test-%d", i), "tok_declined").ExpectProblem(t, http.StatusPaymentRequired, "payment_declined")
	}
	p.checkout("card-test-good", "tok_visa").ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
	if got := s.available(s.small); got != 10 {
		t.Errorf("available = %d, want 10 (nothing held)", got)
	}
}

// TestCodeGuessingIsLimitedPerClient: spreading guesses over fresh carts
// does not escape the per-client limit.
func TestCodeGuessingIsLimitedPerClient(t *testing.T) {
	t.Parallel()
	s := newShop(t, 100, 0, apitest.WindowAligned)
	perCart := checkout.CodeFailuresPerCart - 1
	guesses := 0
	for guesses < checkout.CodeFailuresPerIP {
		p := s.guestWith(s.small, 1)
		for i := 0; i < perCart && guesses < checkout.CodeFailuresPerIP; i++ {
			p.do(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/discounts", map[string]any{"code": fmt.Sprintf("G%d", guesses)}).
				ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_not_found")
			guesses++
		}
	}
	fresh := s.guestWith(s.small, 1)
	fresh.do(http.MethodPost, "/v1/store/carts/"+fresh.cart.ID+"/discounts", map[string]any{"code": "WELCOME15"}).
		ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
}
