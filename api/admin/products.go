package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/catalog"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// createProduct godoc
//
//	@Summary		Create a product
//	@Description	Creates a product with its options, variants (at least one; SKUs unique), prices per currency, costs, categories, collections, tags, attributes, images, SEO fields and translations. The handle is generated from the title (ASCII, hyphenated, with a numeric suffix when taken) unless given. Status defaults to draft; only published products appear in the store. Managers and admins.
//	@Tags			catalog-admin
//	@ID				createProduct
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		catalog.ProductInput	true	"the product"
//	@Success		201		{object}	Product
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem	"role may not change the catalog"
//	@Failure		409		{object}	web.Problem	"handle_taken or sku_taken"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/products [post]
func (h Catalog) createProduct(c echo.Context) error {
	var in catalog.ProductInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := h.Svc.CreateProduct(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, adminProductOf(p))
}

// listProducts godoc
//
//	@Summary		List products
//	@Description	Products of every status (or one), newest first, with costs and translations; `q` searches as in the store. Managers, support staff and admins.
//	@Tags			catalog-admin
//	@ID				listProducts
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status	query		string	false	"only this status"	Enums(draft, published, archived)
//	@Param			q		query		string	false	"search text"	maxLength(200)
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	ProductList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad status or limit"
//	@Router			/v1/admin/products [get]
func (h Catalog) listProducts(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.AdminListProducts(ctx, auth.FromContext(ctx), catalog.AdminListQuery{
		Status: c.QueryParam("status"), Q: c.QueryParam("q"), Page: pr})
	if err != nil {
		return err
	}
	out := ProductList{Data: make([]Product, len(l.Data)), NextCursor: l.NextCursor}
	for i, p := range l.Data {
		out.Data[i] = adminProductOf(p)
	}
	return c.JSON(http.StatusOK, out)
}

// getProduct godoc
//
//	@Summary		Get a product
//	@Description	Any product by id, with costs and translations. Managers, support staff and admins.
//	@Tags			catalog-admin
//	@ID				getProduct
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"product id"
//	@Success		200	{object}	Product
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/products/{id} [get]
func (h Catalog) getProduct(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := h.Svc.AdminProduct(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, adminProductOf(p))
}

// updateProduct godoc
//
//	@Summary		Update a product
//	@Description	Partial update: absent fields are unchanged; lists, attributes and seo replace the stored ones whole. `variants`, when given, is the complete new list: an entry with an `id` (or the SKU of a live variant) overwrites that variant, an entry without one is new, and live variants left out are removed (archived; their SKUs stay reserved). `translations` merges per locale; `null` removes a locale. The whole product is validated again. Managers and admins.
//	@Tags			catalog-admin
//	@ID				updateProduct
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"product id"
//	@Param			body	body		catalog.ProductPatch	true	"the fields to change"
//	@Success		200		{object}	Product
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"handle_taken or sku_taken"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/products/{id} [patch]
func (h Catalog) updateProduct(c echo.Context) error {
	var in catalog.ProductPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := h.Svc.UpdateProduct(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, adminProductOf(p))
}

// archiveProduct godoc
//
//	@Summary		Archive a product
//	@Description	Products are never deleted: this sets the status to archived, which hides the product from the store. A PATCH of the status publishes it again. Managers and admins.
//	@Tags			catalog-admin
//	@ID				archiveProduct
//	@Security		BearerAuth
//	@Param			id	path	string	true	"product id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/products/{id} [delete]
func (h Catalog) archiveProduct(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.ArchiveProduct(ctx, auth.FromContext(ctx), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// addVariant godoc
//
//	@Summary		Add a variant
//	@Description	Adds a variant to a product and returns the whole product. Its option values must match the product's options and differ from every other variant's. Managers and admins.
//	@Tags			catalog-admin
//	@ID				addVariant
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"product id"
//	@Param			body	body		catalog.VariantInput	true	"the variant (without id)"
//	@Success		201		{object}	Product
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"sku_taken"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/products/{id}/variants [post]
func (h Catalog) addVariant(c echo.Context) error {
	var in catalog.VariantInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := h.Svc.AddVariant(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, adminProductOf(p))
}

// updateVariant godoc
//
//	@Summary		Update a variant
//	@Description	Partial update of one live variant (prices, when given, replace its prices); returns the whole product. Managers and admins.
//	@Tags			catalog-admin
//	@ID				updateVariant
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		string					true	"product id"
//	@Param			variant_id	path		string					true	"variant id"
//	@Param			body		body		catalog.VariantPatch	true	"the fields to change"
//	@Success		200			{object}	Product
//	@Failure		400			{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		404			{object}	web.Problem
//	@Failure		409			{object}	web.Problem	"sku_taken"
//	@Failure		413			{object}	web.Problem
//	@Failure		422			{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/products/{id}/variants/{variant_id} [patch]
func (h Catalog) updateVariant(c echo.Context) error {
	var in catalog.VariantPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := h.Svc.UpdateVariant(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("variant_id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, adminProductOf(p))
}

// removeVariant godoc
//
//	@Summary		Remove a variant
//	@Description	Archives one live variant: it disappears from the product, its SKU stays reserved for stock and order history. The last live variant cannot be removed (422 last_variant). Managers and admins.
//	@Tags			catalog-admin
//	@ID				removeVariant
//	@Security		BearerAuth
//	@Param			id			path	string	true	"product id"
//	@Param			variant_id	path	string	true	"variant id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Failure		422	{object}	web.Problem	"last_variant"
//	@Router			/v1/admin/products/{id}/variants/{variant_id} [delete]
func (h Catalog) removeVariant(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.RemoveVariant(ctx, auth.FromContext(ctx), c.Param("id"), c.Param("variant_id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
