package api

import (
	"context"
	"strings"

	"github.com/labstack/echo/v4"

	"storekeep/api/admin"
	"storekeep/api/web"
	"storekeep/internal/channels"
	"storekeep/internal/inventory"
	"storekeep/internal/platform/channel"
)

// PublishableKeyHeader scopes a store request to one sales channel.
const PublishableKeyHeader = "X-Publishable-Key"

// registerChannels wires sales channels and publishable keys: the admin
// routes, the hook that makes every new warehouse fulfil the default web
// channel, and the middleware that scopes every store request to its
// channel (docs/sales-channels.md).
func registerChannels(r *web.Router, opts Options, inv *inventory.Service) *channels.Service {
	svc := channels.NewService(opts.DB, inv, opts.Now)
	inv.OnWarehouseChange(svc.WarehouseChanged)
	admin.RegisterSalesChannels(r, svc)
	admin.RegisterSalesChannelStock(r, admin.SalesChannelStock{Channels: svc, Inventory: inv})
	// Stock levels can be listed per channel: the channel's warehouses.
	inv.SetChannelWarehouses(func(ctx context.Context, channelID string) ([]string, error) {
		c, err := svc.Channel(ctx, channelID)
		if err != nil {
			return nil, err
		}
		return c.WarehouseIDs, nil
	})
	r.Echo().Use(scopeStoreRequests(svc))
	return svc
}

// scopeStoreRequests resolves X-Publishable-Key on every /v1/store/ request
// (none: the default web channel) and puts the channel's scope in the
// request's context. An unknown or revoked key is 401, a key of a
// deactivated channel 403, before the handler runs.
func scopeStoreRequests(svc *channels.Service) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if !strings.HasPrefix(req.URL.Path, "/v1/store/") {
				return next(c)
			}
			sc, err := svc.Resolve(req.Context(), req.Header.Get(PublishableKeyHeader))
			if err != nil {
				return err
			}
			c.SetRequest(req.WithContext(channel.NewContext(req.Context(), sc)))
			return next(c)
		}
	}
}
