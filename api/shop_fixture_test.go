package api_test

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"storekeep/api/apitest"
	"storekeep/internal/checkout"
	"storekeep/internal/orders"
)

// shop is a small configured store for cart and checkout tests: one
// product with two sizes (EUR 12.00 / 180 g and EUR 20.00 / 340 g) stocked
// in one warehouse, the EU region (EUR, FR and DE, 20 % tax included in
// prices), two shipping options and the WELCOME15 code (15 %).
type shop struct {
	t         testing.TB
	h         *apitest.Harness
	manager   string
	small     string // variant ids
	large     string
	warehouse string
	region    string
	flat      string // shipping option ids: flat 4.90
	express   string // 6.90, free over 50.00
}

var shopSeq atomic.Int64

// eur is a Money body in euros.
func eur(v int64) map[string]any { return map[string]any{"amount": v, "currency": "EUR"} }

func newShop(t testing.TB, smallStock, largeStock int64, opts ...apitest.Option) *shop {
	t.Helper()
	h := apitest.New(t, opts...)
	s := &shop{t: t, h: h, manager: h.StaffToken(t, "manager")}
	n := shopSeq.Add(1)
	var p struct {
		Variants []struct {
			ID string `json:"id"`
		} `json:"variants"`
	}
	s.admin(http.MethodPost, "/v1/admin/products", map[string]any{"title": fmt.Sprintf("Gel Cleanser %d", n),
		"status": "published", "options": []any{map[string]any{"name": "Size", "values": []string{"150 ml", "300 ml"}}},
		"variants": []any{
			map[string]any{"sku": fmt.Sprintf("GEL-%d-150", n), "options": map[string]string{"Size": "150 ml"},
				"prices": []any{eur(1200)}, "weight_grams": 180},
			map[string]any{"sku": fmt.Sprintf("GEL-%d-300", n), "options": map[string]string{"Size": "300 ml"},
				"prices": []any{eur(2000)}, "weight_grams": 340},
		}}).Expect(t, http.StatusCreated).JSON(t, &p)
	s.small, s.large = p.Variants[0].ID, p.Variants[1].ID
	var obj struct {
		ID string `json:"id"`
	}
	s.admin(http.MethodPost, "/v1/admin/warehouses", map[string]any{"code": fmt.Sprintf("PAR-%d", n), "name": "Paris",
		"country_code": "FR"}).Expect(t, http.StatusCreated).JSON(t, &obj)
	s.warehouse = obj.ID
	for v, q := range map[string]int64{s.small: smallStock, s.large: largeStock} {
		if q > 0 {
			s.admin(http.MethodPost, "/v1/admin/inventory/adjustments", map[string]any{"variant_id": v,
				"warehouse_id": s.warehouse, "delta": q, "reason": "opening stock"}).Expect(t, http.StatusCreated)
		}
	}
	s.admin(http.MethodPost, "/v1/admin/regions", map[string]any{"name": "EU", "currency": "EUR",
		"country_codes": []string{"FR", "DE"}, "tax_rate": 2000, "tax_inclusive": true}).
		Expect(t, http.StatusCreated).JSON(t, &obj)
	s.region = obj.ID
	s.admin(http.MethodPost, "/v1/admin/shipping-options", map[string]any{"region_id": s.region, "name": "Colissimo",
		"type": "flat", "amount": eur(490)}).Expect(t, http.StatusCreated).JSON(t, &obj)
	s.flat = obj.ID
	s.admin(http.MethodPost, "/v1/admin/shipping-options", map[string]any{"region_id": s.region, "name": "Express",
		"type": "free_over", "amount": eur(690), "free_over": eur(5000)}).
		Expect(t, http.StatusCreated).JSON(t, &obj)
	s.express = obj.ID
	s.admin(http.MethodPost, "/v1/admin/promotions", map[string]any{"code": "WELCOME15", "type": "percentage",
		"percentage": 1500}).Expect(t, http.StatusCreated)
	return s
}

func (s *shop) admin(method, path string, body any) *apitest.Response {
	s.t.Helper()
	return s.h.Do(apitest.Request{Method: method, Path: path, Body: body, Token: s.manager})
}

// shopper is a guest (token "") or a customer driving one cart.
type shopper struct {
	s     *shop
	token string
	// email is the new cart's e-mail (default camille@example.com).
	email string
	// key is the X-Publishable-Key sent on every request ("": none).
	key  string
	cart checkout.Cart
}

func (s *shop) guest() *shopper { return &shopper{s: s} }

// guestWith is a guest whose new cart holds qty units of variant.
func (s *shop) guestWith(variant string, qty int64) *shopper {
	p := s.guest()
	p.newCart()
	p.add(variant, qty)
	return p
}

func (s *shop) customer() *shopper {
	tok, _ := s.h.CustomerToken(s.t)
	return &shopper{s: s, token: tok}
}

func (p *shopper) do(method, path string, body any) *apitest.Response {
	p.s.t.Helper()
	return p.s.h.Do(apitest.Request{Method: method, Path: path, Body: body, Token: p.token, Header: p.keyHeader()})
}

// keyHeader is the shopper's publishable key header (nil without one).
func (p *shopper) keyHeader() map[string]string {
	if p.key == "" {
		return nil
	}
	return map[string]string{"X-Publishable-Key": p.key}
}

// step sends a cart request that must succeed and keeps the cart it returns.
func (p *shopper) step(method, path string, body any, want int) checkout.Cart {
	p.s.t.Helper()
	p.do(method, path, body).Expect(p.s.t, want).JSON(p.s.t, &p.cart)
	return p.cart
}

func (p *shopper) newCart() checkout.Cart {
	email := p.email
	if email == "" {
		email = "camille@example.com"
	}
	return p.step(http.MethodPost, "/v1/store/carts", map[string]any{"currency": "EUR", "email": email},
		http.StatusCreated)
}

func (p *shopper) add(variant string, qty int64) checkout.Cart {
	return p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/items",
		map[string]any{"variant_id": variant, "quantity": qty}, http.StatusOK)
}

var paris = map[string]any{"first_name": "Camille", "last_name": "Martin", "line1": "12 rue de Rivoli",
	"city": "Paris", "postal_code": "75001", "country_code": "FR"}

// ready fills the cart's address and picks the flat shipping option.
func (p *shopper) ready() checkout.Cart {
	p.step(http.MethodPatch, "/v1/store/carts/"+p.cart.ID, map[string]any{"shipping_address": paris}, http.StatusOK)
	return p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/shipping-method",
		map[string]any{"shipping_option_id": p.s.flat}, http.StatusOK)
}

func (p *shopper) checkout(key, token string) *apitest.Response {
	p.s.t.Helper()
	return p.s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/carts/" + p.cart.ID + "/checkout",
		Token: p.token, Header: withHeaders(p.keyHeader(), "Idempotency-Key", key),
		Body: map[string]any{"payment": map[string]any{"provider": "test", "method": "card", "token": token}}})
}

func (p *shopper) placeOrder(key string) orders.Order {
	p.s.t.Helper()
	var out struct {
		Order orders.Order `json:"order"`
	}
	p.checkout(key, "tok_visa").Expect(p.s.t, http.StatusCreated).JSON(p.s.t, &out)
	return out.Order
}

// available is the variant's available stock in the shop's warehouse.
func (s *shop) available(variant string) int64 {
	s.t.Helper()
	var l struct {
		Data []struct {
			Available int64 `json:"available"`
			Reserved  int64 `json:"reserved"`
		} `json:"data"`
	}
	s.admin(http.MethodGet, "/v1/admin/inventory/levels?variant_id="+variant+"&warehouse_id="+s.warehouse, nil).
		Expect(s.t, http.StatusOK).JSON(s.t, &l)
	if len(l.Data) == 0 {
		return 0
	}
	return l.Data[0].Available
}

// withHeaders is h (which may be nil) plus the name/value pairs kv.
func withHeaders(h map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}
