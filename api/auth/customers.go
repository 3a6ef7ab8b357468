package authapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/customers"
	"storekeep/internal/platform/locale"
)

// registerCustomer godoc
//
//	@Summary		Create a customer account
//	@Description	Creates a customer account and signs it in. Passwords are 10 to 128 characters. E-mails are unique regardless of case. `locale` (en or fr; 422 otherwise) is the language e-mails are written in: without it, the Accept-Language header's preferred supported language, else en. Sign-ups are rate limited per IP.
//	@Tags			auth
//	@ID				registerCustomer
//	@Accept			json
//	@Produce		json
//	@Param			body	body		RegisterRequest	true	"the new account"
//	@Success		201		{object}	CustomerAuth
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		409		{object}	web.Problem	"email_taken"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Failure		429		{object}	web.Problem	"rate_limited (see Retry-After)"
//	@Router			/v1/auth/customers/register [post]
func (h Handlers) registerCustomer(c echo.Context) error {
	var req RegisterRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	loc := req.Locale // checked by the service when given
	if loc == "" {
		loc = locale.FromAcceptLanguage(c.Request().Header.Get("Accept-Language"))
	}
	cus, pair, err := h.Customers.Register(c.Request().Context(), customers.RegisterInput{
		Email: req.Email, Password: req.Password, FirstName: req.FirstName, LastName: req.LastName, Locale: loc,
		IP: c.RealIP()})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, customerAuth(cus, pair))
}

// loginCustomer godoc
//
//	@Summary		Sign a customer in
//	@Description	Checks the e-mail and password and returns an access token (audience "store", 15 minutes) and a single-use refresh token (30 days). A wrong password and an unknown e-mail get the same answer. Failed attempts are throttled (429 rate_limited with Retry-After): 10 per account and client IP and 50 per client IP per 15 minutes; after 5 failures on an account, a client that has failed on it waits 1 s, 2 s, 4 s, ... (at most 15 minutes) from the account's last failure. A client that has not failed on the account is never delayed, so failures elsewhere cannot lock the owner out.
//	@Tags			auth
//	@ID				loginCustomer
//	@Accept			json
//	@Produce		json
//	@Param			body	body		LoginRequest	true	"credentials"
//	@Success		200		{object}	CustomerAuth
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem	"invalid_credentials"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Failure		429		{object}	web.Problem	"rate_limited (see Retry-After)"
//	@Router			/v1/auth/customers/login [post]
func (h Handlers) loginCustomer(c echo.Context) error {
	var req LoginRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	cus, pair, err := h.Customers.Login(c.Request().Context(), customers.LoginInput{
		Email: req.Email, Password: req.Password, IP: c.RealIP()})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, customerAuth(cus, pair))
}
