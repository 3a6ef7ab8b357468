package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/platform/page"
	"storekeep/internal/support"
)

// registerSupportLibrary adds the FAQ (what the bot answers from) and
// canned-reply routes.
func registerSupportLibrary(r *web.Router, h Support) {
	r.POST("/v1/admin/support/faqs", supportStaff, h.createFAQ)
	r.GET("/v1/admin/support/faqs", supportStaff, h.listFAQs)
	r.GET("/v1/admin/support/faqs/:id", supportStaff, h.getFAQ)
	r.PATCH("/v1/admin/support/faqs/:id", supportStaff, h.updateFAQ)
	r.DELETE("/v1/admin/support/faqs/:id", supportStaff, h.deleteFAQ)
	r.POST("/v1/admin/support/canned-replies", supportStaff, h.createCanned)
	r.GET("/v1/admin/support/canned-replies", supportStaff, h.listCanned)
	r.PATCH("/v1/admin/support/canned-replies/:id", supportStaff, h.updateCanned)
	r.DELETE("/v1/admin/support/canned-replies/:id", supportStaff, h.deleteCanned)
}

// FAQList is a page of FAQ entries.
type FAQList struct {
	Data       []support.FAQ `json:"data" binding:"required"`
	NextCursor *string       `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name SupportFAQList

// createFAQ godoc
//
//	@Summary		Add an FAQ entry
//	@Description	An entry the bot answers from: `question`, `answer` and `locale` (en or fr) are required; `keywords` help it match other wordings.
//	@Tags			support
//	@ID				createSupportFAQ
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		support.FAQInput	true	"the entry"
//	@Success		201		{object}	support.FAQ
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/support/faqs [post]
func (h Support) createFAQ(c echo.Context) error {
	var in support.FAQInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	f, err := h.Svc.CreateFAQ(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, f)
}

// listFAQs godoc
//
//	@Summary		List FAQ entries
//	@Description	Newest first, optionally of one locale.
//	@Tags			support
//	@ID				listSupportFAQs
//	@Produce		json
//	@Security		BearerAuth
//	@Param			locale	query		string	false	"en or fr"	Enums(en, fr)
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	FAQList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad locale or limit"
//	@Router			/v1/admin/support/faqs [get]
func (h Support) listFAQs(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	l, err := h.Svc.FAQs(c.Request().Context(), c.QueryParam("locale"), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, FAQList(l))
}

// getFAQ godoc
//
//	@Summary		Get an FAQ entry
//	@Tags			support
//	@ID				getSupportFAQ
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"FAQ id"
//	@Success		200	{object}	support.FAQ
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/support/faqs/{id} [get]
func (h Support) getFAQ(c echo.Context) error {
	f, err := h.Svc.GetFAQ(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

// updateFAQ godoc
//
//	@Summary		Change an FAQ entry
//	@Description	Partial update: absent fields are unchanged; `keywords` replaces the list.
//	@Tags			support
//	@ID				updateSupportFAQ
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"FAQ id"
//	@Param			body	body		support.FAQInput	true	"the fields to change"
//	@Success		200		{object}	support.FAQ
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/support/faqs/{id} [patch]
func (h Support) updateFAQ(c echo.Context) error {
	var in support.FAQInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	f, err := h.Svc.UpdateFAQ(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

// deleteFAQ godoc
//
//	@Summary		Delete an FAQ entry
//	@Tags			support
//	@ID				deleteSupportFAQ
//	@Security		BearerAuth
//	@Param			id	path	string	true	"FAQ id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/support/faqs/{id} [delete]
func (h Support) deleteFAQ(c echo.Context) error {
	if err := h.Svc.DeleteFAQ(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// CannedReplyList is a page of canned replies.
type CannedReplyList struct {
	Data       []support.CannedReply `json:"data" binding:"required"`
	NextCursor *string               `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name SupportCannedReplyList

// createCanned godoc
//
//	@Summary		Add a canned reply
//	@Description	`title` and `body` are required; `locale` is en by default. The body may use {{first_name}} and {{order_number}}, filled in when the reply is posted.
//	@Tags			support
//	@ID				createSupportCannedReply
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		support.CannedReplyInput	true	"the reply"
//	@Success		201		{object}	support.CannedReply
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/support/canned-replies [post]
func (h Support) createCanned(c echo.Context) error {
	var in support.CannedReplyInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	r, err := h.Svc.CreateCannedReply(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

// listCanned godoc
//
//	@Summary		List canned replies
//	@Description	By title, optionally of one locale.
//	@Tags			support
//	@ID				listSupportCannedReplies
//	@Produce		json
//	@Security		BearerAuth
//	@Param			locale	query		string	false	"en or fr"	Enums(en, fr)
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	CannedReplyList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad locale or limit"
//	@Router			/v1/admin/support/canned-replies [get]
func (h Support) listCanned(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	l, err := h.Svc.CannedReplies(c.Request().Context(), c.QueryParam("locale"), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, CannedReplyList(l))
}

// updateCanned godoc
//
//	@Summary		Change a canned reply
//	@Description	Partial update: absent fields are unchanged.
//	@Tags			support
//	@ID				updateSupportCannedReply
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string						true	"canned reply id"
//	@Param			body	body		support.CannedReplyInput	true	"the fields to change"
//	@Success		200		{object}	support.CannedReply
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/support/canned-replies/{id} [patch]
func (h Support) updateCanned(c echo.Context) error {
	var in support.CannedReplyInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	r, err := h.Svc.UpdateCannedReply(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// deleteCanned godoc
//
//	@Summary		Delete a canned reply
//	@Tags			support
//	@ID				deleteSupportCannedReply
//	@Security		BearerAuth
//	@Param			id	path	string	true	"canned reply id"
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/support/canned-replies/{id} [delete]
func (h Support) deleteCanned(c echo.Context) error {
	if err := h.Svc.DeleteCannedReply(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
