package api_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCartEmailIsNormalizedAndLookalikesRefused is defect 8 on the cart,
// where guest orders take their e-mail: a full-width address is stored as
// the address it stands for (so a once-per-customer code counts it as the
// same shopper), and a look-alike address is 422 naming email.
func TestCartEmailIsNormalizedAndLookalikesRefused(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 0)
	s.admin(http.MethodPost, "/v1/admin/promotions", map[string]any{"code": "ONCE", "type": "percentage",
		"percentage": 1000, "per_customer_limit": 1}).Expect(t, http.StatusCreated)

	first := s.guest()
	first.step(http.MethodPost, "/v1/store/carts", map[string]any{"currency": "EUR", "email": "bob@example.com"}, http.StatusCreated)
	first.add(s.small, 1)
	first.ready()
	first.step(http.MethodPost, "/v1/store/carts/"+first.cart.ID+"/discounts", map[string]any{"code": "ONCE"}, http.StatusOK)
	first.placeOrder("first")

	second := s.guest()
	c := second.step(http.MethodPost, "/v1/store/carts", map[string]any{"currency": "EUR", "email": "ＢＯＢ@example.com"},
		http.StatusCreated)
	if c.Email != "bob@example.com" {
		t.Errorf("cart e-mail = %q, want bob@example.com", c.Email)
	}
	second.add(s.small, 1)
	second.ready()
	p := second.do(http.MethodPatch, "/v1/store/carts/"+second.cart.ID, map[string]any{"email": "b\u043eb@example.com"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	if d := cmp.Diff([]string{"email"}, problemFields(p)); d != "" {
		t.Errorf("errors[].field (-want +got):\n%s", d)
	}
	second.do(http.MethodPost, "/v1/store/carts", map[string]any{"currency": "EUR", "email": "bob\u202e@example.com"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")

	// The code is once per shopper, and the full-width address is bob: it is
	// refused when applied or, at the latest, at checkout.
	if res := second.do(http.MethodPost, "/v1/store/carts/"+second.cart.ID+"/discounts", map[string]any{"code": "ONCE"}); res.Status != http.StatusOK {
		res.ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_exhausted")
		return
	}
	second.checkout("second", "tok_visa").ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_exhausted")
}
