package store

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/orders"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/locale"
)

// Carts serves /v1/store/carts: guests and customers.
type Carts struct{ Svc *checkout.Service }

// RegisterCarts adds the cart and checkout routes; checkoutMW wraps the
// checkout route (Idempotency-Key, required).
func RegisterCarts(r *web.Router, svc *checkout.Service, checkoutMW ...echo.MiddlewareFunc) {
	h := Carts{Svc: svc}
	r.POST("/v1/store/carts", web.Shopper, h.createCart)
	r.GET("/v1/store/carts/:id", web.Shopper, h.getCart)
	r.PATCH("/v1/store/carts/:id", web.Shopper, h.updateCart)
	r.POST("/v1/store/carts/:id/items", web.Shopper, h.addItem)
	r.PATCH("/v1/store/carts/:id/items/:item_id", web.Shopper, h.updateItem)
	r.DELETE("/v1/store/carts/:id/items/:item_id", web.Shopper, h.removeItem)
	r.POST("/v1/store/carts/:id/discounts", web.Shopper, h.applyCode)
	r.DELETE("/v1/store/carts/:id/discounts/:code", web.Shopper, h.removeCode)
	r.POST("/v1/store/carts/:id/loyalty", web.CustomerOnly, h.applyLoyalty)
	r.DELETE("/v1/store/carts/:id/loyalty", web.CustomerOnly, h.removeLoyalty)
	r.GET("/v1/store/carts/:id/shipping-options", web.Shopper, h.shippingOptions)
	r.POST("/v1/store/carts/:id/shipping-method", web.Shopper, h.setShippingMethod)
	r.POST("/v1/store/carts/:id/checkout", web.Shopper, h.checkout, checkoutMW...)
	r.POST("/v1/store/carts/:id/customer", web.CustomerOnly, h.adoptCart)
}

// CodeInput is a discount code to apply.
type CodeInput struct {
	Code string `json:"code" validate:"required,max=64" example:"WELCOME15"`
} // @name CartCodeInput

// ShippingMethodInput picks a shipping option.
type ShippingMethodInput struct {
	ShippingOptionID string `json:"shipping_option_id" validate:"required" example:"so_06h1wbq28dxanf5st2bqp8yfxm"`
} // @name CartShippingMethodInput

// ShippingOptionList is the shipping options offered for a cart.
type ShippingOptionList struct {
	Data []checkout.CartShippingOption `json:"data" binding:"required"`
} // @name CartShippingOptionList

// CheckoutResult is what a completed checkout answers.
type CheckoutResult struct {
	Order orders.Order `json:"order" binding:"required"`
} // @name CheckoutResult

func meta(c echo.Context) checkout.Meta {
	return checkout.Meta{SessionID: c.Request().Header.Get("X-Session-Id"),
		AnonymousID: c.Request().Header.Get("X-Anonymous-Id"), IP: c.RealIP(),
		IdempotencyKey: c.Request().Header.Get(web.HeaderIdempotencyKey),
		Locale:         locale.Pick(c.QueryParam("locale"), c.Request().Header.Get("Accept-Language"))}
}

// createCart godoc
//
//	@Summary		Create a cart
//	@Description	Starts a cart in a currency some region sells in (422 region_unavailable otherwise). With a customer token the cart belongs to that customer (and only their token opens it); without one it is a guest cart, reachable by its id. `X-Session-Id` / `X-Anonymous-Id` are recorded for analytics. Each client IP may create 100 carts per 15 minutes by default (STOREKEEP_CART_CREATE_LIMIT), then 429 rate_limited with Retry-After until the window ends. Guest carts left untouched for 30 days (STOREKEEP_GUEST_CART_TTL) are deleted.
//	@Tags			cart
//	@ID				createCart
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			X-Session-Id	header		string						false	"analytics session id"
//	@Param			X-Anonymous-Id	header		string						false	"analytics anonymous id"
//	@Param			body			body		checkout.CreateCartInput	true	"currency and optional e-mail"
//	@Success		201				{object}	checkout.Cart
//	@Failure		400				{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401				{object}	web.Problem
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed, region_unavailable"
//	@Failure		429				{object}	web.Problem	"rate_limited: too many carts created by this client (see Retry-After)"
//	@Router			/v1/store/carts [post]
func (h Carts) createCart(c echo.Context) error {
	var in checkout.CreateCartInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cart, err := h.Svc.CreateCart(ctx, auth.FromContext(ctx), in, meta(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cart)
}

// getCart godoc
//
//	@Summary		Get a cart
//	@Description	The cart with its lines and totals, all computed by the server. A customer's cart opens only with that customer's token; anyone else gets 404.
//	@Tags			cart
//	@ID				getCart
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"cart id"
//	@Success		200	{object}	checkout.Cart
//	@Failure		401	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/store/carts/{id} [get]
func (h Carts) getCart(c echo.Context) error {
	ctx := c.Request().Context()
	cart, err := h.Svc.Cart(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cart)
}

// updateCart godoc
//
//	@Summary		Update a cart's e-mail and addresses
//	@Description	Sets the contact e-mail and the shipping and billing addresses (the Address shape of docs/api.md). The shipping country picks the region (tax, shipping options): 422 region_unavailable when no region ships there in the cart's currency. A shipping method the new region does not offer is dropped. A new e-mail that has used up a code on the cart (per-customer limit) is 422 promotion_exhausted naming discounts.<CODE>, and nothing in the request is applied: remove the code or keep the e-mail.
//	@Tags			cart
//	@ID				updateCart
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"cart id"
//	@Param			body	body		checkout.CartPatch	true	"fields to change"
//	@Success		200		{object}	checkout.Cart
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"cart_completed"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed, region_unavailable, promotion_exhausted"
//	@Router			/v1/store/carts/{id} [patch]
func (h Carts) updateCart(c echo.Context) error {
	var in checkout.CartPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cart, err := h.Svc.UpdateCart(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cart)
}

// addItem godoc
//
//	@Summary		Add a variant to a cart
//	@Description	Adds units of a variant (to its line if the cart has one) at its current price in the cart's currency; the line keeps that price. A line holds 1-100 units, a cart up to 100 lines (422 cart_limit_exceeded). 409 insufficient_stock when the shop cannot fill it now (unless the variant allows backorders); checkout reserves again. Prices sent by the client are not accepted (unknown fields are 400).
//	@Tags			cart
//	@ID				addCartItem
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"cart id"
//	@Param			body	body		checkout.AddItemInput	true	"variant and quantity"
//	@Success		200		{object}	checkout.Cart
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"cart_completed, insufficient_stock"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed, variant_unavailable, cart_limit_exceeded"
//	@Router			/v1/store/carts/{id}/items [post]
func (h Carts) addItem(c echo.Context) error {
	var in checkout.AddItemInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cart, err := h.Svc.AddItem(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cart)
}

// updateItem godoc
//
//	@Summary		Change a cart line's quantity
//	@Description	Sets the quantity (1-100; remove a line with DELETE). Raising it checks stock as adding does.
//	@Tags			cart
//	@ID				updateCartItem
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"cart id"
//	@Param			item_id	path		string				true	"cart item id"
//	@Param			body	body		checkout.ItemPatch	true	"new quantity"
//	@Success		200		{object}	checkout.Cart
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"cart_completed, insufficient_stock"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/store/carts/{id}/items/{item_id} [patch]
func (h Carts) updateItem(c echo.Context) error {
	var in checkout.ItemPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cart, err := h.Svc.UpdateItem(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("item_id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cart)
}

// removeItem godoc
//
//	@Summary		Remove a cart line
//	@Tags			cart
//	@ID				removeCartItem
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string	true	"cart id"
//	@Param			item_id	path		string	true	"cart item id"
//	@Success		200		{object}	checkout.Cart
//	@Failure		401		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"cart_completed"
//	@Router			/v1/store/carts/{id}/items/{item_id} [delete]
func (h Carts) removeItem(c echo.Context) error {
	ctx := c.Request().Context()
	cart, err := h.Svc.RemoveItem(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("item_id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cart)
}

// applyCode godoc
//
//	@Summary		Apply a discount code
//	@Description	Applies a code (case-insensitive). Rules are checked now, each failure with its own code: promotion_not_found, promotion_not_started, promotion_expired, promotion_exhausted, promotion_minimum_not_met, promotion_not_applicable, promotion_not_combinable. Usage limits include the per-customer limit, judged against the cart's customer or e-mail (a cart without either is judged when the e-mail is set); they are enforced again, atomically, at checkout. Applying a code twice changes nothing. Codes that do not apply are limited to 10 per cart and 30 per client per 15 minutes (then 429 with Retry-After).
//	@Tags			cart
//	@ID				applyCartCode
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string		true	"cart id"
//	@Param			body	body		CodeInput	true	"the code"
//	@Success		200		{object}	checkout.Cart
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"cart_completed"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed or a promotion_* code"
//	@Failure		429		{object}	web.Problem	"rate_limited: too many codes that did not apply (per cart and per client)"
//	@Router			/v1/store/carts/{id}/discounts [post]
func (h Carts) applyCode(c echo.Context) error {
	var in CodeInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cart, err := h.Svc.ApplyCode(ctx, auth.FromContext(ctx), c.Param("id"), in.Code, meta(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cart)
}

// removeCode godoc
//
//	@Summary		Remove a discount code
//	@Tags			cart
//	@ID				removeCartCode
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string	true	"cart id"
//	@Param			code	path		string	true	"the code"
//	@Success		200		{object}	checkout.Cart
//	@Failure		401		{object}	web.Problem
//	@Failure		404		{object}	web.Problem	"no such cart, or the cart has no such code"
//	@Failure		409		{object}	web.Problem	"cart_completed"
//	@Router			/v1/store/carts/{id}/discounts/{code} [delete]
func (h Carts) removeCode(c echo.Context) error {
	ctx := c.Request().Context()
	cart, err := h.Svc.RemoveCode(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cart)
}

// shippingOptions godoc
//
//	@Summary		List shipping options for a cart
//	@Description	The cart's region's options that can ship it, each priced for this cart (free-over thresholds use the item total after discounts; weight brackets the cart's weight). Empty until the cart has a region.
//	@Tags			cart
//	@ID				listCartShippingOptions
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"cart id"
//	@Success		200	{object}	ShippingOptionList
//	@Failure		401	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/store/carts/{id}/shipping-options [get]
func (h Carts) shippingOptions(c echo.Context) error {
	ctx := c.Request().Context()
	l, err := h.Svc.ShippingOptions(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ShippingOptionList{Data: l})
}

// setShippingMethod godoc
//
//	@Summary		Choose a shipping option
//	@Tags			cart
//	@ID				setCartShippingMethod
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"cart id"
//	@Param			body	body		ShippingMethodInput	true	"the option"
//	@Success		200		{object}	checkout.Cart
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"cart_completed"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed: not offered for this cart"
//	@Router			/v1/store/carts/{id}/shipping-method [post]
func (h Carts) setShippingMethod(c echo.Context) error {
	var in ShippingMethodInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cart, err := h.Svc.SetShippingMethod(ctx, auth.FromContext(ctx), c.Param("id"), in.ShippingOptionID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cart)
}

// checkout godoc
//
//	@Summary		Check out a cart
//	@Description	Turns the cart into an order in one consistent outcome: reserves the stock, authorises the payment (or captures it, per shop setting), creates the order with its number, redeems the discount codes (usage limits enforced here, atomically), completes the cart and records order.created. Any failure leaves no order, no held stock and no used code. `Idempotency-Key` is required: a retry with the same key returns the first answer (`Idempotent-Replayed: true`); the same key with another body is 422 idempotency_conflict, while the first is still running 409 idempotency_key_in_use. The `test` provider's tokens: `tok_visa` authorises, `tok_declined` declines (402), `tok_async` leaves the order `pending` until the provider's webhook confirms it (unconfirmed orders are canceled after the pending hold, 15 minutes by default, and their stock released; a client may have only a few unpaid pending orders at once: 3 per e-mail or customer and 5 per address by default, then 429 too_many_pending_orders with Retry-After until one is paid or expires). Declined payments are limited to 5 per cart and 15 per client per 15 minutes (then 429 with Retry-After). A retry with the same key after a crash of the server gets the order the cart became. A payment that needs the shopper (3-D Secure, PayPal or Klarna redirects; the test provider's `tok_3ds` and `tok_redirect`) answers 202 `requires_action` with a `next_action` (`redirect_to_url` with a `url`, or `use_sdk` with a `client_secret` for the provider's SDK) and places no order yet: the stock stays reserved until `expires_at` (STOREKEEP_PAYMENT_ACTION_TIMEOUT, 15 minutes by default). Once the shopper has acted, call checkout again with a new Idempotency-Key: 201 with the order (or the order the provider's webhook already placed), 402 payment_declined if authentication failed (stock released, cart open again), or 202 again while still waiting. `payment.return_url` must be https or use an app scheme listed in STOREKEEP_PAYMENT_RETURN_URLS (422 return_url_not_allowed otherwise, nothing charged). The order records its `locale` (the language of its e-mails): `?locale=`, else Accept-Language, when they name a supported language (en, fr), else the customer's, else en.
//	@Tags			cart
//	@ID				checkoutCart
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string					true	"cart id"
//	@Param			Idempotency-Key	header		string					true	"unique per checkout attempt; reuse it to retry"
//	@Param			X-Session-Id	header		string					false	"analytics session id, recorded on the order"
//	@Param			X-Anonymous-Id	header		string					false	"analytics anonymous id, recorded on the order"
//	@Param			locale			query		string					false	"the order's language (en, fr), for its e-mails; wins over Accept-Language"
//	@Param			Accept-Language	header		string					false	"the order's language when ?locale= names no supported one"
//	@Param			body			body		checkout.CheckoutInput	true	"payment"
//	@Success		201				{object}	CheckoutResult
//	@Header			201				{string}	Idempotent-Replayed	"true on a replayed response"
//	@Success		202				{object}	checkout.PaymentAction	"requires_action: the shopper must act (3-D Secure, a redirect); no order yet"
//	@Failure		400				{object}	web.Problem	"malformed JSON, unknown field, idempotency_key_required"
//	@Failure		401				{object}	web.Problem
//	@Failure		402				{object}	web.Problem	"payment_declined"
//	@Failure		404				{object}	web.Problem
//	@Failure		409				{object}	web.Problem	"insufficient_stock, cart_completed, checkout_in_progress, idempotency_key_in_use, payment_amount_changed"
//	@Failure		413				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"validation_failed, cart_incomplete, idempotency_conflict, promotion_* codes, return_url_not_allowed"
//	@Failure		429				{object}	web.Problem	"rate_limited: too many declined payments (per cart and per client); too_many_pending_orders"
//	@Failure		503				{object}	web.Problem	"payment_provider_unavailable"
//	@Router			/v1/store/carts/{id}/checkout [post]
func (h Carts) checkout(c echo.Context) error {
	var in checkout.CheckoutInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	// A checkout runs to its end once started, even if the client hangs up
	// (the client retries with its Idempotency-Key and gets the stored
	// answer). Cut off half way, a commit that went through unseen would
	// leave the cart claimed for minutes, or make the failure path give
	// back the payment and the stock of an order that exists.
	ctx, cancel := web.Detached(c.Request().Context())
	defer cancel()
	o, err := h.Svc.Checkout(ctx, auth.FromContext(ctx), c.Param("id"), in, meta(c))
	if ar := (*checkout.ActionRequired)(nil); errors.As(err, &ar) {
		return actionRequired(c, ar)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, CheckoutResult{Order: o})
}

// adoptCart godoc
//
//	@Summary		Take a guest cart over after signing in
//	@Description	Gives the guest cart to the signed-in customer. If they already have an open cart in the same currency, the guest cart's lines are merged into it (quantities add up to at most 100 per line; codes and addresses their cart lacks are carried over), the guest cart is closed (status merged) and the answer is the customer's cart, with its own id: use that id from now on. Otherwise the guest cart becomes the customer's. Another customer's cart is 404. Signing in never fails on a discount code: a code the customer has already used up (per-customer limit) stays on the cart without applying (not in discounts, not in the totals) and checkout refuses it with 422 promotion_exhausted until it is removed.
//	@Tags			cart
//	@ID				adoptCart
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"guest cart id"
//	@Success		200	{object}	checkout.Cart
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem	"not a customer token"
//	@Failure		404	{object}	web.Problem
//	@Failure		409	{object}	web.Problem	"cart_completed"
//	@Router			/v1/store/carts/{id}/customer [post]
func (h Carts) adoptCart(c echo.Context) error {
	ctx := c.Request().Context()
	cart, err := h.Svc.AdoptCart(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cart)
}
