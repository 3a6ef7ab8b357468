package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/catalog"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// createCollection godoc
//
//	@Summary		Create a collection
//	@Description	Creates a collection; products join it through their collection_ids. The handle is generated from the title unless given. Managers and admins.
//	@Tags			catalog-admin
//	@ID				createCollection
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		catalog.CollectionInput	true	"the collection"
//	@Success		201		{object}	Collection
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"handle_taken"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/collections [post]
func (h Catalog) createCollection(c echo.Context) error {
	var in catalog.CollectionInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	col, err := h.Svc.CreateCollection(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, adminCollectionOf(col))
}

// listCollections godoc
//
//	@Summary		List collections
//	@Description	Collections oldest first, with translations. Managers, support staff and admins.
//	@Tags			catalog-admin
//	@ID				listCollections
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	CollectionList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/collections [get]
func (h Catalog) listCollections(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.AdminListCollections(ctx, auth.FromContext(ctx), pr)
	if err != nil {
		return err
	}
	out := CollectionList{Data: make([]Collection, len(l.Data)), NextCursor: l.NextCursor}
	for i, col := range l.Data {
		out.Data[i] = adminCollectionOf(col)
	}
	return c.JSON(http.StatusOK, out)
}

// getCollection godoc
//
//	@Summary		Get a collection
//	@Tags			catalog-admin
//	@ID				getCollection
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"collection id"
//	@Success		200	{object}	Collection
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/collections/{id} [get]
func (h Catalog) getCollection(c echo.Context) error {
	ctx := c.Request().Context()
	col, err := h.Svc.AdminCollection(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, adminCollectionOf(col))
}

// updateCollection godoc
//
//	@Summary		Update a collection
//	@Description	Partial update; `translations` merges per locale and `null` removes a locale. Managers and admins.
//	@Tags			catalog-admin
//	@ID				updateCollection
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string						true	"collection id"
//	@Param			body	body		catalog.CollectionPatch	true	"the fields to change"
//	@Success		200		{object}	Collection
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"handle_taken"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/collections/{id} [patch]
func (h Catalog) updateCollection(c echo.Context) error {
	var in catalog.CollectionPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	col, err := h.Svc.UpdateCollection(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, adminCollectionOf(col))
}

// deleteCollection godoc
//
//	@Summary		Delete a collection
//	@Description	Deletes a collection; its products simply leave it. Managers and admins.
//	@Tags			catalog-admin
//	@ID				deleteCollection
//	@Security		BearerAuth
//	@Param			id	path	string	true	"collection id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/collections/{id} [delete]
func (h Catalog) deleteCollection(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.DeleteCollection(ctx, auth.FromContext(ctx), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
