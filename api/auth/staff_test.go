package authapi_test

import (
	"net/http"
	"testing"

	"storekeep/api/apitest"
	"storekeep/internal/staff"
)

func TestStaffLogin(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	a := h.NewStaff(t, "warehouse")
	res := post(h, "/v1/auth/staff/login", map[string]string{"email": a.Email, "password": a.Password}).Expect(t, http.StatusOK)
	var got struct {
		Staff struct {
			ID    string `json:"id"`
			Email string `json:"email"`
			Role  string `json:"role"`
		} `json:"staff"`
		Tokens
	}
	res.JSON(t, &got)
	if got.Staff.ID != a.ID || got.Staff.Role != "warehouse" || got.Staff.Email != a.Email || got.AccessToken == "" {
		t.Errorf("staff login = %s", res.Body)
	}
	post(h, "/v1/auth/staff/login", map[string]string{"email": a.Email, "password": "not-the-password"}).
		ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
	// Staff credentials do not open a customer session.
	post(h, "/v1/auth/customers/login", map[string]string{"email": a.Email, "password": a.Password}).
		ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
}

func TestRoleChangeAndDisableRevokeStaffTokens(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	svc := staff.NewService(h.DB, nil, nil, nil)
	list := func(tok string) *apitest.Response {
		return h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys", Token: tok})
	}
	boss := h.NewStaff(t, "admin")
	list(boss.AccessToken).Expect(t, http.StatusOK)

	// Demoting an admin voids the token at once (docs/auth.md: token_version)...
	if err := svc.SetRole(t.Context(), boss.ID, "support"); err != nil {
		t.Fatal(err)
	}
	list(boss.AccessToken).ExpectProblem(t, http.StatusUnauthorized, "invalid_token")
	// ...and the refreshed token carries the new role, which is not enough.
	var fresh Tokens
	refresh(h, boss.RefreshToken).Expect(t, http.StatusOK).JSON(t, &fresh)
	list(fresh.AccessToken).ExpectProblem(t, http.StatusForbidden, "forbidden")

	// Disabling a user: tokens, refresh and sign-in all stop working.
	if err := svc.Disable(t.Context(), boss.ID); err != nil {
		t.Fatal(err)
	}
	list(fresh.AccessToken).ExpectProblem(t, http.StatusUnauthorized, "invalid_token")
	refresh(h, fresh.RefreshToken).ExpectProblem(t, http.StatusUnauthorized, "invalid_refresh_token")
	post(h, "/v1/auth/staff/login", map[string]string{"email": boss.Email, "password": boss.Password}).
		ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
}
