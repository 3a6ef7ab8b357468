package channels

import (
	"context"
	"fmt"

	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/id"
)

// Known reports which of ids are existing channels (active or not): a
// trusted internal read for the catalog, which links products to channels.
func (s *Service) Known(ctx context.Context, ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	var valid []string
	for _, v := range ids {
		if id.Valid("sc", v) {
			valid = append(valid, v)
		}
	}
	if len(valid) == 0 {
		return out, nil
	}
	var found []string
	if err := s.db.Conn(ctx).Model(&channelRow{}).Where("id IN ?", valid).Pluck("id", &found).Error; err != nil {
		return nil, fmt.Errorf("known sales channels: %w", err)
	}
	for _, v := range found {
		out[v] = true
	}
	return out, nil
}

// ActiveScope is the scope of a channel named by id rather than by a
// publishable key (a product feed's ?sales_channel=): ErrNotFound for an
// unknown channel, ErrChannelInactive for a deactivated one, as a key of
// it would be answered.
func (s *Service) ActiveScope(ctx context.Context, channelID string) (channel.Scope, error) {
	c, err := s.load(ctx, channelID)
	if err != nil {
		return channel.Scope{}, err
	}
	if !c.Active {
		return channel.Scope{}, ErrChannelInactive
	}
	active, err := s.wh.ActiveWarehouseIDs(ctx)
	if err != nil {
		return channel.Scope{}, err
	}
	return c.scope(active), nil
}
