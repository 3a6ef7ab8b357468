package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"storekeep/internal/customers"
)

func TestCustomerGroupsCRUD(t *testing.T) {
	t.Parallel()
	c := newCRM(t)
	var g customers.Group
	c.do(c.manager, http.MethodPost, groupsURL, map[string]any{"name": " VIP ", "description": "Big spenders"}).
		Expect(t, http.StatusCreated).JSON(t, &g)
	if !strings.HasPrefix(g.ID, "cgrp_") || g.Name != "VIP" || g.Description != "Big spenders" {
		t.Fatalf("created %+v", g)
	}
	var got customers.Group
	c.do(c.support, http.MethodGet, groupsURL+"/"+g.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if d := cmp.Diff(g, got); d != "" {
		t.Fatalf("read back (-want +got)\n%s", d)
	}
	c.do(c.admin, http.MethodPatch, groupsURL+"/"+g.ID, map[string]any{"description": "Over 500 EUR"}).
		Expect(t, http.StatusOK).JSON(t, &got)
	want := g
	want.Description = "Over 500 EUR"
	if d := cmp.Diff(want, got, cmpopts.IgnoreFields(customers.Group{}, "UpdatedAt")); d != "" {
		t.Fatalf("patched (-want +got)\n%s", d)
	}
	alpha := c.group("Alpha")
	var l struct {
		Data       []customers.Group `json:"data"`
		NextCursor *string           `json:"next_cursor"`
	}
	c.do(c.support, http.MethodGet, groupsURL+"?limit=1", nil).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 1 || l.Data[0].ID != alpha.ID || l.NextCursor == nil {
		t.Fatalf("first page by name = %+v", l)
	}
	c.do(c.support, http.MethodGet, groupsURL+"?limit=1&cursor="+*l.NextCursor, nil).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 1 || l.Data[0].ID != g.ID || l.NextCursor != nil {
		t.Fatalf("second page = %+v", l)
	}

	// Membership: idempotent add, remove, remove again is 404.
	member := groupsURL + "/" + g.ID + "/customers/" + c.grace.ID
	c.do(c.manager, http.MethodPut, member, nil).Expect(t, http.StatusNoContent)
	c.do(c.manager, http.MethodPut, member, nil).Expect(t, http.StatusNoContent)
	if n := c.h.RowCounts(t, "customer_group_members")["customer_group_members"]; n != 1 {
		t.Fatalf("%d memberships after adding twice", n)
	}
	if d := c.detail(c.support, c.grace.ID); len(d.Groups) != 1 || d.Groups[0].ID != g.ID {
		t.Fatalf("grace's groups = %+v", d.Groups)
	}
	c.do(c.manager, http.MethodDelete, member, nil).Expect(t, http.StatusNoContent)
	c.do(c.manager, http.MethodDelete, member, nil).ExpectProblem(t, http.StatusNotFound, "not_found")

	// Deleting a group drops its memberships, not the customers.
	c.do(c.manager, http.MethodPut, member, nil).Expect(t, http.StatusNoContent)
	c.do(c.manager, http.MethodDelete, groupsURL+"/"+g.ID, nil).Expect(t, http.StatusNoContent)
	c.do(c.support, http.MethodGet, groupsURL+"/"+g.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	c.do(c.manager, http.MethodDelete, groupsURL+"/"+g.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	rows := c.h.RowCounts(t, "customers", "customer_group_members")
	if d := cmp.Diff(map[string]int64{"customers": 3, "customer_group_members": 0}, rows); d != "" {
		t.Fatalf("rows after delete (-want +got)\n%s", d)
	}
}

func TestCustomerGroupsBadInput(t *testing.T) {
	t.Parallel()
	c := newCRM(t)
	vip := c.group("VIP")
	other := c.group("Other")
	tests := []struct {
		name   string
		token  string
		method string
		path   string
		body   any
		status int
		code   string
		fields []string
	}{
		{"name taken, any case", c.manager, http.MethodPost, groupsURL, map[string]any{"name": "vip"}, 409,
			"group_name_taken", nil},
		{"rename onto a taken name", c.manager, http.MethodPatch, groupsURL + "/" + other.ID,
			map[string]any{"name": "VIP"}, 409, "group_name_taken", nil},
		{"blank name", c.manager, http.MethodPost, groupsURL, map[string]any{"name": "  "}, 422,
			"validation_failed", []string{"name"}},
		{"long fields", c.manager, http.MethodPost, groupsURL, map[string]any{"name": strings.Repeat("n", 101),
			"description": strings.Repeat("d", 1001)}, 422, "validation_failed", []string{"name", "description"}},
		{"unknown field", c.manager, http.MethodPost, groupsURL, map[string]any{"name": "X", "id": missingGroup},
			400, "malformed_request", nil},
		{"support cannot create", c.support, http.MethodPost, groupsURL, map[string]any{"name": "X"}, 403,
			"forbidden", nil},
		{"warehouse cannot read", c.keeper, http.MethodGet, groupsURL, nil, 403, "forbidden", nil},
		{"customer token", c.ada.AccessToken, http.MethodPost, groupsURL, map[string]any{"name": "X"}, 403,
			"forbidden", nil},
		{"support cannot add members", c.support, http.MethodPut, groupsURL + "/" + vip.ID + "/customers/" + c.ada.ID,
			nil, 403, "forbidden", nil},
		{"unknown customer", c.manager, http.MethodPut, groupsURL + "/" + vip.ID + "/customers/" + missingCustomer,
			nil, 404, "not_found", nil},
		{"unknown group", c.manager, http.MethodPut, groupsURL + "/" + missingGroup + "/customers/" + c.ada.ID,
			nil, 404, "not_found", nil},
		{"malformed group id", c.manager, http.MethodGet, groupsURL + "/42", nil, 404, "not_found", nil},
		{"not a member", c.manager, http.MethodDelete, groupsURL + "/" + vip.ID + "/customers/" + c.ada.ID,
			nil, 404, "not_found", nil},
		{"support cannot delete", c.support, http.MethodDelete, groupsURL + "/" + vip.ID, nil, 403, "forbidden", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := c.h.RowCounts(t, customerTables...)
			p := c.do(tt.token, tt.method, tt.path, tt.body).ExpectProblem(t, tt.status, tt.code)
			if tt.fields != nil {
				if d := cmp.Diff(tt.fields, fieldsOf(p)); d != "" {
					t.Errorf("fields (-want +got)\n%s", d)
				}
			}
			if d := cmp.Diff(before, c.h.RowCounts(t, customerTables...)); d != "" {
				t.Errorf("rows changed (-before +after)\n%s", d)
			}
		})
	}
	var got customers.Group
	c.do(c.support, http.MethodGet, groupsURL+"/"+other.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if d := cmp.Diff(other, got); d != "" {
		t.Errorf("failed rename changed the group (-want +got)\n%s", d)
	}
}
