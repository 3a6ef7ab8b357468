package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
)

// registerDocs serves the contract and a browsable reference.
func registerDocs(r *web.Router, spec []byte) {
	r.GET("/openapi.yaml", web.Public, func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/yaml", spec)
	})
}
