package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/notify"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// Notifications serves /v1/admin/notifications: the e-mail templates and
// the messages sent (or recorded while e-mail is off).
type Notifications struct{ Svc *notify.Service }

// Access (docs/email.md): templates are the managers' (and admins');
// support staff also read messages. The service checks again.
var (
	templatesAccess = web.StaffRoles(auth.RoleManager)
	messagesAccess  = web.StaffRoles(auth.RoleManager, auth.RoleSupport)
)

// RegisterNotifications adds the notification routes to r.
func RegisterNotifications(r *web.Router, h Notifications) {
	r.GET("/v1/admin/notifications/templates", templatesAccess, h.listTemplates)
	r.GET("/v1/admin/notifications/templates/:name", templatesAccess, h.getTemplate)
	r.PUT("/v1/admin/notifications/templates/:name", templatesAccess, h.putTemplate)
	r.DELETE("/v1/admin/notifications/templates/:name", templatesAccess, h.deleteTemplate)
	r.POST("/v1/admin/notifications/templates/:name/preview", templatesAccess, h.previewTemplate)
	r.GET("/v1/admin/notifications/messages", messagesAccess, h.listMessages)
	r.GET("/v1/admin/notifications/messages/:id", messagesAccess, h.getMessage)
}

// TemplateList is every template in every locale (or one).
type TemplateList struct {
	Data []notify.Template `json:"data" binding:"required"`
	// NextCursor is always null: the list is short and comes whole.
	NextCursor *string `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name NotificationTemplateList

// MessageList is a page of recorded e-mails.
type MessageList struct {
	Data       []notify.MessageSummary `json:"data" binding:"required"`
	NextCursor *string                 `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name NotificationMessageList

// listTemplates godoc
//
//	@Summary		List e-mail templates
//	@Description	Every template in every locale (en, fr), or in the one `locale` names: the shop's saved version (`customized`) or the built-in default. Admins and managers.
//	@Tags			notifications
//	@ID				listNotificationTemplates
//	@Produce		json
//	@Security		BearerAuth
//	@Param			locale	query		string	false	"only this locale"	Enums(en, fr)
//	@Success		200		{object}	TemplateList
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"unknown locale"
//	@Router			/v1/admin/notifications/templates [get]
func (h Notifications) listTemplates(c echo.Context) error {
	ctx := c.Request().Context()
	l, err := h.Svc.Templates(ctx, auth.FromContext(ctx), c.QueryParam("locale"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, TemplateList{Data: l})
}

// getTemplate godoc
//
//	@Summary		Get an e-mail template
//	@Description	The template in one locale (default en): the shop's saved version, or the built-in default. Admins and managers.
//	@Tags			notifications
//	@ID				getNotificationTemplate
//	@Produce		json
//	@Security		BearerAuth
//	@Param			name	path		string	true	"template name"	Enums(order_confirmation, order_shipped, refund_issued, support_reply, discount_issued, loyalty_tier_changed, cart_reminder)
//	@Param			locale	query		string	false	"locale (default en)"	Enums(en, fr)
//	@Success		200		{object}	notify.Template
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem	"unknown template"
//	@Failure		422		{object}	web.Problem	"unknown locale"
//	@Router			/v1/admin/notifications/templates/{name} [get]
func (h Notifications) getTemplate(c echo.Context) error {
	ctx := c.Request().Context()
	t, err := h.Svc.Template(ctx, auth.FromContext(ctx), c.Param("name"), c.QueryParam("locale"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

// putTemplate godoc
//
//	@Summary		Save an e-mail template
//	@Description	Saves the shop's version of a template in one locale (the body's `locale`). subject and text are Go text/template, html (optional: without it the e-mail is text only) is html/template, whose values are escaped; the functions money, percent, date and discount format for the locale (docs/email.md lists each template's variables). The template is parsed and rendered against its sample data first: a part that does not parse or names a variable the data lacks is 422 template_invalid, errors[] naming subject, text or html with the template's message, and nothing is saved. Admins and managers.
//	@Tags			notifications
//	@ID				putNotificationTemplate
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			name	path		string						true	"template name"	Enums(order_confirmation, order_shipped, refund_issued, support_reply, discount_issued, loyalty_tier_changed, cart_reminder)
//	@Param			body	body		notify.TemplateInput		true	"the template"
//	@Success		200		{object}	notify.Template
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem	"unknown template"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed, template_invalid"
//	@Router			/v1/admin/notifications/templates/{name} [put]
func (h Notifications) putTemplate(c echo.Context) error {
	var in notify.TemplateInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, err := h.Svc.PutTemplate(ctx, auth.FromContext(ctx), c.Param("name"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

// deleteTemplate godoc
//
//	@Summary		Restore an e-mail template's default
//	@Description	Removes the shop's version of the template in one locale (default en): the built-in default applies again. A template that was not customized stays as it is. Admins and managers.
//	@Tags			notifications
//	@ID				deleteNotificationTemplate
//	@Security		BearerAuth
//	@Param			name	path	string	true	"template name"	Enums(order_confirmation, order_shipped, refund_issued, support_reply, discount_issued, loyalty_tier_changed, cart_reminder)
//	@Param			locale	query	string	false	"locale (default en)"	Enums(en, fr)
//	@Success		204
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem	"unknown template"
//	@Failure		422	{object}	web.Problem	"unknown locale"
//	@Router			/v1/admin/notifications/templates/{name} [delete]
func (h Notifications) deleteTemplate(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Svc.DeleteTemplate(ctx, auth.FromContext(ctx), c.Param("name"), c.QueryParam("locale")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// previewTemplate godoc
//
//	@Summary		Preview an e-mail template
//	@Description	Renders the template in `locale` (default en) without sending anything: the saved version (or the default), or the draft subject, text and html given. Without `data`, the template's sample data is used and a variable it lacks is an error, as when saving; with `data`, missing optional fields render empty, as when sending. A failure is 422 template_invalid, errors[] naming the part. Admins and managers.
//	@Tags			notifications
//	@ID				previewNotificationTemplate
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			name	path		string					true	"template name"	Enums(order_confirmation, order_shipped, refund_issued, support_reply, discount_issued, loyalty_tier_changed, cart_reminder)
//	@Param			body	body		notify.PreviewInput		true	"locale, data and draft parts (all optional)"
//	@Success		200		{object}	notify.Rendered
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem	"unknown template"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed, template_invalid"
//	@Router			/v1/admin/notifications/templates/{name}/preview [post]
func (h Notifications) previewTemplate(c echo.Context) error {
	var in notify.PreviewInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	out, err := h.Svc.Preview(ctx, auth.FromContext(ctx), c.Param("name"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// listMessages godoc
//
//	@Summary		List e-mails
//	@Description	Every e-mail the shop sent or meant to send, newest first, optionally of one status, recipient (`to`, case-insensitive) or template. Status: queued (waiting for its send job or its next try after a temporary failure), sent, failed (refused by the server, a template that did not render, or out of tries: see last_error), not_sent (e-mail is off: STOREKEEP_SMTP_URL unset). Admins, managers and support staff.
//	@Tags			notifications
//	@ID				listNotificationMessages
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status		query		string	false	"only this status"	Enums(queued, sent, failed, not_sent)
//	@Param			to			query		string	false	"only to this address"
//	@Param			template	query		string	false	"only of this template"	Enums(order_confirmation, order_shipped, refund_issued, support_reply, discount_issued, loyalty_tier_changed, cart_reminder)
//	@Param			limit		query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor		query		string	false	"next_cursor of the previous page"
//	@Success		200			{object}	MessageList
//	@Failure		400			{object}	web.Problem	"invalid_cursor"
//	@Failure		401			{object}	web.Problem
//	@Failure		403			{object}	web.Problem
//	@Failure		422			{object}	web.Problem	"bad filter or limit"
//	@Router			/v1/admin/notifications/messages [get]
func (h Notifications) listMessages(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Svc.Messages(ctx, auth.FromContext(ctx), notify.MessageFilter{Status: c.QueryParam("status"),
		To: c.QueryParam("to"), Template: c.QueryParam("template")}, pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, MessageList(l))
}

// getMessage godoc
//
//	@Summary		Get an e-mail
//	@Description	One e-mail with its rendered subject, text and html (null until its send job rendered it) and the variables it was rendered from. Admins, managers and support staff.
//	@Tags			notifications
//	@ID				getNotificationMessage
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"message id"
//	@Success		200	{object}	notify.MessageDetail
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/notifications/messages/{id} [get]
func (h Notifications) getMessage(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := h.Svc.Message(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}
