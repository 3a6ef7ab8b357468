package admin

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
	"storekeep/internal/staff"
)

// CreateAPIKeyRequest is a new secret API key.
type CreateAPIKeyRequest struct {
	Name string `json:"name" validate:"required,max=100" maxLength:"100" example:"ERP stock sync"`
	Role string `json:"role" validate:"required,oneof=admin manager support warehouse" enums:"admin,manager,support,warehouse" example:"warehouse"`
	// ExpiresAt, when set, must be in the future; the key stops working then.
	ExpiresAt *time.Time `json:"expires_at,omitempty" format:"date-time" example:"2026-01-31T00:00:00Z"`
} // @name CreateAPIKeyRequest

// APIKey is a secret API key as listed: never with its secret.
type APIKey struct {
	ID   string `json:"id" binding:"required" example:"key_01hzx8k3m4n5p6q7r8s9t0v1w2"`
	Name string `json:"name" binding:"required" example:"ERP stock sync"`
	// Prefix is the secret's first characters, to recognise a key.
	Prefix     string     `json:"prefix" binding:"required" example:"sk_Xq3V0bW9"`
	Role       string     `json:"role" binding:"required" enums:"admin,manager,support,warehouse" example:"warehouse"`
	ExpiresAt  *time.Time `json:"expires_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2026-01-31T00:00:00Z"`
	LastUsedAt *time.Time `json:"last_used_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-02-01T08:30:00Z"`
	RevokedAt  *time.Time `json:"revoked_at" binding:"required" extensions:"x-nullable" format:"date-time"`
	// CreatedBy is the id of the staff user (or key) that made it.
	CreatedBy string    `json:"created_by" binding:"required" example:"stf_01hzx8k3m4n5p6q7r8s9t0v1w2"`
	CreatedAt time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name APIKey

// CreatedAPIKey is a new key with its secret, which is shown only here.
type CreatedAPIKey struct {
	APIKey
	// Secret is the bearer credential; store it now, it cannot be shown again.
	Secret string `json:"secret" binding:"required" example:"sk_Xq3V0bW9yZS1yYW5kb20tYnl0ZXMtaGVyZS0xMjM0NTY3"`
} // @name CreatedAPIKey

// APIKeyList is a page of API keys.
type APIKeyList struct {
	Data       []APIKey `json:"data" binding:"required"`
	NextCursor *string  `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name APIKeyList

// APIKeys serves /v1/admin/api-keys.
type APIKeys struct{ Staff *staff.Service }

// RegisterAPIKeys adds the API key routes, open to admins only.
func RegisterAPIKeys(r *web.Router, h APIKeys) {
	r.POST("/v1/admin/api-keys", web.StaffRoles(), h.create)
	r.GET("/v1/admin/api-keys", web.StaffRoles(), h.list)
	r.DELETE("/v1/admin/api-keys/:id", web.StaffRoles(), h.revoke)
}

// create godoc
//
//	@Summary		Create a secret API key
//	@Description	Creates a key for an integration with a staff role and an optional expiry. The secret (sk_...) is in this response only; it is stored as a hash and cannot be shown again. Admins only.
//	@Tags			api-keys
//	@ID				createAPIKey
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		CreateAPIKeyRequest	true	"the key"
//	@Success		201		{object}	CreatedAPIKey
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem	"not an admin"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/api-keys [post]
func (h APIKeys) create(c echo.Context) error {
	var req CreateAPIKeyRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	k, secret, err := h.Staff.CreateKey(ctx, auth.FromContext(ctx), staff.CreateKeyInput{
		Name: req.Name, Role: req.Role, ExpiresAt: req.ExpiresAt})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, CreatedAPIKey{APIKey: apiKeyDTO(k), Secret: secret})
}

// list godoc
//
//	@Summary		List secret API keys
//	@Description	Lists keys newest first, revoked and expired ones included. Secrets are never shown. Admins only.
//	@Tags			api-keys
//	@ID				listAPIKeys
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	APIKeyList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem	"not an admin"
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/api-keys [get]
func (h APIKeys) list(c echo.Context) error {
	req, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Staff.ListKeys(ctx, auth.FromContext(ctx), req)
	if err != nil {
		return err
	}
	out := APIKeyList{Data: make([]APIKey, 0, len(l.Data)), NextCursor: l.NextCursor}
	for _, k := range l.Data {
		out.Data = append(out.Data, apiKeyDTO(k))
	}
	return c.JSON(http.StatusOK, out)
}

// revoke godoc
//
//	@Summary		Revoke a secret API key
//	@Description	The key stops working immediately. Revoking a revoked key succeeds. Admins only.
//	@Tags			api-keys
//	@ID				revokeAPIKey
//	@Security		BearerAuth
//	@Param			id	path	string	true	"key id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem	"not an admin"
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/api-keys/{id} [delete]
func (h APIKeys) revoke(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Staff.RevokeKey(ctx, auth.FromContext(ctx), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func apiKeyDTO(k staff.APIKey) APIKey {
	return APIKey{ID: k.ID, Name: k.Name, Prefix: k.Prefix, Role: k.Role, ExpiresAt: k.ExpiresAt,
		LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt, CreatedBy: k.CreatedBy, CreatedAt: k.CreatedAt}
}
