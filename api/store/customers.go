package store

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/customers"
	"storekeep/internal/platform/auth"
)

// Customers serves the signed-in customer's profile, password and address
// book (/v1/store/customers/me...). Every route takes the customer id from the
// token, never from the request, so a customer only ever reaches their own
// account and addresses.
type Customers struct{ Svc *customers.Service }

// RegisterCustomers adds the profile and address-book routes to r.
func RegisterCustomers(r *web.Router, h Customers) {
	r.GET("/v1/store/customers/me", web.CustomerOnly, h.getProfile)
	r.PATCH("/v1/store/customers/me", web.CustomerOnly, h.updateProfile)
	r.POST("/v1/store/customers/me/password", web.CustomerOnly, h.changePassword)
	r.GET("/v1/store/customers/me/addresses", web.CustomerOnly, h.listAddresses)
	r.POST("/v1/store/customers/me/addresses", web.CustomerOnly, h.createAddress)
	r.GET("/v1/store/customers/me/addresses/:id", web.CustomerOnly, h.getAddress)
	r.PATCH("/v1/store/customers/me/addresses/:id", web.CustomerOnly, h.updateAddress)
	r.DELETE("/v1/store/customers/me/addresses/:id", web.CustomerOnly, h.deleteAddress)
}

// me is the signed-in customer's id.
func me(c echo.Context) string { return auth.FromContext(c.Request().Context()).ID }

// getProfile godoc
//
//	@Summary		The signed-in customer's profile
//	@Description	The account of the customer the token belongs to. Never includes the password hash.
//	@Tags			customers
//	@ID				getMyCustomerProfile
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	customers.Profile
//	@Failure		401	{object}	web.Problem	"no or invalid customer token"
//	@Failure		403	{object}	web.Problem	"a staff token or API key"
//	@Failure		404	{object}	web.Problem	"the account was archived"
//	@Router			/v1/store/customers/me [get]
func (h Customers) getProfile(c echo.Context) error {
	cus, err := h.Svc.Get(c.Request().Context(), me(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cus.Profile())
}

// updateProfile godoc
//
//	@Summary		Update the signed-in customer's profile
//	@Description	Partial update of names, phone, marketing consent and locale (the language e-mails are written in: en or fr, 422 otherwise); absent fields are unchanged. Any other field (email, id, role, email_verified, ...) is rejected with 400: e-mail and password changes are not part of this route.
//	@Tags			customers
//	@ID				updateMyCustomerProfile
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		customers.ProfilePatch	true	"the fields to change"
//	@Success		200		{object}	customers.Profile
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem	"no or invalid customer token"
//	@Failure		403		{object}	web.Problem	"a staff token or API key"
//	@Failure		404		{object}	web.Problem	"the account was archived"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/store/customers/me [patch]
func (h Customers) updateProfile(c echo.Context) error {
	var in customers.ProfilePatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	cus, err := h.Svc.UpdateProfile(c.Request().Context(), me(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cus.Profile())
}

// CustomerSession is the fresh session a password change returns: every
// other session of the customer has been signed out.
type CustomerSession struct {
	AccessToken string `json:"access_token" binding:"required" example:"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."`
	// RefreshToken is single-use: each refresh returns a new one.
	RefreshToken string `json:"refresh_token" binding:"required" example:"q3V0bW9yZS1yYW5kb20tYnl0ZXMtaGVyZS0xMjM0NTY3OA"`
	// ExpiresIn is the access token's lifetime in seconds.
	ExpiresIn int    `json:"expires_in" binding:"required" example:"900"`
	TokenType string `json:"token_type" binding:"required" enums:"Bearer" example:"Bearer"`
} // @name CustomerSession

// changePassword godoc
//
//	@Summary		Change the signed-in customer's password
//	@Description	Needs the current password. On success every refresh token of the customer is revoked (other devices are signed out; access tokens already issued lapse within 15 minutes) and a fresh session is returned for this client. A wrong current password is 422 invalid_current_password; 10 of them per customer per 15 minutes, then 429 with Retry-After (failed sign-ins by others do not count).
//	@Tags			customers
//	@ID				changeMyPassword
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		customers.PasswordChange	true	"current and new password"
//	@Success		200		{object}	CustomerSession
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem	"no or invalid customer token"
//	@Failure		403		{object}	web.Problem	"a staff token or API key"
//	@Failure		404		{object}	web.Problem	"the account was archived"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed or invalid_current_password"
//	@Failure		429		{object}	web.Problem	"rate_limited (see Retry-After)"
//	@Router			/v1/store/customers/me/password [post]
func (h Customers) changePassword(c echo.Context) error {
	var in customers.PasswordChange
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	p, err := h.Svc.ChangePassword(c.Request().Context(), me(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, CustomerSession{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken,
		ExpiresIn: p.ExpiresIn, TokenType: "Bearer"})
}
