package api_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
)

// allTables are the tables a rejected request must leave untouched.
var allTables = []string{"customers", "staff_users", "refresh_tokens", "api_keys",
	"products", "variants", "variant_prices", "categories", "collections", "translations"}

// TestBadInputIsRejectedAndWritesNothing is issue #2's bad-input list, end to
// end: each request gets its problem+json status and code, and no table changes.
func TestBadInputIsRejectedAndWritesNothing(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	admin := h.StaffToken(t, "admin")
	customer, _ := h.CustomerToken(t)
	validProduct := `{"title":"Toner","status":"published","variants":[{"sku":"T-1","prices":[{"amount":100,"currency":"EUR"}]}]}`
	forged := forgeNoneToken()
	tampered := admin[:len(admin)-4] + "AAAA"

	tests := []struct {
		name   string
		req    apitest.Request
		status int
		code   string
	}{
		{"malformed JSON", apitest.Request{Method: http.MethodPost, Path: "/v1/admin/products", Token: admin, Body: `{"title":`}, 400, "malformed_request"},
		{"unknown field", apitest.Request{Method: http.MethodPost, Path: "/v1/admin/products", Token: admin,
			Body: strings.Replace(validProduct, `"title"`, `"id":"prod_x","title"`, 1)}, 400, "malformed_request"},
		{"invalid fields", apitest.Request{Method: http.MethodPost, Path: "/v1/admin/products", Token: admin,
			Body: `{"title":"","variants":[]}`}, 422, "validation_failed"},
		{"unknown product", apitest.Request{Method: http.MethodGet, Path: "/v1/store/products/no-such-product"}, 404, "not_found"},
		{"malformed product id", apitest.Request{Method: http.MethodGet, Path: "/v1/admin/products/prod_%27%20OR%201=1", Token: admin}, 404, "not_found"},
		{"customer token on admin route", apitest.Request{Method: http.MethodPost, Path: "/v1/admin/products", Token: customer, Body: validProduct}, 403, "forbidden"},
		{"no token on admin route", apitest.Request{Method: http.MethodPost, Path: "/v1/admin/products", Body: validProduct}, 401, "unauthenticated"},
		{"tampered JWT", apitest.Request{Method: http.MethodPost, Path: "/v1/admin/products", Token: tampered, Body: validProduct}, 401, "invalid_token"},
		{"alg none JWT", apitest.Request{Method: http.MethodPost, Path: "/v1/admin/products", Token: forged, Body: validProduct}, 401, "invalid_token"},
		{"body over 1 MB", apitest.Request{Method: http.MethodPost, Path: "/v1/admin/products", Token: admin,
			Body: `{"title":"` + strings.Repeat("a", 1<<20) + `"}`}, 413, "body_too_large"},
	}
	before := h.RowCounts(t, allTables...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.Do(tt.req).ExpectProblem(t, tt.status, tt.code)
		})
	}
	if d := cmp.Diff(before, h.RowCounts(t, allTables...)); d != "" {
		t.Errorf("rejected requests changed rows (-before +after):\n%s", d)
	}
}

// TestChunkedBodyOverLimitIs413: without a Content-Length the limit still holds.
func TestChunkedBodyOverLimitIs413(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	admin := h.StaffToken(t, "admin")
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write([]byte(`{"title":"`))
		chunk := []byte(strings.Repeat("a", 64<<10))
		for range 20 { // 1.25 MiB
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
		_, _ = pw.Write([]byte(`"}`))
		_ = pw.Close()
	}()
	req, err := http.NewRequest(http.MethodPost, h.URL+"/v1/admin/products", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status = %d, want 413", resp.StatusCode)
	}
	if n := h.RowCounts(t, "products")["products"]; n != 0 {
		t.Errorf("%d products written", n)
	}
}

// forgeNoneToken builds an unsigned {"alg":"none"} token claiming to be an admin.
func forgeNoneToken() string {
	enc := base64.RawURLEncoding.EncodeToString
	header := enc([]byte(`{"alg":"none","typ":"JWT"}`))
	claims := enc([]byte(`{"iss":"storekeep","aud":["admin"],"sub":"stf_x","kind":"staff","role":"admin","exp":4102444800}`))
	return header + "." + claims + "."
}
