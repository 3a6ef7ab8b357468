package authapi_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
)

func fieldsOf(p apitest.Problem) []string {
	out := []string{}
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

// TestLookalikeEmailCannotRegister is issue 8's defect 8: "bоb" with a
// Cyrillic о looks like bob but was a second account beside bob's. An
// address that mixes scripts in its local part or in a domain label is 422
// naming email; compatibility forms (full-width letters) are the address
// they look like, so they find bob's account instead of making another.
func TestLookalikeEmailCannotRegister(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	register(t, h, "bob@example.com")
	before := counts(t, h)
	for _, email := range []string{
		"b\u043eb@example.com",  // Cyrillic о
		"b\u03bfb@example.com",  // Greek ο
		"bob@ex\u0430mple.com",  // Cyrillic а in the domain
		"bob\u200b@example.com", // zero-width space
		"\u202ebob@example.com", // right-to-left override
		"bob\u00ad@example.com", // soft hyphen
	} {
		p := post(h, "/v1/auth/customers/register", map[string]string{"email": email, "password": apitest.TestPassword,
			"first_name": "Bob", "last_name": "B"}).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
		if d := cmp.Diff([]string{"email"}, fieldsOf(p)); d != "" {
			t.Errorf("%q: errors[].field (-want +got):\n%s", email, d)
		}
	}
	post(h, "/v1/auth/customers/register", map[string]string{"email": "ｂｏｂ@ｅｘａｍｐｌｅ.com", "password": apitest.TestPassword,
		"first_name": "Bob", "last_name": "B"}).ExpectProblem(t, http.StatusConflict, "email_taken")
	if d := cmp.Diff(before, counts(t, h)); d != "" {
		t.Errorf("refused sign-ups changed rows (-before +after):\n%s", d)
	}
}

// TestEquivalentEmailSignsIntoTheSameAccount: sign-in normalizes as sign-up
// does (NFKC, lower case), so the full-width and upper-case forms of an
// address sign into its account.
func TestEquivalentEmailSignsIntoTheSameAccount(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	tk := register(t, h, "bob@example.com")
	me := func(token string) string {
		var c struct {
			ID string `json:"id"`
		}
		h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/customers/me", Token: token}).
			Expect(t, http.StatusOK).JSON(t, &c)
		return c.ID
	}
	want := me(tk.AccessToken)
	for _, email := range []string{"ｂｏｂ@example.com", "BOB@EXAMPLE.COM", "ｂｏｂ＠ｅｘａｍｐｌｅ．ｃｏｍ"} {
		var got Tokens
		post(h, "/v1/auth/customers/login", map[string]string{"email": email, "password": apitest.TestPassword}).
			Expect(t, http.StatusOK).JSON(t, &got)
		if id := me(got.AccessToken); id != want {
			t.Errorf("%q signed into %s, want %s", email, id, want)
		}
	}
	// The look-alike is not bob: same answer as an unknown address.
	post(h, "/v1/auth/customers/login", map[string]string{"email": "b\u043eb@example.com", "password": apitest.TestPassword}).
		ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
}

// TestInvisibleCharactersInNamesAre422: bidi controls and invisible
// characters make one name display as another; they are refused in every
// single-line field (names, address names, product titles, API key names).
func TestInvisibleCharactersInNamesAre422(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	admin := h.StaffToken(t, "admin")
	cust, _ := h.CustomerToken(t)
	tests := []struct {
		name, method, path, token string
		body                      map[string]any
		field                     string
	}{
		{"first name with U+202E", http.MethodPost, "/v1/auth/customers/register", "", map[string]any{"email": "eve@example.com",
			"password": apitest.TestPassword, "first_name": "Eve\u202e", "last_name": "E"}, "first_name"},
		{"last name with a zero-width space", http.MethodPatch, "/v1/store/customers/me", cust,
			map[string]any{"last_name": "Sm\u200bith"}, "last_name"},
		{"address name with a bidi isolate", http.MethodPost, "/v1/store/customers/me/addresses", cust,
			map[string]any{"first_name": "\u2066Camille", "last_name": "M", "line1": "1 rue", "city": "Paris",
				"postal_code": "75001", "country_code": "FR"}, "first_name"},
		{"product title with a byte order mark", http.MethodPost, "/v1/admin/products", admin,
			map[string]any{"title": "\ufeffToner", "variants": []any{map[string]any{"sku": "T-1",
				"prices": []any{map[string]any{"amount": 100, "currency": "EUR"}}}}}, "title"},
		{"API key name with a Hangul filler", http.MethodPost, "/v1/admin/api-keys", admin,
			map[string]any{"name": "ci\u3164", "role": "manager"}, "name"},
	}
	before := counts(t, h)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := h.Do(apitest.Request{Method: tt.method, Path: tt.path, Token: tt.token, Body: tt.body}).
				ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
			if d := cmp.Diff([]string{tt.field}, fieldsOf(p)); d != "" {
				t.Errorf("errors[].field (-want +got):\n%s", d)
			}
		})
	}
	if d := cmp.Diff(before, counts(t, h)); d != "" {
		t.Errorf("refused requests changed rows (-before +after):\n%s", d)
	}
}

// TestRealNamesAndAddressesAreAccepted guards against false positives:
// accented French names, Japanese names, names with emoji joiners and
// addresses wholly in one non-Latin script register and sign in.
func TestRealNamesAndAddressesAreAccepted(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	tests := []struct{ email, first, last string }{
		{"helene.dupre@example.fr", "Hélène", "Dupré-Garçon"},
		{"éloïse@exemple.fr", "Éloïse", "Lefèvre"},
		{"yamada@example.jp", "太郎", "山田"},
		{"山田たろう@例え.jp", "たろう", "ヤマダ"},
		{"иван@пример.рф", "Иван", "Петров"},
		{"ivan.petrov@example.com", "Іван", "Петро\u0301в"},
		{"ελένη@example.gr", "Ελένη", "Παπαδοπούλου"},
		{"maryam@example.ir", "مریم", "می\u200cدانم"},
		{"scientist@example.com", "Ada 👩\u200d🔬", "O'Brien"},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			var got struct {
				Customer struct {
					Email     string `json:"email"`
					FirstName string `json:"first_name"`
				} `json:"customer"`
			}
			post(h, "/v1/auth/customers/register", map[string]string{"email": tt.email, "password": apitest.TestPassword,
				"first_name": tt.first, "last_name": tt.last}).Expect(t, http.StatusCreated).JSON(t, &got)
			if got.Customer.Email != tt.email || got.Customer.FirstName != tt.first {
				t.Errorf("stored %q / %q, want %q / %q", got.Customer.Email, got.Customer.FirstName, tt.email, tt.first)
			}
			post(h, "/v1/auth/customers/login", map[string]string{"email": tt.email, "password": apitest.TestPassword}).
				Expect(t, http.StatusOK)
		})
	}
}
