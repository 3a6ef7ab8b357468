package api_test

import (
	"bufio"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
)

// inputTables are the tables a refused request must leave as they were.
var inputTables = []string{"customers", "customer_addresses", "api_keys", "carts", "cart_items", "products",
	"variants", "stock_movements"}

func problemFields(p apitest.Problem) []string {
	out := []string{}
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

// TestControlCharactersInBodiesAre422NamingTheField is issue 8's defect 1
// for bodies: a NUL (or another control character, or invalid UTF-8, or in
// a single-line field a line break or a bidi control) anywhere in a JSON
// body is 422 validation_failed naming its JSON path, on every route, before
// anything reaches the database (on PostgreSQL a NUL used to be a 500; on
// SQLite and in cart addresses it was stored and copied into orders).
func TestControlCharactersInBodiesAre422NamingTheField(t *testing.T) {
	t.Parallel()
	s := newShop(t, 5, 0)
	h := s.h
	admin := h.StaffToken(t, "admin")
	cust, _ := h.CustomerToken(t)
	guest := s.guestWith(s.small, 1)
	cart := "/v1/store/carts/" + guest.cart.ID
	product := `"title":"Toner","status":"published","variants":[{"sku":"T-1","prices":[{"amount":100,"currency":"EUR"}]}]`

	tests := []struct {
		name        string
		method      string
		path, token string
		body        string
		field       string
	}{
		{"register e-mail", http.MethodPost, "/v1/auth/customers/register", "",
			`{"email":"bob\u0000@example.com","password":"correct horse battery","first_name":"Bob","last_name":"B"}`, "email"},
		{"register first name", http.MethodPost, "/v1/auth/customers/register", "",
			`{"email":"bob@example.com","password":"correct horse battery","first_name":"Bob\u0000","last_name":"B"}`, "first_name"},
		{"login e-mail", http.MethodPost, "/v1/auth/customers/login", "",
			`{"email":"bob\u0000@example.com","password":"correct horse battery"}`, "email"},
		{"staff login e-mail", http.MethodPost, "/v1/auth/staff/login", "",
			`{"email":"\u0000","password":"x"}`, "email"},
		{"password with NUL", http.MethodPost, "/v1/auth/customers/login", "",
			`{"email":"bob@example.com","password":"pass\u0000word"}`, "password"},
		{"profile last name", http.MethodPatch, "/v1/store/customers/me", cust, `{"last_name":"B\u0000"}`, "last_name"},
		{"address line", http.MethodPost, "/v1/store/customers/me/addresses", cust,
			`{"first_name":"C","last_name":"M","line1":"12 rue\u0000","city":"Paris","postal_code":"75001","country_code":"FR"}`, "line1"},
		{"cart shipping address", http.MethodPatch, cart, "",
			`{"shipping_address":{"first_name":"C","last_name":"M","line1":"12 rue\u0000","city":"Paris","postal_code":"75001","country_code":"FR"}}`,
			"shipping_address.line1"},
		{"cart e-mail", http.MethodPatch, cart, "", `{"email":"c\u0000@example.com"}`, "email"},
		{"cart address with escape sequence", http.MethodPatch, cart, "",
			`{"billing_address":{"first_name":"\u001b[2J","last_name":"M","line1":"1","city":"Paris","postal_code":"75001","country_code":"FR"}}`,
			"billing_address.first_name"},
		{"discount code", http.MethodPost, cart + "/discounts", "", `{"code":"WELCOME\u0000"}`, "code"},
		{"variant title", http.MethodPost, "/v1/admin/products", admin,
			`{"title":"Toner","variants":[{"sku":"T-1","title":"\u0001","prices":[{"amount":100,"currency":"EUR"}]}]}`, "variants[0].title"},
		{"product attribute", http.MethodPost, "/v1/admin/products", admin, `{` + product + `,"attributes":{"skin":"dry\u0000"}}`, "attributes.skin"},
		{"product attribute key", http.MethodPost, "/v1/admin/products", admin, `{` + product + `,"attributes":{"sk\u0000":"dry"}}`, `attributes["sk\x00"]`},
		{"product title with a line break", http.MethodPost, "/v1/admin/products", admin,
			`{"title":"Toner\nFREE","variants":[{"sku":"T-1","prices":[{"amount":100,"currency":"EUR"}]}]}`, "title"},
		{"product title with C1 control", http.MethodPost, "/v1/admin/products", admin,
			`{"title":"Toner\u009b","variants":[{"sku":"T-1","prices":[{"amount":100,"currency":"EUR"}]}]}`, "title"},
		{"product title with invalid UTF-8", http.MethodPost, "/v1/admin/products", admin,
			"{\"title\":\"Ton\xe9r\",\"variants\":[{\"sku\":\"T-1\",\"prices\":[{\"amount\":100,\"currency\":\"EUR\"}]}]}", "title"},
		{"product description with NUL", http.MethodPost, "/v1/admin/products", admin,
			`{` + product + `,"description":"a\u0000b"}`, "description"},
		{"tag", http.MethodPost, "/v1/admin/products", admin, `{` + product + `,"tags":["ok","\u0000"]}`, "tags[1]"},
		{"API key name", http.MethodPost, "/v1/admin/api-keys", admin, `{"name":"ci\u0000","role":"manager"}`, "name"},
		{"stock adjustment reason", http.MethodPost, "/v1/admin/inventory/adjustments", admin,
			`{"variant_id":"` + s.small + `","warehouse_id":"` + s.warehouse + `","delta":1,"reason":"x\u0000"}`, "reason"},
	}
	before := h.RowCounts(t, inputTables...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := h.Do(apitest.Request{Method: tt.method, Path: tt.path, Token: tt.token, Body: tt.body,
				Header: map[string]string{"Idempotency-Key": "k-" + tt.name}})
			p := res.ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
			if d := cmp.Diff([]string{tt.field}, problemFields(p)); d != "" {
				t.Errorf("errors[].field (-want +got):\n%s", d)
			}
		})
	}
	if d := cmp.Diff(before, h.RowCounts(t, inputTables...)); d != "" {
		t.Errorf("refused requests changed rows (-before +after):\n%s", d)
	}
	var c struct {
		Email           string `json:"email"`
		ShippingAddress any    `json:"shipping_address"`
	}
	guest.do(http.MethodGet, cart, nil).Expect(t, http.StatusOK).JSON(t, &c)
	if c.ShippingAddress != nil || c.Email != "camille@example.com" {
		t.Errorf("the cart changed: %+v", c)
	}
}

// TestFreeTextKeepsLineBreaks: fields marked text:"free" (descriptions,
// reasons, notes) keep tabs and line breaks, and accept formatting
// characters; the same characters are refused in a title.
func TestFreeTextKeepsLineBreaks(t *testing.T) {
	t.Parallel()
	s := newShop(t, 5, 0)
	desc := "Line one\n\tLine two\r\nשלום \u202b(quote)\u202c"
	var p struct {
		Description string `json:"description"`
	}
	s.admin(http.MethodPost, "/v1/admin/products", map[string]any{"title": "Toner", "description": desc,
		"seo":      map[string]any{"description": "short\nlong"},
		"variants": []any{map[string]any{"sku": "T-1", "prices": []any{eur(100)}}}}).
		Expect(t, http.StatusCreated).JSON(t, &p)
	if p.Description != desc {
		t.Errorf("description = %q, want %q", p.Description, desc)
	}
	s.admin(http.MethodPost, "/v1/admin/inventory/adjustments", map[string]any{"variant_id": s.small,
		"warehouse_id": s.warehouse, "delta": 1, "reason": "recount\nshelf B"}).Expect(t, http.StatusCreated)
}

// TestControlCharactersInParametersAre400 is defect 1 for query and path
// parameters: one middleware refuses them on every route with 400
// malformed_request naming the parameter, before any handler (a NUL in
// ?category= used to be a 500 on PostgreSQL).
func TestControlCharactersInParametersAre400(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	admin := h.StaffToken(t, "admin")
	tests := []struct {
		name, path, token, field string
	}{
		{"category", "/v1/store/products?category=%00", "", "category"},
		{"tag", "/v1/store/products?tag=vegan&tag=%00", "", "tag"},
		{"attribute filter", "/v1/store/products?attr.skin=dry%00", "", "attr.skin"},
		{"search", "/v1/store/products?q=%01", "", "q"},
		{"search with invalid UTF-8", "/v1/store/products?q=caf%E9", "", "q"},
		{"search with a bidi override", "/v1/store/products?q=a%E2%80%AEb", "", "q"},
		{"search with C1 control", "/v1/store/products?q=a%C2%85", "", "q"},
		{"line break", "/v1/store/products?sort=a%0Ab", "", "sort"},
		{"parameter name", "/v1/store/products?attr.%00=1", "", `"attr.\x00"`},
		{"parameter no route reads", "/v1/store/products?utm_source=%00", "", "utm_source"},
		{"path parameter", "/v1/store/products/%00", "", "id_or_handle"},
		{"cart id", "/v1/store/carts/cart_%00", "", "id"},
		{"admin search", "/v1/admin/customers?q=%00", admin, "q"},
		{"admin path", "/v1/admin/orders/order_%FF", admin, "id"},
		{"admin filter", "/v1/admin/orders?status=%00", admin, "status"},
		{"status filter", "/v1/admin/products?status=%7F", admin, "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := h.Do(apitest.Request{Method: http.MethodGet, Path: tt.path, Token: tt.token}).
				ExpectProblem(t, http.StatusBadRequest, "malformed_request")
			if d := cmp.Diff([]string{tt.field}, problemFields(p)); d != "" {
				t.Errorf("errors[].field (-want +got):\n%s", d)
			}
		})
	}
	// The bare characters stay fine where they are plain text.
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products?q=" + url.QueryEscape("crème 山田 👩\u200d🔬")}).
		Expect(t, http.StatusOK)
}

// TestCursorWithControlCharactersIsInvalid: a cursor is client input that
// reaches SQL once decoded; one holding a NUL is 400 invalid_cursor.
func TestCursorWithControlCharactersIsInvalid(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	for _, q := range []string{
		"sort=newest&cursor=" + base64.RawURLEncoding.EncodeToString([]byte(`{"k":"newest","i":"prod_\u0000"}`)),
		"sort=title&cursor=" + base64.RawURLEncoding.EncodeToString([]byte(`{"k":"title:a\u0000","i":"prod_1"}`)),
		"sort=newest&cursor=" + base64.RawURLEncoding.EncodeToString([]byte("{\"k\":\"newest\",\"i\":\"prod_\xff\"}")),
	} {
		h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products?" + q}).
			ExpectProblem(t, http.StatusBadRequest, "invalid_cursor")
	}
}

// TestStoredHeadersAreChecked: X-Session-Id and X-Anonymous-Id are stored
// on carts and orders. Go's server refuses control characters in header
// values itself; bytes over 0x7F (invalid UTF-8 for PostgreSQL) and
// overlong values are refused by the same middleware as parameters.
func TestStoredHeadersAreChecked(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	for name, v := range map[string]string{"X-Session-Id": "sess\xff", "X-Anonymous-Id": strings.Repeat("a", 101)} {
		p := h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/carts", Body: `{"currency":"EUR"}`,
			Header: map[string]string{name: v}}).ExpectProblem(t, http.StatusBadRequest, "malformed_request")
		if d := cmp.Diff([]string{name}, problemFields(p)); d != "" {
			t.Errorf("errors[].field (-want +got):\n%s", d)
		}
	}
	if n := h.RowCounts(t, "carts")["carts"]; n != 0 {
		t.Errorf("%d carts created", n)
	}

	// A NUL in a header value never reaches a handler: net/http answers 400.
	u, _ := url.Parse(h.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, err = conn.Write([]byte("POST /v1/store/carts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
		"X-Session-Id: a\x00b\r\nContent-Length: 18\r\n\r\n{\"currency\":\"EUR\"}"))
	if err != nil {
		t.Fatal(err)
	}
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.HasPrefix(status, "HTTP/1.1 400 ") {
		t.Errorf("a NUL in a header: status line %q (%v), want 400", status, err)
	}
	if n := h.RowCounts(t, "carts")["carts"]; n != 0 {
		t.Errorf("%d carts created", n)
	}
}

// TestAmbiguousKeysAre400 is issue 8's defect 7: encoding/json matches keys
// case-insensitively and keeps the last duplicate, so {"quantity":1,
// "QUANTITY":7} meant 7 to us and maybe 1 to a gateway. Duplicate keys, in
// any object including maps, and keys that match a field only by case are
// 400 malformed_request naming the key, and nothing changes.
func TestAmbiguousKeysAre400(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 10)
	g := s.guestWith(s.small, 1)
	items := "/v1/store/carts/" + g.cart.ID + "/items"
	v := `"variant_id":"` + s.large + `"`
	product := `"title":"Toner","variants":[{"sku":"T-1","prices":[{"amount":100,"currency":"EUR"}]}]`
	tests := []struct {
		name, method, path, token, body, field string
	}{
		{"case variant overrides quantity", http.MethodPost, items, "", `{` + v + `,"quantity":1,"QUANTITY":7}`, "QUANTITY"},
		{"duplicate quantity", http.MethodPost, items, "", `{` + v + `,"quantity":1,"quantity":7}`, "quantity"},
		{"case variant alone", http.MethodPost, items, "", `{` + v + `,"Quantity":1}`, "Quantity"},
		{"case variant key on cart creation", http.MethodPost, "/v1/store/carts", "", `{"Currency":"EUR"}`, "Currency"},
		{"duplicate in a nested address", http.MethodPatch, "/v1/store/carts/" + g.cart.ID, "",
			`{"shipping_address":{"first_name":"C","last_name":"M","line1":"1","city":"Paris","city":"Lyon","postal_code":"75001","country_code":"FR"}}`,
			"shipping_address.city"},
		{"duplicate attribute", http.MethodPost, "/v1/admin/products", s.manager, `{` + product + `,"attributes":{"skin":"dry","skin":"oily"}}`, "attributes.skin"},
		{"duplicate variant option", http.MethodPost, "/v1/admin/products", s.manager,
			`{"title":"Toner","variants":[{"sku":"T-1","options":{"Size":"1","Size":"2"},"prices":[{"amount":100,"currency":"EUR"}]}]}`,
			"variants[0].options.Size"},
		{"case variant in a price", http.MethodPost, "/v1/admin/products", s.manager,
			`{"title":"Toner","variants":[{"sku":"T-1","prices":[{"amount":100,"AMOUNT":1,"currency":"EUR"}]}]}`, "variants[0].prices[0].AMOUNT"},
		{"duplicate e-mail on sign-in", http.MethodPost, "/v1/auth/customers/login", "",
			`{"email":"a@example.com","email":"b@example.com","password":"correct horse battery"}`, "email"},
	}
	before := s.h.RowCounts(t, inputTables...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := s.h.Do(apitest.Request{Method: tt.method, Path: tt.path, Token: tt.token, Body: tt.body}).
				ExpectProblem(t, http.StatusBadRequest, "malformed_request")
			if d := cmp.Diff([]string{tt.field}, problemFields(p)); d != "" {
				t.Errorf("errors[].field (-want +got):\n%s", d)
			}
		})
	}
	if d := cmp.Diff(before, s.h.RowCounts(t, inputTables...)); d != "" {
		t.Errorf("refused requests changed rows (-before +after):\n%s", d)
	}
	// The same bodies spelled once and exactly are fine.
	c := g.step(http.MethodPost, items, `{`+v+`,"quantity":1}`, http.StatusOK)
	if len(c.Items) != 2 || c.Items[1].Quantity != 1 {
		t.Errorf("cart items = %+v, want the large size once", c.Items)
	}
}
