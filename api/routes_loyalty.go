package api

import (
	"github.com/labstack/echo/v4"

	"storekeep/api/admin"
	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/customers"
	"storekeep/internal/loyalty"
)

// registerLoyalty wires the loyalty domain: the programme and adjustment
// routes, the customer's summary, the expiry and tier job, and its consumer
// on the events dispatcher (order.fulfilled earns, refund.created
// reverses, in the dispatch transaction). Checkout redeems through the
// returned service.
func registerLoyalty(r *web.Router, opts Options, srv *Server, cus *customers.Service) *loyalty.Service {
	svc := loyalty.NewService(opts.DB, loyalty.WithClock(opts.Now), loyalty.WithLogger(opts.Log))
	loyalty.RegisterJobs(opts.Jobs, svc)
	srv.Events.Subscribe("loyalty", svc.OnEvent)
	admin.RegisterLoyalty(r, admin.Loyalty{Svc: svc, Exists: func(c echo.Context, customerID string) error {
		_, err := cus.Get(c.Request().Context(), customerID)
		return err
	}})
	store.RegisterLoyalty(r, store.Loyalty{Svc: svc})
	return svc
}
