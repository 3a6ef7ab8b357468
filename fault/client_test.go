package fault

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// client talks to a server (or, for the two-node test, to several) over
// plain HTTP: during a fault the answers are the point, so nothing here
// fails the test by itself.
type client struct {
	base string
	http *http.Client
}

func newClient(base string) *client {
	return &client{base: base, http: &http.Client{Timeout: 40 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
}

// answer is one response, or the transport error that stood for it.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
	Err    error
}

// code is a problem's code ("" when the body is not a problem).
func (a answer) code() string {
	var p struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(a.Body, &p)
	return p.Code
}

// retryAfter is the Retry-After header in seconds (0 when absent).
func (a answer) retryAfter() int {
	n, _ := strconv.Atoi(a.Header.Get("Retry-After"))
	return n
}

func (a answer) String() string {
	if a.Err != nil {
		return "transport error: " + a.Err.Error()
	}
	return fmt.Sprintf("%d %s", a.Status, strings.TrimSpace(string(a.Body)))
}

// do sends one request; body is JSON-encoded unless nil.
func (c *client) do(method, path, token string, body any, header map[string]string) answer {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return answer{Err: err}
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		return answer{Err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return answer{Err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: b, Err: err}
}

// must is do that fails the test unless the answer has status want, and
// decodes the body into out (when not nil).
func (c *client) must(t *testing.T, want int, method, path, token string, body, out any) {
	t.Helper()
	a := c.do(method, path, token, body, nil)
	if a.Err != nil || a.Status != want {
		t.Fatalf("%s %s: %v, want %d", method, path, a, want)
	}
	if out != nil {
		if err := json.Unmarshal(a.Body, out); err != nil {
			t.Fatalf("%s %s: decode: %v", method, path, err)
		}
	}
}

// staffToken creates an admin with the node's binary (as an operator
// would) and signs in.
func staffToken(t *testing.T, n *node, c *client) string {
	t.Helper()
	n.run("admin", "create", "--email", "ops@fault.test", "--password", "fault-test-password", "--role", "admin")
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	c.must(t, http.StatusOK, http.MethodPost, "/v1/auth/staff/login", "",
		map[string]any{"email": "ops@fault.test", "password": "fault-test-password"}, &tok)
	return tok.AccessToken
}

var shopSeq atomic.Int64

// seedShop creates, through the admin API, one product with one variant
// priced EUR 12.00 and stocked with stock units in one warehouse, the EU
// region and a flat shipping option. It returns the variant, the warehouse
// and the shipping option.
func seedShop(t *testing.T, c *client, admin string, stock int64) (variant, warehouse, shipping string) {
	t.Helper()
	n := shopSeq.Add(1)
	eur := func(v int64) map[string]any { return map[string]any{"amount": v, "currency": "EUR"} }
	var p struct {
		Variants []struct {
			ID string `json:"id"`
		} `json:"variants"`
	}
	c.must(t, http.StatusCreated, http.MethodPost, "/v1/admin/products", admin, map[string]any{
		"title": fmt.Sprintf("Fault Cleanser %d", n), "status": "published",
		"variants": []any{map[string]any{"sku": fmt.Sprintf("FAULT-%d", n), "prices": []any{eur(1200)}}}}, &p)
	var obj struct {
		ID string `json:"id"`
	}
	c.must(t, http.StatusCreated, http.MethodPost, "/v1/admin/warehouses", admin, map[string]any{
		"code": fmt.Sprintf("F-%d", n), "name": "Fault", "country_code": "FR"}, &obj)
	warehouse = obj.ID
	c.must(t, http.StatusCreated, http.MethodPost, "/v1/admin/inventory/adjustments", admin, map[string]any{
		"variant_id": p.Variants[0].ID, "warehouse_id": warehouse, "delta": stock, "reason": "opening stock"}, nil)
	c.must(t, http.StatusCreated, http.MethodPost, "/v1/admin/regions", admin, map[string]any{"name": "EU",
		"currency": "EUR", "country_codes": []string{"FR"}, "tax_rate": 2000, "tax_inclusive": true}, &obj)
	c.must(t, http.StatusCreated, http.MethodPost, "/v1/admin/shipping-options", admin, map[string]any{
		"region_id": obj.ID, "name": "Post", "type": "flat", "amount": eur(490)}, &obj)
	return p.Variants[0].ID, warehouse, obj.ID
}

// readyCart makes a guest cart holding qty units of variant, with an
// address and shipping, ready to check out; it returns the cart id.
func readyCart(c *client, variant, shipping, email string, qty int64) (string, error) {
	var cart struct {
		ID string `json:"id"`
	}
	steps := []struct {
		method, path string
		body         any
		want         int
	}{
		{http.MethodPost, "/v1/store/carts", map[string]any{"currency": "EUR", "email": email}, http.StatusCreated},
		{http.MethodPost, "/items", map[string]any{"variant_id": variant, "quantity": qty}, http.StatusOK},
		{http.MethodPatch, "", map[string]any{"shipping_address": map[string]any{"first_name": "Camille",
			"last_name": "Martin", "line1": "12 rue de Rivoli", "city": "Paris", "postal_code": "75001",
			"country_code": "FR"}}, http.StatusOK},
		{http.MethodPost, "/shipping-method", map[string]any{"shipping_option_id": shipping}, http.StatusOK},
	}
	for i, s := range steps {
		path := s.path
		if i > 0 {
			path = "/v1/store/carts/" + cart.ID + s.path
		}
		a := c.do(s.method, path, "", s.body, nil)
		if a.Err != nil || a.Status != s.want {
			return "", &stepError{step: s.method + " " + path, a: a}
		}
		if i == 0 {
			if err := json.Unmarshal(a.Body, &cart); err != nil {
				return "", err
			}
		}
	}
	return cart.ID, nil
}

// stepError is a request of a multi-step flow that did not get its answer.
type stepError struct {
	step string
	a    answer
}

func (e *stepError) Error() string { return e.step + ": " + e.a.String() }

// checkout sends one checkout of cart with key, paying with tok_visa.
func (c *client) checkout(cart, key string) answer {
	return c.do(http.MethodPost, "/v1/store/carts/"+cart+"/checkout", "",
		map[string]any{"payment": map[string]any{"provider": "test", "method": "card", "token": "tok_visa"}},
		map[string]string{"Idempotency-Key": key})
}

// orderID is the order id of a 201 checkout answer.
func (a answer) orderID() string {
	var out struct {
		Order struct {
			ID string `json:"id"`
		} `json:"order"`
	}
	_ = json.Unmarshal(a.Body, &out)
	return out.Order.ID
}
