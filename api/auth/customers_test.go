package authapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"storekeep/api/apitest"
	"storekeep/internal/platform/id"
)

type customerAuth struct {
	Customer struct {
		ID        string `json:"id"`
		Email     string `json:"email"`
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		CreatedAt string `json:"created_at"`
	} `json:"customer"`
	Tokens
}

func TestRegisterCustomer(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	res := post(h, "/v1/auth/customers/register", map[string]string{
		"email": "Ada@Example.COM", "password": "ten-chars!", "first_name": "Ada", "last_name": "Lovelace"}).
		Expect(t, http.StatusCreated)
	var got customerAuth
	res.JSON(t, &got)
	if !id.Valid("cus", got.Customer.ID) {
		t.Errorf("customer id %q is not a cus_ id", got.Customer.ID)
	}
	want := customerAuth{}
	want.Customer.Email, want.Customer.FirstName, want.Customer.LastName = "ada@example.com", "Ada", "Lovelace"
	want.ExpiresIn, want.TokenType = 900, "Bearer"
	opts := cmpopts.IgnoreFields(customerAuth{}, "Customer.ID", "Customer.CreatedAt", "Tokens.AccessToken", "Tokens.RefreshToken")
	if d := cmp.Diff(want, got, opts); d != "" {
		t.Errorf("register response (-want +got):\n%s", d)
	}
	if got.AccessToken == "" || len(got.RefreshToken) != 43 {
		t.Errorf("Tokens missing: %+v", got.Tokens)
	}
	if strings.Contains(string(res.Body), "argon2") || strings.Contains(string(res.Body), "password") {
		t.Errorf("response leaks the password or its hash: %s", res.Body)
	}
	// The access token is a store token for this customer.
	me := h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/customers/me", Token: got.AccessToken}).
		Expect(t, http.StatusOK)
	var prof struct {
		ID string `json:"id"`
	}
	me.JSON(t, &prof)
	if prof.ID != got.Customer.ID {
		t.Errorf("/me id = %q, want %q", prof.ID, got.Customer.ID)
	}
	// And the customer can sign in with any capitalisation of the e-mail.
	post(h, "/v1/auth/customers/login", map[string]string{"email": "ADA@example.com", "password": "ten-chars!"}).
		Expect(t, http.StatusOK)
}

func TestRegisterDuplicateEmailIsCaseInsensitive(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	register(t, h, "grace@example.com")
	before := counts(t, h)
	post(h, "/v1/auth/customers/register", map[string]string{
		"email": "Grace@Example.com", "password": apitest.TestPassword, "first_name": "G", "last_name": "H"}).
		ExpectProblem(t, http.StatusConflict, "email_taken")
	after := counts(t, h)
	if after["customers"] != before["customers"] || after["refresh_tokens"] != before["refresh_tokens"] {
		t.Errorf("a refused sign-up wrote rows: before %v after %v", before, after)
	}
}

func TestRegisterRejectsBadInput(t *testing.T) {
	t.Parallel()
	valid := func() map[string]any {
		return map[string]any{"email": "ok@example.com", "password": apitest.TestPassword, "first_name": "A", "last_name": "B"}
	}
	with := func(k string, v any) map[string]any { m := valid(); m[k] = v; return m }
	without := func(k string) map[string]any { m := valid(); delete(m, k); return m }
	tests := []struct {
		name   string
		body   any
		status int
		code   string
		fields []string
	}{
		{"malformed JSON", `{"email": "a@b.co",`, http.StatusBadRequest, "malformed_request", nil},
		{"not an object", `[1,2]`, http.StatusBadRequest, "malformed_request", nil},
		{"empty body", ``, http.StatusBadRequest, "malformed_request", nil},
		{"unknown field", with("role", "admin"), http.StatusBadRequest, "malformed_request", nil},
		{"wrong type", with("email", 42), http.StatusBadRequest, "malformed_request", nil},
		{"short password", with("password", "123456789"), http.StatusUnprocessableEntity, "validation_failed", []string{"password"}},
		{"long password", with("password", strings.Repeat("p", 129)), http.StatusUnprocessableEntity, "validation_failed", []string{"password"}},
		{"bad email", with("email", "not-an-email"), http.StatusUnprocessableEntity, "validation_failed", []string{"email"}},
		{"missing names", without("first_name"), http.StatusUnprocessableEntity, "validation_failed", []string{"first_name"}},
		{"everything wrong", map[string]any{"email": "x", "password": "short"}, http.StatusUnprocessableEntity, "validation_failed",
			[]string{"email", "password", "first_name", "last_name"}},
	}
	h := apitest.New(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := counts(t, h)
			p := post(h, "/v1/auth/customers/register", tt.body).ExpectProblem(t, tt.status, tt.code)
			var fields []string
			for _, f := range p.Errors {
				fields = append(fields, f.Field)
			}
			if d := cmp.Diff(tt.fields, fields, cmpopts.SortSlices(func(a, b string) bool { return a < b })); d != "" {
				t.Errorf("errors[].field (-want +got):\n%s", d)
			}
			if d := cmp.Diff(before, counts(t, h)); d != "" {
				t.Errorf("bad input changed the database (-before +after):\n%s", d)
			}
		})
	}
}

func TestCustomerLogin(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	register(t, h, "lin@example.com")
	res := post(h, "/v1/auth/customers/login", map[string]string{"email": "lin@example.com", "password": apitest.TestPassword}).
		Expect(t, http.StatusOK)
	var got customerAuth
	res.JSON(t, &got)
	if got.Customer.Email != "lin@example.com" || got.AccessToken == "" || got.RefreshToken == "" {
		t.Errorf("login response = %s", res.Body)
	}

	// Wrong password and unknown e-mail must be indistinguishable.
	wrong := post(h, "/v1/auth/customers/login", map[string]string{"email": "lin@example.com", "password": "wrong-password"}).
		ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
	unknown := post(h, "/v1/auth/customers/login", map[string]string{"email": "nobody@example.com", "password": "wrong-password"}).
		ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
	if d := cmp.Diff(wrong, unknown, cmpopts.IgnoreFields(apitest.Problem{}, "RequestID")); d != "" {
		t.Errorf("unknown e-mail answers differently from wrong password (-wrong +unknown):\n%s", d)
	}
	// A staff login with customer credentials fails: separate account spaces.
	post(h, "/v1/auth/staff/login", map[string]string{"email": "lin@example.com", "password": apitest.TestPassword}).
		ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
	post(h, "/v1/auth/customers/login", map[string]any{"email": "lin@example.com"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
}

func TestMeNeedsACustomerToken(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	get := func(tok string) *apitest.Response {
		return h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/customers/me", Token: tok})
	}
	get("").ExpectProblem(t, http.StatusUnauthorized, "unauthenticated")
	get("garbage").ExpectProblem(t, http.StatusUnauthorized, "invalid_token")
	get(h.StaffToken(t, "admin")).ExpectProblem(t, http.StatusForbidden, "forbidden")
	get(h.APIKey(t, "admin")).ExpectProblem(t, http.StatusForbidden, "forbidden")
}
