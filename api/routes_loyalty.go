package api

import (
	"context"
	"errors"

	"github.com/labstack/echo/v4"

	"storekeep/api/admin"
	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/customers"
	"storekeep/internal/loyalty"
	"storekeep/internal/platform/auth"
)

// registerLoyalty wires the loyalty domain: the programme and adjustment
// routes, the customer's summary, the expiry and tier job, and its consumer
// on the events dispatcher (order.fulfilled earns, refund.created
// reverses, in the dispatch transaction). Checkout redeems through the
// returned service.
func registerLoyalty(r *web.Router, opts Options, srv *Server, cus *customers.Service) *loyalty.Service {
	svc := loyalty.NewService(opts.DB, loyalty.WithClock(opts.Now), loyalty.WithLogger(opts.Log),
		loyalty.WithGroups(tierGroups{cus}))
	loyalty.RegisterJobs(opts.Jobs, svc)
	srv.Events.Subscribe("loyalty", svc.OnEvent)
	admin.RegisterLoyalty(r, admin.Loyalty{Svc: svc, Exists: func(c echo.Context, customerID string) error {
		_, err := cus.Get(c.Request().Context(), customerID)
		return err
	}})
	store.RegisterLoyalty(r, store.Loyalty{Svc: svc})
	return svc
}

// tierGroups is customer groups as loyalty tiers keep them: the loyalty
// domain acts as a trusted system caller.
type tierGroups struct{ cus *customers.Service }

var loyaltySystem = auth.Actor{Kind: auth.Staff, ID: "loyalty", Role: auth.RoleAdmin}

func (g tierGroups) Join(ctx context.Context, groupID, customerID string) error {
	return g.cus.JoinGroup(ctx, groupID, customerID)
}

// Leave ends the membership; a customer who is not a member is fine.
func (g tierGroups) Leave(ctx context.Context, groupID, customerID string) error {
	err := g.cus.RemoveFromGroup(ctx, loyaltySystem, groupID, customerID)
	if errors.Is(err, customers.ErrNotMember) {
		return nil
	}
	return err
}
