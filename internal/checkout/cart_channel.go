package checkout

import (
	"context"

	"storekeep/internal/channels"
	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/errs"
)

// Channels is what checkout reads about sales channels: a channel (its
// region, for staff orders) and its scope (its active warehouses in
// priority order).
type Channels interface {
	Channel(ctx context.Context, channelID string) (channels.Channel, error)
	Scope(ctx context.Context, channelID string) (channel.Scope, error)
}

// WithChannels sets the sales channels (required for staff orders; without
// it checkout reserves from every warehouse outside store requests).
func WithChannels(c Channels) Option { return func(s *Service) { s.channels = c } }

// ErrChannelHasNoWarehouses: the sales channel has no active warehouse to
// reserve from, so nothing can be sold on it.
var ErrChannelHasNoWarehouses = errs.New(errs.Unprocessable, "channel_has_no_warehouses",
	"the sales channel has no active warehouse to sell from")

// channelScope is the scope of the sales channel channelID: the request's
// own when it is scoped to that channel (a store request: the cart was
// found through it), else read from the channels domain. ok is false when
// neither is available (no channels configured): no scoping applies.
func (s *Service) channelScope(ctx context.Context, channelID string) (sc channel.Scope, ok bool, err error) {
	if sc, ok := channel.FromContext(ctx); ok && sc.ID == channelID {
		return sc, true, nil
	}
	if s.channels == nil {
		return channel.Scope{}, false, nil
	}
	sc, err = s.channels.Scope(ctx, channelID)
	return sc, err == nil, err
}

// reserveFrom is the warehouse list a reservation for a cart of channelID
// is limited to, in the channel's priority order. nil (every active
// warehouse, by warehouse priority, exactly as before channels existed)
// for the default channel while it sells from every active warehouse.
// A channel without an active warehouse cannot sell: 422
// channel_has_no_warehouses.
func (s *Service) reserveFrom(ctx context.Context, channelID string) ([]string, error) {
	sc, ok, err := s.channelScope(ctx, channelID)
	if err != nil || !ok {
		return nil, err
	}
	if sc.IsDefault() && sc.AllWarehouses {
		return nil, nil
	}
	if len(sc.WarehouseIDs) == 0 {
		return nil, ErrChannelHasNoWarehouses
	}
	return sc.WarehouseIDs, nil
}
