package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
)

// RegisterPurchasing adds the supplier, purchase order and forecast routes.
// mw is applied to the receive route (the idempotency middleware, when the
// server has one).
func RegisterPurchasing(r *web.Router, h Purchasing, receiveMW ...echo.MiddlewareFunc) {
	r.POST("/v1/admin/suppliers", purchasingWrite, h.createSupplier)
	r.GET("/v1/admin/suppliers", purchasingRead, h.listSuppliers)
	r.GET("/v1/admin/suppliers/:id", purchasingRead, h.getSupplier)
	r.PATCH("/v1/admin/suppliers/:id", purchasingWrite, h.updateSupplier)
	r.GET("/v1/admin/suppliers/:id/items", purchasingRead, h.listSupplierItems)
	r.PUT("/v1/admin/suppliers/:id/items/:variant_id", purchasingWrite, h.putSupplierItem)
	r.DELETE("/v1/admin/suppliers/:id/items/:variant_id", purchasingWrite, h.deleteSupplierItem)

	r.POST("/v1/admin/purchase-orders", purchasingWrite, h.createPurchaseOrder)
	r.GET("/v1/admin/purchase-orders", purchasingRead, h.listPurchaseOrders)
	r.GET("/v1/admin/purchase-orders/:id", purchasingRead, h.getPurchaseOrder)
	r.PATCH("/v1/admin/purchase-orders/:id", purchasingWrite, h.updatePurchaseOrder)
	r.POST("/v1/admin/purchase-orders/:id/send", purchasingWrite, h.sendPurchaseOrder)
	r.POST("/v1/admin/purchase-orders/:id/cancel", purchasingWrite, h.cancelPurchaseOrder)
	r.POST("/v1/admin/purchase-orders/:id/receive", purchasingReceive, h.receivePurchaseOrder, receiveMW...)

	r.GET("/v1/admin/inventory/forecast", purchasingRead, h.getForecast)
}

// getForecast godoc
//
//	@Summary		Demand forecast of a variant
//	@Description	Daily sales from the stock ledger (units of `sale` movements per UTC day over the last 56 days, zero-filled), smoothed exponentially (alpha 0.3) into an average daily demand; days of cover = available / demand (null without demand); suggested reorder quantity = max(0, reorder_point + safety_stock + demand x lead_time_days - available - on_order), rounded up to the preferred supplier's MOQ. Stock figures are summed over active warehouses. Managers, warehouse staff and admins.
//	@Tags			purchasing
//	@ID				getStockForecast
//	@Produce		json
//	@Security		BearerAuth
//	@Param			variant_id	query		string	true	"variant id"
//	@Success		200			{object}	inventory.Forecast
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		404			{object}	web.Problem	"unknown variant"
//	@Failure		422			{object}	web.Problem	"variant_id missing"
//	@Router			/v1/admin/inventory/forecast [get]
func (h Purchasing) getForecast(c echo.Context) error {
	v := c.QueryParam("variant_id")
	if v == "" {
		return errs.Invalidf("variant_id", "is required")
	}
	ctx := c.Request().Context()
	f, err := h.Svc.Forecast(ctx, auth.FromContext(ctx), v)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}
