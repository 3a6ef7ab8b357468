package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/customers"
)

const (
	customersURL = "/v1/admin/customers"
	groupsURL    = "/v1/admin/customer-groups"
	// Well-formed ids no row has.
	missingCustomer = "cus_06h1wbq28dxanf5st2bqp8yfxm"
	missingGroup    = "cgrp_06h1wbq28dxanf5st2bqp8yfxm"
)

var customerTables = []string{"customers", "customer_addresses", "customer_groups", "customer_group_members"}

// crm is a test shop with staff of every role and named customers.
type crm struct {
	t                               *testing.T
	h                               *apitest.Harness
	admin, manager, support, keeper string
	ada, grace, alan                apitest.Account
}

func newCRM(t *testing.T) crm {
	t.Helper()
	h := apitest.New(t)
	c := crm{t: t, h: h, admin: h.StaffToken(t, "admin"), manager: h.StaffToken(t, "manager"),
		support: h.StaffToken(t, "support"), keeper: h.StaffToken(t, "warehouse")}
	name := func(first, last string) apitest.Account {
		a := h.NewCustomer(t)
		h.Do(apitest.Request{Method: http.MethodPatch, Path: "/v1/store/customers/me", Token: a.AccessToken,
			Body: map[string]any{"first_name": first, "last_name": last}}).Expect(t, http.StatusOK)
		return a
	}
	// Created in this order, so listed newest first as alan, grace, ada.
	c.ada, c.grace, c.alan = name("Ada", "Lovelace"), name("Grace", "Hopper"), name("Alan", "Turing")
	return c
}

func (c crm) do(token, method, path string, body any) *apitest.Response {
	c.t.Helper()
	return c.h.Do(apitest.Request{Method: method, Path: path, Body: body, Token: token})
}

func (c crm) list(token, query string) ([]string, *string) {
	c.t.Helper()
	var l struct {
		Data       []customers.Profile `json:"data"`
		NextCursor *string             `json:"next_cursor"`
	}
	c.do(token, http.MethodGet, customersURL+query, nil).Expect(c.t, http.StatusOK).JSON(c.t, &l)
	ids := []string{}
	for _, p := range l.Data {
		ids = append(ids, p.ID)
	}
	return ids, l.NextCursor
}

func (c crm) group(name string) customers.Group {
	c.t.Helper()
	var g customers.Group
	c.do(c.manager, http.MethodPost, groupsURL, map[string]any{"name": name}).Expect(c.t, http.StatusCreated).JSON(c.t, &g)
	return g
}

func (c crm) detail(token, id string) customers.Detail {
	c.t.Helper()
	var d customers.Detail
	c.do(token, http.MethodGet, customersURL+"/"+id, nil).Expect(c.t, http.StatusOK).JSON(c.t, &d)
	return d
}

func TestAdminCustomerListAndSearch(t *testing.T) {
	t.Parallel()
	c := newCRM(t)
	vip := c.group("VIP")
	c.do(c.manager, http.MethodPut, groupsURL+"/"+vip.ID+"/customers/"+c.grace.ID, nil).Expect(t, http.StatusNoContent)
	c.do(c.manager, http.MethodPut, groupsURL+"/"+vip.ID+"/customers/"+c.ada.ID, nil).Expect(t, http.StatusNoContent)

	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"all newest first", "", []string{c.alan.ID, c.grace.ID, c.ada.ID}},
		{"name, any case", "?q=HOPPER", []string{c.grace.ID}},
		{"first name prefix", "?q=al", []string{c.alan.ID}},
		{"e-mail fragment", "?q=" + url.QueryEscape(strings.ToUpper(c.ada.Email[:20])), []string{c.ada.ID}},
		{"every word must match", "?q=" + url.QueryEscape("ada turing"), []string{}},
		{"full name", "?q=" + url.QueryEscape("  grace   hopper "), []string{c.grace.ID}},
		{"wildcards are literal", "?q=%25", []string{}},
		{"group", "?group_id=" + vip.ID, []string{c.grace.ID, c.ada.ID}},
		{"group and search", "?group_id=" + vip.ID + "&q=lovelace", []string{c.ada.ID}},
		{"unknown group", "?group_id=" + missingGroup, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := c.list(c.support, tt.query)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("ids (-want +got)\n%s", d)
			}
		})
	}

	// Cursor pages walk the same order without overlap.
	p1, next := c.list(c.manager, "?limit=2")
	if next == nil {
		t.Fatal("no next_cursor on a full first page")
	}
	p2, last := c.list(c.manager, "?limit=2&cursor="+*next)
	if d := cmp.Diff([]string{c.alan.ID, c.grace.ID, c.ada.ID}, append(p1, p2...)); d != "" || last != nil {
		t.Fatalf("pages (-want +got)\n%s (last cursor %v)", d, last)
	}

	for _, bad := range []string{"?group_id=42", "?q=" + strings.Repeat("x", 201), "?limit=0"} {
		c.do(c.support, http.MethodGet, customersURL+bad, nil).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	}
	c.do(c.support, http.MethodGet, customersURL+"?cursor=junk", nil).ExpectProblem(t, http.StatusBadRequest, "invalid_cursor")
}

func TestAdminCustomerDetail(t *testing.T) {
	t.Parallel()
	c := newCRM(t)
	var addr customers.Address
	c.do(c.ada.AccessToken, http.MethodPost, "/v1/store/customers/me/addresses", map[string]any{"first_name": "Ada",
		"last_name": "Lovelace", "line1": "12 St James's Square", "city": "London", "postal_code": "SW1Y 4JH",
		"country_code": "GB"}).Expect(t, http.StatusCreated).JSON(t, &addr)
	vip := c.group("VIP")
	c.do(c.manager, http.MethodPut, groupsURL+"/"+vip.ID+"/customers/"+c.ada.ID, nil).Expect(t, http.StatusNoContent)

	res := c.do(c.support, http.MethodGet, customersURL+"/"+c.ada.ID, nil).Expect(t, http.StatusOK)
	if raw := string(res.Body); strings.Contains(raw, "password") || strings.Contains(raw, "argon2") ||
		strings.Contains(raw, "search_text") {
		t.Fatalf("staff view leaks internals: %s", raw)
	}
	var d customers.Detail
	res.JSON(t, &d)
	if d.ID != c.ada.ID || d.Email != c.ada.Email || d.FirstName != "Ada" || d.ArchivedAt != nil {
		t.Fatalf("detail = %+v", d)
	}
	if diff := cmp.Diff([]customers.Address{addr}, d.Addresses); diff != "" {
		t.Errorf("addresses (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]customers.Group{vip}, d.Groups); diff != "" {
		t.Errorf("groups (-want +got)\n%s", diff)
	}
	// No orders yet: a zero count, an empty (not null) spend list, no last order.
	if d.Orders.OrderCount != 0 || d.Orders.LifetimeSpend == nil || len(d.Orders.LifetimeSpend) != 0 ||
		d.Orders.LastOrderAt != nil {
		t.Errorf("orders = %+v", d.Orders)
	}
	if !strings.Contains(string(res.Body), `"lifetime_spend":[]`) {
		t.Errorf("lifetime_spend is not an empty list: %s", res.Body)
	}

	c.do(c.support, http.MethodGet, customersURL+"/"+missingCustomer, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	c.do(c.support, http.MethodGet, customersURL+"/42", nil).ExpectProblem(t, http.StatusNotFound, "not_found")
}

func TestAdminCustomerPatchAndArchive(t *testing.T) {
	t.Parallel()
	c := newCRM(t)
	vip, wholesale := c.group("VIP"), c.group("Wholesale")
	var d customers.Detail
	c.do(c.manager, http.MethodPatch, customersURL+"/"+c.ada.ID, map[string]any{"phone": "+44 1", "last_name": "King",
		"group_ids": []string{wholesale.ID, vip.ID, vip.ID}}).Expect(t, http.StatusOK).JSON(t, &d)
	if d.LastName != "King" || d.Phone != "+44 1" || d.FirstName != "Ada" || len(d.Groups) != 2 {
		t.Fatalf("patched = %+v", d)
	}
	if ids, _ := c.list(c.support, "?q=king"); len(ids) != 1 || ids[0] != c.ada.ID {
		t.Fatalf("search by the new name = %v", ids)
	}
	c.do(c.manager, http.MethodPatch, customersURL+"/"+c.ada.ID, map[string]any{"group_ids": []string{vip.ID}}).
		Expect(t, http.StatusOK).JSON(t, &d)
	if len(d.Groups) != 1 || d.Groups[0].ID != vip.ID {
		t.Fatalf("groups after replacing = %+v", d.Groups)
	}

	before := c.detail(c.admin, c.ada.ID)
	tests := []struct {
		name   string
		token  string
		body   any
		status int
		code   string
		fields []string
	}{
		{"unknown group", c.manager, map[string]any{"group_ids": []string{vip.ID, missingGroup, "x"}}, 422,
			"validation_failed", []string{"group_ids[1]", "group_ids[2]"}},
		{"blank name", c.manager, map[string]any{"first_name": " "}, 422, "validation_failed", []string{"first_name"}},
		{"e-mail is the customer's", c.manager, map[string]any{"email": "x@example.com"}, 400, "malformed_request", nil},
		{"password hash", c.admin, map[string]any{"password_hash": "x"}, 400, "malformed_request", nil},
		{"support cannot write", c.support, map[string]any{"first_name": "Eve"}, 403, "forbidden", nil},
		{"warehouse cannot write", c.keeper, map[string]any{"first_name": "Eve"}, 403, "forbidden", nil},
		{"customer token", c.ada.AccessToken, map[string]any{"first_name": "Eve"}, 403, "forbidden", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := c.h.RowCounts(t, customerTables...)
			p := c.do(tt.token, http.MethodPatch, customersURL+"/"+c.ada.ID, tt.body).ExpectProblem(t, tt.status, tt.code)
			if tt.fields != nil {
				if diff := cmp.Diff(tt.fields, fieldsOf(p)); diff != "" {
					t.Errorf("fields (-want +got)\n%s", diff)
				}
			}
			if diff := cmp.Diff(rows, c.h.RowCounts(t, customerTables...)); diff != "" {
				t.Errorf("rows changed (-before +after)\n%s", diff)
			}
			if diff := cmp.Diff(before, c.detail(c.admin, c.ada.ID)); diff != "" {
				t.Errorf("customer changed (-before +after)\n%s", diff)
			}
		})
	}

	// Archive: support may not; a manager may, twice; the customer can no
	// longer sign in or refresh, and staff still see the account.
	c.do(c.support, http.MethodDelete, customersURL+"/"+c.ada.ID, nil).ExpectProblem(t, http.StatusForbidden, "forbidden")
	c.do(c.manager, http.MethodDelete, customersURL+"/"+c.ada.ID, nil).Expect(t, http.StatusNoContent)
	c.do(c.manager, http.MethodDelete, customersURL+"/"+c.ada.ID, nil).Expect(t, http.StatusNoContent)
	c.do(c.manager, http.MethodDelete, customersURL+"/"+missingCustomer, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	c.do("", http.MethodPost, "/v1/auth/customers/login", map[string]any{"email": c.ada.Email,
		"password": c.ada.Password}).ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
	if res := c.do("", http.MethodPost, "/v1/auth/refresh", map[string]any{"refresh_token": c.ada.RefreshToken}); res.Status != http.StatusUnauthorized {
		t.Fatalf("refresh after archive: status %d %s", res.Status, res.Body)
	}
	c.do(c.ada.AccessToken, http.MethodGet, "/v1/store/customers/me", nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	if d := c.detail(c.support, c.ada.ID); d.ArchivedAt == nil {
		t.Fatal("archived customer has no archived_at")
	}
	if ids, _ := c.list(c.support, ""); len(ids) != 3 {
		t.Fatalf("list after archive = %v, want archived customers listed too", ids)
	}
}

func TestAdminCustomerAccess(t *testing.T) {
	t.Parallel()
	c := newCRM(t)
	tests := []struct {
		name   string
		token  string
		status int
		code   string
	}{
		{"no token", "", 401, "unauthenticated"},
		{"customer token", c.ada.AccessToken, 403, "forbidden"},
		{"warehouse staff", c.keeper, 403, "forbidden"},
		{"support reads", c.support, 200, ""},
		{"manager reads", c.manager, 200, ""},
		{"admin reads", c.admin, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{customersURL, customersURL + "/" + c.ada.ID, groupsURL} {
				res := c.do(tt.token, http.MethodGet, path, nil)
				if tt.code == "" {
					res.Expect(t, tt.status)
					continue
				}
				res.ExpectProblem(t, tt.status, tt.code)
			}
		})
	}
}
