package api_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/checkout"
)

// onceEach is a code each customer (or e-mail) may use on one order.
const onceEach = "FIRST10"

// newOnceEachShop is the test shop with onceEach (10 % off, once per customer).
func newOnceEachShop(t *testing.T) *shop {
	s := newShop(t, 50, 0)
	s.admin(http.MethodPost, "/v1/admin/promotions", map[string]any{"code": onceEach, "type": "percentage",
		"percentage": 1000, "per_customer_limit": 1}).Expect(t, http.StatusCreated)
	return s
}

// cartWith starts p's cart with email ("" for none) and one unit.
func (p *shopper) cartWith(email string) checkout.Cart {
	body := map[string]any{"currency": "EUR"}
	if email != "" {
		body["email"] = email
	}
	p.step(http.MethodPost, "/v1/store/carts", body, http.StatusCreated)
	return p.add(p.s.small, 1)
}

// orderWithCode places p's order using code.
func (p *shopper) orderWithCode(email, code, key string) {
	p.cartWith(email)
	p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/discounts", map[string]any{"code": code}, http.StatusOK)
	p.ready()
	p.placeOrder(key)
}

func (p *shopper) applyCode(code string) *apitest.Response {
	return p.do(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/discounts", map[string]any{"code": code})
}

// codes are the codes the cart applies now.
func codes(c checkout.Cart) []string {
	out := []string{}
	for _, d := range c.Discounts {
		out = append(out, d.Code)
	}
	return out
}

func fields(p apitest.Problem) []string {
	out := []string{}
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

// TestUsedUpCodeIsRefusedWhenApplied: a once-per-customer code that the
// cart's e-mail or customer has used is refused when it is applied, not
// accepted by the cart and refused only at checkout.
func TestUsedUpCodeIsRefusedWhenApplied(t *testing.T) {
	t.Parallel()
	s := newOnceEachShop(t)
	s.guest().orderWithCode("used@example.com", onceEach, "first-guest-order")
	me := s.customer()
	me.orderWithCode("me@example.com", onceEach, "first-customer-order")

	for _, tc := range []struct {
		name  string
		p     *shopper
		email string
	}{
		{"same e-mail, other case", s.guest(), "Used@Example.com"},
		{"same customer, other e-mail", me, "elsewhere@example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.p.cartWith(tc.email)
			p := tc.p.applyCode(onceEach).ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_exhausted")
			if d := cmp.Diff([]string{"code"}, fields(p)); d != "" {
				t.Errorf("fields (-want +got):\n%s", d)
			}
		})
	}
	// Another e-mail may use it.
	fresh := s.guest()
	fresh.cartWith("fresh@example.com")
	fresh.applyCode(onceEach).Expect(t, http.StatusOK)
}

// TestEmailChangeThatUsesUpACodeIsRefused: a cart applies the code under a
// fresh e-mail; changing the e-mail to one that used the code is 422
// promotion_exhausted naming discounts.<CODE>, and nothing in the request
// is applied. A cart without an e-mail takes the code (nobody to judge yet)
// and meets the same check when the e-mail comes.
func TestEmailChangeThatUsesUpACodeIsRefused(t *testing.T) {
	t.Parallel()
	s := newOnceEachShop(t)
	s.guest().orderWithCode("used@example.com", onceEach, "first-order")

	for _, start := range []string{"fresh@example.com", ""} {
		t.Run("from "+start, func(t *testing.T) {
			p := s.guest()
			p.cartWith(start)
			before := p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/discounts", map[string]any{"code": onceEach}, http.StatusOK)
			res := p.do(http.MethodPatch, "/v1/store/carts/"+p.cart.ID, map[string]any{"email": "used@example.com",
				"shipping_address": paris})
			prob := res.ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_exhausted")
			if d := cmp.Diff([]string{"discounts." + onceEach}, fields(prob)); d != "" {
				t.Errorf("fields (-want +got):\n%s", d)
			}
			var after checkout.Cart
			p.do(http.MethodGet, "/v1/store/carts/"+p.cart.ID, nil).Expect(t, http.StatusOK).JSON(t, &after)
			if after.Email != start || after.ShippingAddress != nil || after.Total != before.Total ||
				!cmp.Equal([]string{onceEach}, codes(after)) {
				t.Errorf("cart changed by a refused PATCH: email %q, address %v, total %v, codes %v",
					after.Email, after.ShippingAddress, after.Total, codes(after))
			}
			// Another e-mail is fine, and the code still applies.
			got := p.step(http.MethodPatch, "/v1/store/carts/"+p.cart.ID, map[string]any{"email": "other@example.com"}, http.StatusOK)
			if !cmp.Equal([]string{onceEach}, codes(got)) {
				t.Errorf("codes after a good e-mail = %v", codes(got))
			}
		})
	}
}

// TestSignInWithAUsedUpCode: a guest applies the code under a fresh e-mail,
// then signs in as a customer who has used it. Signing in cannot fail, so
// the cart is adopted (or merged into the customer's cart) and the code
// stays on it without applying, like an expired code: no discount in the
// totals, checkout refused with promotion_exhausted before any stock is
// held, and checkout goes through once the code is removed.
func TestSignInWithAUsedUpCode(t *testing.T) {
	t.Parallel()
	for _, merge := range []bool{false, true} {
		name := "adopted"
		if merge {
			name = "merged"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newOnceEachShop(t)
			me := s.customer()
			me.orderWithCode("me@example.com", onceEach, "first-order")
			if merge {
				me.cartWith("")
			}
			g := s.guest()
			g.cartWith("fresh@example.com")
			g.step(http.MethodPost, "/v1/store/carts/"+g.cart.ID+"/discounts", map[string]any{"code": onceEach}, http.StatusOK)

			me.step(http.MethodPost, "/v1/store/carts/"+g.cart.ID+"/customer", nil, http.StatusOK)
			if len(me.cart.Discounts) != 0 || me.cart.DiscountTotal.Minor != 0 {
				t.Fatalf("after sign-in: discounts %v, discount_total %v; want none", me.cart.Discounts, me.cart.DiscountTotal)
			}
			me.ready()
			available := s.available(s.small)
			me.checkout("with-used-code", "tok_visa").ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_exhausted")
			if got := s.available(s.small); got != available {
				t.Errorf("available after the refused checkout = %d, want %d", got, available)
			}
			me.step(http.MethodDelete, "/v1/store/carts/"+me.cart.ID+"/discounts/"+onceEach, nil, http.StatusOK)
			if o := me.placeOrder("without-code"); o.DiscountTotal.Minor != 0 || o.Total != me.cart.Total {
				t.Errorf("order: discount %v total %v, want 0 and %v", o.DiscountTotal, o.Total, me.cart.Total)
			}
		})
	}
}
