package catalog

import (
	"context"
	"fmt"

	"storekeep/internal/platform/channel"
)

// Sales channels (docs/sales-channels.md): every product lists the channels
// it is sold on (product_sales_channels, owned by this package). A store
// request carries its channel's scope in the context; the storefront reads
// (listing, search, product page, category counts, recommendations built
// on them, feeds) show only the products on that channel, with availability
// counted over the channel's warehouses. Code with no scope in its context
// (staff routes, jobs, seeding) sees every product, as before channels.

// Channels is what the catalog needs of the channels domain: which channel
// ids exist (product links, bulk changes) and the scope of a channel named
// in a feed's query. channels.Service implements it; the server wires it.
type Channels interface {
	// Known reports which of ids are existing channels.
	Known(ctx context.Context, ids []string) (map[string]bool, error)
	// ActiveScope is a channel's scope by id: a not-found error for an
	// unknown channel, a forbidden one for a deactivated channel.
	ActiveScope(ctx context.Context, channelID string) (channel.Scope, error)
}

// SetChannels wires the channels domain (built after the catalog). Without
// it, sales_channel_ids are only checked for their shape and feeds can only
// be asked for the request's own channel.
func (s *Service) SetChannels(c Channels) { s.channels = c }

// onChannelSQL is the condition "product p is sold on the channel": a
// lookup in the (sales_channel_id, product_id) index.
const onChannelSQL = "EXISTS (SELECT 1 FROM product_sales_channels psc WHERE psc.product_id = p.id AND psc.sales_channel_id = ?)"

// scopeOf returns the channel scope of a store read, nil outside a store
// request.
func scopeOf(ctx context.Context) *channel.Scope {
	sc, ok := channel.FromContext(ctx)
	if !ok {
		return nil
	}
	return &sc
}

// channelAvailable is the SQL of a variant's (v) availability on the
// scope's channel, with its arguments. The default web channel of a shop
// that never narrowed it (AllWarehouses) reads the shop-wide figure the
// catalog keeps on the variant. Any other channel sums on_hand - reserved
// over its active warehouses, in the variants query itself: this reads
// inventory's stock_levels and warehouses (read only), an exception to the
// rule that a domain reads only its own tables, because a second round trip
// through inventory made a channel's product list a quarter slower than the
// default one (docs/benchmarks.md, "Sales channels") and storefront reads
// are the hot path. The figure is inventory.Service.AvailableIn's.
func channelAvailable(sc *channel.Scope) (string, []any) {
	if sc == nil || sc.AllWarehouses {
		return "v.available", nil
	}
	return `CAST(COALESCE((SELECT SUM(l.on_hand - l.reserved) FROM stock_levels l
		JOIN warehouses w ON w.id = l.warehouse_id AND w.active
		WHERE l.variant_id = v.id AND l.warehouse_id IN ?), 0) AS BIGINT)`, []any{sc.WarehouseIDs}
}

// loadSalesChannels fills the admin view's SalesChannelIDs.
func (s *Service) loadSalesChannels(ctx context.Context, ids []string, at map[string]*Product) error {
	var rows []productChannelRow
	if err := s.db.Conn(ctx).Where("product_id IN ?", ids).Order("product_id, sales_channel_id").
		Find(&rows).Error; err != nil {
		return fmt.Errorf("product sales channels: %w", err)
	}
	for _, r := range rows {
		p := at[r.ProductID]
		p.SalesChannelIDs = append(p.SalesChannelIDs, r.SalesChannelID)
	}
	return nil
}

// checkChannels turns unknown channel ids into 422s on sales_channel_ids.
func (s *Service) checkChannels(ctx context.Context, c *checker, ids []string) error {
	if len(ids) == 0 || s.channels == nil {
		return nil
	}
	known, err := s.channels.Known(ctx, ids)
	if err != nil {
		return err
	}
	for i, v := range ids {
		if !known[v] {
			c.add(fmt.Sprintf("sales_channel_ids[%d]", i), "sales channel %s does not exist", v)
		}
	}
	return nil
}

type productChannelRow struct {
	ProductID      string `gorm:"column:product_id;primaryKey"`
	SalesChannelID string `gorm:"column:sales_channel_id;primaryKey"`
}

func (productChannelRow) TableName() string { return "product_sales_channels" }
