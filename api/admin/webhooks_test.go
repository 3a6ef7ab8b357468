package admin_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/orders/fulfiltest"
	"storekeep/internal/webhooks"
)

// TestWebhookEndpoints: register, read, list, change and delete a webhook;
// the secret is in the creation answer only; bad input is refused with
// the field named and nothing written.
func TestWebhookEndpoints(t *testing.T) {
	t.Parallel()
	k := newHookClient(t)
	w := k.create("https://hooks.example.com/storekeep", "order.*", "refund.created", "order.*")
	if !strings.HasPrefix(w.Secret, "whsec_") || len(w.Secret) < len("whsec_")+32 || !w.Active ||
		w.URL != "https://hooks.example.com/storekeep" || w.DisabledReason != nil {
		t.Fatalf("created %+v", w)
	}
	if d := cmp.Diff([]string{"order.*", "refund.created"}, w.EventTypes); d != "" {
		t.Errorf("event types (-want +got):\n%s", d)
	}
	res := k.do(http.MethodGet, "/v1/admin/webhooks/"+w.ID, nil).Expect(t, http.StatusOK)
	if strings.Contains(string(res.Body), "secret\"") || strings.Contains(string(res.Body), w.Secret[6:]) {
		t.Fatalf("the secret is shown again: %s", res.Body)
	}
	// At rest the secret is sealed: not in the table in clear.
	var stored string
	if err := k.h.DB.Conn(t.Context()).Raw(`SELECT secret FROM webhooks WHERE id = ?`, w.ID).Scan(&stored).Error; err != nil {
		t.Fatal(err)
	}
	if stored == "" || strings.Contains(stored, w.Secret[6:]) {
		t.Fatalf("stored secret %q holds the secret in clear", stored)
	}

	other := k.create("https://other.example.com/hook", "*")
	var list struct {
		Data       []webhooks.Webhook `json:"data"`
		NextCursor *string            `json:"next_cursor"`
	}
	k.do(http.MethodGet, "/v1/admin/webhooks?limit=1", nil).Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].ID != w.ID || list.NextCursor == nil {
		t.Fatalf("first page %+v", list)
	}
	k.do(http.MethodGet, "/v1/admin/webhooks?limit=1&cursor="+*list.NextCursor, nil).Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].ID != other.ID || list.NextCursor != nil {
		t.Fatalf("second page %+v", list)
	}

	var got webhooks.Webhook
	k.do(http.MethodPatch, "/v1/admin/webhooks/"+w.ID, map[string]any{"event_types": []string{"*"}, "active": false,
		"description": "ERP"}).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Active || got.Description != "ERP" || len(got.EventTypes) != 1 || got.EventTypes[0] != "*" ||
		got.URL != w.URL {
		t.Fatalf("patched %+v", got)
	}

	before := k.h.RowCounts(t, "webhooks")
	bad := []struct {
		name  string
		body  map[string]any
		code  string
		field string
	}{
		{"unknown type", map[string]any{"url": "https://a.example.com/", "event_types": []string{"order.created", "order.teleported"}},
			"validation_failed", "event_types[1]"},
		{"pattern of nothing", map[string]any{"url": "https://a.example.com/", "event_types": []string{"nothing.*"}},
			"validation_failed", "event_types[0]"},
		{"no types", map[string]any{"url": "https://a.example.com/", "event_types": []string{}}, "validation_failed", "event_types"},
		{"not a URL", map[string]any{"url": "hooks", "event_types": []string{"*"}}, "webhook_url_not_allowed", "url"},
		{"ftp", map[string]any{"url": "ftp://a.example.com/", "event_types": []string{"*"}}, "webhook_url_not_allowed", "url"},
	}
	for _, tc := range bad {
		p := k.do(http.MethodPost, "/v1/admin/webhooks", tc.body).ExpectProblem(t, http.StatusUnprocessableEntity, tc.code)
		if len(p.Errors) == 0 || p.Errors[0].Field != tc.field {
			t.Errorf("%s: errors %+v, want %s", tc.name, p.Errors, tc.field)
		}
	}
	k.do(http.MethodPatch, "/v1/admin/webhooks/"+w.ID, map[string]any{"event_types": []string{"order"}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	k.do(http.MethodPost, "/v1/admin/webhooks", map[string]any{"url": "https://a.example.com/", "event_types": []string{"*"},
		"secret": "whsec_mine"}).ExpectProblem(t, http.StatusBadRequest, "malformed_request")
	if d := cmp.Diff(before, k.h.RowCounts(t, "webhooks")); d != "" {
		t.Errorf("refused requests wrote rows (-before +after):\n%s", d)
	}

	k.do(http.MethodDelete, "/v1/admin/webhooks/"+w.ID, nil).Expect(t, http.StatusNoContent)
	k.do(http.MethodGet, "/v1/admin/webhooks/"+w.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	k.do(http.MethodDelete, "/v1/admin/webhooks/"+w.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
}

// TestWebhookCreationIdempotency: an integration (API key) must send an
// Idempotency-Key; its retry gets the first answer and registers nothing.
func TestWebhookCreationIdempotency(t *testing.T) {
	t.Parallel()
	k := newHookClient(t)
	key := k.h.APIKey(t, "admin")
	body := map[string]any{"url": "https://erp.example.com/hook", "event_types": []string{"order.created"}}
	k.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/webhooks", Token: key, Body: body}).
		ExpectProblem(t, http.StatusBadRequest, "idempotency_key_required")
	hdr := map[string]string{"Idempotency-Key": "create-erp-hook"}
	first := k.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/webhooks", Token: key, Body: body, Header: hdr}).
		Expect(t, http.StatusCreated)
	again := k.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/webhooks", Token: key, Body: body, Header: hdr}).
		Expect(t, http.StatusCreated)
	if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
		t.Fatalf("retry was not a replay: %s", again.Body)
	}
	if n := k.h.RowCounts(t, "webhooks")["webhooks"]; n != 1 {
		t.Fatalf("%d webhooks, want 1", n)
	}
	// Staff may omit the key.
	k.create("https://erp.example.com/other", "*")
}

// TestWebhookAccess: only admins (and admin API keys) reach webhooks; other
// roles get 403 on every route; unknown ids are 404, and a delivery of
// another webhook is not found through this one.
func TestWebhookAccess(t *testing.T) {
	t.Parallel()
	k := newHookClient(t)
	rc := newReceiver(t, always(http.StatusOK))
	w := k.create(rc.URL+"/hook", "*")
	var ping webhooks.Delivery
	k.do(http.MethodPost, "/v1/admin/webhooks/"+w.ID+"/test", nil).Expect(t, http.StatusOK).JSON(t, &ping)
	base := "/v1/admin/webhooks/" + w.ID
	routes := []struct{ method, path string }{
		{http.MethodPost, "/v1/admin/webhooks"}, {http.MethodGet, "/v1/admin/webhooks"},
		{http.MethodGet, base}, {http.MethodPatch, base}, {http.MethodDelete, base},
		{http.MethodPost, base + "/rotate-secret"}, {http.MethodPost, base + "/test"},
		{http.MethodGet, base + "/deliveries"}, {http.MethodPost, base + "/deliveries/" + ping.ID + "/redeliver"},
	}
	for _, role := range []string{"manager", "support", "warehouse"} {
		tok := k.h.StaffToken(t, role)
		for _, r := range routes {
			var body any
			if r.method == http.MethodPost || r.method == http.MethodPatch {
				body = map[string]any{}
			}
			k.h.Do(apitest.Request{Method: r.method, Path: r.path, Token: tok, Body: body}).
				ExpectProblem(t, http.StatusForbidden, "forbidden")
		}
	}
	key := k.h.APIKey(t, "manager")
	k.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/webhooks", Token: key}).
		ExpectProblem(t, http.StatusForbidden, "forbidden")
	cust, _ := k.h.CustomerToken(t)
	k.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/webhooks", Token: cust}).
		ExpectProblem(t, http.StatusForbidden, "forbidden")
	k.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/webhooks"}).Expect(t, http.StatusUnauthorized)

	missing := "/v1/admin/webhooks/wh_06h1wbq28dxanf5st2bqp8yfxm"
	for _, r := range []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, missing, nil}, {http.MethodPatch, missing, map[string]any{"active": true}},
		{http.MethodPatch, missing, map[string]any{"url": "https://a.example.com/"}},
		{http.MethodDelete, missing, nil}, {http.MethodPost, missing + "/rotate-secret", nil},
		{http.MethodPost, missing + "/test", nil}, {http.MethodGet, missing + "/deliveries", nil},
		{http.MethodPost, missing + "/deliveries/" + ping.ID + "/redeliver", nil},
		{http.MethodPost, base + "/deliveries/dlv_06h1wbq28dxanf5st2bqp8yfxm/redeliver", nil},
		{http.MethodGet, "/v1/admin/webhooks/not-an-id", nil},
	} {
		k.do(r.method, r.path, r.body).ExpectProblem(t, http.StatusNotFound, "not_found")
	}
	other := k.create(rc.URL+"/other", "*")
	k.do(http.MethodPost, "/v1/admin/webhooks/"+other.ID+"/deliveries/"+ping.ID+"/redeliver", nil).
		ExpectProblem(t, http.StatusNotFound, "not_found")
}

// TestWebhookRetriesUntilDelivered: a receiver that fails each event's
// first three attempts gets every event in the end; all four attempts of
// an event carry the same webhook-id (the event id) and body, and every one
// verifies with the Standard Webhooks library. The log shows each attempt.
func TestWebhookRetriesUntilDelivered(t *testing.T) {
	t.Parallel()
	k := newHookClient(t)
	rc := newReceiver(t, func(_ hit, before int) int {
		if before < 3 {
			return http.StatusServiceUnavailable
		}
		return http.StatusNoContent
	})
	w := k.create(rc.URL+"/storekeep", "order.created", "inventory.*")
	ignored := k.create(rc.URL+"/refunds-only", "refund.created")

	// A real order (the orders service records order.created as the API
	// shows the order), and an event of another kind.
	shop := fulfiltest.New(k.h.DB)
	v, wh := shop.Variant(t), shop.Warehouse(t)
	shop.Stock(t, v.ID, wh, 5)
	o := shop.Order(t, fulfiltest.Spec{Lines: []fulfiltest.Line{{Variant: v, Quantity: 1, Total: 1500}}})
	low := k.record("inventory.low_stock", "lvl_1", map[string]any{"available": 1})
	k.record("product.updated", "prod_1", map[string]any{"id": "prod_1"}) // subscribed by nobody
	k.drain()

	byID := map[string][]hit{}
	for _, h := range rc.got() {
		byID[h.ID()] = append(byID[h.ID()], h)
		if h.Header.Get("User-Agent") != "Storekeep-Webhooks/1" || h.Header.Get("Content-Type") != "application/json" {
			t.Errorf("headers %v", h.Header)
		}
		if err := verify(t, w.Secret, h); err != nil {
			t.Errorf("attempt of %s does not verify: %v", h.ID(), err)
		}
		if err := verify(t, ignored.Secret, h); err == nil {
			t.Error("another webhook's secret verified a delivery")
		}
	}
	if len(byID) != 2 {
		t.Fatalf("receiver saw %d distinct webhook-ids, want 2 (order.created, inventory.low_stock): %v", len(byID), byID)
	}
	var order struct {
		Type      string `json:"type"`
		Timestamp string `json:"timestamp"`
		Data      struct {
			ID    string `json:"id"`
			Total struct {
				Amount int64 `json:"amount"`
			} `json:"total"`
		} `json:"data"`
	}
	for id, hits := range byID {
		if len(hits) != 4 {
			t.Fatalf("%s: %d attempts, want 4 (three failures, one success)", id, len(hits))
		}
		for _, h := range hits[1:] {
			if string(h.Body) != string(hits[0].Body) {
				t.Errorf("%s: a retry sent another body", id)
			}
		}
		if id == low.ID {
			continue
		}
		if err := json.Unmarshal(hits[0].Body, &order); err != nil {
			t.Fatal(err)
		}
		if order.Type != "order.created" || order.Data.ID != o.ID || order.Data.Total.Amount != o.Total.Minor || order.Timestamp == "" {
			t.Errorf("order.created body %s", hits[0].Body)
		}
	}
	log := k.deliveries(w.ID)
	perType := map[string][]webhooks.Delivery{}
	for _, d := range log {
		perType[d.EventType] = append(perType[d.EventType], d)
	}
	for typ, ds := range perType {
		want := typ + "#1:failed " + typ + "#2:failed " + typ + "#3:failed " + typ + "#4:succeeded"
		if got := statuses(ds); got != want {
			t.Errorf("log of %s: %s, want %s", typ, got, want)
		}
	}
	for _, d := range log {
		if d.AttemptedAt == nil || d.DurationMS == nil || d.ResponseStatus == nil {
			t.Errorf("attempt without its facts: %+v", d)
		}
		switch d.Status {
		case webhooks.StatusFailed:
			if *d.ResponseStatus != 503 || d.Error == nil || d.NextAttemptAt == nil || d.ResponseExcerpt == nil ||
				*d.ResponseExcerpt != "received" {
				t.Errorf("failed attempt %+v", d)
			}
		case webhooks.StatusSucceeded:
			if *d.ResponseStatus != 204 || d.Error != nil || d.NextAttemptAt != nil {
				t.Errorf("successful attempt %+v", d)
			}
		}
	}
	if n := len(k.deliveries(ignored.ID)); n != 0 {
		t.Errorf("the refund webhook got %d deliveries", n)
	}
	var failed struct{ Data []webhooks.Delivery }
	k.do(http.MethodGet, "/v1/admin/webhooks/"+w.ID+"/deliveries?status=failed&event_id="+low.ID, nil).
		Expect(t, http.StatusOK).JSON(t, &failed)
	if len(failed.Data) != 3 {
		t.Errorf("filtered log has %d entries, want 3", len(failed.Data))
	}
	k.do(http.MethodGet, "/v1/admin/webhooks/"+w.ID+"/deliveries?status=lost", nil).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
}
