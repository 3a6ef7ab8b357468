package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/catalog"
	"storekeep/internal/platform/auth"
)

// ChannelProductsResult says what a bulk change of a channel's products did.
type ChannelProductsResult struct {
	SalesChannelID string `json:"sales_channel_id" binding:"required" example:"sc_06h1wbq289tcsfkv0n05e2brnc"`
	// Added counts the products newly on the channel (already there: not counted).
	Added int `json:"added" binding:"required" example:"3"`
	// Removed counts the products taken off the channel (not there: not counted).
	Removed int `json:"removed" binding:"required" example:"1"`
} // @name ChannelProductsResult

// setChannelProducts godoc
//
//	@Summary		Add and remove a sales channel's products
//	@Description	Puts the products of `add` on the channel and takes those of `remove` off it, in one transaction: an unknown channel is 404, an unknown or malformed product id (or one in both lists) 422, and then nothing changes. Products already in the wanted state are left as they are. Each product that changed gets a `product.updated` event carrying its new `sales_channel_ids`. At most 500 ids per list. Managers and admins.
//	@Tags			sales-channels-admin
//	@ID				setSalesChannelProducts
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"sales channel id"
//	@Param			body	body		catalog.ChannelProducts	true	"products to add and to remove"
//	@Success		200		{object}	ChannelProductsResult
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem	"sales_channel_not_found"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed (unknown product, a product in both lists)"
//	@Router			/v1/admin/sales-channels/{id}/products [post]
func (h Catalog) setChannelProducts(c echo.Context) error {
	var in catalog.ChannelProducts
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	res, err := h.Svc.SetChannelProducts(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ChannelProductsResult{SalesChannelID: res.SalesChannelID, Added: res.Added, Removed: res.Removed})
}
