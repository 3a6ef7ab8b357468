package authapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/platform/auth"
)

var secret = []byte("jwt-test-secret-jwt-test-secret-0123")

func withSecret(o *api.Options) { o.JWTSecret = secret }

func mint(t *testing.T, m jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestAdminRouteRefusesBadTokens sends forged, expired and misdirected tokens
// to an admin-only route: all 401 except a genuine customer token (403).
func TestAdminRouteRefusesBadTokens(t *testing.T) {
	t.Parallel()
	h := apitest.New(t, withSecret)
	admin := h.NewStaff(t, "admin")
	cusTok, _ := h.CustomerToken(t)
	now := time.Now()
	claims := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"iss": "storekeep", "sub": admin.ID, "aud": []string{"admin"}, "kind": "staff",
			"role": "admin", "ver": 1, "iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(), "jti": "jti_x"}
		if edit != nil {
			edit(c)
		}
		return c
	}
	control := mint(t, jwt.SigningMethodHS256, secret, claims(nil))
	parts := strings.Split(control, ".")
	past := auth.Subject{Kind: auth.Staff, ID: admin.ID, Role: "admin", Version: 1}
	oldTokens, _ := auth.NewTokens(secret, func() time.Time { return now.Add(-time.Hour) })
	expired, _, _ := oldTokens.Issue(past)

	list := func(tok string) *apitest.Response {
		return h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys", Token: tok})
	}
	list(control).Expect(t, http.StatusOK) // the forgeries below differ from this in one way each

	tests := []struct {
		name   string
		token  string
		header string
		status int
		code   string
	}{
		{"no token", "", "", http.StatusUnauthorized, "unauthenticated"},
		{"not bearer", "", "Basic YWRtaW46YWRtaW4=", http.StatusUnauthorized, "unauthenticated"},
		{"garbage", "garbage", "", http.StatusUnauthorized, "invalid_token"},
		{"alg none", mint(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(nil)), "", http.StatusUnauthorized, "invalid_token"},
		{"HS512", mint(t, jwt.SigningMethodHS512, secret, claims(nil)), "", http.StatusUnauthorized, "invalid_token"},
		{"other secret", mint(t, jwt.SigningMethodHS256, []byte("not-the-secret-not-the-secret-0123"), claims(nil)), "", http.StatusUnauthorized, "invalid_token"},
		{"expired", expired, "", http.StatusUnauthorized, "invalid_token"},
		{"tampered signature", parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])), "", http.StatusUnauthorized, "invalid_token"},
		{"tampered payload", parts[0] + "." + strings.Split(mint(t, jwt.SigningMethodHS256, []byte("k"), claims(func(c jwt.MapClaims) { c["role"] = "owner" })), ".")[1] + "." + parts[2], "", http.StatusUnauthorized, "invalid_token"},
		{"wrong issuer", mint(t, jwt.SigningMethodHS256, secret, claims(func(c jwt.MapClaims) { c["iss"] = "someone-else" })), "", http.StatusUnauthorized, "invalid_token"},
		{"no exp", mint(t, jwt.SigningMethodHS256, secret, claims(func(c jwt.MapClaims) { delete(c, "exp") })), "", http.StatusUnauthorized, "invalid_token"},
		{"stale token version", mint(t, jwt.SigningMethodHS256, secret, claims(func(c jwt.MapClaims) { c["ver"] = 0 })), "", http.StatusUnauthorized, "invalid_token"},
		{"unknown staff id", mint(t, jwt.SigningMethodHS256, secret, claims(func(c jwt.MapClaims) { c["sub"] = "stf_00000000000000000000000000" })), "", http.StatusUnauthorized, "invalid_token"},
		{"customer kind with admin audience", mint(t, jwt.SigningMethodHS256, secret, claims(func(c jwt.MapClaims) { c["kind"] = "customer" })), "", http.StatusUnauthorized, "invalid_token"},
		{"unknown API key", "sk_" + strings.Repeat("a", 43), "", http.StatusUnauthorized, "invalid_token"},
		{"genuine customer token", cusTok, "", http.StatusForbidden, "forbidden"},
	}
	before := counts(t, h)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys", Token: tt.token}
			if tt.header != "" {
				req.Header = map[string]string{"Authorization": tt.header}
			}
			h.Do(req).ExpectProblem(t, tt.status, tt.code)
			// Writes are refused as well, and leave nothing behind.
			req.Method, req.Body = http.MethodPost, map[string]string{"name": "x", "role": "admin"}
			h.Do(req).ExpectProblem(t, tt.status, tt.code)
		})
	}
	if after := counts(t, h); after["api_keys"] != before["api_keys"] {
		t.Error("a refused request created an API key")
	}
}

func TestAdminRoleEnforcement(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	tests := []struct {
		role   string
		status int
	}{
		{"admin", http.StatusOK},
		{"manager", http.StatusForbidden},
		{"support", http.StatusForbidden},
		{"warehouse", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			res := h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys", Token: h.StaffToken(t, tt.role)})
			if tt.status == http.StatusOK {
				res.Expect(t, http.StatusOK)
			} else {
				res.ExpectProblem(t, tt.status, "forbidden")
			}
		})
	}
}

func TestStaffTokenOnStoreRouteIsForbidden(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/customers/me", Token: h.StaffToken(t, "admin")}).
		ExpectProblem(t, http.StatusForbidden, "forbidden")
}
