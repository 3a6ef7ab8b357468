package admin_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/platform/id"
)

type apiKey struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	Role       string     `json:"role"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	Secret     string     `json:"secret"`
}

func countKeys(t *testing.T, h *apitest.Harness) int64 {
	t.Helper()
	return h.RowCounts(t, "api_keys")["api_keys"]
}

func TestAPIKeyLifecycle(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	admin := h.NewStaff(t, "admin")
	exp := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	res := h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/api-keys", Token: admin.AccessToken,
		Body: map[string]any{"name": "ERP sync", "role": "admin", "expires_at": exp}}).Expect(t, http.StatusCreated)
	var created apiKey
	res.JSON(t, &created)
	if !strings.HasPrefix(created.Secret, "sk_") || len(created.Secret) != 46 || !id.Valid("key", created.ID) {
		t.Fatalf("created key = %+v", created)
	}
	want := apiKey{Name: "ERP sync", Prefix: created.Secret[:11], Role: "admin", ExpiresAt: &exp, CreatedBy: admin.ID}
	if d := cmp.Diff(want, created, cmpopts.IgnoreFields(apiKey{}, "ID", "CreatedAt", "Secret")); d != "" {
		t.Errorf("created key (-want +got):\n%s", d)
	}

	// The key authenticates on the admin API and records its use.
	lres := h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys", Token: created.Secret}).Expect(t, http.StatusOK)
	if strings.Contains(string(lres.Body), created.Secret) || strings.Contains(string(lres.Body), "secret") {
		t.Errorf("the list shows the secret: %s", lres.Body)
	}
	var list struct {
		Data       []apiKey `json:"data"`
		NextCursor *string  `json:"next_cursor"`
	}
	lres.JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].ID != created.ID || list.NextCursor != nil {
		t.Fatalf("list = %s", lres.Body)
	}
	if list.Data[0].LastUsedAt == nil {
		t.Error("last_used_at not set after the key was used")
	}

	// Revoke: the key stops working; revoking again is fine.
	del := func(tok, keyID string) *apitest.Response {
		return h.Do(apitest.Request{Method: http.MethodDelete, Path: "/v1/admin/api-keys/" + keyID, Token: tok})
	}
	del(admin.AccessToken, created.ID).Expect(t, http.StatusNoContent)
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys", Token: created.Secret}).
		ExpectProblem(t, http.StatusUnauthorized, "invalid_token")
	del(admin.AccessToken, created.ID).Expect(t, http.StatusNoContent)
	var after struct {
		Data []apiKey `json:"data"`
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys", Token: admin.AccessToken}).Expect(t, http.StatusOK).JSON(t, &after)
	if len(after.Data) != 1 || after.Data[0].RevokedAt == nil {
		t.Errorf("revoked key not shown as revoked: %+v", after.Data)
	}
	del(admin.AccessToken, "key_00000000000000000000000000").ExpectProblem(t, http.StatusNotFound, "not_found")
	del(admin.AccessToken, "not-an-id").ExpectProblem(t, http.StatusNotFound, "not_found")
}

func TestAPIKeyRoleIsEnforced(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	support := h.APIKey(t, "support")
	before := countKeys(t, h)
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys", Token: support}).
		ExpectProblem(t, http.StatusForbidden, "forbidden")
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/api-keys", Token: support,
		Body: map[string]any{"name": "escalate", "role": "admin"}}).ExpectProblem(t, http.StatusForbidden, "forbidden")
	if countKeys(t, h) != before {
		t.Error("a support key created a key")
	}
	// Keys are for the admin API only.
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/customers/me", Token: h.APIKey(t, "admin")}).
		ExpectProblem(t, http.StatusForbidden, "forbidden")
	// Keys are accepted only in the Authorization header, never the query.
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys?api_key=" + support}).
		ExpectProblem(t, http.StatusUnauthorized, "unauthenticated")
}

func TestExpiredAPIKeyIsRefused(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	h := apitest.New(t, func(o *api.Options) { o.Now = clock })
	admin := h.NewStaff(t, "admin")
	var k apiKey
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/api-keys", Token: admin.AccessToken,
		Body: map[string]any{"name": "short-lived", "role": "admin", "expires_at": now.Add(time.Hour)}}).
		Expect(t, http.StatusCreated).JSON(t, &k)
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys", Token: k.Secret}).Expect(t, http.StatusOK)
	mu.Lock()
	now = now.Add(time.Hour + time.Second)
	mu.Unlock()
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys", Token: k.Secret}).
		ExpectProblem(t, http.StatusUnauthorized, "invalid_token")
}

func TestCreateAPIKeyRejectsBadInput(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	admin := h.StaffToken(t, "admin")
	tests := []struct {
		name   string
		body   any
		status int
		code   string
		field  string
	}{
		{"malformed JSON", `{"name":`, http.StatusBadRequest, "malformed_request", ""},
		{"unknown field", map[string]any{"name": "x", "role": "admin", "secret": "sk_mine"}, http.StatusBadRequest, "malformed_request", ""},
		{"unknown role", map[string]any{"name": "x", "role": "owner"}, http.StatusUnprocessableEntity, "validation_failed", "role"},
		{"missing name", map[string]any{"role": "admin"}, http.StatusUnprocessableEntity, "validation_failed", "name"},
		{"blank name", map[string]any{"name": "   ", "role": "admin"}, http.StatusUnprocessableEntity, "validation_failed", "name"},
		{"expiry in the past", map[string]any{"name": "x", "role": "admin", "expires_at": time.Now().Add(-time.Minute)},
			http.StatusUnprocessableEntity, "validation_failed", "expires_at"},
		{"expiry not a time", map[string]any{"name": "x", "role": "admin", "expires_at": "tomorrow"}, http.StatusBadRequest, "malformed_request", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := countKeys(t, h)
			p := h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/api-keys", Token: admin, Body: tt.body}).
				ExpectProblem(t, tt.status, tt.code)
			if tt.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != tt.field) {
				t.Errorf("errors = %+v, want one for %q", p.Errors, tt.field)
			}
			if countKeys(t, h) != before {
				t.Error("bad input created a key")
			}
		})
	}
}

func TestListAPIKeysPaginates(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	admin := h.StaffToken(t, "admin")
	var made []string
	for _, name := range []string{"a", "b", "c"} {
		var k apiKey
		h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/api-keys", Token: admin,
			Body: map[string]any{"name": name, "role": "manager"}}).Expect(t, http.StatusCreated).JSON(t, &k)
		made = append([]string{k.ID}, made...) // newest first
	}
	var got []string
	path := "/v1/admin/api-keys?limit=2"
	for range 3 {
		var page struct {
			Data       []apiKey `json:"data"`
			NextCursor *string  `json:"next_cursor"`
		}
		h.Do(apitest.Request{Method: http.MethodGet, Path: path, Token: admin}).Expect(t, http.StatusOK).JSON(t, &page)
		for _, k := range page.Data {
			got = append(got, k.ID)
		}
		if page.NextCursor == nil {
			break
		}
		path = "/v1/admin/api-keys?limit=2&cursor=" + *page.NextCursor
	}
	if d := cmp.Diff(made, got); d != "" {
		t.Errorf("paged ids (-want +got):\n%s", d)
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys?limit=0", Token: admin}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys?cursor=!!", Token: admin}).
		ExpectProblem(t, http.StatusBadRequest, "invalid_cursor")
}
