package authapi_test

import (
	"net/http"
	"sync"
	"testing"

	"storekeep/api/apitest"
)

func refresh(h *apitest.Harness, token string) *apitest.Response {
	return post(h, "/v1/auth/refresh", map[string]string{"refresh_token": token})
}

func TestRefreshRotates(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	first := register(t, h, "rot@example.com")
	res := refresh(h, first.RefreshToken).Expect(t, http.StatusOK)
	var second Tokens
	res.JSON(t, &second)
	if second.RefreshToken == first.RefreshToken || second.AccessToken == "" || second.TokenType != "Bearer" || second.ExpiresIn != 900 {
		t.Fatalf("refresh did not return a new pair: %s", res.Body)
	}
	// The new access token works; the new refresh token rotates again.
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/customers/me", Token: second.AccessToken}).Expect(t, http.StatusOK)
	var third Tokens
	refresh(h, second.RefreshToken).Expect(t, http.StatusOK).JSON(t, &third)
	if third.RefreshToken == second.RefreshToken {
		t.Error("second refresh returned the same refresh token")
	}
}

func TestRefreshReuseRevokesTheFamily(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	stolen := register(t, h, "reuse@example.com")
	// The legitimate client rotates; the thief later replays the old token.
	var legit Tokens
	refresh(h, stolen.RefreshToken).Expect(t, http.StatusOK).JSON(t, &legit)
	refresh(h, stolen.RefreshToken).ExpectProblem(t, http.StatusUnauthorized, "refresh_token_reused")
	// The whole family is dead now, including the newer token.
	refresh(h, legit.RefreshToken).ExpectProblem(t, http.StatusUnauthorized, "invalid_refresh_token")

	// Another session of the same customer is a different family and survives.
	other := post(h, "/v1/auth/customers/login", map[string]string{"email": "reuse@example.com", "password": apitest.TestPassword}).
		Expect(t, http.StatusOK)
	var o Tokens
	other.JSON(t, &o)
	refresh(h, o.RefreshToken).Expect(t, http.StatusOK)
}

func TestRefreshRejectsUnknownTokens(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	before := counts(t, h)
	for _, tok := range []string{"nope", "0123456789012345678901234567890123456789012"} {
		refresh(h, tok).ExpectProblem(t, http.StatusUnauthorized, "invalid_refresh_token")
	}
	refresh(h, "").ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	post(h, "/v1/auth/refresh", `{"refresh_token": 1}`).ExpectProblem(t, http.StatusBadRequest, "malformed_request")
	if got := counts(t, h); got["refresh_tokens"] != before["refresh_tokens"] {
		t.Errorf("refresh with bad tokens wrote rows")
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	s := register(t, h, "bye@example.com")
	var rotated Tokens
	refresh(h, s.RefreshToken).Expect(t, http.StatusOK).JSON(t, &rotated)
	post(h, "/v1/auth/logout", map[string]string{"refresh_token": rotated.RefreshToken}).Expect(t, http.StatusNoContent)
	refresh(h, rotated.RefreshToken).ExpectProblem(t, http.StatusUnauthorized, "invalid_refresh_token")
	// Logging out again, or with a token we never issued, is fine.
	post(h, "/v1/auth/logout", map[string]string{"refresh_token": rotated.RefreshToken}).Expect(t, http.StatusNoContent)
	post(h, "/v1/auth/logout", map[string]string{"refresh_token": "never-issued"}).Expect(t, http.StatusNoContent)
	post(h, "/v1/auth/logout", map[string]any{"refresh_token": "x", "everything": true}).
		ExpectProblem(t, http.StatusBadRequest, "malformed_request")
}

func TestLogoutAllSignsStaffOutEverywhere(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	laptop := h.NewStaff(t, "admin")
	phone := post(h, "/v1/auth/staff/login", map[string]string{"email": laptop.Email, "password": laptop.Password}).Expect(t, http.StatusOK)
	var p Tokens
	phone.JSON(t, &p)
	list := func(tok string) *apitest.Response {
		return h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/api-keys", Token: tok})
	}
	list(laptop.AccessToken).Expect(t, http.StatusOK)

	post(h, "/v1/auth/logout", map[string]any{"refresh_token": laptop.RefreshToken, "all": true}).Expect(t, http.StatusNoContent)
	// Access tokens issued before are void at once (token_version), and every
	// refresh family of the user is revoked.
	list(laptop.AccessToken).ExpectProblem(t, http.StatusUnauthorized, "invalid_token")
	list(p.AccessToken).ExpectProblem(t, http.StatusUnauthorized, "invalid_token")
	refresh(h, p.RefreshToken).ExpectProblem(t, http.StatusUnauthorized, "invalid_refresh_token")
	// Signing in again works and yields a working token.
	var again Tokens
	post(h, "/v1/auth/staff/login", map[string]string{"email": laptop.Email, "password": laptop.Password}).
		Expect(t, http.StatusOK).JSON(t, &again)
	list(again.AccessToken).Expect(t, http.StatusOK)
}

// TestConcurrentRefreshRotatesOnce fires one refresh token from several
// clients at once: the conditional update lets exactly one rotate it; the rest
// count as reuse, which revokes the family, the winner's new token included.
func TestConcurrentRefreshRotatesOnce(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	s := register(t, h, "race@example.com")
	const n = 8
	results := make([]*apitest.Response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i] = refresh(h, s.RefreshToken) })
	}
	wg.Wait()
	var winners []Tokens
	for _, res := range results {
		switch res.Status {
		case http.StatusOK:
			var tk Tokens
			res.JSON(t, &tk)
			winners = append(winners, tk)
		case http.StatusUnauthorized:
			// Reuse, or already revoked by another loser's reuse.
			var p apitest.Problem
			res.JSON(t, &p)
			if p.Code != "refresh_token_reused" && p.Code != "invalid_refresh_token" {
				t.Errorf("loser code = %q", p.Code)
			}
		default:
			t.Errorf("concurrent refresh answered %d: %s", res.Status, res.Body)
		}
	}
	if len(winners) != 1 {
		t.Fatalf("%d concurrent refreshes succeeded, want exactly 1", len(winners))
	}
	refresh(h, winners[0].RefreshToken).ExpectProblem(t, http.StatusUnauthorized, "invalid_refresh_token")
}
