package admin_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/metrics"
	"storekeep/internal/platform/auth"
)

func TestMarketingSpend(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	manager := h.StaffToken(t, auth.RoleManager)
	do := func(token, method, path string, body any) *apitest.Response {
		t.Helper()
		return h.Do(apitest.Request{Method: method, Path: path, Token: token, Body: body})
	}
	var sp metrics.Spend
	do(manager, http.MethodPost, "/v1/admin/marketing/spend", map[string]any{"channel": "instagram",
		"period_start": "2025-01-01", "period_end": "2025-01-31", "amount": money(150000, "EUR")}).
		Expect(t, http.StatusCreated).JSON(t, &sp)
	if sp.Channel != "instagram" || sp.PeriodStart.String() != "2025-01-01" || sp.PeriodEnd.String() != "2025-01-31" ||
		sp.Amount.Minor != 150000 || sp.Amount.Currency != "EUR" {
		t.Fatalf("created %+v", sp)
	}
	// A one-day period is fine; so is a zero amount.
	var other metrics.Spend
	do(manager, http.MethodPost, "/v1/admin/marketing/spend", map[string]any{"channel": "newsletter",
		"period_start": "2025-02-01", "period_end": "2025-02-01", "amount": money(0, "USD")}).
		Expect(t, http.StatusCreated).JSON(t, &other)

	var got metrics.Spend
	do(manager, http.MethodGet, "/v1/admin/marketing/spend/"+sp.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if d := cmp.Diff(asJSON(t, sp), asJSON(t, got)); d != "" {
		t.Fatalf("read back (-want +got)\n%s", d)
	}
	do(manager, http.MethodPatch, "/v1/admin/marketing/spend/"+sp.ID, map[string]any{"period_end": "2025-02-28",
		"amount": money(200000, "EUR")}).Expect(t, http.StatusOK).JSON(t, &got)
	if got.PeriodEnd.String() != "2025-02-28" || got.Amount.Minor != 200000 || got.Channel != "instagram" ||
		got.PeriodStart.String() != "2025-01-01" {
		t.Fatalf("patched %+v", got)
	}
	var list struct {
		Data       []metrics.Spend `json:"data"`
		NextCursor *string         `json:"next_cursor"`
	}
	do(manager, http.MethodGet, "/v1/admin/marketing/spend?limit=1", nil).Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].ID != sp.ID || list.NextCursor == nil {
		t.Fatalf("first page %+v", list)
	}
	do(manager, http.MethodGet, "/v1/admin/marketing/spend?limit=1&cursor="+*list.NextCursor, nil).
		Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].ID != other.ID || list.NextCursor != nil {
		t.Fatalf("second page %+v", list)
	}
	do(manager, http.MethodGet, "/v1/admin/marketing/spend?channel=newsletter", nil).Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].ID != other.ID {
		t.Fatalf("newsletter spend %+v", list.Data)
	}
	do(manager, http.MethodDelete, "/v1/admin/marketing/spend/"+other.ID, nil).Expect(t, http.StatusNoContent)
	do(manager, http.MethodDelete, "/v1/admin/marketing/spend/"+other.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	do(manager, http.MethodGet, "/v1/admin/marketing/spend/"+other.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")

	// Marketing is for managers and admins.
	for _, role := range []string{auth.RoleSupport, auth.RoleWarehouse} {
		do(h.StaffToken(t, role), http.MethodGet, "/v1/admin/marketing/spend", nil).
			ExpectProblem(t, http.StatusForbidden, "forbidden")
	}
	do(h.StaffToken(t, auth.RoleAdmin), http.MethodGet, "/v1/admin/marketing/spend", nil).Expect(t, http.StatusOK)
}

func TestMarketingSpendBadInput(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	manager := h.StaffToken(t, auth.RoleManager)
	good := func() map[string]any {
		return map[string]any{"channel": "instagram", "period_start": "2025-01-01", "period_end": "2025-01-31",
			"amount": money(100, "EUR")}
	}
	set := func(k string, v any) map[string]any { m := good(); m[k] = v; return m }
	tests := []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"end before start", set("period_end", "2024-12-31"), []string{"period_end"}},
		{"not a date", set("period_start", "01/01/2025"), []string{"period_start"}},
		{"impossible date", set("period_end", "2025-02-30"), []string{"period_end"}},
		{"negative amount", set("amount", money(-1, "EUR")), []string{"amount.amount"}},
		{"unknown currency", set("amount", money(1, "XXX")), []string{"amount.currency"}},
		{"blank channel", set("channel", "  "), []string{"channel"}},
	}
	for _, tc := range tests {
		p := h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/marketing/spend", Token: manager, Body: tc.body}).
			ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
		var fields []string
		for _, e := range p.Errors {
			fields = append(fields, e.Field)
		}
		if d := cmp.Diff(tc.fields, fields); d != "" {
			t.Errorf("%s: fields (-want +got)\n%s", tc.name, d)
		}
	}
	var sp metrics.Spend
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/marketing/spend", Token: manager, Body: good()}).
		Expect(t, http.StatusCreated).JSON(t, &sp)
	// A patch is checked against the record it makes.
	p := h.Do(apitest.Request{Method: http.MethodPatch, Path: "/v1/admin/marketing/spend/" + sp.ID, Token: manager,
		Body: map[string]any{"period_start": "2025-02-01"}}).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "period_end" {
		t.Errorf("patch errors %+v", p.Errors)
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/marketing/spend", Token: manager,
		Body: `{"channel": "x", "amount": 5}`}).ExpectProblem(t, http.StatusBadRequest, "malformed_request")
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
