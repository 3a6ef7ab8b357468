package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"storekeep/api"
	"storekeep/internal/demo"
)

// seedDemoOrders places the demo shop's past orders through the real API,
// in-process (no network), so the orders obey every rule an order placed
// by a storefront does: the demo customer's delivered, shipped, unfulfilled
// and canceled orders, paid with the test provider, one with WELCOME15,
// and (popup set) two sales at the Paris pop-up's counter.
func seedDemoOrders(ctx context.Context, srv *api.Server, popup demo.ChannelKey) error {
	c := &inProcess{ctx: ctx, srv: srv}
	var login struct {
		AccessToken string `json:"access_token"`
	}
	if err := c.do(http.MethodPost, "/v1/auth/customers/login", "", map[string]string{"email": demo.CustomerEmail,
		"password": demo.CustomerPassword}, &login); err != nil {
		return err
	}
	customer := login.AccessToken
	if err := c.do(http.MethodPost, "/v1/auth/staff/login", "", map[string]string{"email": demo.AdminEmail,
		"password": demo.AdminPassword}, &login); err != nil {
		return err
	}
	staff := login.AccessToken
	var products struct {
		Data []struct {
			Variants []struct {
				ID      string `json:"id"`
				InStock bool   `json:"in_stock"`
			} `json:"variants"`
		} `json:"data"`
	}
	if err := c.do(http.MethodGet, "/v1/store/products?limit=12&currency=EUR", "", nil, &products); err != nil {
		return err
	}
	var variants []string
	for _, p := range products.Data {
		if len(p.Variants) > 0 && p.Variants[0].InStock {
			variants = append(variants, p.Variants[0].ID)
		}
	}
	if len(variants) < 6 {
		return fmt.Errorf("demo orders: only %d products in stock", len(variants))
	}
	// Each order: its lines, an optional code, and how far it got.
	plan := []struct {
		lines []string
		code  string
		until string // delivered, shipped, confirmed, canceled
	}{
		{variants[0:2], "WELCOME15", "delivered"},
		{variants[2:3], "", "delivered"},
		{variants[3:5], "", "shipped"},
		{variants[5:6], "", "confirmed"},
		{variants[1:2], "", "canceled"},
		// Bought with the first product again: co-purchase data for
		// "bought together" (counted by the events consumer).
		{[]string{variants[0], variants[2]}, "", "delivered"},
	}
	orderIDs := make([]string, len(plan))
	for i, o := range plan {
		id, items, err := c.placeOrder(customer, o.lines, o.code, fmt.Sprintf("demo-order-%d", i))
		if err != nil {
			return fmt.Errorf("demo order %d: %w", i, err)
		}
		if err := c.advance(staff, id, items, o.until, i); err != nil {
			return fmt.Errorf("demo order %d: %w", i, err)
		}
		orderIDs[i] = id
	}
	if popup.ID != "" {
		if err := seedPopupSales(c, staff, popup, variants); err != nil {
			return err
		}
	}
	return seedDemoReviews(c, customer, staff, orderIDs[0], orderIDs[1], variants)
}

// seedPopupSales records two counter sales at the Paris pop-up through the
// point-of-sale route, as its till would: paid in cash or on the stand's
// card terminal (manual payments with the receipt number), handed over at
// once. One of them is the kit sold only there, which the pop-up's key
// finds in its catalog.
func seedPopupSales(c *inProcess, staff string, popup demo.ChannelKey, variants []string) error {
	var kit struct {
		Variants []struct {
			ID string `json:"id"`
		} `json:"variants"`
	}
	if err := c.do(http.MethodGet, "/v1/store/products/"+demo.PopupExclusiveHandle, "", nil, &kit,
		"X-Publishable-Key", popup.Key); err != nil {
		return fmt.Errorf("demo pop-up kit: %w", err)
	}
	if len(kit.Variants) == 0 {
		return fmt.Errorf("demo pop-up kit has no variant")
	}
	for i, sale := range []struct {
		lines           []string
		method, receipt string
	}{
		{[]string{kit.Variants[0].ID, variants[3]}, "cash", "TILL-0001"},
		{[]string{variants[0], variants[4]}, "card", "TPE-48213"},
	} {
		items := make([]map[string]any, len(sale.lines))
		for j, v := range sale.lines {
			items[j] = map[string]any{"variant_id": v, "quantity": 1}
		}
		body := map[string]any{"sales_channel_id": popup.ID, "items": items, "email": "popup-guest@skincare.test",
			"payment": map[string]string{"provider": "manual", "method": sale.method, "reference": sale.receipt}}
		if err := c.do(http.MethodPost, "/v1/admin/orders", staff, body, nil,
			"Idempotency-Key", fmt.Sprintf("demo-popup-%d", i)); err != nil {
			return fmt.Errorf("demo pop-up sale %d: %w", i, err)
		}
	}
	return nil
}

// seedDemoReviews has Camille review what her first two delivered orders
// brought (three products) and staff approve the reviews.
func seedDemoReviews(c *inProcess, customer, staff, first, second string, variants []string) error {
	var created struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	var ids []string
	for _, r := range []struct {
		order string
		items []map[string]any
	}{
		{first, []map[string]any{
			{"variant_id": variants[0], "rating": 5, "title": "Ma peau est apaisée", "body": "Douce, sans parfum, parfaite le matin."},
			{"variant_id": variants[1], "rating": 4, "title": "Très bien", "body": "Texture agréable, un peu cher."}}},
		{second, []map[string]any{
			{"variant_id": variants[2], "rating": 5, "title": "Je rachèterai", "body": "Efficace dès la première semaine."}}},
	} {
		if err := c.do(http.MethodPost, "/v1/store/orders/"+r.order+"/reviews", customer,
			map[string]any{"items": r.items}, &created); err != nil {
			return fmt.Errorf("demo reviews: %w", err)
		}
		for _, d := range created.Data {
			ids = append(ids, d.ID)
		}
	}
	for _, id := range ids {
		if err := c.do(http.MethodPatch, "/v1/admin/reviews/"+id, staff, map[string]any{"status": "approved"}, nil); err != nil {
			return fmt.Errorf("demo review moderation: %w", err)
		}
	}
	return nil
}

type inProcess struct {
	ctx context.Context
	srv *api.Server
}

// do sends one request to the server's handler; a non-2xx answer is an error.
func (c *inProcess) do(method, path, token string, body, out any, header ...string) error {
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req := httptest.NewRequestWithContext(c.ctx, method, path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	c.srv.Echo.ServeHTTP(rec, req)
	if rec.Code >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, rec.Code, bytes.TrimSpace(rec.Body.Bytes()))
	}
	if out != nil {
		return json.Unmarshal(rec.Body.Bytes(), out)
	}
	return nil
}

type orderItem struct {
	ID       string `json:"id"`
	Quantity int64  `json:"quantity"`
}

var demoAddress = map[string]any{"first_name": "Camille", "last_name": "Durand", "line1": "8 rue des Lilas",
	"city": "Lyon", "postal_code": "69003", "country_code": "FR", "phone": "+33 4 72 00 00 00"}

// placeOrder places an order of one unit of each of lines, as the
// customer of token, on the web store.
func (c *inProcess) placeOrder(token string, lines []string, code, key string) (string, []orderItem, error) {
	var cart struct {
		ID string `json:"id"`
	}
	if err := c.do(http.MethodPost, "/v1/store/carts", token, map[string]string{"currency": "EUR"}, &cart); err != nil {
		return "", nil, err
	}
	base := "/v1/store/carts/" + cart.ID
	for _, v := range lines {
		if err := c.do(http.MethodPost, base+"/items", token, map[string]any{"variant_id": v, "quantity": 1}, nil); err != nil {
			return "", nil, err
		}
	}
	if code != "" {
		if err := c.do(http.MethodPost, base+"/discounts", token, map[string]string{"code": code}, nil); err != nil {
			return "", nil, err
		}
	}
	patch := map[string]any{"shipping_address": demoAddress}
	if err := c.do(http.MethodPatch, base, token, patch, nil); err != nil {
		return "", nil, err
	}
	var opts struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := c.do(http.MethodGet, base+"/shipping-options", token, nil, &opts); err != nil {
		return "", nil, err
	}
	if len(opts.Data) == 0 {
		return "", nil, fmt.Errorf("no shipping option for the demo cart")
	}
	if err := c.do(http.MethodPost, base+"/shipping-method", token, map[string]string{"shipping_option_id": opts.Data[0].ID}, nil); err != nil {
		return "", nil, err
	}
	var out struct {
		Order struct {
			ID    string      `json:"id"`
			Items []orderItem `json:"items"`
		} `json:"order"`
	}
	err := c.do(http.MethodPost, base+"/checkout", token, map[string]any{"payment": map[string]string{"provider": "test",
		"method": "card", "token": "tok_visa"}}, &out, "Idempotency-Key", key)
	return out.Order.ID, out.Order.Items, err
}

// advance takes an order through fulfilment as far as until.
func (c *inProcess) advance(staff, orderID string, items []orderItem, until string, n int) error {
	base := "/v1/admin/orders/" + orderID
	if until == "canceled" {
		return c.do(http.MethodPost, base+"/cancel", staff, nil, nil, "Idempotency-Key", fmt.Sprintf("demo-cancel-%d", n))
	}
	if until == "confirmed" {
		return nil
	}
	var lines []map[string]any
	for _, it := range items {
		lines = append(lines, map[string]any{"item_id": it.ID, "quantity": it.Quantity})
	}
	var f struct {
		ID string `json:"id"`
	}
	if err := c.do(http.MethodPost, base+"/fulfillments", staff, map[string]any{"items": lines}, &f); err != nil {
		return err
	}
	fb := base + "/fulfillments/" + f.ID
	if err := c.do(http.MethodPost, fb+"/pack", staff, nil, nil); err != nil {
		return err
	}
	if err := c.do(http.MethodPost, fb+"/ship", staff, map[string]string{"carrier": "Colissimo",
		"tracking_number": fmt.Sprintf("6A%011d", 10000000+n)}, nil); err != nil {
		return err
	}
	if until == "delivered" {
		return c.do(http.MethodPost, fb+"/deliver", staff, nil, nil)
	}
	return nil
}
