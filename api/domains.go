package api

import (
	"context"

	"storekeep/api/web"
	"storekeep/internal/checkout"
	"storekeep/internal/platform/auth"
	"storekeep/internal/reviews"
)

// registerDomains wires every domain service to its routes. Each domain's
// wiring lives in its own routes_<domain>.go file; services that another
// domain calls are built once here and passed along.
func registerDomains(r *web.Router, opts Options, srv *Server) error {
	cus, err := registerAuth(r, opts)
	if err != nil {
		return err
	}
	if err := registerCustomers(r, opts, cus); err != nil {
		return err
	}
	rev := reviews.NewService(opts.DB, nil, opts.Now)
	cat, err := registerCatalog(r, opts, rev)
	if err != nil {
		return err
	}
	inv, err := registerInventory(r, opts, cat)
	if err != nil {
		return err
	}
	chs := registerChannels(r, opts, inv)
	wireCatalogChannels(cat, chs)
	if err := registerPurchasing(r, opts, inv); err != nil {
		return err
	}
	pay, err := registerPayments(r, opts)
	if err != nil {
		return err
	}
	ord := registerOrders(r, opts, inv, pay)
	cus.SetOrderHistory(ord)
	registerReviews(r, rev, cat, ord, cus)
	registerReco(r, opts, srv, cat, rev, ord, cus)
	registerSegments(opts, srv, cus)
	sup := registerSupport(r, opts, cus, ord)
	registerSupportLive(r, opts, srv, sup)
	registerKPIs(r, opts, sup)
	mail, err := registerNotify(r, opts, srv, cus, ord, sup)
	if err != nil {
		return err
	}
	registerMetricsIngest(r, opts)
	registerEvents(r, opts)
	hooks, err := registerWebhooks(r, opts, srv)
	if err != nil {
		return err
	}
	// Provider webhooks confirm or fail pending orders in the webhook's transaction.
	pay.OnStatusChange(ord.OnPayment)
	loy := registerLoyalty(r, opts, srv, cus)
	cus.SetLoyalty(loy)
	chk := checkout.NewService(opts.DB, checkout.WithLogger(opts.Log), checkout.WithCatalog(cat),
		checkout.WithInventory(inv), checkout.WithCustomers(customerAccounts{cus}), checkout.WithPayments(pay),
		checkout.WithOrders(ord), checkout.WithCaptureOnCheckout(opts.CaptureOnCheckout),
		checkout.WithLimiter(auth.NewLimiter(opts.DB, auth.DefaultWindow, opts.Now)),
		checkout.WithClaimTimeout(opts.Checkout.ClaimTimeout), checkout.WithPendingPolicy(opts.Checkout.Pending),
		checkout.WithCartLimits(opts.Carts.CreateLimit, opts.Carts.GuestTTL),
		checkout.WithAbandonedCarts(opts.Carts.AbandonedAfter, opts.Now), checkout.WithLoyalty(loy),
		checkout.WithChannels(chs), checkout.WithStaffOrders(ord, pay),
		checkout.WithPaymentActions(opts.Checkout.ActionTimeout, opts.Checkout.SessionTTL, opts.Checkout.ReturnURLs))
	registerPaymentActions(r, opts, pay, chk)
	chs.SetRegionCheck(func(ctx context.Context, regionID string) error {
		_, err := chk.Region(ctx, regionID)
		return err
	})
	registerPricing(r, chk)
	registerCheckout(r, opts, chk)
	registerAutomations(r, opts, srv, chk, cus, ord, cat, hooks, mail, loy)
	return nil
}
