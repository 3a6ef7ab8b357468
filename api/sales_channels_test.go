package api_test

import (
	"net/http"
	"testing"

	"storekeep/api/apitest"
)

// salesChannel is a channel as the admin API answers it.
type salesChannel struct {
	ID           string   `json:"id"`
	Kind         string   `json:"kind"`
	WarehouseIDs []string `json:"warehouse_ids"`
	Active       bool     `json:"active"`
	IsDefault    bool     `json:"is_default"`
}

// publishableKey is a key as the admin API answers it.
type publishableKey struct {
	ID             string  `json:"id"`
	Key            string  `json:"key"`
	SalesChannelID string  `json:"sales_channel_id"`
	RevokedAt      *string `json:"revoked_at"`
}

const defaultChannelID = "sc_00000000000000000000000web"

// newChannel creates a channel of kind with warehouses and a key for it.
func newChannel(t testing.TB, h *apitest.Harness, token, kind string, warehouses ...string) (salesChannel, publishableKey) {
	t.Helper()
	if warehouses == nil {
		warehouses = []string{}
	}
	var ch salesChannel
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/sales-channels", Token: token,
		Body: map[string]any{"name": "Channel " + kind, "kind": kind, "warehouse_ids": warehouses}}).
		Expect(t, http.StatusCreated).JSON(t, &ch)
	var k publishableKey
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/publishable-keys", Token: token,
		Body: map[string]any{"sales_channel_id": ch.ID}}).Expect(t, http.StatusCreated).JSON(t, &k)
	return ch, k
}

// storeGet is a store GET with a publishable key.
func storeGet(h *apitest.Harness, path, key string) *apitest.Response {
	return h.Do(apitest.Request{Method: http.MethodGet, Path: path, Header: map[string]string{"X-Publishable-Key": key}})
}

func TestSalesChannelsAndPublishableKeys(t *testing.T) {
	h := apitest.New(t)
	mgr := h.StaffToken(t, "manager")
	var wh struct {
		ID string `json:"id"`
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/warehouses", Token: mgr,
		Body: map[string]any{"code": "POPUP", "name": "Pop-up stand", "country_code": "FR"}}).
		Expect(t, http.StatusCreated).JSON(t, &wh)

	// The default web channel exists and a new warehouse fulfils it.
	var def salesChannel
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/sales-channels/" + defaultChannelID, Token: mgr}).
		Expect(t, http.StatusOK).JSON(t, &def)
	if !def.IsDefault || def.Kind != "web" || !def.Active || len(def.WarehouseIDs) == 0 ||
		def.WarehouseIDs[len(def.WarehouseIDs)-1] != wh.ID {
		t.Fatalf("default channel = %+v, want active web with the new warehouse last", def)
	}

	pos, key := newChannel(t, h, mgr, "pos", wh.ID)
	if pos.Kind != "pos" || len(pos.WarehouseIDs) != 1 || len(key.Key) != 35 || key.Key[:3] != "pk_" {
		t.Fatalf("channel %+v key %+v", pos, key)
	}

	// A store request with the key is scoped; without one it is the default.
	storeGet(h, "/v1/store/categories", key.Key).Expect(t, http.StatusOK)
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/categories"}).Expect(t, http.StatusOK)

	// Unknown, malformed and made-up keys: 401, nothing served.
	for _, bad := range []string{"pk_nope", "sk_" + key.Key[3:], "pk_" + "00000000000000000000000000000000", key.Key + "x"} {
		storeGet(h, "/v1/store/categories", bad).ExpectProblem(t, http.StatusUnauthorized, "invalid_publishable_key")
	}
	// A publishable key is no credential: as a bearer token on admin routes it is refused.
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/sales-channels", Token: key.Key}).
		Expect(t, http.StatusUnauthorized)
	// Shoppers and support staff do not manage channels.
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/sales-channels", Token: h.StaffToken(t, "support")}).
		Expect(t, http.StatusForbidden)

	// A deactivated channel's key: 403; reactivated, it works again.
	h.Do(apitest.Request{Method: http.MethodPatch, Path: "/v1/admin/sales-channels/" + pos.ID, Token: mgr,
		Body: map[string]any{"active": false}}).Expect(t, http.StatusOK)
	storeGet(h, "/v1/store/categories", key.Key).ExpectProblem(t, http.StatusForbidden, "sales_channel_inactive")
	h.Do(apitest.Request{Method: http.MethodPatch, Path: "/v1/admin/sales-channels/" + pos.ID, Token: mgr,
		Body: map[string]any{"active": true}}).Expect(t, http.StatusOK)
	storeGet(h, "/v1/store/categories", key.Key).Expect(t, http.StatusOK)

	// Revoked: 401 at once; listed with revoked_at.
	h.Do(apitest.Request{Method: http.MethodDelete, Path: "/v1/admin/publishable-keys/" + key.ID, Token: mgr}).
		Expect(t, http.StatusNoContent)
	storeGet(h, "/v1/store/categories", key.Key).ExpectProblem(t, http.StatusUnauthorized, "invalid_publishable_key")
	var keys struct {
		Data []publishableKey `json:"data"`
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/publishable-keys?sales_channel_id=" + pos.ID, Token: mgr}).
		Expect(t, http.StatusOK).JSON(t, &keys)
	if len(keys.Data) != 1 || keys.Data[0].RevokedAt == nil {
		t.Fatalf("keys = %+v, want the one revoked key", keys.Data)
	}

	// Bad input changes nothing.
	h.Do(apitest.Request{Method: http.MethodPatch, Path: "/v1/admin/sales-channels/" + defaultChannelID, Token: mgr,
		Body: map[string]any{"active": false}}).ExpectProblem(t, http.StatusConflict, "default_channel_required")
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/sales-channels", Token: mgr,
		Body: map[string]any{"name": "X", "kind": "fax", "warehouse_ids": []string{"wh_nope"}}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/sales-channels", Token: mgr,
		Body: map[string]any{"name": "X", "kind": "pos", "warehouse_ids": []string{wh.ID, wh.ID}}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/sales-channels", Token: mgr,
		Body: map[string]any{"name": "X", "kind": "pos", "region_id": "reg_nope"}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/publishable-keys", Token: mgr,
		Body: map[string]any{"sales_channel_id": "sc_nope"}}).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	var all struct {
		Data []salesChannel `json:"data"`
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/sales-channels", Token: mgr}).
		Expect(t, http.StatusOK).JSON(t, &all)
	if len(all.Data) != 2 || all.Data[0].ID != defaultChannelID || !all.Data[0].Active {
		t.Fatalf("channels = %+v, want the default (still active) and the pop-up", all.Data)
	}
}
