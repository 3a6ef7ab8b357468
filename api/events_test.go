package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/orders"
)

// event is an entry of GET /v1/admin/events.
type event struct {
	ID           string          `json:"id"`
	Type         string          `json:"type"`
	ResourceType string          `json:"resource_type"`
	ResourceID   string          `json:"resource_id"`
	Data         json.RawMessage `json:"data"`
}

// schemaOf is the contract schema of each resource type's data.
var schemaOf = map[string]string{"order": "Order", "refund": "Refund", "return": "Return", "product": "AdminProduct",
	"customer": "CustomerDetail", "purchase_order": "PurchaseOrder", "cart": "Cart"}

// events reads every page of GET /v1/admin/events with the query q (page
// size 2, so paging is exercised), checking each data against its schema.
func (s *shop) events(q url.Values) []event {
	s.t.Helper()
	var out []event
	q.Set("limit", "2")
	for {
		var l struct {
			Data       []event `json:"data"`
			NextCursor *string `json:"next_cursor"`
		}
		s.admin(http.MethodGet, "/v1/admin/events?"+q.Encode(), nil).Expect(s.t, http.StatusOK).JSON(s.t, &l)
		for _, e := range l.Data {
			if name, ok := schemaOf[e.ResourceType]; ok {
				apitest.MatchSchema(s.t, name, e.Data)
			}
		}
		out = append(out, l.Data...)
		if l.NextCursor == nil {
			return out
		}
		q.Set("cursor", *l.NextCursor)
	}
}

// lastEventID is the newest event's id ("" when there is none).
func (s *shop) lastEventID() string {
	s.t.Helper()
	all := s.events(url.Values{})
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1].ID
}

// typesAndIDs is each event as "type resource_id".
func typesAndIDs(evs []event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type + " " + e.ResourceID
	}
	return out
}

// sameJSON fails unless two documents are equal as JSON values.
func sameJSON(t *testing.T, what string, want, got []byte) {
	t.Helper()
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(w, g); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// TestOrderLifeEvents walks an order from checkout to a refunded return,
// and another to its cancellation, and reads back the exact events each
// step recorded, in order, each with the resource as the API returned it.
func TestOrderLifeEvents(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 10)
	start := s.lastEventID()
	buyer := s.customer()
	buyer.newCart()
	buyer.add(s.small, 2)
	buyer.ready()
	o := buyer.placeOrder("events-life")
	oid := o.ID
	base := "/v1/admin/orders/" + oid

	// A failed change records nothing: more units than ordered.
	before := len(s.events(url.Values{}))
	s.admin(http.MethodPost, base+"/fulfillments", map[string]any{"items": []map[string]any{
		{"item_id": o.Items[0].ID, "quantity": 3}}}).ExpectProblem(t, http.StatusUnprocessableEntity, "quantity_exceeds_unfulfilled")
	if n := len(s.events(url.Values{})); n != before {
		t.Fatalf("a refused fulfilment recorded %d events", n-before)
	}

	var f orders.Fulfillment
	s.admin(http.MethodPost, base+"/fulfillments", map[string]any{"items": []map[string]any{
		{"item_id": o.Items[0].ID, "quantity": 2}}}).Expect(t, http.StatusCreated).JSON(t, &f)
	s.admin(http.MethodPost, base+"/fulfillments/"+f.ID+"/ship", map[string]any{"carrier": "Colissimo",
		"tracking_number": "6A1"}).Expect(t, http.StatusOK)
	s.admin(http.MethodPost, base+"/fulfillments/"+f.ID+"/deliver", nil).Expect(t, http.StatusOK)
	// The last event's order is the order as GET returns it now.
	lifecycle := s.events(url.Values{"resource_id": {oid}})
	got := s.admin(http.MethodGet, base, nil).Expect(t, http.StatusOK)
	sameJSON(t, "order.delivered data vs GET", got.Body, lifecycle[len(lifecycle)-1].Data)

	var ret orders.Return
	buyer.do(http.MethodPost, "/v1/store/orders/"+oid+"/returns", map[string]any{"reason": "too small",
		"items": []map[string]any{{"item_id": o.Items[0].ID, "quantity": 1}}}).Expect(t, http.StatusCreated).JSON(t, &ret)
	s.admin(http.MethodPost, "/v1/admin/returns/"+ret.ID+"/receive", map[string]any{"warehouse_id": s.warehouse,
		"items": []map[string]any{{"item_id": o.Items[0].ID, "quantity": 1, "condition": "sellable"}}}).Expect(t, http.StatusOK)
	var refund orders.Refund
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: base + "/refunds", Token: s.manager,
		Header: map[string]string{"Idempotency-Key": "events-refund"},
		Body:   map[string]any{"amount": eur(100), "reason": "goodwill"}}).Expect(t, http.StatusCreated).JSON(t, &refund)
	var refunds []orders.Refund
	s.admin(http.MethodGet, base+"/refunds", nil).Expect(t, http.StatusOK).JSON(t, &struct {
		Data *[]orders.Refund `json:"data"`
	}{&refunds})
	if len(refunds) != 2 {
		t.Fatalf("refunds: %+v", refunds)
	}

	// The order's own events, then everything since the test began.
	want := []string{"order.created", "order.fulfilled", "order.paid", "order.shipped", "order.delivered"}
	var types []string
	for _, e := range s.events(url.Values{"resource_id": {oid}}) {
		types = append(types, e.Type)
	}
	if d := cmp.Diff(want, types); d != "" {
		t.Errorf("the order's events (-want +got):\n%s", d)
	}
	all := s.events(url.Values{"after": {start}})
	wantAll := []string{"customer.created " + all[0].ResourceID}
	for _, typ := range want {
		wantAll = append(wantAll, typ+" "+oid)
	}
	wantAll = append(wantAll, "return.requested "+ret.ID, "return.received "+ret.ID,
		"refund.created "+refunds[0].ID, "refund.created "+refund.ID)
	if d := cmp.Diff(wantAll, typesAndIDs(all)); d != "" {
		t.Errorf("events since the start (-want +got):\n%s", d)
	}
	// order.paid came with the capture: the money is captured in its data.
	var paid orders.Order
	if err := json.Unmarshal(all[3].Data, &paid); err != nil || paid.PaymentStatus != "captured" {
		t.Errorf("order.paid data: payment_status %q (%v)", paid.PaymentStatus, err)
	}

	// Cancel: order.created, order.canceled; a second cancel (409) adds nothing.
	g := s.guest()
	g.newCart()
	g.add(s.large, 1)
	g.ready()
	co := g.placeOrder("events-cancel")
	cancel := func(key string, want int) *apitest.Response {
		return s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/" + co.ID + "/cancel",
			Token: s.manager, Header: map[string]string{"Idempotency-Key": key}}).Expect(t, want)
	}
	cancel("events-cancel-1", http.StatusOK)
	cancel("events-cancel-2", http.StatusConflict)
	evs := s.events(url.Values{"resource_id": {co.ID}})
	if d := cmp.Diff([]string{"order.created " + co.ID, "order.canceled " + co.ID}, typesAndIDs(evs)); d != "" {
		t.Fatalf("canceled order's events (-want +got):\n%s", d)
	}
	var canceled orders.Order
	if err := json.Unmarshal(evs[1].Data, &canceled); err != nil || canceled.Status != "canceled" {
		t.Errorf("order.canceled data: status %q (%v)", canceled.Status, err)
	}

	// Filters: a prefix, an exact type.
	if n := len(s.events(url.Values{"type": {"order.*"}, "after": {start}})); n != 7 {
		t.Errorf("order.* since the start: %d events, want 7", n)
	}
	if n := len(s.events(url.Values{"type": {"refund.created"}, "after": {start}})); n != 2 {
		t.Errorf("refund.created since the start: %d events, want 2", n)
	}
	var one event
	s.admin(http.MethodGet, "/v1/admin/events/"+evs[1].ID, nil).Expect(t, http.StatusOK).JSON(t, &one)
	if one.ID != evs[1].ID || one.Type != "order.canceled" {
		t.Errorf("GET one event = %+v", one)
	}
}

// Catalog, customers and purchasing: one event per API write, carrying the
// resource exactly as that write's answer, and none for a refused write.
func TestResourceEvents(t *testing.T) {
	t.Parallel()
	s := newShop(t, 0, 0)
	start := s.lastEventID()

	created := s.admin(http.MethodPost, "/v1/admin/products", map[string]any{"title": "Night Cream", "status": "draft",
		"options": []any{map[string]any{"name": "Size", "values": []string{"50 ml"}}},
		"variants": []any{map[string]any{"sku": "NC-50", "options": map[string]string{"Size": "50 ml"},
			"prices": []any{eur(2900)}}}}).Expect(t, http.StatusCreated)
	var p struct {
		ID       string `json:"id"`
		Variants []struct {
			ID string `json:"id"`
		} `json:"variants"`
	}
	created.JSON(t, &p)
	s.admin(http.MethodPost, "/v1/admin/products", map[string]any{"title": ""}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	patched := s.admin(http.MethodPatch, "/v1/admin/products/"+p.ID, map[string]any{"status": "published"}).Expect(t, http.StatusOK)
	priced := s.admin(http.MethodPatch, "/v1/admin/products/"+p.ID+"/variants/"+p.Variants[0].ID,
		map[string]any{"prices": []any{eur(3100)}}).Expect(t, http.StatusOK)
	evs := s.events(url.Values{"resource_id": {p.ID}})
	if d := cmp.Diff([]string{"product.created " + p.ID, "product.updated " + p.ID, "product.updated " + p.ID},
		typesAndIDs(evs)); d != "" {
		t.Fatalf("product events (-want +got):\n%s", d)
	}
	for i, body := range [][]byte{created.Body, patched.Body, priced.Body} {
		sameJSON(t, evs[i].Type+" data vs the write's answer", body, evs[i].Data)
	}

	reg := s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/auth/customers/register", Body: map[string]any{
		"email": "events-new@example.com", "password": "correct-horse-battery-9", "first_name": "Ada", "last_name": "L"}}).
		Expect(t, http.StatusCreated)
	var r struct {
		Customer struct {
			ID string `json:"id"`
		} `json:"customer"`
	}
	reg.JSON(t, &r)
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/auth/customers/register", Body: map[string]any{
		"email": "events-new@example.com", "password": "correct-horse-battery-9", "first_name": "Ada", "last_name": "L"}}).
		ExpectProblem(t, http.StatusConflict, "email_taken")
	evs = s.events(url.Values{"type": {"customer.created"}, "after": {start}})
	if len(evs) != 1 || evs[0].ResourceID != r.Customer.ID {
		t.Fatalf("customer.created: %v", typesAndIDs(evs))
	}
	detail := s.admin(http.MethodGet, "/v1/admin/customers/"+r.Customer.ID, nil).Expect(t, http.StatusOK)
	sameJSON(t, "customer.created data vs GET", detail.Body, evs[0].Data)

	var sup struct {
		ID string `json:"id"`
	}
	s.admin(http.MethodPost, "/v1/admin/suppliers", map[string]any{"name": "Lumière Labs", "currency": "EUR"}).
		Expect(t, http.StatusCreated).JSON(t, &sup)
	po := s.admin(http.MethodPost, "/v1/admin/purchase-orders", map[string]any{"supplier_id": sup.ID,
		"items": []any{map[string]any{"variant_id": p.Variants[0].ID, "quantity": 24, "unit_cost": eur(900)}}}).
		Expect(t, http.StatusCreated)
	evs = s.events(url.Values{"type": {"purchase_order.*"}, "after": {start}})
	if len(evs) != 1 {
		t.Fatalf("purchase_order events: %v", typesAndIDs(evs))
	}
	sameJSON(t, "purchase_order.created data vs the answer", po.Body, evs[0].Data)
}

// The list's filters are checked (422 naming each bad one), staff below
// manager may not read events, and an unknown id is 404.
func TestEventListRules(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	manager := h.StaffToken(t, "manager")
	for _, tc := range []struct{ query, field string }{
		{"type=order.", "type"},
		{"type=Order.Paid", "type"},
		{"type=order.*.paid", "type"},
		{"type=%2A.paid", "type"},
		{"resource_id=a%20b", "resource_id"},
		{"after=order_06h1wbq28dxanf5st2bqp8yfxm", "after"},
		{"after=evt_1", "after"},
	} {
		p := h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/events?" + tc.query, Token: manager}).
			ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
		if len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
			t.Errorf("%s: errors %+v, want one on %s", tc.query, p.Errors, tc.field)
		}
	}
	for _, role := range []string{"support", "warehouse"} {
		h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/events", Token: h.StaffToken(t, role)}).
			ExpectProblem(t, http.StatusForbidden, "forbidden")
	}
	for _, id := range []string{"evt_06h1wbq28dxanf5st2bqp8yfxm", "nope"} {
		h.Do(apitest.Request{Method: http.MethodGet, Path: fmt.Sprintf("/v1/admin/events/%s", id), Token: manager}).
			ExpectProblem(t, http.StatusNotFound, "not_found")
	}
	for _, q := range []string{"type=*", "type=support.*", "type=cart.abandoned", "resource_id=cart_x"} {
		h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/events?" + q, Token: manager}).Expect(t, http.StatusOK)
	}
}
