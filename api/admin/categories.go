package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/catalog"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// createCategory godoc
//
//	@Summary		Create a category
//	@Description	Creates a category, under `parent_id` or at the root. The handle is generated from the name unless given. Managers and admins.
//	@Tags			catalog-admin
//	@ID				createCategory
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		catalog.CategoryInput	true	"the category"
//	@Success		201		{object}	Category
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"handle_taken"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/categories [post]
func (h Catalog) createCategory(c echo.Context) error {
	var in catalog.CategoryInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cat, err := h.Svc.CreateCategory(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, adminCategoryOf(cat))
}

// listCategories godoc
//
//	@Summary		List categories
//	@Description	Every category, flat, oldest first, with translations (the store has the tree). Managers, support staff and admins.
//	@Tags			catalog-admin
//	@ID				listCategories
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	CategoryList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/categories [get]
func (h Catalog) listCategories(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.AdminListCategories(ctx, auth.FromContext(ctx), pr)
	if err != nil {
		return err
	}
	out := CategoryList{Data: make([]Category, len(l.Data)), NextCursor: l.NextCursor}
	for i, cat := range l.Data {
		out.Data[i] = adminCategoryOf(cat)
	}
	return c.JSON(http.StatusOK, out)
}

// getCategory godoc
//
//	@Summary		Get a category
//	@Tags			catalog-admin
//	@ID				getCategory
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"category id"
//	@Success		200	{object}	Category
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/categories/{id} [get]
func (h Catalog) getCategory(c echo.Context) error {
	ctx := c.Request().Context()
	cat, err := h.Svc.AdminCategory(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, adminCategoryOf(cat))
}

// updateCategory godoc
//
//	@Summary		Update a category
//	@Description	Partial update. `parent_id` moves the category (`""` to the root); moving it under itself or a descendant is 422 category_cycle. `translations` merges per locale; `null` removes a locale. Managers and admins.
//	@Tags			catalog-admin
//	@ID				updateCategory
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"category id"
//	@Param			body	body		catalog.CategoryPatch	true	"the fields to change"
//	@Success		200		{object}	Category
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"handle_taken"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed or category_cycle"
//	@Router			/v1/admin/categories/{id} [patch]
func (h Catalog) updateCategory(c echo.Context) error {
	var in catalog.CategoryPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cat, err := h.Svc.UpdateCategory(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, adminCategoryOf(cat))
}

// deleteCategory godoc
//
//	@Summary		Delete a category
//	@Description	Deletes a category without children (409 category_has_children otherwise); its products simply leave it. Managers and admins.
//	@Tags			catalog-admin
//	@ID				deleteCategory
//	@Security		BearerAuth
//	@Param			id	path	string	true	"category id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Failure		409	{object}	web.Problem	"category_has_children"
//	@Router			/v1/admin/categories/{id} [delete]
func (h Catalog) deleteCategory(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.DeleteCategory(ctx, auth.FromContext(ctx), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
