package authapi_test

import (
	"net/http"
	"testing"

	"storekeep/api/apitest"
)

// identityTables are every table the auth routes may write.
var identityTables = []string{"customers", "staff_users", "refresh_tokens", "api_keys", "login_attempts"}

// counts returns the row count of each identity table.
func counts(t *testing.T, h *apitest.Harness) map[string]int64 {
	t.Helper()
	return h.RowCounts(t, identityTables...)
}

type Tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

func post(h *apitest.Harness, path string, body any) *apitest.Response {
	return h.Do(apitest.Request{Method: http.MethodPost, Path: path, Body: body})
}

func register(t *testing.T, h *apitest.Harness, email string) Tokens {
	t.Helper()
	res := post(h, "/v1/auth/customers/register", map[string]string{
		"email": email, "password": apitest.TestPassword, "first_name": "Ada", "last_name": "Lovelace"}).Expect(t, http.StatusCreated)
	var tk Tokens
	res.JSON(t, &tk)
	return tk
}
