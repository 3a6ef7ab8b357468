package api_test

import (
	"net/http"
	"testing"

	"storekeep/api/apitest"
)

// A customer's locale (the language of their e-mails): chosen at sign-up
// (the body, else Accept-Language, else en), changed by the customer or
// staff, and only to a supported language.
func TestCustomerLocale(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	register := func(body map[string]any, header map[string]string) *apitest.Response {
		body["password"], body["first_name"], body["last_name"] = apitest.TestPassword, "Ada", "Lovelace"
		return h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/auth/customers/register", Body: body, Header: header})
	}
	type auth struct {
		Customer struct {
			ID     string `json:"id"`
			Locale string `json:"locale"`
		} `json:"customer"`
		AccessToken string `json:"access_token"`
	}
	var fr, en, plain auth
	register(map[string]any{"email": "fr@example.com"}, map[string]string{"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}).
		Expect(t, http.StatusCreated).JSON(t, &fr)
	register(map[string]any{"email": "en@example.com", "locale": "en"}, map[string]string{"Accept-Language": "fr"}).
		Expect(t, http.StatusCreated).JSON(t, &en)
	register(map[string]any{"email": "plain@example.com"}, map[string]string{"Accept-Language": "de"}).
		Expect(t, http.StatusCreated).JSON(t, &plain)
	if fr.Customer.Locale != "fr" || en.Customer.Locale != "en" || plain.Customer.Locale != "en" {
		t.Fatalf("locales at sign-up: %q %q %q, want fr en en", fr.Customer.Locale, en.Customer.Locale, plain.Customer.Locale)
	}
	p := register(map[string]any{"email": "de@example.com", "locale": "de"}, nil).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "locale" {
		t.Errorf("errors: %+v", p.Errors)
	}

	me := "/v1/store/customers/me"
	h.Do(apitest.Request{Method: http.MethodPatch, Path: me, Token: en.AccessToken, Body: map[string]any{"locale": "xx"}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	var prof struct {
		Locale string `json:"locale"`
	}
	h.Do(apitest.Request{Method: http.MethodPatch, Path: me, Token: en.AccessToken, Body: map[string]any{"locale": "fr"}}).
		Expect(t, http.StatusOK).JSON(t, &prof)
	if prof.Locale != "fr" {
		t.Errorf("after PATCH me: %q", prof.Locale)
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: me, Token: en.AccessToken}).Expect(t, http.StatusOK).JSON(t, &prof)
	if prof.Locale != "fr" {
		t.Errorf("GET me: %q", prof.Locale)
	}
	mgr := h.StaffToken(t, "manager")
	h.Do(apitest.Request{Method: http.MethodPatch, Path: "/v1/admin/customers/" + fr.Customer.ID, Token: mgr,
		Body: map[string]any{"locale": "en"}}).Expect(t, http.StatusOK).JSON(t, &prof)
	if prof.Locale != "en" {
		t.Errorf("after the staff PATCH: %q", prof.Locale)
	}
	h.Do(apitest.Request{Method: http.MethodPatch, Path: "/v1/admin/customers/" + fr.Customer.ID, Token: mgr,
		Body: map[string]any{"locale": "EN"}}).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
}
