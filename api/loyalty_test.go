package api_test

import (
	"net/http"
	"testing"

	"storekeep/api/apitest"
	"storekeep/internal/customers"
	"storekeep/internal/loyalty"
)

// loyaltyShop is the shop fixture with a programme: 1 point per euro, a
// point worth 0.01 EUR, and a customer holding points.
func loyaltyShop(t *testing.T, points int64) (*shop, *shopper, string) {
	t.Helper()
	s := newShop(t, 100, 100)
	s.admin(http.MethodPut, "/v1/admin/loyalty/program", map[string]any{"earn_per_unit": 1, "redeem_value": eur(1),
		"expiry_days": 365, "tiers": []any{
			map[string]any{"key": "bronze", "name": "Bronze", "min_spend_12m": eur(0), "perks": map[string]any{}},
			map[string]any{"key": "silver", "name": "Silver", "min_spend_12m": eur(20000),
				"perks": map[string]any{"earn_multiplier": 1.5}}}}).Expect(t, http.StatusOK)
	tok, cus := s.h.CustomerToken(t)
	s.admin(http.MethodPost, "/v1/admin/customers/"+cus+"/loyalty/adjustments",
		map[string]any{"points": points, "reason": "opening balance"}).Expect(t, http.StatusCreated)
	return s, &shopper{s: s, token: tok}, cus
}

func (p *shopper) loyalty() loyalty.Summary {
	p.s.t.Helper()
	var out loyalty.Summary
	p.do(http.MethodGet, "/v1/store/customers/me/loyalty", nil).Expect(p.s.t, http.StatusOK).JSON(p.s.t, &out)
	return out
}

func ledgerSum(t *testing.T, s *shop, cus string) int64 {
	t.Helper()
	var sum int64
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT COALESCE(SUM(points), 0) FROM loyalty_ledger WHERE customer_id = ?`, cus).
		Scan(&sum).Error; err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestLoyaltyParallelSpend: 20 checkouts of 20 carts each redeeming 100 of
// the customer's 500 points, at once: exactly 5 succeed, the others are 422
// insufficient_points and leave nothing behind; the ledger sums to 0.
func TestLoyaltyParallelSpend(t *testing.T) {
	t.Parallel()
	s, owner, cus := loyaltyShop(t, 500)
	const n = 20
	shoppers := make([]*shopper, n)
	for i := range shoppers {
		p := &shopper{s: s, token: owner.token}
		p.newCart()
		p.add(s.small, 1)
		p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/loyalty", map[string]any{"points": 100}, http.StatusOK)
		p.ready()
		shoppers[i] = p
	}
	count := checkoutAll(shoppers)
	if count[http.StatusCreated] != 5 || count[http.StatusUnprocessableEntity] != n-5 {
		t.Fatalf("statuses = %v, want 5 x 201 and %d x 422", count, n-5)
	}
	if got := owner.loyalty().Points; got != 0 {
		t.Errorf("points = %d, want 0", got)
	}
	if sum := ledgerSum(t, s, cus); sum != 0 {
		t.Errorf("ledger sum = %d, want 0", sum)
	}
	if o := s.h.RowCounts(t, "orders")["orders"]; o != 5 {
		t.Errorf("orders = %d, want 5", o)
	}
	if got := s.available(s.small); got != 95 {
		t.Errorf("available = %d, want 95 (failed checkouts gave their units back)", got)
	}
}

// TestLoyaltyTotals: a code, points and tax add up to the cent, with tax
// included in prices and added to them; the order keeps the cart's totals.
func TestLoyaltyTotals(t *testing.T) {
	t.Parallel()
	s, p, cus := loyaltyShop(t, 1000)
	var obj struct {
		ID string `json:"id"`
	}
	s.admin(http.MethodPost, "/v1/admin/regions", map[string]any{"name": "Benelux", "currency": "EUR",
		"country_codes": []string{"BE"}, "tax_rate": 2100, "tax_inclusive": false}).
		Expect(t, http.StatusCreated).JSON(t, &obj)
	s.admin(http.MethodPost, "/v1/admin/shipping-options", map[string]any{"region_id": obj.ID, "name": "Bpost",
		"type": "flat", "amount": eur(490)}).Expect(t, http.StatusCreated).JSON(t, &obj)
	bpost := obj.ID
	cases := []struct {
		name                 string
		country, option      string
		discount, tax, total int64
	}{
		// 24.00 - 15 % (3.60) - 500 points (5.00) = 15.40 items; tax inside:
		// 15.40/6 = 2.57 and 4.90/6 = 0.82; total 15.40 + 4.90.
		{"inclusive", "FR", s.flat, 860, 339, 2030},
		// The same items net 15.40, + 21 %: 3.23 and 1.03 on 4.90 shipping.
		{"exclusive", "BE", bpost, 860, 426, 1540 + 490 + 426},
	}
	left := int64(1000)
	for _, c := range cases {
		p.newCart()
		p.add(s.small, 2)
		p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/discounts", map[string]any{"code": "WELCOME15"}, http.StatusOK)
		addr := map[string]any{}
		for k, v := range paris {
			addr[k] = v
		}
		addr["country_code"] = c.country
		p.step(http.MethodPatch, "/v1/store/carts/"+p.cart.ID, map[string]any{"shipping_address": addr}, http.StatusOK)
		p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/shipping-method",
			map[string]any{"shipping_option_id": c.option}, http.StatusOK)
		cart := p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/loyalty", map[string]any{"points": 500}, http.StatusOK)
		if cart.Loyalty == nil || cart.Loyalty.Points != 500 || cart.Loyalty.Amount.Minor != 500 {
			t.Fatalf("%s: loyalty = %+v, want 500 points worth 5.00", c.name, cart.Loyalty)
		}
		if cart.DiscountTotal.Minor != c.discount || cart.TaxTotal.Minor != c.tax || cart.Total.Minor != c.total {
			t.Fatalf("%s: discount %d tax %d total %d, want %d %d %d", c.name, cart.DiscountTotal.Minor,
				cart.TaxTotal.Minor, cart.Total.Minor, c.discount, c.tax, c.total)
		}
		var lines int64
		for _, it := range cart.Items {
			lines += it.Total.Minor
		}
		if c.name == "inclusive" && lines+490 != cart.Total.Minor {
			t.Errorf("%s: lines %d + shipping 490 != total %d", c.name, lines, cart.Total.Minor)
		}
		o := p.placeOrder("loy-" + c.name)
		left -= 500
		if o.Total.Minor != c.total || o.DiscountTotal.Minor != c.discount || o.TaxTotal.Minor != c.tax {
			t.Errorf("%s: order totals %d/%d/%d, want the cart's", c.name, o.Total.Minor, o.DiscountTotal.Minor, o.TaxTotal.Minor)
		}
		if got := p.loyalty().Points; got != left || ledgerSum(t, s, cus) != left {
			t.Errorf("%s: points = %d, want %d", c.name, got, left)
		}
	}
}

// TestLoyaltyBadInput: negative or too many points, and a guest cart ->
// clear 422s, nothing changed.
func TestLoyaltyBadInput(t *testing.T) {
	t.Parallel()
	s, p, cus := loyaltyShop(t, 300)
	p.newCart()
	p.add(s.small, 1) // 12.00: 1200 points at most
	path := "/v1/store/carts/" + p.cart.ID + "/loyalty"
	for _, c := range []struct {
		points any
		code   string
	}{{-5, "validation_failed"}, {0, "validation_failed"}, {301, "insufficient_points"}} {
		prob := p.do(http.MethodPost, path, map[string]any{"points": c.points}).ExpectProblem(t, http.StatusUnprocessableEntity, c.code)
		if len(prob.Errors) == 0 || prob.Errors[0].Field != "points" {
			t.Errorf("points %v: errors = %+v, want the field points", c.points, prob.Errors)
		}
	}
	s.admin(http.MethodPost, "/v1/admin/customers/"+cus+"/loyalty/adjustments",
		map[string]any{"points": 2000, "reason": "bonus"}).Expect(t, http.StatusCreated)
	p.do(http.MethodPost, path, map[string]any{"points": 1201}).ExpectProblem(t, http.StatusUnprocessableEntity, "points_exceed_subtotal")
	s.admin(http.MethodPost, "/v1/admin/customers/"+cus+"/loyalty/adjustments",
		map[string]any{"points": -5000, "reason": "too much"}).ExpectProblem(t, http.StatusUnprocessableEntity, "insufficient_points")
	cart := p.step(http.MethodGet, "/v1/store/carts/"+p.cart.ID, nil, http.StatusOK)
	if cart.Loyalty != nil || cart.DiscountTotal.Minor != 0 {
		t.Errorf("cart changed: loyalty %+v discount %d", cart.Loyalty, cart.DiscountTotal.Minor)
	}
	if got := p.loyalty().Points; got != 2300 || ledgerSum(t, s, cus) != 2300 {
		t.Errorf("points = %d, want 2300", got)
	}
	g := s.guestWith(s.small, 1)
	g.do(http.MethodPost, "/v1/store/carts/"+g.cart.ID+"/loyalty", map[string]any{"points": 1}).Expect(t, http.StatusUnauthorized)
}

// TestLoyaltyEarnAndReverse: a fulfilled order earns on its total excluding
// shipping and tax, an automation awards points once, a refund of half the
// order takes back half the earned points; the ledger sums to the balance.
func TestLoyaltyEarnAndReverse(t *testing.T) {
	t.Parallel()
	s, p, cus := loyaltyShop(t, 10)
	s.admin(http.MethodPost, "/v1/admin/automations", map[string]any{"name": "fulfilment bonus",
		"trigger": "order.fulfilled", "actions": []any{map[string]any{"type": "award_points", "points": 7}}}).
		Expect(t, http.StatusCreated)
	p.newCart()
	p.add(s.small, 2)
	p.ready()
	o := p.placeOrder("earn")
	if o.Total.Minor != 2890 {
		t.Fatalf("total = %d, want 2890", o.Total.Minor)
	}
	s.admin(http.MethodPost, "/v1/admin/orders/"+o.ID+"/fulfillments", map[string]any{"items": []any{
		map[string]any{"item_id": o.Items[0].ID, "quantity": 2}}}).Expect(t, http.StatusCreated)
	s.drain()
	s.drain()
	// 24.00 with 4.00 tax inside: 20 points; + 7 awarded.
	if got := p.loyalty(); got.Points != 37 || got.Tier == nil || got.Tier.Key != "bronze" {
		t.Fatalf("after fulfilment: %+v, want 37 points at bronze", got)
	}
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/" + o.ID + "/refunds", Token: s.manager,
		Header: map[string]string{"Idempotency-Key": "loy-refund"},
		Body:   map[string]any{"amount": eur(1445), "reason": "goodwill"}}).Expect(t, http.StatusCreated)
	s.drain()
	got := p.loyalty()
	if got.Points != 27 || ledgerSum(t, s, cus) != 27 {
		t.Fatalf("after the refund: %d points (ledger %d), want 27", got.Points, ledgerSum(t, s, cus))
	}
	kinds := map[string]int64{}
	for _, e := range got.History {
		kinds[e.Kind] += e.Points
	}
	if kinds["earn"] != 20 || kinds["reverse"] != -10 || kinds["adjust"] != 17 {
		t.Errorf("history by kind = %v, want earn 20, reverse -10, adjust 10+7", kinds)
	}
	// The staff view of the customer shows the same balance and tier.
	var d customers.Detail
	s.admin(http.MethodGet, "/v1/admin/customers/"+cus, nil).Expect(t, http.StatusOK).JSON(t, &d)
	if d.Loyalty.Points != 27 || d.Loyalty.Tier == nil || *d.Loyalty.Tier != "bronze" {
		t.Errorf("staff view's loyalty = %+v, want 27 points at bronze", d.Loyalty)
	}
}
