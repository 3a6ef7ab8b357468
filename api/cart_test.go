package api_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/checkout"
)

// TestCartTotalsAreExact walks a cart through lines, a code, an address and
// shipping, checking every figure against a hand computation (tax 20 %
// included in prices; rounding half away from zero per line):
//
//	2 x 12.00 + 1 x 20.00 = 44.00; WELCOME15 = 6.60, allocated 3.60 / 3.00;
//	items 37.40; flat shipping 4.90; total 42.30;
//	tax = 20.40/6 = 3.40 + 17.00/6 = 2.83 + 4.90/6 = 0.82 = 7.05.
func TestCartTotalsAreExact(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 5)
	p := s.guest()
	c := p.newCart()
	if c.Total.Minor != 0 || len(c.Items) != 0 || c.RegionID == nil || *c.RegionID != s.region {
		t.Fatalf("new cart = %+v", c)
	}
	p.add(s.small, 1)
	c = p.add(s.small, 1) // same variant: one line of 2
	c = p.add(s.large, 1)
	if len(c.Items) != 2 || c.Items[0].Quantity != 2 || c.Subtotal.Minor != 4400 {
		t.Fatalf("after adds: %d lines, first qty %d, subtotal %d", len(c.Items), c.Items[0].Quantity, c.Subtotal.Minor)
	}
	c = p.step(http.MethodPost, "/v1/store/carts/"+c.ID+"/discounts", map[string]any{"code": "welcome15"}, http.StatusOK)
	c = p.ready()

	type line struct{ Sub, Disc, Tax, Total int64 }
	gotLines := []line{}
	for _, it := range c.Items {
		gotLines = append(gotLines, line{it.Subtotal.Minor, it.DiscountTotal.Minor, it.TaxTotal.Minor, it.Total.Minor})
	}
	if d := cmp.Diff([]line{{2400, 360, 340, 2040}, {2000, 300, 283, 1700}}, gotLines); d != "" {
		t.Errorf("lines (-want +got)\n%s", d)
	}
	type totals struct{ Sub, Disc, Ship, Tax, Total int64 }
	got := totals{c.Subtotal.Minor, c.DiscountTotal.Minor, c.ShippingTotal.Minor, c.TaxTotal.Minor, c.Total.Minor}
	if d := cmp.Diff(totals{4400, 660, 490, 705, 4230}, got); d != "" {
		t.Errorf("totals (-want +got)\n%s", d)
	}
	type taxLine struct {
		On     string
		Rate   int64
		Amount int64
	}
	var gotTax []taxLine
	for _, tl := range c.TaxLines {
		gotTax = append(gotTax, taxLine{tl.AppliesTo, tl.Rate, tl.Amount.Minor})
	}
	if d := cmp.Diff([]taxLine{{"items", 2000, 623}, {"shipping", 2000, 82}}, gotTax); d != "" {
		t.Errorf("tax lines (-want +got)\n%s", d)
	}
	if len(c.Discounts) != 1 || c.Discounts[0].Code != "WELCOME15" || c.Discounts[0].Amount.Minor != 660 {
		t.Errorf("discounts = %+v", c.Discounts)
	}
	if c.ShippingMethod == nil || c.ShippingMethod.ShippingOptionID != s.flat || !c.TaxInclusive {
		t.Errorf("shipping method %+v, tax inclusive %v", c.ShippingMethod, c.TaxInclusive)
	}

	// The express option is free over 50.00 of discounted items: not yet.
	var opts struct {
		Data []checkout.CartShippingOption `json:"data"`
	}
	p.do(http.MethodGet, "/v1/store/carts/"+c.ID+"/shipping-options", nil).Expect(t, http.StatusOK).JSON(t, &opts)
	want := map[string]int64{s.flat: 490, s.express: 690}
	for _, o := range opts.Data {
		if want[o.ID] != o.Amount.Minor {
			t.Errorf("option %s = %d, want %d", o.Name, o.Amount.Minor, want[o.ID])
		}
		delete(want, o.ID)
	}
	if len(want) != 0 {
		t.Errorf("options missing: %v", want)
	}
	// Two more large: items 37.40 + 2 x 17.00 = 71.40 > 50: express is free.
	item := c.Items[1].ID
	p.step(http.MethodPatch, "/v1/store/carts/"+c.ID+"/items/"+item, map[string]any{"quantity": 3}, http.StatusOK)
	c = p.step(http.MethodPost, "/v1/store/carts/"+c.ID+"/shipping-method",
		map[string]any{"shipping_option_id": s.express}, http.StatusOK)
	if c.ShippingTotal.Minor != 0 || c.Subtotal.Minor != 8400 || c.DiscountTotal.Minor != 1260 || c.Total.Minor != 7140 {
		t.Errorf("with express: shipping %d subtotal %d discount %d total %d", c.ShippingTotal.Minor,
			c.Subtotal.Minor, c.DiscountTotal.Minor, c.Total.Minor)
	}
	// Removing the code and a line recomputes everything.
	p.step(http.MethodDelete, "/v1/store/carts/"+c.ID+"/discounts/WELCOME15", nil, http.StatusOK)
	c = p.step(http.MethodDelete, "/v1/store/carts/"+c.ID+"/items/"+item, nil, http.StatusOK)
	if len(c.Items) != 1 || c.DiscountTotal.Minor != 0 || c.Subtotal.Minor != 2400 || c.Total.Minor != 2400+690 {
		t.Errorf("after removals: %+v", c)
	}
}

// TestCartRejectsBadInputAndChangesNothing: client-sent prices, bad
// quantities, unknown variants, someone else's cart.
func TestCartRejectsBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	s := newShop(t, 3, 0)
	owner := s.customer()
	c := owner.newCart()
	owner.add(s.small, 1)
	tables := []string{"carts", "cart_items", "cart_discounts"}
	before := s.h.RowCounts(t, tables...)
	items := "/v1/store/carts/" + c.ID + "/items"
	other := s.customer()
	guest := s.guest()
	tests := []struct {
		name   string
		p      *shopper
		method string
		path   string
		body   any
		status int
		code   string
	}{
		{"client-sent price", owner, http.MethodPost, items, map[string]any{"variant_id": s.small, "quantity": 1, "unit_price": eur(1)}, 400, "malformed_request"},
		{"client-sent total", owner, http.MethodPatch, "/v1/store/carts/" + c.ID, map[string]any{"total": eur(0)}, 400, "malformed_request"},
		{"quantity zero", owner, http.MethodPost, items, map[string]any{"variant_id": s.small, "quantity": 0}, 422, "validation_failed"},
		{"negative quantity", owner, http.MethodPost, items, map[string]any{"variant_id": s.small, "quantity": -2}, 422, "validation_failed"},
		{"quantity above the line limit", owner, http.MethodPost, items, map[string]any{"variant_id": s.small, "quantity": 101}, 422, "validation_failed"},
		{"more than in stock", owner, http.MethodPost, items, map[string]any{"variant_id": s.small, "quantity": 3}, 409, "insufficient_stock"},
		{"out of stock", owner, http.MethodPost, items, map[string]any{"variant_id": s.large, "quantity": 1}, 409, "insufficient_stock"},
		{"unknown variant", owner, http.MethodPost, items, map[string]any{"variant_id": "var_06h1wbq28dxanf5st2bqp8yfxm", "quantity": 1}, 422, "validation_failed"},
		{"unknown code", owner, http.MethodPost, "/v1/store/carts/" + c.ID + "/discounts", map[string]any{"code": "NOPE"}, 422, "promotion_not_found"},
		{"address without city", owner, http.MethodPatch, "/v1/store/carts/" + c.ID, map[string]any{"shipping_address": map[string]any{"first_name": "A", "last_name": "B", "line1": "x", "postal_code": "1", "country_code": "FR"}}, 422, "validation_failed"},
		{"country not served", owner, http.MethodPatch, "/v1/store/carts/" + c.ID, map[string]any{"shipping_address": map[string]any{"first_name": "A", "last_name": "B", "line1": "x", "city": "NYC", "postal_code": "1", "country_code": "US"}}, 422, "region_unavailable"},
		{"unknown currency", owner, http.MethodPost, "/v1/store/carts", map[string]any{"currency": "XXX"}, 422, "validation_failed"},
		{"another customer's cart", other, http.MethodGet, "/v1/store/carts/" + c.ID, nil, 404, "not_found"},
		{"another customer adds to it", other, http.MethodPost, items, map[string]any{"variant_id": s.small, "quantity": 1}, 404, "not_found"},
		{"a guest opens a customer's cart", guest, http.MethodGet, "/v1/store/carts/" + c.ID, nil, 404, "not_found"},
		{"malformed cart id", owner, http.MethodGet, "/v1/store/carts/nope", nil, 404, "not_found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.p.do(tc.method, tc.path, tc.body).ExpectProblem(t, tc.status, tc.code)
		})
	}
	if d := cmp.Diff(before, s.h.RowCounts(t, tables...)); d != "" {
		t.Errorf("rows changed (-before +after)\n%s", d)
	}
	var got checkout.Cart
	owner.do(http.MethodGet, "/v1/store/carts/"+c.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if len(got.Items) != 1 || got.Items[0].Quantity != 1 || got.Items[0].UnitPrice.Minor != 1200 || got.Email != "camille@example.com" {
		t.Errorf("cart changed: %+v", got)
	}
}

// TestGuestCartMergesIntoTheCustomersCart: after sign-in the guest's lines
// join the customer's open cart and the guest cart is closed.
func TestGuestCartMergesIntoTheCustomersCart(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 10)
	me := s.customer()
	mine := me.newCart()
	me.add(s.small, 2)
	g := s.guest()
	guestCart := g.newCart()
	g.add(s.small, 1)
	g.add(s.large, 1)

	var merged checkout.Cart
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/carts/" + guestCart.ID + "/customer", Token: me.token}).
		Expect(t, http.StatusOK).JSON(t, &merged)
	if merged.ID != mine.ID || len(merged.Items) != 2 || merged.Items[0].Quantity != 3 || merged.Subtotal.Minor != 5600 {
		t.Fatalf("merged cart = %+v", merged)
	}
	g.do(http.MethodGet, "/v1/store/carts/"+guestCart.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")

	// Without an open cart of their own, the guest cart simply becomes theirs.
	other := s.customer()
	g2 := s.guest()
	c2 := g2.newCart()
	var adopted checkout.Cart
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/carts/" + c2.ID + "/customer", Token: other.token}).
		Expect(t, http.StatusOK).JSON(t, &adopted)
	if adopted.ID != c2.ID || adopted.CustomerID == nil {
		t.Fatalf("adopted = %+v", adopted)
	}
	// ... and the guest who still has its id can no longer open it.
	g2.do(http.MethodGet, "/v1/store/carts/"+c2.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
}

// TestDiscountCodeRefusals: each reason a code does not apply has its own
// 422 code, and the cart is unchanged.
func TestDiscountCodeRefusals(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 5)
	past, future := "2020-01-01T00:00:00Z", "2999-01-01T00:00:00Z"
	for _, body := range []map[string]any{
		{"code": "EXPIRED", "type": "percentage", "percentage": 1000, "ends_at": past},
		{"code": "NOTYET", "type": "percentage", "percentage": 1000, "starts_at": future},
		{"code": "MIN100", "type": "fixed", "amounts": []any{eur(500)}, "min_subtotals": []any{eur(10000)}},
		{"code": "ONCE", "type": "percentage", "percentage": 1000, "usage_limit": 1},
		{"code": "SOLO", "type": "free_shipping"},
	} {
		s.admin(http.MethodPost, "/v1/admin/promotions", body).Expect(t, http.StatusCreated)
	}
	first := s.guestWith(s.small, 1)
	first.step(http.MethodPost, "/v1/store/carts/"+first.cart.ID+"/discounts", map[string]any{"code": "ONCE"}, http.StatusOK)
	first.ready()
	first.placeOrder("once-1")

	plain := s.guestWith(s.small, 1) // no code yet
	coded := s.guestWith(s.small, 1) // has WELCOME15, which does not combine
	coded.step(http.MethodPost, "/v1/store/carts/"+coded.cart.ID+"/discounts", map[string]any{"code": "WELCOME15"}, http.StatusOK)
	for _, tc := range []struct {
		code, want string
		p          *shopper
	}{
		{"EXPIRED", "promotion_expired", plain}, {"NOTYET", "promotion_not_started", plain},
		{"MIN100", "promotion_minimum_not_met", plain}, {"ONCE", "promotion_exhausted", plain},
		{"NOSUCH", "promotion_not_found", plain}, {"SOLO", "promotion_not_combinable", coded},
	} {
		t.Run(tc.code, func(t *testing.T) {
			tc.p.do(http.MethodPost, "/v1/store/carts/"+tc.p.cart.ID+"/discounts", map[string]any{"code": tc.code}).
				ExpectProblem(t, http.StatusUnprocessableEntity, tc.want)
		})
	}
	for _, p := range []*shopper{plain, coded} {
		var got checkout.Cart
		p.do(http.MethodGet, "/v1/store/carts/"+p.cart.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
		if len(got.Discounts) != len(p.cart.Discounts) {
			t.Errorf("discounts after refusals: %+v, want %+v", got.Discounts, p.cart.Discounts)
		}
	}
}
