package store

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// assignment godoc
//
//	@Summary		Experiment assignment
//	@Description	The arm of a running experiment for an anonymous id: derived from a hash of the experiment key and the id, weighted by the arms, so it is the same on every call and every node, and nothing is written. A draft, stopped or unknown experiment is 404 (show the default experience). Report what the shopper saw with an experiment_exposure event (`experiment_id`: the key or id, `arm`).
//	@Tags			metrics
//	@ID				getExperimentAssignment
//	@Produce		json
//	@Security		BearerAuth
//	@Param			key				path		string	true	"experiment key"
//	@Param			anonymous_id	query		string	true	"the shopper's anonymous id (at most 100 characters)"
//	@Success		200				{object}	metrics.Assignment
//	@Failure		401				{object}	web.Problem
//	@Failure		404				{object}	web.Problem
//	@Failure		422				{object}	web.Problem	"anonymous_id missing or too long"
//	@Router			/v1/store/experiments/{key}/assignment [get]
func (h Metrics) assignment(c echo.Context) error {
	a, err := h.Tracker.Assign(c.Request().Context(), c.Param("key"), c.QueryParam("anonymous_id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}
