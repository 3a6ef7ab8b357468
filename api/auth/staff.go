package authapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/staff"
)

// loginStaff godoc
//
//	@Summary		Sign a staff member in
//	@Description	Checks the e-mail and password and returns an access token for the admin API (audience "admin", 15 minutes) and a single-use refresh token. Wrong password, unknown e-mail and disabled user get the same answer. Failed attempts are throttled (429 rate_limited with Retry-After): 10 per account and client IP and 50 per client IP per 15 minutes; after 5 failures on an account, a client that has failed on it waits 1 s, 2 s, 4 s, ... (at most 15 minutes) from the account's last failure. A client that has not failed on the account is never delayed, so failures elsewhere cannot lock the owner out.
//	@Tags			auth
//	@ID				loginStaff
//	@Accept			json
//	@Produce		json
//	@Param			body	body		LoginRequest	true	"credentials"
//	@Success		200		{object}	StaffAuth
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem	"invalid_credentials"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Failure		429		{object}	web.Problem	"rate_limited (see Retry-After)"
//	@Router			/v1/auth/staff/login [post]
func (h Handlers) loginStaff(c echo.Context) error {
	var req LoginRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	u, pair, err := h.Staff.Login(c.Request().Context(), staff.LoginInput{
		Email: req.Email, Password: req.Password, IP: c.RealIP()})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, staffAuth(u, pair))
}
