package checkout

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// cartChannels maps each of ids to its cart's sales channel; read before
// the carts are deleted.
func (s *Service) cartChannels(ctx context.Context, ids []string) (map[string]string, error) {
	var rows []struct{ ID, SalesChannelID string }
	if err := s.db.Conn(ctx).Raw(`SELECT id, sales_channel_id FROM carts WHERE id IN ?`, ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("abandoned carts' channels: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.SalesChannelID
	}
	return out, nil
}

// countPurgedByChannel adds the deleted carts with items to
// cart_purge_channel_counts (per UTC hour of creation and sales channel),
// so that one channel's cart abandonment rate still counts them
// (docs/sales-channels.md, "Numbers per channel").
func (s *Service) countPurgedByChannel(ctx context.Context, carts []cartRow, gone []string, items []cartSubtotal,
	channelOf map[string]string) error {
	withItems := make(map[string]bool, len(items))
	for _, it := range items {
		withItems[it.CartID] = true
	}
	type key struct {
		hour    time.Time
		channel string
	}
	counts := map[key]int64{}
	byID := make(map[string]cartRow, len(carts))
	for _, c := range carts {
		byID[c.ID] = c
	}
	for _, id := range gone {
		c, ok := byID[id]
		if !ok || !withItems[id] || channelOf[id] == "" {
			continue
		}
		counts[key{c.CreatedAt.UTC().Truncate(time.Hour), channelOf[id]}]++
	}
	keys := make([]key, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	// A fixed order of upserts: concurrent runs take the rows' locks alike.
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(a.hour.Compare(b.hour), strings.Compare(a.channel, b.channel))
	})
	for _, k := range keys {
		if err := s.db.Conn(ctx).Exec(`INSERT INTO cart_purge_channel_counts (created_hour, sales_channel_id, carts_with_items)
VALUES (?, ?, ?)
ON CONFLICT (created_hour, sales_channel_id) DO UPDATE SET
    carts_with_items = cart_purge_channel_counts.carts_with_items + excluded.carts_with_items`,
			k.hour, k.channel, counts[k]).Error; err != nil {
			return fmt.Errorf("count purged carts per channel: %w", err)
		}
	}
	return nil
}
