package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"storekeep/api/apitest"
	"storekeep/internal/orders"
)

// sellOn puts the product of variant on exactly the given sales channels
// (written directly: the product admin API owns that list).
func sellOn(t testing.TB, h *apitest.Harness, variant string, channelIDs ...string) {
	t.Helper()
	conn := h.DB.Conn(t.Context())
	var productID string
	if err := conn.Raw(`SELECT product_id FROM variants WHERE id = ?`, variant).Scan(&productID).Error; err != nil {
		t.Fatal(err)
	}
	if err := conn.Exec(`DELETE FROM product_sales_channels WHERE product_id = ?`, productID).Error; err != nil {
		t.Fatal(err)
	}
	for _, c := range channelIDs {
		if err := conn.Exec(`INSERT INTO product_sales_channels (product_id, sales_channel_id) VALUES (?, ?)`,
			productID, c).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// newWarehouse creates a warehouse and returns its id.
func (s *shop) newWarehouse(code string) string {
	s.t.Helper()
	var wh struct {
		ID string `json:"id"`
	}
	s.admin(http.MethodPost, "/v1/admin/warehouses", map[string]any{"code": code, "name": code, "country_code": "FR"}).
		Expect(s.t, http.StatusCreated).JSON(s.t, &wh)
	return wh.ID
}

// stock adds qty units of variant to warehouse wh.
func (s *shop) stock(variant, wh string, qty int64) {
	s.t.Helper()
	s.admin(http.MethodPost, "/v1/admin/inventory/adjustments", map[string]any{"variant_id": variant,
		"warehouse_id": wh, "delta": qty, "reason": "opening stock"}).Expect(s.t, http.StatusCreated)
}

// level is the variant's (on_hand, reserved) in warehouse wh.
func (s *shop) level(variant, wh string) [2]int64 {
	s.t.Helper()
	var l struct {
		Data []struct {
			OnHand   int64 `json:"on_hand"`
			Reserved int64 `json:"reserved"`
		} `json:"data"`
	}
	s.admin(http.MethodGet, "/v1/admin/inventory/levels?variant_id="+variant+"&warehouse_id="+wh, nil).
		Expect(s.t, http.StatusOK).JSON(s.t, &l)
	if len(l.Data) == 0 {
		return [2]int64{}
	}
	return [2]int64{l.Data[0].OnHand, l.Data[0].Reserved}
}

// channelOrders lists the admin orders of a sales channel.
func (s *shop) channelOrders(channelID string) []orders.Order {
	s.t.Helper()
	var l struct {
		Data []orders.Order `json:"data"`
	}
	s.admin(http.MethodGet, "/v1/admin/orders?sales_channel_id="+channelID, nil).Expect(s.t, http.StatusOK).JSON(s.t, &l)
	return l.Data
}

// TestCartsAndOrdersPerChannel: a cart records its channel and is only
// reachable with that channel's key; a product not on the channel cannot be
// added; stock is the channel's warehouses' only; the order records the
// channel, reserves from its warehouses, and is listed under it.
func TestCartsAndOrdersPerChannel(t *testing.T) {
	t.Parallel()
	s := newShop(t, 0, 0)
	w1, w2 := s.warehouse, s.newWarehouse("W2-"+fmt.Sprint(shopSeq.Load()))
	s.stock(s.small, w1, 5)
	s.stock(s.small, w2, 3)
	s.stock(s.large, w1, 5)
	a, keyA := newChannel(t, s.h, s.manager, "mobile", w1)
	b, keyB := newChannel(t, s.h, s.manager, "social", w2)
	sellOn(t, s.h, s.small, a.ID, b.ID) // small and large share a product
	var other struct {
		Variants []struct {
			ID string `json:"id"`
		} `json:"variants"`
	}
	s.admin(http.MethodPost, "/v1/admin/products", map[string]any{"title": "Pop-up only", "status": "published",
		"variants": []any{map[string]any{"sku": fmt.Sprintf("POP-%d", shopSeq.Load()), "prices": []any{eur(900)}}}}).
		Expect(t, http.StatusCreated).JSON(t, &other)
	popup := other.Variants[0].ID
	s.stock(popup, w2, 10)
	sellOn(t, s.h, popup, a.ID)

	p := s.guest()
	p.key = keyB.Key
	if c := p.newCart(); c.SalesChannelID != b.ID {
		t.Fatalf("cart sales_channel_id = %q, want %q", c.SalesChannelID, b.ID)
	}
	// Another channel's key, or none: the cart does not exist there.
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/carts/" + p.cart.ID,
		Header: map[string]string{"X-Publishable-Key": keyA.Key}}).ExpectProblem(t, http.StatusNotFound, "not_found")
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/carts/" + p.cart.ID}).
		ExpectProblem(t, http.StatusNotFound, "not_found")
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/carts/" + p.cart.ID + "/items",
		Body: map[string]any{"variant_id": s.small, "quantity": 1}}).ExpectProblem(t, http.StatusNotFound, "not_found")
	// A product not sold on B: refused like an unpublished one.
	p.do(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/items", map[string]any{"variant_id": popup, "quantity": 1}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "variant_unavailable")
	// B's stock is W2's 3 units, not the shop's 8.
	p.do(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/items", map[string]any{"variant_id": s.small, "quantity": 4}).
		ExpectProblem(t, http.StatusConflict, "insufficient_stock")
	// large is on B (same product) but only stocked in W1.
	p.do(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/items", map[string]any{"variant_id": s.large, "quantity": 1}).
		ExpectProblem(t, http.StatusConflict, "insufficient_stock")
	p.add(s.small, 3)
	p.ready()
	o := p.placeOrder("b-1")
	if o.SalesChannelID != b.ID {
		t.Fatalf("order sales_channel_id = %q, want %q", o.SalesChannelID, b.ID)
	}
	if l1, l2 := s.level(s.small, w1), s.level(s.small, w2); l1 != [2]int64{5, 0} || l2 != [2]int64{3, 3} {
		t.Fatalf("levels W1 %v W2 %v, want W1 untouched and W2's 3 units reserved", l1, l2)
	}
	// The order reads back with its channel and is listed under it only.
	var got orders.Order
	s.admin(http.MethodGet, "/v1/admin/orders/"+o.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if got.SalesChannelID != b.ID {
		t.Fatalf("admin order sales_channel_id = %q", got.SalesChannelID)
	}
	if l := s.channelOrders(b.ID); len(l) != 1 || l[0].ID != o.ID {
		t.Fatalf("orders of B = %+v, want the one order", l)
	}
	if l := s.channelOrders(a.ID); len(l) != 0 {
		t.Fatalf("orders of A = %d, want none", len(l))
	}

	// A with its key: the pop-up product sells (A's warehouse W1 has none,
	// W2 is not A's): insufficient. Without a key (default channel) the
	// product is not on the channel.
	pa := s.guest()
	pa.key = keyA.Key
	pa.newCart()
	pa.do(http.MethodPost, "/v1/store/carts/"+pa.cart.ID+"/items", map[string]any{"variant_id": popup, "quantity": 1}).
		ExpectProblem(t, http.StatusConflict, "insufficient_stock")
	pd := s.guest()
	pd.newCart()
	if pd.cart.SalesChannelID != defaultChannelID {
		t.Fatalf("keyless cart channel = %q", pd.cart.SalesChannelID)
	}
	pd.do(http.MethodPost, "/v1/store/carts/"+pd.cart.ID+"/items", map[string]any{"variant_id": popup, "quantity": 1}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "variant_unavailable")
	// A product sold on no channel at all is bought nowhere, the default
	// channel included.
	var nowhere struct {
		Variants []struct {
			ID string `json:"id"`
		} `json:"variants"`
	}
	s.admin(http.MethodPost, "/v1/admin/products", map[string]any{"title": "Not yet launched", "status": "published",
		"sales_channel_ids": []string{}, "variants": []any{map[string]any{"sku": fmt.Sprintf("NEW-%d", shopSeq.Load()),
			"prices": []any{eur(900)}}}}).Expect(t, http.StatusCreated).JSON(t, &nowhere)
	s.stock(nowhere.Variants[0].ID, w1, 10)
	pd.do(http.MethodPost, "/v1/store/carts/"+pd.cart.ID+"/items", map[string]any{"variant_id": nowhere.Variants[0].ID, "quantity": 1}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "variant_unavailable")

	// A channel that lost its warehouses cannot check out: 422, nothing reserved.
	pa.add(s.large, 2)
	pa.ready()
	s.admin(http.MethodPatch, "/v1/admin/sales-channels/"+a.ID, map[string]any{"warehouse_ids": []string{}}).
		Expect(t, http.StatusOK)
	pa.checkout("a-1", "tok_visa").ExpectProblem(t, http.StatusUnprocessableEntity, "channel_has_no_warehouses")
	if l := s.level(s.large, w1); l != [2]int64{5, 0} {
		t.Fatalf("large in W1 = %v after a refused checkout, want nothing reserved", l)
	}
	if l := s.channelOrders(a.ID); len(l) != 0 {
		t.Fatalf("orders of A = %d, want none", len(l))
	}
}

// TestOversellRacePerChannel: 5 units in W1 (channel A) and 5 in W2
// (channel B); 20 parallel checkouts of one unit on A -> exactly 5 orders,
// B's stock untouched; then an order with B's key records B and reserves
// from W2.
func TestOversellRacePerChannel(t *testing.T) {
	t.Parallel()
	s := newShop(t, 0, 0)
	w1, w2 := s.warehouse, s.newWarehouse("W2-"+fmt.Sprint(shopSeq.Load()))
	s.stock(s.small, w1, 5)
	s.stock(s.small, w2, 5)
	a, keyA := newChannel(t, s.h, s.manager, "mobile", w1)
	b, keyB := newChannel(t, s.h, s.manager, "pos", w2)
	sellOn(t, s.h, s.small, a.ID, b.ID)
	const n = 20
	shoppers := make([]*shopper, n)
	for i := range shoppers {
		shoppers[i] = s.guest()
		shoppers[i].key = keyA.Key
		shoppers[i].newCart()
		shoppers[i].add(s.small, 1)
		shoppers[i].ready()
	}
	count := checkoutAll(shoppers)
	if count[http.StatusCreated] != 5 || count[http.StatusConflict] != n-5 {
		t.Fatalf("statuses = %v, want 5 x 201 and %d x 409", count, n-5)
	}
	if l1, l2 := s.level(s.small, w1), s.level(s.small, w2); l1 != [2]int64{5, 5} || l2 != [2]int64{5, 0} {
		t.Fatalf("levels W1 %v W2 %v, want W1 fully reserved and W2 untouched", l1, l2)
	}
	if l := s.channelOrders(a.ID); len(l) != 5 {
		t.Fatalf("orders of A = %d, want 5", len(l))
	}
	pb := s.guest()
	pb.key = keyB.Key
	pb.newCart()
	pb.add(s.small, 2)
	pb.ready()
	o := pb.placeOrder("b-1")
	if o.SalesChannelID != b.ID {
		t.Fatalf("order channel = %q, want B", o.SalesChannelID)
	}
	if l2 := s.level(s.small, w2); l2 != [2]int64{5, 2} {
		t.Fatalf("W2 = %v, want 2 reserved", l2)
	}
}
