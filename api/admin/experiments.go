package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/metrics"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
)

// Experiments serves /v1/admin/experiments: A/B tests and their results.
type Experiments struct{ Tracker *metrics.Tracker }

// RegisterExperiments adds the experiment routes to r (managers and admins).
func RegisterExperiments(r *web.Router, h Experiments) {
	r.POST("/v1/admin/experiments", marketingAccess, h.create)
	r.GET("/v1/admin/experiments", marketingAccess, h.list)
	r.GET("/v1/admin/experiments/:id", marketingAccess, h.get)
	r.PATCH("/v1/admin/experiments/:id", marketingAccess, h.update)
	r.GET("/v1/admin/experiments/:id/results", marketingAccess, h.results)
}

// ExperimentList is a page of experiments.
type ExperimentList struct {
	Data       []metrics.Experiment `json:"data" binding:"required"`
	NextCursor *string              `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name ExperimentList

// create godoc
//
//	@Summary		Create an experiment
//	@Description	Creates an A/B test with 2 to 10 weighted arms (the first is the control) and the metric it is judged by; `status` is draft (default) or running. Keys are lower-case letters, digits, - and _, unique (409 experiment_key_taken). Managers and admins.
//	@Tags			metrics
//	@ID				createExperiment
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		metrics.ExperimentInput	true	"the experiment"
//	@Success		201		{object}	metrics.Experiment
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"experiment_key_taken"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/experiments [post]
func (h Experiments) create(c echo.Context) error {
	var in metrics.ExperimentInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	e, err := h.Tracker.CreateExperiment(ctx, auth.FromContext(ctx), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, e)
}

// list godoc
//
//	@Summary		List experiments
//	@Description	Oldest first, optionally of one status. Managers and admins.
//	@Tags			metrics
//	@ID				listExperiments
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status	query		string	false	"only this status"	Enums(draft, running, stopped)
//	@Param			limit	query		int		false	"page size (default 20, values over 100 are clamped to 100)"	minimum(1)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	ExperimentList
//	@Failure		400		{object}	web.Problem	"invalid_cursor"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"bad limit"
//	@Router			/v1/admin/experiments [get]
func (h Experiments) list(c echo.Context) error {
	pr, err := page.Parse(c.QueryParam("limit"), c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := h.Tracker.ListExperiments(ctx, auth.FromContext(ctx), c.QueryParam("status"), pr)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ExperimentList(l))
}

// get godoc
//
//	@Summary		Get an experiment
//	@Tags			metrics
//	@ID				getExperiment
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"experiment id"
//	@Success		200	{object}	metrics.Experiment
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/experiments/{id} [get]
func (h Experiments) get(c echo.Context) error {
	ctx := c.Request().Context()
	e, err := h.Tracker.GetExperiment(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, e)
}

// update godoc
//
//	@Summary		Update an experiment
//	@Description	Changes the name or metric at any time, the arms only while it is a draft (409 experiment_not_draft: shoppers are already assigned), and the status only forward, draft -> running -> stopped (409 invalid_status_transition). Managers and admins.
//	@Tags			metrics
//	@ID				updateExperiment
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string					true	"experiment id"
//	@Param			body	body		metrics.ExperimentPatch	true	"the fields to change"
//	@Success		200		{object}	metrics.Experiment
//	@Failure		400		{object}	web.Problem	"malformed JSON or unknown field"
//	@Failure		401		{object}	web.Problem
//	@Failure		403		{object}	web.Problem
//	@Failure		404		{object}	web.Problem
//	@Failure		409		{object}	web.Problem	"experiment_not_draft, invalid_status_transition"
//	@Failure		413		{object}	web.Problem
//	@Failure		422		{object}	web.Problem	"validation_failed"
//	@Router			/v1/admin/experiments/{id} [patch]
func (h Experiments) update(c echo.Context) error {
	var in metrics.ExperimentPatch
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	e, err := h.Tracker.UpdateExperiment(ctx, auth.FromContext(ctx), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, e)
}

// results godoc
//
//	@Summary		Experiment results
//	@Description	Per arm: sessions (distinct session ids with an experiment_exposure event for this experiment, named by id or key, and arm), conversions (those sessions with an order carrying their session id), conversion rate, and average order value per currency (non-canceled orders). Each arm after the first is compared with the first (the control): lift of the conversion rate and the two-sided p-value of a pooled two-proportion z-test, significant below 0.05; the top-level lift, p_value and significant are the second arm's. `note` says when the sample is too small to call (under 100 sessions or 10 conversions in an arm). Managers and admins.
//	@Tags			metrics
//	@ID				getExperimentResults
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"experiment id"
//	@Success		200	{object}	metrics.ExperimentResults
//	@Failure		401	{object}	web.Problem
//	@Failure		403	{object}	web.Problem
//	@Failure		404	{object}	web.Problem
//	@Router			/v1/admin/experiments/{id}/results [get]
func (h Experiments) results(c echo.Context) error {
	ctx := c.Request().Context()
	res, err := h.Tracker.Results(ctx, auth.FromContext(ctx), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
