// Package authapi serves /v1/auth/... (sign-up, sign-in, token refresh and
// sign-out for customers and staff). The signed-in customer's profile is in api/store.
// Handlers only bind, call one service method and map the result; the rules
// live in internal/customers, internal/staff and internal/platform/auth.
package authapi

import (
	"time"

	"storekeep/internal/customers"
	"storekeep/internal/platform/auth"
	"storekeep/internal/staff"
)

// RegisterRequest is a customer sign-up.
type RegisterRequest struct {
	Email     string `json:"email" validate:"required,email,max=254" format:"email" maxLength:"254" example:"ada@example.com"`
	Password  string `json:"password" text:"free" validate:"required,min=10,max=128" minLength:"10" maxLength:"128" example:"correct horse battery"`
	FirstName string `json:"first_name" validate:"required,max=100" maxLength:"100" example:"Ada"`
	LastName  string `json:"last_name" validate:"required,max=100" maxLength:"100" example:"Lovelace"`
	// Locale is the language e-mails are written in; without it, the
	// Accept-Language header's preferred supported language, else en.
	Locale string `json:"locale,omitempty" enums:"en,fr" example:"fr"`
} // @name RegisterRequest

// LoginRequest is a customer or staff sign-in.
type LoginRequest struct {
	// Email is an account's address (format email, as at sign-up); the server
	// does not check its syntax here: an address no account has is simply
	// invalid_credentials, like a wrong password.
	Email    string `json:"email" validate:"required,max=254" format:"email" maxLength:"254" example:"ada@example.com"`
	Password string `json:"password" text:"free" validate:"required,max=128" maxLength:"128" example:"correct horse battery"`
} // @name LoginRequest

// RefreshRequest exchanges a refresh token for a new pair.
type RefreshRequest struct {
	RefreshToken string `json:"refresh_token" validate:"required,max=256" maxLength:"256" example:"q3V0bW9yZS1yYW5kb20tYnl0ZXMtaGVyZS0xMjM0NTY3OA"`
} // @name RefreshRequest

// LogoutRequest ends the session a refresh token belongs to.
type LogoutRequest struct {
	RefreshToken string `json:"refresh_token" validate:"required,max=256" maxLength:"256" example:"q3V0bW9yZS1yYW5kb20tYnl0ZXMtaGVyZS0xMjM0NTY3OA"`
	// All ends every session of the user; for staff it also voids access
	// tokens already issued.
	All bool `json:"all,omitempty" example:"false"`
} // @name LogoutRequest

// Customer is a customer's own profile; locale is the language e-mails to
// the customer are written in.
type Customer struct {
	ID        string    `json:"id" binding:"required" example:"cus_01hzx8k3m4n5p6q7r8s9t0v1w2"`
	Email     string    `json:"email" binding:"required" example:"ada@example.com"`
	FirstName string    `json:"first_name" binding:"required" example:"Ada"`
	LastName  string    `json:"last_name" binding:"required" example:"Lovelace"`
	Locale    string    `json:"locale" binding:"required" enums:"en,fr" example:"en"`
	CreatedAt time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Customer

// StaffUser is a staff member's profile.
type StaffUser struct {
	ID        string    `json:"id" binding:"required" example:"stf_01hzx8k3m4n5p6q7r8s9t0v1w2"`
	Email     string    `json:"email" binding:"required" example:"admin@example.com"`
	Role      string    `json:"role" binding:"required" enums:"admin,manager,support,warehouse" example:"admin"`
	CreatedAt time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name StaffUser

// TokenPair is a fresh access token and its refresh token.
type TokenPair struct {
	AccessToken string `json:"access_token" binding:"required" example:"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."`
	// RefreshToken is single-use: each refresh returns a new one.
	RefreshToken string `json:"refresh_token" binding:"required" example:"q3V0bW9yZS1yYW5kb20tYnl0ZXMtaGVyZS0xMjM0NTY3OA"`
	// ExpiresIn is the access token's lifetime in seconds.
	ExpiresIn int    `json:"expires_in" binding:"required" example:"900"`
	TokenType string `json:"token_type" binding:"required" enums:"Bearer" example:"Bearer"`
} // @name TokenPair

// CustomerAuth answers a customer sign-up or sign-in.
type CustomerAuth struct {
	Customer     Customer `json:"customer" binding:"required"`
	AccessToken  string   `json:"access_token" binding:"required" example:"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."`
	RefreshToken string   `json:"refresh_token" binding:"required" example:"q3V0bW9yZS1yYW5kb20tYnl0ZXMtaGVyZS0xMjM0NTY3OA"`
	ExpiresIn    int      `json:"expires_in" binding:"required" example:"900"`
	TokenType    string   `json:"token_type" binding:"required" enums:"Bearer" example:"Bearer"`
} // @name CustomerAuth

// StaffAuth answers a staff sign-in.
type StaffAuth struct {
	Staff        StaffUser `json:"staff" binding:"required"`
	AccessToken  string    `json:"access_token" binding:"required" example:"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."`
	RefreshToken string    `json:"refresh_token" binding:"required" example:"q3V0bW9yZS1yYW5kb20tYnl0ZXMtaGVyZS0xMjM0NTY3OA"`
	ExpiresIn    int       `json:"expires_in" binding:"required" example:"900"`
	TokenType    string    `json:"token_type" binding:"required" enums:"Bearer" example:"Bearer"`
} // @name StaffAuth

func customerDTO(c customers.Customer) Customer {
	return Customer{ID: c.ID, Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Locale: c.Locale,
		CreatedAt: c.CreatedAt}
}

func staffDTO(u staff.User) StaffUser {
	return StaffUser{ID: u.ID, Email: u.Email, Role: u.Role, CreatedAt: u.CreatedAt}
}

func pairDTO(p auth.Pair) TokenPair {
	return TokenPair{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken, ExpiresIn: p.ExpiresIn, TokenType: "Bearer"}
}

func customerAuth(c customers.Customer, p auth.Pair) CustomerAuth {
	return CustomerAuth{Customer: customerDTO(c), AccessToken: p.AccessToken, RefreshToken: p.RefreshToken,
		ExpiresIn: p.ExpiresIn, TokenType: "Bearer"}
}

func staffAuth(u staff.User, p auth.Pair) StaffAuth {
	return StaffAuth{Staff: staffDTO(u), AccessToken: p.AccessToken, RefreshToken: p.RefreshToken,
		ExpiresIn: p.ExpiresIn, TokenType: "Bearer"}
}
