package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/platform/db"
)

// Health is the body of /healthz and /readyz.
type Health struct {
	Status string `json:"status" binding:"required" example:"ok"`
} // @name Health

// healthz godoc
//
//	@Summary	Liveness: the process is up
//	@Tags		system
//	@Produce	json
//	@Success	200	{object}	Health
//	@Router		/healthz [get]
func healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, Health{Status: "ok"})
}

// readyz godoc
//
//	@Summary	Readiness: the database answers
//	@Tags		system
//	@Produce	json
//	@Success	200	{object}	Health
//	@Failure	503	{object}	web.Problem
//	@Router		/readyz [get]
func readyz(d *db.DB) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := d.Ping(ctx); err != nil {
			return web.ErrDatabaseUnavailable.WithDetail("the database does not answer")
		}
		return c.JSON(http.StatusOK, Health{Status: "ok"})
	}
}
