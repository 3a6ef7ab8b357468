package inventory

import (
	"context"
	"fmt"

	"storekeep/internal/platform/errs"
)

// ChannelWarehousesFunc returns the warehouses that fulfil a sales channel
// (all of them, active or not); a not-found *errs.Error when there is no
// such channel. The channels domain provides it at wiring time.
type ChannelWarehousesFunc func(ctx context.Context, channelID string) ([]string, error)

// SetChannelWarehouses lets the level list filter by sales channel
// (LevelQuery.SalesChannelID). Call at wiring time, before any request.
func (s *Service) SetChannelWarehouses(fn ChannelWarehousesFunc) { s.channelWarehouses = fn }

// levelChannelWarehouses resolves LevelQuery.SalesChannelID: an unknown
// channel is 422 on sales_channel_id (it is a filter, not the resource).
func (s *Service) levelChannelWarehouses(ctx context.Context, channelID string) ([]string, error) {
	if s.channelWarehouses == nil {
		return nil, errs.Invalidf("sales_channel_id", "sales channels are not available")
	}
	whs, err := s.channelWarehouses(ctx, channelID)
	if e, ok := errs.As(err); ok && e.Kind == errs.NotFound {
		return nil, errs.Invalidf("sales_channel_id", "no sales channel has this id")
	}
	if err != nil {
		return nil, fmt.Errorf("level channel warehouses: %w", err)
	}
	return whs, nil
}
