package store_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"storekeep/api/apitest"
	"storekeep/internal/customers"
)

const meURL = "/v1/store/customers/me"

// shopper is a signed-in customer of a test server.
type shopper struct {
	t     *testing.T
	h     *apitest.Harness
	token string
	id    string
}

func newShopper(t *testing.T, h *apitest.Harness) shopper {
	t.Helper()
	tok, id := h.CustomerToken(t)
	return shopper{t: t, h: h, token: tok, id: id}
}

func (s shopper) do(method, path string, body any) *apitest.Response {
	s.t.Helper()
	return s.h.Do(apitest.Request{Method: method, Path: path, Body: body, Token: s.token})
}

func (s shopper) profile() customers.Profile {
	s.t.Helper()
	var p customers.Profile
	s.do(http.MethodGet, meURL, nil).Expect(s.t, http.StatusOK).JSON(s.t, &p)
	return p
}

func problemFields(p apitest.Problem) []string {
	out := []string{}
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

func TestProfilePatch(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	a := newShopper(t, h)
	before := a.profile()
	if before.ID != a.id || before.FirstName != "Test" || before.Phone != "" || before.AcceptsMarketing ||
		before.ArchivedAt != nil {
		t.Fatalf("profile = %+v", before)
	}
	var got customers.Profile
	a.do(http.MethodPatch, meURL, map[string]any{"first_name": " Ada ", "last_name": "Lovelace",
		"phone": "+44 20 7946 0958", "accepts_marketing": true}).Expect(t, http.StatusOK).JSON(t, &got)
	want := before
	want.FirstName, want.LastName, want.Phone, want.AcceptsMarketing = "Ada", "Lovelace", "+44 20 7946 0958", true
	opt := cmpopts.IgnoreFields(customers.Profile{}, "UpdatedAt")
	if d := cmp.Diff(want, got, opt); d != "" {
		t.Fatalf("patched (-want +got)\n%s", d)
	}
	if d := cmp.Diff(got, a.profile()); d != "" {
		t.Fatalf("read back (-want +got)\n%s", d)
	}
	// A partial patch leaves the other fields alone.
	a.do(http.MethodPatch, meURL, map[string]any{"accepts_marketing": false}).Expect(t, http.StatusOK).JSON(t, &got)
	want.AcceptsMarketing = false
	if d := cmp.Diff(want, got, opt); d != "" {
		t.Fatalf("partial patch (-want +got)\n%s", d)
	}
	if raw := string(a.do(http.MethodGet, meURL, nil).Body); strings.Contains(raw, "password") ||
		strings.Contains(raw, "search_text") || strings.Contains(raw, "argon2") {
		t.Errorf("profile leaks internals: %s", raw)
	}
}

func TestProfileRejectsMassAssignmentAndBadInput(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	a := newShopper(t, h)
	before := a.profile()
	tests := []struct {
		name   string
		body   any
		status int
		code   string
		fields []string
	}{
		{"email_verified", map[string]any{"first_name": "Eve", "email_verified": true}, 400, "malformed_request", nil},
		{"role", map[string]any{"first_name": "Eve", "role": "admin"}, 400, "malformed_request", nil},
		{"id", map[string]any{"id": "cus_06h1wbq28dxanf5st2bqp8yfxm"}, 400, "malformed_request", nil},
		{"email", map[string]any{"email": "eve@example.com"}, 400, "malformed_request", nil},
		{"password", map[string]any{"password": "a-new-long-password"}, 400, "malformed_request", nil},
		{"archived_at", map[string]any{"archived_at": nil}, 400, "malformed_request", nil},
		{"wrong type", map[string]any{"accepts_marketing": "yes"}, 400, "malformed_request", nil},
		{"blank names", map[string]any{"first_name": " ", "last_name": ""}, 422, "validation_failed",
			[]string{"first_name", "last_name"}},
		{"long phone", map[string]any{"first_name": "Eve", "phone": strings.Repeat("1", 41)}, 422,
			"validation_failed", []string{"phone"}},
		{"long name", map[string]any{"last_name": strings.Repeat("é", 101)}, 422, "validation_failed",
			[]string{"last_name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := a.do(http.MethodPatch, meURL, tt.body).ExpectProblem(t, tt.status, tt.code)
			if tt.fields != nil {
				if d := cmp.Diff(tt.fields, problemFields(p)); d != "" {
					t.Errorf("fields (-want +got)\n%s", d)
				}
			}
			if d := cmp.Diff(before, a.profile()); d != "" {
				t.Errorf("profile changed (-before +after)\n%s", d)
			}
		})
	}
}

func TestProfileAccess(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	staff := h.StaffToken(t, "admin")
	for _, m := range []string{http.MethodGet, http.MethodPatch} {
		body := map[string]any{"first_name": "X"}
		h.Do(apitest.Request{Method: m, Path: meURL, Body: body}).ExpectProblem(t, http.StatusUnauthorized, "unauthenticated")
		h.Do(apitest.Request{Method: m, Path: meURL, Body: body, Token: staff}).
			ExpectProblem(t, http.StatusForbidden, "forbidden")
	}
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	acc := h.NewCustomer(t)
	other := h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/auth/customers/login",
		Body: map[string]string{"email": acc.Email, "password": acc.Password}}).Expect(t, http.StatusOK)
	var otherDevice struct {
		RefreshToken string `json:"refresh_token"`
	}
	other.JSON(t, &otherDevice)
	a := shopper{t: t, h: h, token: acc.AccessToken, id: acc.ID}
	login := func(pw string) *apitest.Response {
		return h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/auth/customers/login",
			Body: map[string]string{"email": acc.Email, "password": pw}})
	}

	bad := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"wrong current password", map[string]any{"current_password": "not-the-password", "new_password": "a much longer passphrase"},
			422, "invalid_current_password"},
		{"short new password", map[string]any{"current_password": acc.Password, "new_password": "short"},
			422, "validation_failed"},
		{"missing current password", map[string]any{"new_password": "a much longer passphrase"}, 422, "validation_failed"},
		{"unknown field", map[string]any{"current_password": acc.Password, "new_password": "a much longer passphrase",
			"email": "x@example.com"}, 400, "malformed_request"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			a.do(http.MethodPost, meURL+"/password", tt.body).ExpectProblem(t, tt.status, tt.code)
		})
	}
	// Nothing changed: the old password still signs in.
	login(acc.Password).Expect(t, http.StatusOK)

	var s struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	a.do(http.MethodPost, meURL+"/password", map[string]any{"current_password": acc.Password,
		"new_password": "a much longer passphrase"}).Expect(t, http.StatusOK).JSON(t, &s)
	login(acc.Password).ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
	login("a much longer passphrase").Expect(t, http.StatusOK)
	// Every earlier session is signed out; the returned one works.
	for _, rt := range []string{acc.RefreshToken, otherDevice.RefreshToken} {
		if res := h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/auth/refresh",
			Body: map[string]string{"refresh_token": rt}}); res.Status != http.StatusUnauthorized {
			t.Errorf("old refresh token: status %d, want 401", res.Status)
		}
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: meURL, Token: s.AccessToken}).Expect(t, http.StatusOK)
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/auth/refresh",
		Body: map[string]string{"refresh_token": s.RefreshToken}}).Expect(t, http.StatusOK)
}

// TestFailedSignInsDoNotBlockPasswordChange: others failing to sign in to
// the account from many clients do not stop the owner changing the
// password (the two are limited in separate counters).
func TestFailedSignInsDoNotBlockPasswordChange(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	a := h.NewCustomer(t)
	for i := range 12 {
		h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/auth/customers/login", ClientIP: fmt.Sprintf("127.0.2.%d", i+2),
			Body: map[string]string{"email": a.Email, "password": "guess-guess-guess"}}).
			ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: meURL + "/password", Token: a.AccessToken,
		Body: map[string]any{"current_password": a.Password, "new_password": "a much longer passphrase"}}).
		Expect(t, http.StatusOK)
}

// TestChangePasswordIsRateLimited: a stolen access token cannot be used to
// guess the current password without limit.
func TestChangePasswordIsRateLimited(t *testing.T) {
	t.Parallel()
	h := apitest.New(t, apitest.WindowAligned)
	a := newShopper(t, h)
	body := map[string]any{"current_password": "guess-guess-guess", "new_password": "a much longer passphrase"}
	for range customers.CurrentPasswordFailures {
		a.do(http.MethodPost, meURL+"/password", body).ExpectProblem(t, http.StatusUnprocessableEntity, "invalid_current_password")
	}
	res := a.do(http.MethodPost, meURL+"/password", body)
	res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}
