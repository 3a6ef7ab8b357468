package store

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/customers"
	"storekeep/internal/platform/page"
)

// AddressList is a page of the customer's addresses.
type AddressList struct {
	Data       []customers.Address `json:"data" binding:"required"`
	NextCursor *string             `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name CustomerAddressList

// listAddresses godoc
//
//	@Summary		List the signed-in customer's addresses
//	@Description	The customer's own address book, oldest first (at most 50 addresses).
//	@Tags			customers
//	@ID				listMyAddresses
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	AddressList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem	"no or invalid customer token"
//	@Failure		403		{object}	web.Problem	"a staff token or API key"
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/store/customers/me/addresses [get]
func (h Customers) listAddresses(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	l, err := h.Svc.Addresses(c.Request().Context(), me(c), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, AddressList(l))
}

// createAddress godoc
//
//	@Summary		Add an address to the signed-in customer's book
//	@Description	Validates the address (country_code ISO 3166-1 alpha-2; errors name each bad field). Setting is_default_shipping or is_default_billing clears that flag on the customer's other addresses; the first address becomes both defaults. At most 50 addresses (422 address_limit_reached).
//	@Tags			customers
//	@ID				createMyAddress
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		customers.AddressInput	true	"the address"
//	@Success		201		{object}	customers.Address
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem	"no or invalid customer token"
//	@Failure		403		{object}	web.Problem	"a staff token or API key"
//	@Failure		404		{object}	web.Problem	"the account was archived"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed or address_limit_reached"
//	@Router			/v1/store/customers/me/addresses [post]
func (h Customers) createAddress(c echo.Context) error {
	var in customers.AddressInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	a, err := h.Svc.CreateAddress(c.Request().Context(), me(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a)
}

// getAddress godoc
//
//	@Summary		Get one of the signed-in customer's addresses
//	@Description	Another customer's address id answers exactly like a missing one (404).
//	@Tags			customers
//	@ID				getMyAddress
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"address id"
//	@Success		200	{object}	customers.Address
//	@Failure		401	{object}	web.Problem	"no or invalid customer token"
//	@Failure		403	{object}	web.Problem	"a staff token or API key"
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/store/customers/me/addresses/{id} [get]
func (h Customers) getAddress(c echo.Context) error {
	a, err := h.Svc.Address(c.Request().Context(), me(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// updateAddress godoc
//
//	@Summary		Update one of the signed-in customer's addresses
//	@Description	Partial update; the merged address is validated as a whole. Setting a default flag clears it on the customer's other addresses in the same transaction. Another customer's address id answers exactly like a missing one (404).
//	@Tags			customers
//	@ID				updateMyAddress
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"address id"
//	@Param			body	body		customers.AddressPatch	true	"the fields to change"
//	@Success		200		{object}	customers.Address
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem	"no or invalid customer token"
//	@Failure		403		{object}	web.Problem	"a staff token or API key"
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/store/customers/me/addresses/{id} [patch]
func (h Customers) updateAddress(c echo.Context) error {
	var in customers.AddressPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	a, err := h.Svc.UpdateAddress(c.Request().Context(), me(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// deleteAddress godoc
//
//	@Summary		Delete one of the signed-in customer's addresses
//	@Description	Orders keep their own copy of the address. Another customer's address id answers exactly like a missing one (404).
//	@Tags			customers
//	@ID				deleteMyAddress
//	@Security		BearerAuth
//	@Param			id	path	string	true	"address id"
//	@Success		204
//	@Failure		401	{object}	web.Problem	"no or invalid customer token"
//	@Failure		403	{object}	web.Problem	"a staff token or API key"
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/store/customers/me/addresses/{id} [delete]
func (h Customers) deleteAddress(c echo.Context) error {
	if err := h.Svc.DeleteAddress(c.Request().Context(), me(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
