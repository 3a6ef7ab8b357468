package authapi_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/customers"
)

func TestLoginRateLimitPerEmail(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/v1/auth/customers/login", "/v1/auth/staff/login"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			h := apitest.New(t)
			var a apitest.Account
			if path == "/v1/auth/staff/login" {
				a = h.NewStaff(t, "admin")
			} else {
				a = h.NewCustomer(t)
			}
			before := counts(t, h)
			for i := range customers.LoginFailuresPerEmail {
				post(h, path, map[string]string{"email": a.Email, "password": fmt.Sprintf("guess-%d-guess", i)}).
					ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
			}
			// Attempt N+1 is refused before the password is even checked,
			// the right password included.
			res := post(h, path, map[string]string{"email": a.Email, "password": a.Password})
			res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
			if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 1 || s > 900 {
				t.Errorf("Retry-After = %q, want 1..900 seconds", res.Header.Get("Retry-After"))
			}
			// Only the counters changed: no session, account or key rows.
			after := counts(t, h)
			delete(before, "login_attempts")
			delete(after, "login_attempts")
			if d := cmp.Diff(before, after); d != "" {
				t.Errorf("rate-limited attempts wrote rows (-before +after):\n%s", d)
			}
			// Another e-mail from the same IP is still allowed.
			other := h.NewCustomer(t)
			post(h, "/v1/auth/customers/login", map[string]string{"email": other.Email, "password": other.Password}).
				Expect(t, http.StatusOK)
		})
	}
}

func TestLoginRateLimitPerIP(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	for i := range customers.LoginFailuresPerIP {
		post(h, "/v1/auth/customers/login", map[string]string{"email": fmt.Sprintf("nobody%d@example.com", i), "password": "wrong-password"}).
			ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
	}
	res := post(h, "/v1/auth/staff/login", map[string]string{"email": "fresh@example.com", "password": "wrong-password"})
	res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

func TestSuccessfulLoginsAreNotLimited(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	a := h.NewCustomer(t)
	for range customers.LoginFailuresPerEmail + 2 {
		post(h, "/v1/auth/customers/login", map[string]string{"email": a.Email, "password": a.Password}).Expect(t, http.StatusOK)
	}
}

func TestSignupRateLimitPerIP(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	for i := range customers.SignupsPerIP {
		register(t, h, fmt.Sprintf("new%d@example.com", i))
	}
	before := counts(t, h)
	res := post(h, "/v1/auth/customers/register", map[string]string{
		"email": "one-more@example.com", "password": apitest.TestPassword, "first_name": "A", "last_name": "B"})
	res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
	if after := counts(t, h); after["customers"] != before["customers"] {
		t.Error("a rate-limited sign-up created a customer")
	}
}
