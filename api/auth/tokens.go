package authapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
)

// refresh godoc
//
//	@Summary		Exchange a refresh token for a new pair
//	@Description	Returns a new access token and a new refresh token; the presented refresh token stops working. Presenting an already-used refresh token (a sign it leaked) revokes every token of its family and answers 401 refresh_token_reused.
//	@Tags			auth
//	@ID				refreshToken
//	@Accept			json
//	@Produce		json
//	@Param			body	body		RefreshRequest	true	"the refresh token"
//	@Success		200		{object}	TokenPair
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem	"invalid_refresh_token or refresh_token_reused"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/auth/refresh [post]
func (h Handlers) refresh(c echo.Context) error {
	var req RefreshRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	pair, err := h.Sessions.Refresh(c.Request().Context(), req.RefreshToken)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pairDTO(pair))
}

// logout godoc
//
//	@Summary		Sign out
//	@Description	Revokes the refresh token and every token rotated from it. With "all": true, revokes every session of the user and, for staff, voids access tokens already issued. Unknown tokens are accepted silently, so signing out is idempotent.
//	@Tags			auth
//	@ID				logout
//	@Accept			json
//	@Param			body	body	LogoutRequest	true	"the refresh token"
//	@Success		204
//	@Failure		400	{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		413	{object}	web.Problem
//	@Failure		422	{object}	web.Problem	"validation_failed"
//	@Router			/v1/auth/logout [post]
func (h Handlers) logout(c echo.Context) error {
	var req LogoutRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	if err := h.Sessions.Logout(c.Request().Context(), req.RefreshToken, req.All); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
