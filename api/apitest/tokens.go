package apitest

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"storekeep/internal/customers"
	"storekeep/internal/platform/id"
	"storekeep/internal/staff"
)

// TestPassword is the password of every account the helpers create.
const TestPassword = "correct-horse-battery-staple"

// Account is a signed-in test user.
type Account struct {
	ID           string
	Email        string
	Password     string
	AccessToken  string
	RefreshToken string
}

type tokenBody struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

// NewStaff creates a staff user with role directly in the database (as
// `storekeep admin create` does) and signs it in through the API.
func (h *Harness) NewStaff(t testing.TB, role string) Account {
	t.Helper()
	email := uniqueEmail("staff")
	u, err := staff.NewService(h.DB, nil, nil, nil).Create(context.Background(),
		staff.CreateInput{Email: email, Password: TestPassword, Role: role})
	if err != nil {
		t.Fatalf("create %s staff: %v", role, err)
	}
	return h.login(t, "/v1/auth/staff/login", u.ID, email)
}

// StaffToken returns an access token of a fresh staff user with role.
func (h *Harness) StaffToken(t testing.TB, role string) string {
	t.Helper()
	return h.NewStaff(t, role).AccessToken
}

// NewCustomer creates a customer account directly in the database and signs
// it in through the API. (Creating it directly, not through the rate-limited
// sign-up route, lets a test make as many customers as it needs.)
func (h *Harness) NewCustomer(t testing.TB) Account {
	t.Helper()
	email := uniqueEmail("customer")
	c, err := customers.NewService(h.DB, nil, nil, nil).Create(context.Background(), customers.CreateInput{
		Email: email, Password: TestPassword, FirstName: "Test", LastName: "Customer"})
	if err != nil {
		t.Fatalf("create customer: %v", err)
	}
	return h.login(t, "/v1/auth/customers/login", c.ID, email)
}

// CustomerToken returns an access token of a fresh customer and its id.
func (h *Harness) CustomerToken(t testing.TB) (token, customerID string) {
	t.Helper()
	a := h.NewCustomer(t)
	return a.AccessToken, a.ID
}

// APIKey creates a secret API key with role through the admin API (signed in
// as a fresh admin) and returns the secret.
func (h *Harness) APIKey(t testing.TB, role string) string {
	t.Helper()
	admin := h.StaffToken(t, "admin")
	res := h.Do(Request{Method: http.MethodPost, Path: "/v1/admin/api-keys", Token: admin,
		Body: map[string]any{"name": "test " + role, "role": role}}).Expect(t, http.StatusCreated)
	var k struct {
		Secret string `json:"secret"`
	}
	res.JSON(t, &k)
	return k.Secret
}

func (h *Harness) login(t testing.TB, path, subjectID, email string) Account {
	t.Helper()
	res := h.Do(Request{Method: http.MethodPost, Path: path,
		Body: map[string]string{"email": email, "password": TestPassword}}).Expect(t, http.StatusOK)
	var b tokenBody
	res.JSON(t, &b)
	return Account{ID: subjectID, Email: email, Password: TestPassword, AccessToken: b.AccessToken, RefreshToken: b.RefreshToken}
}

func uniqueEmail(kind string) string {
	return kind + "-" + strings.TrimPrefix(id.New("x"), "x_") + "@example.com"
}
